package example.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jselect inside an application's uber jar that relocated {@code io.jselect} (maven-shade-plugin), run
 * as a user runs it, in child JVMs: the JNI library binds to the relocated classes and is found inside
 * the jar, on JDK 17 and on JDK 25, from {@code java.library.path} too, and two relocated copies work side
 * by side in one JVM, in one class loader or in two.
 */
class ShadedAppIT {
    static final Path TARGET = Path.of(System.getProperty("jselect.test.jar.dir", "target"));
    static final Path APP_A = TARGET.resolve("app-a.jar");
    static final Path APP_B = TARGET.resolve("app-b.jar");
    static final String JDK25 = System.getProperty("jselect.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");
    static final String BUNDLED = "jar resource /META-INF/native/linux-x86_64/libjselect.so";

    record Run(int exit, String out, String err) {
    }

    static Run run(Path directory, String java, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).directory(directory.toFile()).start();
        p.getOutputStream().close();
        // Output is small; reading both streams after exit cannot deadlock on a pipe this size.
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung: " + command);
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static String java17() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String java25() {
        Path java = Path.of(JDK25, "bin", "java");
        Assumptions.assumeTrue(Files.isExecutable(java), "JDK 25 is not installed at " + JDK25);
        return java.toString();
    }

    /** Both apps' lines: backend jni from where it is expected, and select and epoll working. */
    static void assertWorksOnJni(Run r, String jselectClass, String loadedFrom) {
        assertEquals(0, r.exit, "stdout: " + r.out + "\nstderr: " + r.err);
        assertTrue(r.out.contains(jselectClass + ": backend jni (" + loadedFrom), r.out + r.err);
        assertTrue(r.out.contains(jselectClass + ": select ok, epoll ok"), r.out + r.err);
        // No binding is on the class path: a fallback would show as slf4j's "no providers" notice.
        assertFalse(r.err.contains("JNA") || r.err.contains("SLF4J"), "no fallback: " + r.err);
    }

    @Test
    void theUberJarHoldsTheRelocatedClassesAndTheLibrary() throws IOException {
        try (JarFile jar = new JarFile(APP_A.toFile())) {
            List<String> unrelocated = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("io/jselect/")).toList();
            assertEquals(List.of(), unrelocated, "io.jselect is relocated entirely");
            assertTrue(jar.getEntry("shaded/a/io/jselect/internal/Jni.class") != null);
            assertTrue(jar.getEntry("META-INF/native/linux-x86_64/libjselect.so") != null);
            assertEquals("ALL-UNNAMED", jar.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
        }
    }

    @Test
    void runsOnJniOnJdk17(@TempDir Path tmp) throws Exception {
        Run r = run(tmp, java17(), "-Djselect.tmpdir=" + tmp, "-jar", APP_A.toString());
        assertWorksOnJni(r, "shaded.a.io.jselect.JSelect", BUNDLED + " extracted to " + tmp);
        assertEquals("", r.err);
    }

    @Test
    void runsOnJniOnJdk25WithNativeAccessInTheApplicationsManifest(@TempDir Path tmp) throws Exception {
        Run r = run(tmp, java25(), "-jar", APP_A.toString());
        assertWorksOnJni(r, "shaded.a.io.jselect.JSelect", BUNDLED);
        assertEquals("", r.err, "Enable-Native-Access in the manifest: no restricted-method warning");

        // Without it, as the README warns, JDK 24+ still loads the library but warns, naming the flag.
        Run warned = run(tmp, java25(), "-jar", APP_B.toString());
        assertWorksOnJni(warned, "shaded.b.jselect.JSelect", BUNDLED);
        assertTrue(warned.err.contains("--enable-native-access"), warned.err);
    }

    @Test
    void loadsTheLibraryFromJavaLibraryPath(@TempDir Path tmp) throws Exception {
        try (JarFile jar = new JarFile(APP_A.toFile());
                InputStream in = jar.getInputStream(jar.getEntry("META-INF/native/linux-x86_64/libjselect.so"))) {
            Files.copy(in, tmp.resolve("libjselect.so"));
        }
        Run r = run(tmp, java17(), "-Djava.library.path=" + tmp, "-jar", APP_A.toString());
        assertWorksOnJni(r, "shaded.a.io.jselect.JSelect", "java.library.path");
    }

    @Test
    void twoRelocatedCopiesInOneClassLoader(@TempDir Path tmp) throws Exception {
        String classPath = String.join(File.pathSeparator, APP_A.toString(), APP_B.toString(),
                Path.of(TwoCopies.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String java : javas()) {
            Run r = run(tmp, java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                    TwoCopies.class.getName(), "same-loader", "example.app.ShadedApp", "example.b.app.ShadedApp");
            assertWorksOnJni(r, "shaded.a.io.jselect.JSelect", BUNDLED);
            assertWorksOnJni(r, "shaded.b.jselect.JSelect", BUNDLED);
        }
    }

    @Test
    void twoRelocatedCopiesInClassLoadersOfTheirOwn(@TempDir Path tmp) throws Exception {
        String classPath = Path.of(TwoCopies.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        for (String java : javas()) {
            Run r = run(tmp, java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                    TwoCopies.class.getName(), "own-loaders", APP_A.toString(), APP_B.toString());
            assertWorksOnJni(r, "shaded.a.io.jselect.JSelect", BUNDLED);
            assertWorksOnJni(r, "shaded.b.jselect.JSelect", BUNDLED);
        }
    }

    /** JDK 17 always; JDK 25 too when it is installed. */
    static List<String> javas() {
        Path java25 = Path.of(JDK25, "bin", "java");
        return Files.isExecutable(java25) ? List.of(java17(), java25.toString()) : List.of(java17());
    }
}
