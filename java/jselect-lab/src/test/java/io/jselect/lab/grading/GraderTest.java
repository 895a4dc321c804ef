package io.jselect.lab.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every grader passes its reference solution and fails its starter with a message that says why. */
class GraderTest {
    static final Path SOLUTIONS = Path.of(System.getProperty("jselect.lab.solutions"));
    static final Path STARTERS = Path.of(System.getProperty("jselect.lab.exercises"));
    static final String CLASSPATH = System.getProperty("java.class.path");

    @ParameterizedTest
    @EnumSource(Exercise.class)
    void theReferenceSolutionPassesEveryCheck(Exercise e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Grader.Report report = Grader.grade(e, SOLUTIONS, CLASSPATH, new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertTrue(report.allPassed(), printed);
        assertEquals(e.checks().size(), report.results().size(), "every check ran");
        for (Grader.Result r : report.results()) {
            assertEquals(Grader.Status.PASS, r.status(), r.check().title() + ": " + r.message());
        }
        assertTrue(printed.contains("Score: " + report.score() + "/" + report.score()), printed);
    }

    @ParameterizedTest
    @EnumSource(Exercise.class)
    void theStarterCompilesAndFailsSayingWhatIsMissing(Exercise e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Grader.Report report = Grader.grade(e, STARTERS, CLASSPATH, new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertEquals(null, report.compileErrors(), "the starter compiles");
        assertEquals(0, report.score(), printed);
        Grader.Result first = report.results().get(0);
        assertEquals(Grader.Status.FAIL, first.status());
        // What was sent and what came back, and the server's own words: the TODO it ran into.
        assertTrue(first.message().contains(e == Exercise.EX4 ? "sent \"hello all\\n\"" : "expected the greeting b'hello'"),
                first.message());
        assertTrue(first.message().contains("TODO exercise " + e.number()), first.message());
        for (Grader.Result r : report.results().subList(1, report.results().size())) {
            assertEquals(Grader.Status.NOT_ATTEMPTED, r.status(), r.check().title());
            assertTrue(r.message().startsWith("not attempted: \"" + first.check().title() + "\" must pass first"));
        }
    }
}
