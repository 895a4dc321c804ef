package io.jselect.lab.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit as a student gets it, from the built jar: what is in it, what is not, and its grade script at work. */
class KitExportIT {
    static final Path JAR = Path.of(System.getProperty("jselect.lab.jar"));
    static final Path LABS = Path.of(System.getProperty("jselect.lab.exercises")).getParent();
    static final Path SOLUTIONS = Path.of(System.getProperty("jselect.lab.solutions"));

    @TempDir
    Path tmp;

    @Test
    void theFolderHoldsHandoutsStartersGraderAndJarButNoSolution() throws Exception {
        Path kit = tmp.resolve("kit");
        Run export = run(List.of(java(), "-jar", JAR.toString(), "kit", "--out", kit.toString()), tmp);
        assertEquals(0, export.status, export.output);
        for (String f : List.of("README.md", "README.zh-CN.md", "grade", "jselect-lab.jar", "exercises/ex5/WRITEUP.md")) {
            assertTrue(Files.isRegularFile(kit.resolve(f)), f + " in the kit");
        }
        assertTrue(Files.isExecutable(kit.resolve("grade")));
        for (int n = 1; n <= 5; n++) {
            try (Stream<Path> starters = Files.list(LABS.resolve("exercises/ex" + n))) {
                for (Path starter : (Iterable<Path>) starters::iterator) {
                    assertEquals(Files.readString(starter), Files.readString(kit.resolve("exercises/ex" + n)
                            .resolve(starter.getFileName())), "the kit's copy of " + starter);
                }
            }
        }
        // No reference solution, in any form: not its source, not its classes.
        List<String> solutionMarkers = new ArrayList<>();
        try (Stream<Path> all = Files.walk(SOLUTIONS)) {
            all.filter(Files::isRegularFile).forEach(p -> solutionMarkers.add(SOLUTIONS.relativize(p).toString()));
        }
        try (Stream<Path> all = Files.walk(kit)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p) && p.toString().endsWith(".java")) {
                    assertFalse(Files.readString(p).contains("reference solution"), p + " is a solution");
                }
            }
        }
        try (ZipFile jar = new ZipFile(kit.resolve("jselect-lab.jar").toFile())) {
            for (ZipEntry e : java.util.Collections.list(jar.entries())) {
                assertFalse(e.getName().matches("ex[1-5]/.*"), "compiled exercise code in the kit's jar: " + e.getName());
                assertFalse(e.getName().contains("solutions"), e.getName());
            }
        }
        assertEquals(5, solutionMarkers.size(), "five solutions exist, and none of them went in");

        // The student's first run: the starter compiles, fails, and says what is missing.
        Run grade = run(List.of(kit.resolve("grade").toString(), "1"), kit);
        assertEquals(1, grade.status, grade.output);
        assertTrue(grade.output.contains("FAIL  0/10  greets a new client with b'hello'"), grade.output);
        assertTrue(grade.output.contains("TODO exercise 1"), grade.output);
        assertTrue(grade.output.contains("Score: 0/100"), grade.output);
    }

    @Test
    void theZipHoldsTheSameUnderOneFolder() throws Exception {
        Path zip = tmp.resolve("kit.zip");
        Run export = run(List.of(java(), "-jar", JAR.toString(), "kit", "--zip", "--out", zip.toString()), tmp);
        assertEquals(0, export.status, export.output);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (String f : List.of("README.md", "README.zh-CN.md", "grade", "jselect-lab.jar", "exercises/ex1/SelectEchoServer.java")) {
                assertTrue(z.getEntry("jselect-lab-kit/" + f) != null, f + " in the zip");
            }
        }
        Run again = run(List.of(java(), "-jar", JAR.toString(), "kit", "--zip", "--out", zip.toString()), tmp);
        assertEquals(2, again.status, again.output);
        assertTrue(again.output.contains("--out " + zip + " exists already"), again.output);
    }

    private record Run(int status, String output) {
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Run run(List<String> command, Path dir) throws Exception {
        Path log = Files.createTempFile("kit-it-", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(p.exitValue(), output);
    }
}
