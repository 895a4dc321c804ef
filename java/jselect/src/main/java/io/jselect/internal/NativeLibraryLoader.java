package io.jselect.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

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
 */
final class NativeLibraryLoader {
    static final String LIBRARY = "jselect";
    static final String FILE_NAME = System.mapLibraryName(LIBRARY);

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
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                attempts.add(source + ": not in the jar (no bundled library for " + platform() + ")");
                return null;
            }
            String tmp = System.getProperty("jselect.tmpdir", System.getProperty("java.io.tmpdir"));
            Path dir;
            try {
                dir = Files.createTempDirectory(Path.of(tmp), "jselect-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException | UnsupportedOperationException e) {
                attempts.add(source + ": cannot create a private directory in " + tmp + ": " + e);
                return null;
            }
            Path file = dir.resolve(FILE_NAME);
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                String what = source + " extracted to " + file;
                return tryLoad(what, () -> System.load(file.toString())) ? what : null;
            } finally {
                deleteQuietly(file);
                deleteQuietly(dir);
            }
        } catch (IOException e) {
            attempts.add(source + ": " + e);
            return null;
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
