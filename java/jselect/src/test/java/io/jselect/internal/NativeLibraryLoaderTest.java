package io.jselect.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.internal.NativeLibraryLoader.PrivateDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extraction's defences against other local users (issue 10), step by step: which temporary
 * directories it refuses, the private directory it makes and re-checks, the exclusive file, and the
 * SHA-256 check. {@code JarLoadingIT} runs the whole load from a jar in child JVMs.
 */
class NativeLibraryLoaderTest {
    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static Path directory(Path parent, String name, int mode) throws IOException {
        Path dir = Files.createDirectory(parent.resolve(name));
        Files.setAttribute(dir, "unix:mode", mode);
        assertEquals(mode, mode(dir), "set up " + dir);
        return dir;
    }

    @Test
    void theProcessUidIsTheOwnerOfWhatItCreates(@TempDir Path tmp) throws Exception {
        Path file = Files.createFile(tmp.resolve("mine"));
        assertEquals(Files.getAttribute(file, "unix:uid"), NativeLibraryLoader.processUid());
    }

    @Test
    void aDirectoryOthersCanWriteIsRefusedUnlessSticky(@TempDir Path tmp) throws Exception {
        int uid = NativeLibraryLoader.processUid();
        assertNull(NativeLibraryLoader.whyUnsafe(directory(tmp, "private", 0700), uid));
        assertNull(NativeLibraryLoader.whyUnsafe(directory(tmp, "readable", 0755), uid));
        assertNull(NativeLibraryLoader.whyUnsafe(directory(tmp, "sticky", 01777), uid), "like /tmp");
        assertEquals("it is writable by others (mode 777) and not sticky, so they could swap the directory jselect "
                + "creates in it", NativeLibraryLoader.whyUnsafe(directory(tmp, "open", 0777), uid));
        String group = NativeLibraryLoader.whyUnsafe(directory(tmp, "group", 0770), uid);
        assertTrue(group != null && group.contains("writable by others (mode 770)"), group);
        Path open = directory(tmp, "open-parent", 0777);
        Path below = directory(open, "below", 0700);
        String why = NativeLibraryLoader.whyUnsafe(below, uid);
        assertTrue(why != null && why.startsWith(open + ", a directory above it, is writable by others"), why);
    }

    @Test
    void aDirectoryAnotherUserOwnsIsRefused(@TempDir Path tmp) throws Exception {
        int uid = NativeLibraryLoader.processUid();
        Assumptions.assumeTrue(uid == 0, "giving a directory away takes root");
        Path theirs = directory(tmp, "theirs", 0755);
        Files.setAttribute(theirs, "unix:uid", 4242);
        assertEquals("it belongs to uid 4242, who could replace what jselect creates in it",
                NativeLibraryLoader.whyUnsafe(theirs, uid));
    }

    @Test
    void thePrivateDirectoryIsOwnerOnlyAndItsFileExclusive(@TempDir Path tmp) throws Exception {
        int uid = NativeLibraryLoader.processUid();
        byte[] bytes = "library bytes".getBytes(StandardCharsets.US_ASCII);
        Path path;
        try (PrivateDirectory dir = PrivateDirectory.create(tmp, uid)) {
            path = dir.path;
            assertEquals(tmp, path.getParent());
            assertTrue(path.getFileName().toString().startsWith("jselect-"), path.toString());
            assertEquals(0700, mode(path));
            assertEquals(uid, Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            dir.write("lib.so", bytes);
            assertEquals(0500, mode(path.resolve("lib.so")));
            assertArrayEquals(bytes, dir.read("lib.so"));
            dir.checkUnchanged();
            assertThrows(FileAlreadyExistsException.class, () -> dir.write("lib.so", bytes), "created exclusively");
            Files.createSymbolicLink(path.resolve("planted.so"), tmp.resolve("elsewhere.so"));
            assertThrows(FileAlreadyExistsException.class, () -> dir.write("planted.so", bytes),
                    "never written through a link");
            assertFalse(Files.exists(tmp.resolve("elsewhere.so")));
            Files.delete(path.resolve("planted.so"));
        }
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "deleted with its file on close");
    }

    /** Swapped for another directory of the same name, or opened up: refused before anything is loaded. */
    @Test
    void aSwappedOrOpenedPrivateDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        int uid = NativeLibraryLoader.processUid();
        try (PrivateDirectory dir = PrivateDirectory.create(tmp, uid)) {
            dir.write("lib.so", new byte[] {1});
            Path moved = Files.move(dir.path, tmp.resolve("moved"));
            Files.createDirectory(dir.path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            IOException e = assertThrows(IOException.class, dir::checkUnchanged);
            assertTrue(e.getMessage().contains("is not the private directory jselect created")
                    && e.getMessage().contains("another file"), e.getMessage());
            Files.delete(dir.path);
            Files.move(moved, dir.path);
            dir.checkUnchanged();
            Files.setAttribute(dir.path, "unix:mode", 0755);
            e = assertThrows(IOException.class, dir::checkUnchanged);
            assertTrue(e.getMessage().contains("mode 40755"), e.getMessage());
            Files.setAttribute(dir.path, "unix:mode", 0700);
            // The file replaced by a link to another: not read, so not loaded.
            Files.delete(dir.path.resolve("lib.so"));
            Files.createSymbolicLink(dir.path.resolve("lib.so"), Files.writeString(tmp.resolve("other.so"), "x"));
            e = assertThrows(IOException.class, () -> dir.read("lib.so"));
            assertTrue(e.getMessage().contains("is not the file jselect wrote"), e.getMessage());
        }
    }

    @Test
    void theDigestDecidesWhatIsLoaded() {
        byte[] library = "the library".getBytes(StandardCharsets.US_ASCII);
        // sha256sum's format, as CMake writes it
        String file = "5e5b7a8ec0b7ba7cf82fc8c5dc5ba55a3c1f3b9b9347bab0e3d0765d1cd56e0c  libjselect.so\n";
        String digest = NativeLibraryLoader.parseDigest(file.getBytes(StandardCharsets.US_ASCII));
        String actual = java.util.HexFormat.of().formatHex(sha256(library));
        assertEquals(null, NativeLibraryLoader.mismatch(library, actual));
        assertEquals("its SHA-256 is " + actual + ", the jar's digest says " + digest,
                NativeLibraryLoader.mismatch(library, digest));
        library[0] ^= 1;
        assertTrue(NativeLibraryLoader.mismatch(library, actual).startsWith("its SHA-256 is "));
        assertNull(NativeLibraryLoader.parseDigest("not a digest\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("its digest file libjselect.so.sha256 holds no SHA-256", NativeLibraryLoader.mismatch(library, null));
    }

    /** The build (CMake) wrote the digest of the very library the jar carries. */
    @Test
    void theBundledLibraryMatchesTheBundledDigest() throws Exception {
        String resource = "/META-INF/native/" + NativeLibraryLoader.platform() + "/" + NativeLibraryLoader.FILE_NAME;
        try (InputStream library = NativeLibraryLoader.class.getResourceAsStream(resource);
                InputStream digest = NativeLibraryLoader.class.getResourceAsStream(resource + NativeLibraryLoader.DIGEST_SUFFIX)) {
            assertTrue(library != null && digest != null, resource + " and its digest are on the class path");
            assertNull(NativeLibraryLoader.mismatch(library.readAllBytes(), NativeLibraryLoader.parseDigest(digest.readAllBytes())));
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
