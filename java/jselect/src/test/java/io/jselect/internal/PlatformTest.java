package io.jselect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jselect.internal.Platform.Libc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the loader names this platform: architecture from os.arch, C library from the dynamic loader. */
class PlatformTest {
    @ParameterizedTest
    @CsvSource({"amd64, x86_64", "x86_64, x86_64", "x86-64, x86_64", "aarch64, aarch64", "arm64, aarch64",
            "AARCH64, aarch64", "riscv64, riscv64", "ppc64le, ppc64le"})
    void architectureNamesAreTheDirectoryNames(String osArch, String directory) {
        assertEquals(directory, Platform.arch(osArch));
    }

    @Test
    void operatingSystemNameIsLowerCaseWithoutPunctuation() {
        assertEquals("linux", Platform.os("Linux"));
        assertEquals("macosx", Platform.os("Mac OS X"));
    }

    @Test
    void directoryCarriesMuslOnlyForMusl() {
        assertEquals("linux-aarch64", new Platform("linux", "aarch64", Libc.GLIBC, "test").directory());
        assertEquals("linux-aarch64-musl", new Platform("linux", "aarch64", Libc.MUSL, "test").directory());
        assertEquals("linux-x86_64-musl (musl: test)", new Platform("linux", "x86_64", Libc.MUSL, "test").toString());
    }

    @ParameterizedTest
    @CsvSource({
        "/lib/ld-musl-x86_64.so.1, MUSL", // Alpine, and Debian's musl package
        "/lib/ld-musl-aarch64.so.1, MUSL",
        "/usr/lib/libc.musl-x86_64.so.1, MUSL",
        "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2, GLIBC", // Debian 12
        "/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1, GLIBC",
        "/usr/lib64/ld-2.17.so, GLIBC", // CentOS 7: the link's target is what is mapped
        "/usr/lib64/libc-2.17.so, GLIBC",
        "/lib64/ld64.so.2, GLIBC", // ppc64le
        "/usr/lib/x86_64-linux-gnu/libc.so.6, GLIBC"})
    void loaderNamesTellTheCLibrary(String path, Libc libc) {
        assertEquals(Optional.of(libc), Platform.libcOf(path));
    }

    @Test
    void otherFilesTellNothing() {
        assertEquals(Optional.empty(), Platform.libcOf("/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so"));
        assertEquals(Optional.empty(), Platform.libcOf("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"));
        assertEquals(Optional.empty(), Platform.libcOf("/tmp/ld-musl-x86_64.so.1.txt"));
    }

    static Optional<String> loaderIn(String maps) throws IOException {
        return Platform.loaderIn(new BufferedReader(new StringReader(maps)));
    }

    @Test
    void mapsOfAGlibcJvmShowGlibc() throws IOException {
        String maps = ""
                + "55d0c6a00000-55d0c6a01000 r--p 00000000 fe:01 1311 /usr/lib/jvm/java-17-openjdk-amd64/bin/java\n"
                + "7f1c2a000000-7f1c2a028000 r--p 00000000 fe:01 2002 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
                + "7f1c2a200000-7f1c2a201000 rw-p 00000000 00:00 0 \n"
                + "7f1c2a400000-7f1c2a401000 r--p 00000000 fe:01 2001 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
                + "7ffd6b1f0000-7ffd6b211000 rw-p 00000000 00:00 0                          [stack]\n";
        assertEquals(Optional.of("/usr/lib/x86_64-linux-gnu/libc.so.6"), loaderIn(maps));
    }

    @Test
    void mapsOfAMuslJvmShowMuslsLoader() throws IOException {
        // An Alpine JVM: musl's loader is its libc; gcompat's glibc names, if present, do not count.
        String maps = ""
                + "5621c4e00000-5621c4e01000 r--p 00000000 08:01 100 /usr/lib/jvm/java-17-openjdk/bin/java\n"
                + "7f52b1000000-7f52b1010000 r--p 00000000 08:01 201 /lib/libgcompat.so.0\n"
                + "7f52b1200000-7f52b1201000 r--p 00000000 08:01 202 /lib/libc.so.6\n"
                + "7f52b1400000-7f52b1414000 r--p 00000000 08:01 203 /lib/ld-musl-x86_64.so.1\n";
        assertEquals(Optional.of("/lib/ld-musl-x86_64.so.1"), loaderIn(maps));
    }

