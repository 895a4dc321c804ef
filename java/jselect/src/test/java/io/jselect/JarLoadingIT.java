package io.jselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar from {@code mvn package}, copied alone into a directory with its two dependencies, loads its
 * native library from inside itself: in child JVMs, on the class path and on the module path, on the
 * JDK running the build and on JDK 25 when it is installed, and on Debian's arm64 JDK under qemu-user,
 * where it is the aarch64 library that loads. When that library cannot load, the JNA backend takes
 * over, with one warning.
 */
class JarLoadingIT {
    static final String JDK25 = System.getProperty("jselect.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    static Path dir;
    /** slf4j-simple alone, apart from {@link #dir}: only the fallback tests put a logging binding in. */
    @TempDir
    static Path bindingDir;
    static Path jar;
    static String classPath;
    static Path binding;

    @BeforeAll
    static void copyTheJarAndItsDependencies() throws IOException {
        Path built = Path.of(System.getProperty("jselect.test.jar"));
        jar = Files.copy(built, dir.resolve("jselect.jar"));
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("jna-") || name.startsWith("slf4j-api-")) {
                entries.add(Files.copy(Path.of(entry), dir.resolve(name)).toString());
            } else if (name.startsWith("slf4j-simple-")) {
                binding = Files.copy(Path.of(entry), bindingDir.resolve(name));
            }
        }
        assertTrue(binding != null, "slf4j-simple is a test dependency");
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
        assertTrue(r.out.startsWith("jselect platform: linux-x86_64 (glibc: "), r.out);
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

    /** Where no library is bundled, the error names the platform detected and the resource looked for. */
    @Test
    void anArchitectureWithoutALibraryIsNamedWithWhatWasLookedFor() throws Exception {
        Run r = run(currentJava(), "-Dos.arch=riscv64", "-Djselect.backend=jni", "-cp", classPath, "io.jselect.JSelect");
        assertEquals(1, r.exit, r.out + r.err);
        assertTrue(r.err.contains("could not load libjselect.so for linux-riscv64 (glibc: "), r.err);
        assertTrue(r.err.contains("jar resource /META-INF/native/linux-riscv64/libjselect.so: not in the jar"), r.err);
    }

    /** The ELF machine of each platform directory's library (e_machine, at offset 18). */
    static final Map<String, Integer> MACHINES = Map.of(
            "linux-x86_64", 62, "linux-x86_64-musl", 62, "linux-aarch64", 183, "linux-aarch64-musl", 183);

