package io.jselect.lab.grading;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code grade N}: compiles and grades exercise N. */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = {"Compile exercise N (1 to 5) from your exercises folder, run your server, check it and print "
                + "a score with a message for every failed check.",
                "Exit status: 0 when every check passed, 1 when some failed, 2 when the code does not compile."})
public final class GradeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "N", description = "the exercise, 1 to 5")
    int exercise;

    @Option(names = "--src", description = "the folder holding ex1 ... ex5 (default: labs/exercises, or exercises, "
            + "whichever is here)")
    Path src;

    @Override
    public Integer call() throws Exception {
        Exercise e = Exercise.of(exercise);
        Path root = src != null ? src : Files.isDirectory(Path.of("labs", "exercises")) ? Path.of("labs", "exercises")
                : Path.of("exercises");
        if (!Files.isDirectory(root.resolve(e.pkg()))) {
            throw new IllegalArgumentException("--src: no folder " + root.resolve(e.pkg())
                    + "; give the folder that holds ex1 ... ex5");
        }
        Grader.Report report = Grader.grade(e, root, System.getProperty("java.class.path"), System.out);
        return report.compileErrors() != null ? 2 : report.allPassed() ? 0 : 1;
    }
}
