package io.jselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar from {@code mvn package}, copied alone into a directory with its two dependencies, loads its
 * native library from inside itself: in child JVMs, on the class path and on the module path, on the
 * JDK running the build and on JDK 25 when it is installed.
 */
class JarLoadingIT {
    static final String JDK25 = System.getProperty("jselect.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    static Path dir;
    static Path jar;
    static String classPath;

    @BeforeAll
    static void copyTheJarAndItsDependencies() throws IOException {
        Path built = Path.of(System.getProperty("jselect.test.jar"));
        jar = Files.copy(built, dir.resolve("jselect.jar"));
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("jna-") || name.startsWith("slf4j-api-")) {
                entries.add(Files.copy(Path.of(entry), dir.resolve(name)).toString());
            }
        }
        assertEquals(3, entries.size(), "jar, jna and slf4j-api: " + entries);
        classPath = String.join(File.pathSeparator, entries);
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(String java, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
        p.getOutputStream().close();
        // Output is small; reading both streams after exit cannot deadlock on a pipe this size.
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung: " + command);
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void assertRoundTrip(Run r) {
        assertEquals(0, r.exit, "stdout: " + r.out + "\nstderr: " + r.err);
        assertTrue(r.out.contains("jselect backend: jni (jar resource /META-INF/native/linux-x86_64/libjselect.so"),
                r.out);
        assertTrue(r.out.contains("select: ok, poll: ok, epoll: ok"), r.out);
    }

    @Test
    void loadsFromInsideTheJarOnTheClassPath(@TempDir Path tmp) throws Exception {
        Run r = run(currentJava(), "-Djselect.tmpdir=" + tmp, "-cp", classPath, "io.jselect.JSelect");
        assertRoundTrip(r);
        assertTrue(r.out.contains(tmp + "/jselect-"), "extracted into a fresh directory: " + r.out);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "the extracted copy is removed");
        }
    }

    @Test
    void loadsAsANamedModule() throws Exception {
        assertRoundTrip(run(currentJava(), "-p", dir.toString(), "-m", "io.jselect/io.jselect.JSelect"));
    }

    @Test
    void loadsOnJdk25WithNativeAccessEnabled() throws Exception {
        Path java25 = Path.of(JDK25, "bin", "java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java25), "JDK 25 is not installed at " + JDK25);
        Run module = run(java25.toString(), "--enable-native-access=io.jselect", "-p", dir.toString(),
                "-m", "io.jselect/io.jselect.JSelect");
        assertRoundTrip(module);
        assertTrue(!module.err.contains("restricted method"), module.err);
        Run classpath = run(java25.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                "io.jselect.JSelect");
        assertRoundTrip(classpath);
        assertTrue(!classpath.err.contains("restricted method"), classpath.err);
        // Without the flag JDK 25 still loads it, with a warning that names the flag.
        Run warned = run(java25.toString(), "-cp", classPath, "io.jselect.JSelect");
        assertRoundTrip(warned);
        assertTrue(warned.err.contains("--enable-native-access"), warned.err);
    }

    @Test
    void whenNothingLoadsOneErrorListsEveryAttempt() throws Exception {
        Path notALibrary = Files.writeString(dir.resolve("libjselect.so"), "not an ELF file\n".repeat(300));
        Run r = run(currentJava(), "-Djselect.backend=jni", "-Djselect.library.path=" + notALibrary,
                "-Djselect.tmpdir=/proc", "-cp", classPath, "io.jselect.JSelect");
        assertEquals(1, r.exit, r.out + r.err);
        assertTrue(r.err.contains("jselect.library.path: " + notALibrary), r.err);
        assertTrue(r.err.contains("invalid ELF header") && r.err.contains("(not a shared library"), r.err);
        assertTrue(r.err.contains("java.library.path"), r.err);
        assertTrue(r.err.contains("cannot create a private directory in /proc"), r.err);
        Files.delete(notALibrary);
    }

    @Test
    void javaLibraryPathIsTriedBeforeTheJar() throws Exception {
        Path libdir = Files.createDirectories(dir.resolve("libdir"));
        try (var in = Files.newInputStream(jar); var zip = new java.util.zip.ZipInputStream(in)) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("META-INF/native/linux-x86_64/libjselect.so")) {
                    Files.copy(zip, libdir.resolve("libjselect.so"));
                }
            }
        }
        Run r = run(currentJava(), "-Djava.library.path=" + libdir, "-cp", classPath, "io.jselect.JSelect");
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("jselect backend: jni (java.library.path)"), r.out);
        Run p = run(currentJava(), "-Djselect.library.path=" + libdir, "-cp", classPath, "io.jselect.JSelect");
        assertEquals(0, p.exit, p.err);
        assertTrue(p.out.contains("jselect backend: jni (" + libdir.resolve("libjselect.so") + ")"), p.out);
    }
}