    /**
     * The jar holds a library for each platform it is built for (all four unless -Djselect.natives=host),
     * each an ELF shared object of its directory's machine, linked against its directory's C library: glibc's
     * carry GLIBC_ symbol versions, musl's none. (The build itself checks this more closely, with readelf,
     * before the jar is made: cmake/check_library.cmake.)
     */
    @Test
    void theJarHoldsALibraryForEachPlatformOfTheBuild() throws Exception {
        List<String> expected = "host".equals(System.getProperty("jselect.natives"))
                ? List.of("linux-x86_64")
                : List.of("linux-aarch64", "linux-aarch64-musl", "linux-x86_64", "linux-x86_64-musl");
        List<String> found = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                Matcher m = Pattern.compile("META-INF/native/([^/]+)/libjselect\\.so").matcher(e.getName());
                if (!m.matches()) {
                    continue;
                }
                String platform = m.group(1);
                found.add(platform);
                byte[] elf;
                try (InputStream in = zip.getInputStream(e)) {
                    elf = in.readAllBytes();
                }
                ByteBuffer header = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(0x464c457f, header.getInt(0), platform + ": ELF magic");
                assertEquals(3, header.getShort(16), platform + ": ET_DYN, a shared object");
                assertEquals(MACHINES.get(platform), (int) header.getShort(18), platform + ": e_machine");
                boolean glibcVersions = new String(elf, StandardCharsets.ISO_8859_1).contains("GLIBC_2.");
                assertEquals(!platform.endsWith("-musl"), glibcVersions, platform + ": linked against glibc");
            }
        }
        Collections.sort(found);
        assertEquals(expected, found);
    }

    /**
     * {@code java -jar jselect.jar} on Debian's arm64 JDK under qemu-user: the self-check detects
     * linux-aarch64 and loads that library from inside the jar (all four are there).
     */
    @Test
    void theSelfCheckOnAnArm64JvmLoadsTheAarch64Library() throws Exception {
        assumeTrue(!"host".equals(System.getProperty("jselect.natives")), "built with -Djselect.natives=host");
        Run r = run(System.getProperty("jselect.test.qemu.java"), "-jar", jar.toString());
        assertEquals(0, r.exit, "stdout: " + r.out + "\nstderr: " + r.err);
        assertTrue(r.out.startsWith("jselect platform: linux-aarch64 (glibc: "), r.out);
        assertTrue(r.out.contains("jselect backend: jni (jar resource /META-INF/native/linux-aarch64/libjselect.so "
                + "extracted to "), r.out);
        assertTrue(r.out.contains("select: ok, poll: ok, epoll: ok"), r.out);
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

    private static void assertEmpty(Path directory) throws IOException {
        try (Stream<Path> left = Files.list(directory)) {
            assertEquals(List.of(), left.toList(), "nothing left in " + directory);
        }
    }

    /**
     * Issue 10: in a jselect.tmpdir that others could write and that was not sticky, another user swapped
     * the directory jselect had just created, and their library ran inside the JVM. Such a directory is
     * refused, and JNA takes over, with the reason in its one warning; a sticky one (like /tmp) is fine.
     */
    @Test
    void aTmpdirOthersCanWriteIsRefusedUnlessSticky(@TempDir Path tmp) throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777);
        String why = "will not extract into jselect.tmpdir " + open + ": it is writable by others (mode 777) and not sticky";
        Run refused = run(currentJava(), "-Djselect.backend=jni", "-Djselect.tmpdir=" + open, "-cp", classPath,
                "io.jselect.JSelect");
        assertEquals(1, refused.exit, refused.out + refused.err);
        assertTrue(refused.err.contains(why), refused.err);
        assertEmpty(open);
        Run fellBack = run(currentJava(), "-Djselect.tmpdir=" + open, "-cp", classPath + File.pathSeparator + binding,
                "io.jselect.JSelect");
        assertEquals(0, fellBack.exit, fellBack.out + fellBack.err);
        assertTrue(fellBack.out.contains("jselect backend: jna (JNA "), fellBack.out);
        assertTrue(fellBack.err.lines().anyMatch(line -> line.contains(" WARN ") && line.contains("using the JNA backend"))
                && fellBack.err.contains(why), fellBack.err);

        Files.setAttribute(open, "unix:mode", 01777);
        Run sticky = run(currentJava(), "-Djselect.tmpdir=" + open, "-cp", classPath, "io.jselect.JSelect");
        assertRoundTrip(sticky);
        assertTrue(sticky.out.contains(open + "/jselect-"), sticky.out);
        assertEmpty(open);
    }

    /** A copy of the jar with one entry replaced, or dropped when {@code content} is null. */
    private static Path alteredJar(Path to, String entry, byte[] content) throws IOException {
        boolean found = false;
        try (var zip = new java.util.zip.ZipInputStream(Files.newInputStream(jar));
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] bytes = zip.readAllBytes();
                if (e.getName().equals(entry)) {
                    found = true;
                    if (content == null) {
                        continue;
                    }
                    bytes = content;
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertTrue(found, entry + " is in the jar");
        return to;
    }

    private static byte[] entry(String name) throws IOException {
        try (var zip = new java.util.zip.ZipInputStream(Files.newInputStream(jar))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new AssertionError(name + " is not in the jar");
    }

    /**
     * The library is loaded only if the SHA-256 of the extracted file matches the digest built into the
     * jar beside it: an altered library, an altered digest or a missing one is refused, and with no
     * backend insisted on, JNA takes over with the reason in its warning.
     */
    @Test
    void aLibraryThatDoesNotMatchTheJarsDigestIsNeverLoaded(@TempDir Path tmp) throws Exception {
        String library = "META-INF/native/linux-x86_64/libjselect.so";
        byte[] flipped = entry(library);
        flipped[flipped.length - 1] ^= 1; // the section header table's end: still a loadable library
        Map<String, Path> jars = new LinkedHashMap<>();
        jars.put("its SHA-256 is ", alteredJar(tmp.resolve("library.jar"), library, flipped));
        jars.put("the jar's digest says " + "0".repeat(64),
                alteredJar(tmp.resolve("digest.jar"), library + ".sha256", ("0".repeat(64) + "  libjselect.so\n").getBytes(StandardCharsets.US_ASCII)));
        jars.put("the jar has no libjselect.so.sha256 beside it", alteredJar(tmp.resolve("none.jar"), library + ".sha256", null));
        Path extractTo = Files.createDirectory(tmp.resolve("extract"));
        for (Map.Entry<String, Path> altered : jars.entrySet()) {
            String cp = classPath.replace(jar.toString(), altered.getValue().toString());
            Run r = run(currentJava(), "-Djselect.backend=jni", "-Djselect.tmpdir=" + extractTo, "-cp", cp, "io.jselect.JSelect");
            assertEquals(1, r.exit, altered.getValue() + ": " + r.out + r.err);
            assertTrue(r.err.contains("jar resource /" + library + ": ") && r.err.contains(altered.getKey()),
                    altered.getValue() + ": " + r.err);
            assertEmpty(extractTo);
        }
        String cp = classPath.replace(jar.toString(), jars.get("its SHA-256 is ").toString()) + File.pathSeparator + binding;
        Run fellBack = run(currentJava(), "-Djselect.tmpdir=" + extractTo, "-cp", cp, "io.jselect.JSelect");
        assertEquals(0, fellBack.exit, fellBack.out + fellBack.err);
        assertTrue(fellBack.out.contains("jselect backend: jna (JNA "), fellBack.out);
        assertTrue(fellBack.err.contains("(a damaged or altered jar)"), fellBack.err);
    }

    /** What {@code -Djselect.library.path} and {@code -Djselect.tmpdir} leave JNI: every attempt fails. */
    static List<String> withoutTheJniLibrary() {
        return List.of("-Djselect.library.path=" + dir.resolve("no-such-library.so"), "-Djselect.tmpdir=/proc");
    }

    static void assertFellBackToJna(Run r) {
        assertEquals(0, r.exit, "stdout: " + r.out + "\nstderr: " + r.err);
        assertTrue(r.out.contains("jselect backend: jna (JNA "), r.out);
        assertTrue(r.out.contains("select: ok, poll: ok, epoll: ok"), r.out);
        List<String> warnings = r.err.lines().filter(line -> line.contains(" WARN ")).toList();
        assertEquals(1, warnings.size(), "exactly one warning: " + r.err);
        assertTrue(warnings.get(0).contains("jselect: using the JNA backend because the JNI library could not load"),
                warnings.get(0));
        assertTrue(r.err.contains("cannot create a private directory in /proc"), "the warning names the cause: " + r.err);
    }

    @Test
    void fallsBackToJnaWithOneWarningWhenTheJniLibraryCannotLoad() throws Exception {
        List<String> args = new ArrayList<>(withoutTheJniLibrary());
        args.addAll(List.of("-cp", classPath + File.pathSeparator + binding, "io.jselect.JSelect"));
        assertFellBackToJna(run(currentJava(), args.toArray(String[]::new)));
    }

    /**
     * A library whose natives cannot bind (here, one from another jselect version: RegisterNatives throws
     * {@code NoSuchMethodError} out of {@code System.load}) is reported among the attempts like one that
     * cannot load: the loader moves on to the next place, and when none is left, falls back to JNA.
     */
    @Test
    void aLibraryWhoseNativesCannotBindIsPassedOverOrFallsBackToJna() throws Exception {
        Path stale = Path.of(System.getProperty("jselect.test.support"), "libjselect_stale.so");
        assertTrue(Files.isRegularFile(stale), stale + " is built by CMake");

        Run fallback = run(currentJava(), "-Djselect.library.path=" + stale, "-Djselect.tmpdir=/proc",
                "-cp", classPath + File.pathSeparator + binding, "io.jselect.JSelect");
        assertFellBackToJna(fallback);
        assertTrue(fallback.err.contains("jselect.library.path: " + stale
                + ": loaded, but its natives could not bind: java.lang.NoSuchMethodError"), fallback.err);

        Run next = run(currentJava(), "-Djselect.library.path=" + stale, "-cp", classPath, "io.jselect.JSelect");
        assertRoundTrip(next);
        assertEquals("", next.err, "the attempt that failed is not worth a warning when the next one works");
    }

    /** module-info says {@code requires static com.sun.jna}: on the module path JNA is there when asked for. */
    @Test
    void fallsBackToJnaOnTheModulePathWhenJnaIsAdded() throws Exception {
        List<String> args = new ArrayList<>(withoutTheJniLibrary());
        args.addAll(List.of("-p", dir + File.pathSeparator + bindingDir, "--add-modules", "com.sun.jna",
                "-m", "io.jselect/io.jselect.JSelect"));
        assertFellBackToJna(run(currentJava(), args.toArray(String[]::new)));

        List<String> without = new ArrayList<>(withoutTheJniLibrary());
        without.addAll(List.of("-p", dir.toString(), "-m", "io.jselect/io.jselect.JSelect"));
        Run r = run(currentJava(), without.toArray(String[]::new));
        assertEquals(1, r.exit, r.out + r.err);
        assertTrue(r.err.contains("--add-modules com.sun.jna"), r.err);
    }

    /** A program that hands select a JDK channel and prints what happens. */
    static final String CHANNEL_PROBE = """
            import java.nio.channels.Pipe;
            import java.util.List;

            public class ChannelProbe {
                public static void main(String[] args) throws Exception {
                    Pipe pipe = Pipe.open();
                    try {
                        io.jselect.Select.select(List.of(pipe.source()), List.of(pipe.sink()), List.of(), 0.0);
                        System.out.println(io.jselect.JSelect.backend() + ": select accepted a JDK channel");
                    } catch (IllegalArgumentException e) {
                        System.out.println(io.jselect.JSelect.backend() + ": " + e);
                    }
                }
            }
            """;

    /**
     * The documented difference between the backends: JNI reads a JDK object's descriptor without
     * {@code --add-opens}; JNA needs it, and says which flag, for the class path and the module path.
     */
    @Test
    void withoutAddOpensJnaNamesTheFlagForAJdkChannel(@TempDir Path probe) throws Exception {
        Path source = Files.writeString(probe.resolve("ChannelProbe.java"), CHANNEL_PROBE);
        Run javac = run(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-cp", classPath, "-d", probe.toString(), source.toString());
        assertEquals(0, javac.exit, javac.err);
        String cp = classPath + File.pathSeparator + probe;

        Run jna = run(currentJava(), "-Djselect.backend=jna", "-cp", cp, "ChannelProbe");
        assertEquals(0, jna.exit, jna.err);
        assertTrue(jna.out.contains("jna: java.lang.IllegalArgumentException: the JNA backend cannot read the file "
                + "descriptor of sun.nio.ch.SourceChannelImpl"), jna.out);
        assertTrue(jna.out.contains("run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens "
                + "java.base/java.io=ALL-UNNAMED (or use the JNI backend)"), jna.out);

        Run opened = run(currentJava(), "-Djselect.backend=jna", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/java.io=ALL-UNNAMED", "-cp", cp, "ChannelProbe");
        assertTrue(opened.out.contains("jna: select accepted a JDK channel"), opened.out + opened.err);
        Run jni = run(currentJava(), "-cp", cp, "ChannelProbe");
        assertTrue(jni.out.contains("jni: select accepted a JDK channel"), jni.out + jni.err);

        Run module = run(currentJava(), "-Djselect.backend=jna", "-p", dir.toString(),
                "--add-modules", "io.jselect,com.sun.jna", "-cp", probe.toString(), "ChannelProbe");
        assertTrue(module.out.contains("run with --add-opens java.base/sun.nio.ch=io.jselect --add-opens "
                + "java.base/java.io=io.jselect (or use the JNI backend)"), module.out + module.err);
    }
}
