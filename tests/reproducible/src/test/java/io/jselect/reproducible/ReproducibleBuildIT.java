package io.jselect.reproducible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clean builds of the same sources give the same bytes: every jar this build made (the library's
 * main, sources and javadoc jars, the native library inside, the demos and benchmarks jars) is built
 * again, offline, from a copy of the sources in another directory, and compared byte for byte.
 * {@code project.build.outputTimestamp} fixes the archives' times; the C builds, this machine's and
 * the cross-built ones, must not depend on where they run.
 */
class ReproducibleBuildIT {
    static final Path ROOT = Path.of(System.getProperty("jselect.test.root", "../..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("jselect.test.version");

    /** all or host: which platforms' natives this build made, and so the second one makes. */
    static final String NATIVES = System.getProperty("jselect.natives", "all");

    /** The files compared, relative to the root. */
    static List<String> artifacts() {
        List<String> artifacts = new ArrayList<>(List.of(
                "java/jselect/target/jselect-" + VERSION + ".jar",
                "java/jselect/target/jselect-" + VERSION + "-sources.jar",
                "java/jselect/target/jselect-" + VERSION + "-javadoc.jar",
                "java/jselect-demos/target/jselect-demos.jar",
                "java/jselect-benchmarks/target/jselect-benchmarks.jar"));
        List<String> platforms = NATIVES.equals("host") ? List.of("linux-x86_64")
                : List.of("linux-x86_64", "linux-aarch64", "linux-x86_64-musl", "linux-aarch64-musl");
        for (String platform : platforms) {
            artifacts.add("java/jselect/target/classes/META-INF/native/" + platform + "/libjselect.so");
        }
        return artifacts;
    }

    /** The sources as git sees them (tracked, and new files not ignored), copied to {@code to}. */
    static void copySources(Path to) throws Exception {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] listing = git.getInputStream().readAllBytes();
        assertTrue(git.waitFor(60, TimeUnit.SECONDS) && git.exitValue() == 0, "git ls-files in " + ROOT);
        for (String name : new String(listing, StandardCharsets.UTF_8).split("\0")) {
            Path from = ROOT.resolve(name);
            if (name.isEmpty() || !Files.isRegularFile(from)) {
                continue; // deleted in the work tree but not yet in the index
            }
            Path target = to.resolve(name);
            Files.createDirectories(target.getParent());
            Files.copy(from, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    @Test
    void aSecondCleanBuildElsewhereGivesIdenticalBytes(@TempDir Path copy) throws Exception {
        for (String artifact : artifacts()) {
            assertTrue(Files.isRegularFile(ROOT.resolve(artifact)), "this build made " + artifact);
        }
        copySources(copy);
        List<String> command = List.of(Path.of(System.getProperty("jselect.test.maven.home"), "bin", "mvn").toString(),
                "-o", "-B", "-q", "-Dmaven.repo.local=" + System.getProperty("jselect.test.repo.local"),
                "-DskipTests", "-Djselect.natives=" + NATIVES, "-pl", "java/jselect,java/jselect-demos,java/jselect-benchmarks",
                "package");
        Path log = copy.resolve("build.log");
        Process build = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        build.getOutputStream().close();
        if (!build.waitFor(10, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            fail("the second build took over 10 minutes");
        }
        assertEquals(0, build.exitValue(), "the second build failed:\n" + Files.readString(log));

        Map<String, String> differences = new LinkedHashMap<>();
        for (String artifact : artifacts()) {
            Path first = ROOT.resolve(artifact);
            Path second = copy.resolve(artifact);
            if (Files.mismatch(first, second) != -1) {
                differences.put(artifact, artifact.endsWith(".jar") ? describe(first, second) : "bytes differ");
            }
        }
        assertEquals(Map.of(), differences, "built twice, these differ (if this tree's target/ directories "
                + "hold stale output, run ./mvnw clean verify)");
    }

    /** Which entries differ, in name, order, time or content: what to look at when the check fails. */
    static String describe(Path first, Path second) throws IOException {
        try (ZipFile a = new ZipFile(first.toFile()); ZipFile b = new ZipFile(second.toFile())) {
            List<String> namesA = a.stream().map(ZipEntry::getName).toList();
            List<String> namesB = b.stream().map(ZipEntry::getName).toList();
            if (!namesA.equals(namesB)) {
                return "entries differ in names or order";
            }
            List<String> differing = new ArrayList<>();
            for (String name : namesA) {
                ZipEntry ea = a.getEntry(name);
                ZipEntry eb = b.getEntry(name);
                if (ea.getTime() != eb.getTime()) {
                    differing.add(name + " (time " + ea.getTime() + " vs " + eb.getTime() + ")");
                } else if (!Arrays.equals(read(a, ea), read(b, eb))) {
                    differing.add(name + " (content)");
                }
            }
            return differing.isEmpty() ? "zip metadata differs" : String.join(", ", differing);
        }
    }

    static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
