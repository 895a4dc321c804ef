package io.jselect.toolchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine without cmake, gcc or a JDK gets one line naming the Debian packages to install, not a
 * stack trace: the build's first step (and {@code ./mvnw}, for the JDK) run here with those tools
 * taken off the PATH. Without the cross compilers the line names them too, the script that installs
 * them, and {@code -Djselect.natives=host}, which builds without them.
 */
class BuildPrerequisitesIT {
    static final Path ROOT = Path.of(System.getProperty("jselect.test.root", "../..")).toAbsolutePath().normalize();
    static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(");

    record Run(int exit, String output) {
    }

    /** A directory of links to everything on this PATH except {@code removed}: the PATH of a machine without them. */
    static String pathWithout(Path dir, Set<String> removed) throws IOException {
        for (String entry : System.getenv("PATH").split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.isDirectory(from)) {
                continue;
            }
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path link = dir.resolve(file.getFileName().toString());
                    if (!removed.contains(link.getFileName().toString()) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, file);
                    }
                }
            }
        }
        return dir.toString();
    }

    static Run run(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (!env.containsKey("JAVA_HOME")) {
            builder.environment().remove("JAVA_HOME");
        }
        Process p = builder.start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "hung: " + command);
        return new Run(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** The library module's validate phase, offline, as the outer build ran it (the check is its first step). */
    static List<String> validate(String... extra) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("jselect.test.maven.home"), "bin", "mvn").toString(),
                "-o", "-B", "-q", "-Dmaven.repo.local=" + System.getProperty("jselect.test.repo.local"),
                "-f", ROOT.resolve("pom.xml").toString(), "-pl", "java/jselect"));
        command.addAll(List.of(extra));
        command.add("validate");
        return command;
    }

    static void assertOneLineNaming(Run r, String install) {
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("on Debian or Ubuntu: apt-get install " + install + "\n")
                || r.output.contains("on Debian or Ubuntu: apt-get install " + install + "\r"), r.output);
        assertFalse(STACK_FRAME.matcher(r.output).find(), "no stack trace: " + r.output);
    }

    @Test
    void withoutCmakeAndGccTheBuildNamesBothPackages(@TempDir Path bin) throws Exception {
        String path = pathWithout(bin, Set.of("cmake", "gcc"));
        Map<String, String> env = Map.of("PATH", path, "JAVA_HOME", System.getProperty("java.home"));
        assertOneLineNaming(run(env, validate()), "cmake gcc");
    }

    @Test
    void withoutTheCrossCompilersTheBuildNamesTheirPackagesTheScriptAndTheWayOut(@TempDir Path bin) throws Exception {
        String path = pathWithout(bin, Set.of("aarch64-linux-gnu-gcc", "aarch64-linux-musl-gcc"));
        Map<String, String> env = Map.of("PATH", path, "JAVA_HOME", System.getProperty("java.home"));
        Run r = run(env, validate());
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("jselect's natives for every platform need what is missing here: "
                + "gcc-aarch64-linux-gnu musl-dev:arm64; on Debian or Ubuntu, as root: .ci/install-cross "
                + "(or build this machine's library only: -Djselect.natives=host)"), r.output);
        assertFalse(STACK_FRAME.matcher(r.output).find(), "no stack trace: " + r.output);

        Run host = run(env, validate("-Djselect.natives=host"));
        assertEquals(0, host.exit, "this machine's library alone needs no cross compiler: " + host.output);
    }

    @Test
    void anUnknownNativesValueIsRefusedByName() throws Exception {
        Run r = run(Map.of("JAVA_HOME", System.getProperty("java.home")), validate("-Djselect.natives=some"));
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("jselect.natives must be all or host, got 'some'"), r.output);
    }

    @Test
    void onAJreTheBuildNamesTheJdkPackage(@TempDir Path jre) throws Exception {
        Files.createDirectories(jre.resolve("bin"));
        Run r = run(Map.of("JAVA_HOME", System.getProperty("java.home")),
                validate("-Djselect.jni.home=" + jre));
        assertOneLineNaming(r, "openjdk-17-jdk-headless");
    }

    @Test
    void withoutAJdkTheWrapperNamesThePackageBeforeDownloadingAnything(@TempDir Path bin, @TempDir Path home)
            throws Exception {
        String path = pathWithout(bin, Set.of("java", "javac"));
        Run r = run(Map.of("PATH", path, "MAVEN_USER_HOME", home.toString()),
                List.of(ROOT.resolve("mvnw").toString(), "-v"));
        assertEquals(1, r.exit, r.output);
        assertEquals("mvnw: no JDK found (no javac on PATH or in JAVA_HOME); on Debian or Ubuntu: "
                + "apt-get install openjdk-17-jdk-headless\n", r.output);
        try (Stream<Path> left = Files.list(home)) {
            assertEquals(List.of(), left.toList(), "nothing downloaded");
        }
    }
}
