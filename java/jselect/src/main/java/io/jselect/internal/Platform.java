package io.jselect.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The platform whose native library the loader looks for, named as the jar's directories are:
 * {@code META-INF/native/<os>-<arch>[-musl]/}, e.g. {@code linux-x86_64} or {@code linux-aarch64-musl}.
 *
 * <p>The architecture comes from {@code os.arch}. The C library is the one this JVM runs on, told by
 * its dynamic loader: first the loader mapped into this process ({@code /proc/self/maps}), else the ELF
 * interpreter the JVM's executable names ({@code /proc/self/exe}); when neither answers, glibc is
 * assumed, and {@link #toString()} says so. Detected once, at first use.
 */
public final class Platform {
    /** The C library a native library is linked against; musl's has its own directory. */
    public enum Libc {
        GLIBC(""),
        MUSL("-musl");

        private final String suffix;

        Libc(String suffix) {
            this.suffix = suffix;
        }
    }

    /** musl's loader, which is also its libc ({@code libc.musl-<arch>.so.1} is Alpine's link to it). */
    private static final Pattern MUSL = Pattern.compile("(ld-musl-|libc\\.musl-)[^/]*\\.so\\.1");
    /** glibc's loader by any name it has had (ld-2.17.so on CentOS 7), or its libc. */
    private static final Pattern GLIBC =
            Pattern.compile("ld-linux[^/]*\\.so\\.\\d+|ld64\\.so\\.\\d+|ld-2\\.\\d+\\.so|libc\\.so\\.6|libc-2\\.\\d+\\.so");
    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final Path EXE = Path.of("/proc/self/exe");
    private static final int PT_INTERP = 3;

    private static final Platform CURRENT = detect();

    private final String os;
    private final String arch;
    private final Libc libc;
    private final String evidence;

    Platform(String os, String arch, Libc libc, String evidence) {
        this.os = os;
        this.arch = arch;
        this.libc = libc;
        this.evidence = evidence;
    }

    /**
     * Returns the platform this JVM runs on.
     *
     * @return the platform, detected at first use
     */
    public static Platform current() {
        return CURRENT;
    }

    /**
     * Returns the operating system.
     *
     * @return {@code os.name} in lower case without punctuation, e.g. {@code linux}
     */
    public String os() {
        return os;
    }

    /**
     * Returns the CPU architecture.
     *
     * @return {@code x86_64} or {@code aarch64} for their several {@code os.arch} spellings, else
     *     {@code os.arch} in lower case
     */
    public String arch() {
        return arch;
    }

    /**
     * Returns the C library this JVM runs on.
     *
     * @return musl or glibc (glibc when nothing told)
     */
    public Libc libc() {
        return libc;
    }

    /**
     * Returns the jar directory of this platform's library.
     *
     * @return {@code <os>-<arch>}, with {@code -musl} on musl, e.g. {@code linux-aarch64-musl}
     */
    public String directory() {
        return os + "-" + arch + libc.suffix;
    }

    /** The directory and how the C library was told, e.g. {@code linux-x86_64 (glibc: /usr/lib/...)}. */
    @Override
    public String toString() {
        return directory() + " (" + libc.name().toLowerCase(Locale.ROOT) + ": " + evidence + ")";
    }

    private static Platform detect() {
        String os = os(System.getProperty("os.name", ""));
        String arch = arch(System.getProperty("os.arch", ""));
        try (BufferedReader maps = Files.newBufferedReader(MAPS, StandardCharsets.UTF_8)) {
            Optional<String> loader = loaderIn(maps);
            if (loader.isPresent()) {
                return new Platform(os, arch, libcOf(loader.get()).orElseThrow(), loader.get() + " in " + MAPS);
            }
        } catch (IOException | SecurityException e) {
            // Not readable here: the executable's interpreter is asked next.
        }
        try (InputStream exe = Files.newInputStream(EXE)) {
            Optional<String> interpreter = interpreter(exe.readNBytes(64 * 1024));
            Optional<Libc> libc = interpreter.flatMap(Platform::libcOf);
            if (libc.isPresent()) {
                return new Platform(os, arch, libc.get(), "the interpreter of " + EXE + ", " + interpreter.get());
            }
        } catch (IOException | SecurityException e) {
            // Neither could tell: glibc, the common case, is assumed below.
        }
        return new Platform(os, arch, Libc.GLIBC, "assumed, no dynamic loader found in " + MAPS + " or " + EXE);
    }

    /** {@code os.name} as a directory name: {@code Linux} gives {@code linux}. */
    static String os(String osName) {
        return osName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** {@code os.arch} as a directory name: the JDK's {@code amd64} is {@code x86_64}, {@code arm64} is {@code aarch64}. */
    static String arch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
            case "x86-64":
                return "x86_64";
            case "arm64":
            case "aarch64":
                return "aarch64";
            default:
                return arch;
        }
    }

    /** Which C library a loader or libc path belongs to, by its file name; empty when it is neither's. */
    static Optional<Libc> libcOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (MUSL.matcher(name).matches()) {
            return Optional.of(Libc.MUSL);
        }
        if (GLIBC.matcher(name).matches()) {
            return Optional.of(Libc.GLIBC);
        }
        return Optional.empty();
    }

    /**
     * The C library's loader among the files mapped into a process, from the lines of its
     * {@code /proc/<pid>/maps}: musl's when it is mapped (only one loader runs a process), else glibc's.
     */
    static Optional<String> loaderIn(BufferedReader maps) throws IOException {
        String glibc = null;
        for (String line = maps.readLine(); line != null; line = maps.readLine()) {
            // address perms offset dev inode path: the path is the sixth field, and may hold spaces.
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length < 6 || !fields[5].startsWith("/")) {
                continue;
            }
            Optional<Libc> libc = libcOf(fields[5]);
            if (libc.isPresent() && libc.get() == Libc.MUSL) {
                return Optional.of(fields[5]);
            }
            if (libc.isPresent() && glibc == null) {
                glibc = fields[5];
            }
        }
        return Optional.ofNullable(glibc);
    }

    /**
     * The program interpreter (PT_INTERP) an ELF executable names, from its first bytes; empty when
     * those are not ELF, or it names none (a static executable).
     */
    static Optional<String> interpreter(byte[] elf) {
        if (elf.length < 52 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            return Optional.empty();
        }
        boolean wide = elf[4] == 2; // ELFCLASS64
        ByteBuffer b = ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long phoff = wide ? b.getLong(0x20) : Integer.toUnsignedLong(b.getInt(0x1c));
        int phentsize = Short.toUnsignedInt(b.getShort(wide ? 0x36 : 0x2a));
        int phnum = Short.toUnsignedInt(b.getShort(wide ? 0x38 : 0x2c));
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at < 0 || at + (wide ? 56 : 32) > elf.length) {
                return Optional.empty();
            }
            int p = (int) at;
            if (b.getInt(p) != PT_INTERP) {
                continue;
            }
            long offset = wide ? b.getLong(p + 8) : Integer.toUnsignedLong(b.getInt(p + 4));
            long size = wide ? b.getLong(p + 32) : Integer.toUnsignedLong(b.getInt(p + 16));
            if (offset < 0 || size <= 1 || offset + size > elf.length) {
                return Optional.empty();
            }
            // The path is NUL-terminated within its segment.
            return Optional.of(new String(elf, (int) offset, (int) size - 1, StandardCharsets.ISO_8859_1));
        }
        return Optional.empty();
    }
}
