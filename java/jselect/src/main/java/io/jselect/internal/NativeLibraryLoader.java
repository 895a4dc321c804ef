package io.jselect.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads libjselect.so, trying in order:
 * <ol>
 *   <li>the {@code jselect.library.path} system property: a file, or a directory (or a
 *       {@link File#pathSeparator}-separated list of them) holding {@code libjselect.so};</li>
 *   <li>{@code java.library.path}, through {@link System#loadLibrary};</li>
 *   <li>the copy inside the jar, {@code META-INF/native/<os>-<arch>[-musl]/libjselect.so} for the
 *       {@link Platform} this JVM runs on, extracted into a
 *       freshly created directory with an unpredictable name and owner-only permissions under
 *       {@code jselect.tmpdir} (default {@code java.io.tmpdir}), and deleted again as soon as it is
 *       loaded: a mapped library needs no file, and nothing is left behind even if the JVM is killed.</li>
 * </ol>
 * If nothing loads, one {@link UnsatisfiedLinkError} lists every attempt and why it failed.
 *
 * <p>The extraction defends against other local users, who share the temporary directory (issue 10:
 * with a {@code jselect.tmpdir} that others could write and that was not sticky, one of them swapped the
 * fresh directory and their library ran inside the JVM). It refuses a {@code jselect.tmpdir} that, or any
 * directory above which, another user owns or others can write without the sticky bit (so that nobody
 * else can rename or replace what it creates there); checks the private directory's owner, mode and
 * identity after creating it and again right before loading; creates the file exclusively (never
 * through a planted link); and loads it only if the SHA-256 of the very file on disk matches the digest
 * built into the jar beside the library ({@code libjselect.so.sha256}). The README's "Loading the native
 * library" states what this covers and what it does not.
 */
final class NativeLibraryLoader {
    static final String LIBRARY = "jselect";
    static final String FILE_NAME = System.mapLibraryName(LIBRARY);
    /** The digest's file beside the library in the jar: sha256sum's format, written by CMake. */
    static final String DIGEST_SUFFIX = ".sha256";
    private static final int S_ISVTX = 01000;
    private static final int S_IWGRP = 020;
    private static final int S_IWOTH = 02;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;

    private final List<String> attempts = new ArrayList<>();

    private NativeLibraryLoader() {
    }

    /**
     * Loads the library and checks its ABI version.
     *
     * @return where it was loaded from
     * @throws UnsatisfiedLinkError listing every attempt when none succeeded
     */
    static String load() {
        return new NativeLibraryLoader().loadFirst();
    }

    /** The jar directory of this platform's library, e.g. {@code linux-x86_64} or {@code linux-aarch64-musl}. */
    static String platform() {
        return Platform.current().directory();
    }

    private String loadFirst() {
        String property = System.getProperty("jselect.library.path");
        if (property != null && !property.isBlank()) {
            for (String entry : property.split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path path = Path.of(entry);
                Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
                String source = "jselect.library.path: " + file;
                if (!Files.exists(file)) {
                    attempts.add(source + ": no such file");
                } else if (tryLoad(source, () -> System.load(file.toAbsolutePath().toString()))) {
                    return file.toString();
                }
            }
        } else {
            attempts.add("jselect.library.path: not set");
        }

        if (tryLoad("java.library.path (" + System.getProperty("java.library.path") + ")",
                () -> System.loadLibrary(LIBRARY))) {
            return "java.library.path";
        }

        String resource = "/META-INF/native/" + platform() + "/" + FILE_NAME;
        String extracted = extractAndLoad(resource);
        if (extracted != null) {
            return extracted;
        }
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                "could not load " + FILE_NAME + " for " + Platform.current() + "; tried:\n  - "
                        + String.join("\n  - ", attempts));
        throw error;
    }

    private String extractAndLoad(String resource) {
        String source = "jar resource " + resource;
        byte[] library;
        String digest;
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream(resource);
                InputStream sum = NativeLibraryLoader.class.getResourceAsStream(resource + DIGEST_SUFFIX)) {
            if (in == null) {
                attempts.add(source + ": not in the jar (no bundled library for " + platform() + ")");
                return null;
            }
            if (sum == null) {
                attempts.add(source + ": the jar has no " + FILE_NAME + DIGEST_SUFFIX + " beside it to verify it by");
                return null;
            }
            library = in.readAllBytes();
            digest = parseDigest(sum.readAllBytes());
        } catch (IOException e) {
            attempts.add(source + ": " + e);
            return null;
        }
        String damaged = mismatch(library, digest);
        if (damaged != null) {
            attempts.add(source + ": " + damaged + " (a damaged or altered jar)");
            return null;
        }
        String tmp = System.getProperty("jselect.tmpdir", System.getProperty("java.io.tmpdir"));
        PrivateDirectory dir;
        try {
            Path base = Path.of(tmp).toRealPath();
            int uid = processUid();
            String unsafe = whyUnsafe(base, uid);
            if (unsafe != null) {
                attempts.add(source + ": will not extract into jselect.tmpdir " + tmp + ": " + unsafe
                        + "; set -Djselect.tmpdir to a directory only this user can write, or a sticky one such as /tmp");
                return null;
            }
            dir = PrivateDirectory.create(base, uid);
        } catch (IOException | RuntimeException e) {
            attempts.add(source + ": cannot create a private directory in " + tmp + ": " + e);
            return null;
        }
        Path file = dir.path.resolve(FILE_NAME);
        String what = source + " extracted to " + file;
        try (dir) {
            dir.write(FILE_NAME, library);
            // The exact file about to be loaded, in the directory as it was created, right before loading.
            dir.checkUnchanged();
            String changed = mismatch(dir.read(FILE_NAME), digest);
            if (changed != null) {
                attempts.add(what + ": " + changed + " on disk, after extraction");
                return null;
            }
            return tryLoad(what, () -> System.load(file.toString())) ? what : null;
        } catch (IOException e) {
            attempts.add(what + ": " + e);
            return null;
        }
    }

    /** The hex digest at the start of a {@code .sha256} file, or {@code null} when it holds none. */
    static String parseDigest(byte[] file) {
        String text = new String(file, StandardCharsets.US_ASCII).trim();
        String hex = text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return hex.matches("[0-9a-f]{64}") ? hex : null;
    }

    /**
     * Checks bytes against a digest.
     *
     * @param expected the hex digest, or {@code null} when the jar's digest file was malformed
     * @return {@code null} when they match, else what is wrong
     */
    static String mismatch(byte[] bytes, String expected) {
        if (expected == null) {
            return "its digest file " + FILE_NAME + DIGEST_SUFFIX + " holds no SHA-256";
        }
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            return "no SHA-256 in this JDK to verify it by";
        }
        return actual.equals(expected) ? null : "its SHA-256 is " + actual + ", the jar's digest says " + expected;
    }

    /** The user this process creates files as: the filesystem uid of /proc/self/status. */
    static int processUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+"); // real, effective, saved, filesystem
                return Integer.parseInt(ids[3]);
            }
        }
        throw new IOException("no Uid line in /proc/self/status");
    }

    /**
     * Why a directory is no safe place to create the private one in, or {@code null} if it is: it, or a
     * directory above it, belongs to another user than {@code uid} and root, or others can write it and
     * it is not sticky. Any of those could rename or replace what this process creates there.
     *
     * @param dir a real path (no symbolic links in it)
     */
    static String whyUnsafe(Path dir, int uid) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            Map<String, Object> attributes = Files.readAttributes(p, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            int owner = (Integer) attributes.get("uid");
            String what = p.equals(dir) ? "it" : p + ", a directory above it,";
            if (owner != 0 && owner != uid) {
                return what + " belongs to uid " + owner + ", who could replace what jselect creates in it";
            }
            if ((mode & (S_IWGRP | S_IWOTH)) != 0 && (mode & S_ISVTX) == 0) {
                return what + " is writable by others (mode " + Integer.toOctalString(mode & 07777)
                        + ") and not sticky, so they could swap the directory jselect creates in it";
            }
        }
        return null;
    }

    /**
     * A directory only this process's user can enter or change, created fresh with an unpredictable name,
     * checked after creating it and again before its file is used, and deleted on close with what it holds.
     */
    static final class PrivateDirectory implements AutoCloseable {
        final Path path;
        private final int uid;
        private final Object identity;
        private final List<Path> files = new ArrayList<>();

        private PrivateDirectory(Path path, int uid, Object identity) {
            this.path = path;
            this.uid = uid;
            this.identity = identity;
        }

        /** mkdir(2) with mode 0700 (a umask can only take bits away), then checks what was made. */
        static PrivateDirectory create(Path base, int uid) throws IOException {
            Path path = Files.createTempDirectory(base, "jselect-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            PrivateDirectory dir = new PrivateDirectory(path, uid,
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
            try {
                dir.checkUnchanged();
            } catch (IOException e) {
                deleteQuietly(path); // rmdir: only an empty directory, never through a link
                throw e;
            }
            return dir;
        }

        /**
         * Fails unless the path still names the directory created: the same file (device and inode), a
         * directory and no link, owned by this user, mode 0700.
         */
        void checkUnchanged() throws IOException {
            Map<String, Object> now = Files.readAttributes(path, "unix:mode,uid,fileKey", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) now.get("mode");
            int owner = (Integer) now.get("uid");
            if (!identity.equals(now.get("fileKey")) || (mode & S_IFMT) != S_IFDIR || owner != uid
                    || (mode & 07777) != 0700) {
                throw new IOException(path + " is not the private directory jselect created (owner uid " + owner
                        + ", mode " + Integer.toOctalString(mode) + ", " + (identity.equals(now.get("fileKey"))
                                ? "the same file" : "another file") + "): refusing to use it");
            }
        }

        /** Creates a file in it, exclusively (never through a link someone planted), readable by its owner. */
        void write(String name, byte[] bytes) throws IOException {
            Path file = path.resolve(name);
            try (SeekableByteChannel out = Files.newByteChannel(file,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")))) {
                files.add(file);
                ByteBuffer data = ByteBuffer.wrap(bytes);
                while (data.hasRemaining()) {
                    out.write(data);
                }
            }
        }

        /** Reads a file of it back, refusing anything but a regular file of this user. */
        byte[] read(String name) throws IOException {
            Path file = path.resolve(name);
            Map<String, Object> attributes = Files.readAttributes(file, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            if (((Integer) attributes.get("mode") & S_IFMT) != S_IFREG || (Integer) attributes.get("uid") != uid) {
                throw new IOException(file + " is not the file jselect wrote: refusing to load it");
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                return in.readAllBytes();
            }
        }

        @Override
        public void close() {
            for (Path file : files) {
                deleteQuietly(file);
            }
            deleteQuietly(path);
        }
    }

    private boolean tryLoad(String source, Runnable load) {
        try {
            JniBinding.load(load);
        } catch (UnsatisfiedLinkError | SecurityException e) {
            attempts.add(source + ": " + explain(e.getMessage()));
            return false;
        } catch (LinkageError e) {
            // Its JNI_OnLoad failed to bind: a library from another jselect version, or a class missing.
            attempts.add(source + ": loaded, but its natives could not bind: " + e);
            return false;
        }
        try {
            int abi = Jni.abiVersion0();
            if (abi != Jni.ABI_VERSION) {
                attempts.add(source + ": loaded, but its ABI version is " + abi + ", expected "
                        + Jni.ABI_VERSION + " (a library from another jselect version)");
                return false;
            }
        } catch (LinkageError e) {
            attempts.add(source + ": loaded, but its natives are not bound: " + e);
            return false;
        }
        return true;
    }

    /** Adds the likely cause to the dynamic loader's terse messages. */
    private static String explain(String message) {
        if (message == null) {
            return "unknown error";
        }
        if (message.contains("failed to map segment") || message.contains("operation not permitted")) {
            return message + " (is the directory on a noexec mount? set jselect.tmpdir to another one)";
        }
        if (message.contains("wrong ELF class") || message.contains("ELF file's machine")) {
            return message + " (built for another architecture than " + platform() + ")";
        }
        if (message.contains("invalid ELF header") || message.contains("file too short")) {
            return message + " (not a shared library, or a damaged copy)";
        }
        return message;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A leftover in a private directory harms no one; the load result is what matters.
        }
    }
}