    @Test
    void pathsWithSpacesAndAnonymousMappingsAreRead() throws IOException {
        String maps = "7f0000000000-7f0000001000 r-xp 00000000 08:01 7 /opt/my jdk/lib/ld-musl-aarch64.so.1\n"
                + "7f0000002000-7f0000003000 rw-p 00000000 00:00 0\n";
        assertEquals(Optional.of("/opt/my jdk/lib/ld-musl-aarch64.so.1"), loaderIn(maps));
        assertEquals(Optional.empty(), loaderIn("7f0000002000-7f0000003000 rw-p 00000000 00:00 0 [heap]\n"));
    }

    /** A minimal ELF executable: the header, program headers of the given types, and the interpreter path. */
    static byte[] elf(boolean wide, ByteOrder order, String interpreter, int... types) {
        int ehsize = wide ? 64 : 52;
        int phentsize = wide ? 56 : 32;
        int pathAt = ehsize + phentsize * types.length;
        byte[] path = (interpreter + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(pathAt + path.length).order(order);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (wide ? 2 : 1), (byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1), 1});
        if (wide) {
            b.putLong(0x20, ehsize).putShort(0x36, (short) phentsize).putShort(0x38, (short) types.length);
        } else {
            b.putInt(0x1c, ehsize).putShort(0x2a, (short) phentsize).putShort(0x2c, (short) types.length);
        }
        for (int i = 0; i < types.length; i++) {
            int p = ehsize + i * phentsize;
            b.putInt(p, types[i]);
            if (wide) {
                b.putLong(p + 8, pathAt).putLong(p + 32, path.length);
            } else {
                b.putInt(p + 4, pathAt).putInt(p + 16, path.length);
            }
        }
        b.position(pathAt);
        b.put(path);
        return b.array();
    }

    @Test
    void interpreterIsReadFromTheProgramHeaders() {
        int load = 1;
        int interp = 3;
        int phdr = 6;
        assertEquals(Optional.of("/lib/ld-musl-aarch64.so.1"),
                Platform.interpreter(elf(true, ByteOrder.LITTLE_ENDIAN, "/lib/ld-musl-aarch64.so.1", phdr, interp, load)));
        assertEquals(Optional.of("/lib/ld-linux.so.2"),
                Platform.interpreter(elf(false, ByteOrder.LITTLE_ENDIAN, "/lib/ld-linux.so.2", interp)));
        assertEquals(Optional.of("/lib64/ld64.so.1"),
                Platform.interpreter(elf(true, ByteOrder.BIG_ENDIAN, "/lib64/ld64.so.1", load, interp)));
    }

    @Test
    void staticOrDamagedExecutablesNameNoInterpreter() {
        assertEquals(Optional.empty(), Platform.interpreter(elf(true, ByteOrder.LITTLE_ENDIAN, "", 1, 6)));
        byte[] truncated = elf(true, ByteOrder.LITTLE_ENDIAN, "/lib/ld-musl-x86_64.so.1", 3);
        assertEquals(Optional.empty(), Platform.interpreter(java.util.Arrays.copyOf(truncated, 80)));
        assertEquals(Optional.empty(), Platform.interpreter("#!/bin/sh\necho not an ELF file at all\n"
                .repeat(3).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void thisJvmsInterpreterIsTheLoaderItsMapsShow() throws IOException {
        Optional<String> interpreter = Platform.interpreter(Files.readAllBytes(Path.of("/proc/self/exe")));
        assertTrue(interpreter.isPresent(), "the JVM's launcher is a dynamic executable");
        assertEquals(Platform.libcOf(interpreter.get()), Optional.of(Platform.current().libc()), interpreter.get());
    }

    @Test
    void theJniBackendLoadedThisPlatformsLibraryFromTheJar() {
        assumeTrue(Syscalls.backend() instanceof JniBackend, "the JNI backend is in use");
        assumeTrue(System.getProperty("jselect.library.path") == null, "no library named outside the jar");
        String resource = "/META-INF/native/" + Platform.current().directory() + "/libjselect.so";
        assertTrue(Backends.loadedFrom().startsWith("jar resource " + resource + " extracted to "),
                Backends.loadedFrom());
    }

    @Test
    void thisPlatformIsDetectedFromThisProcess() {
        Platform here = Platform.current();
        assertEquals(Platform.arch(System.getProperty("os.arch")), here.arch());
        assertEquals("linux", here.os());
        // The suite runs on glibc JVMs (this machine's, and the arm64 one under qemu-user).
        assertEquals(Libc.GLIBC, here.libc(), here.toString());
        assertTrue(here.toString().contains(" in /proc/self/maps"), "told by the mapped loader: " + here);
    }
}
