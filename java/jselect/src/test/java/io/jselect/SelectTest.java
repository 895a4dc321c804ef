package io.jselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.testing.Fixtures.PipePair;
import io.jselect.testing.Fixtures.TcpPair;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Select.select: Python's select.select() semantics (CPython's test_select), beyond the shared contract. */
class SelectTest {
    @Test
    void resultHoldsTheCallersObjectsInArgumentOrderWithDuplicates() throws Exception {
        try (PipePair a = new PipePair(); PipePair b = new PipePair()) {
            a.write("x");
            b.write("y");
            FileNo fa = () -> a.r;
            Integer fb = b.r;
            List<Object> inputs = List.of(fb, fa, fb, fa);
            SelectResult<Object> r = Select.select(inputs, List.of(), List.of(), 0.0);
            assertEquals(List.of(fb, fa, fb, fa), r.readable());
            assertTrue(r.readable().get(1) == fa, "the same object, not an equal one");
            assertEquals(List.of(), r.writable());
        }
    }

    @Test
    void threeListsAreIndependent() throws Exception {
        try (PipePair p = new PipePair()) {
            SelectResult<Integer> r = Select.select(List.of(p.r, p.w), List.of(p.r, p.w), List.of(p.r, p.w), 0.0);
            assertEquals(List.of(), r.readable());
            assertEquals(List.of(p.w), r.writable());
            assertEquals(List.of(), r.exceptional());
        }
    }

    @Test
    void emptyListsSleepForTheTimeout() throws Exception {
        long start = System.nanoTime();
        SelectResult<Object> r = Select.select(List.of(), List.of(), List.of(), 0.05);
        assertTrue(r.isEmpty());
        assertTrue(System.nanoTime() - start >= 50_000_000L);
    }

    @Test
    void integerTimeoutAndDurationAndNullTimeout() throws Exception {
        try (PipePair p = new PipePair()) {
            p.write("x");
            assertEquals(List.of(p.r), Select.select(List.of(p.r), List.of(), List.of(), 1).readable());
            assertEquals(List.of(p.r), Select.select(List.of(p.r), List.of(), List.of(), Duration.ofMillis(10)).readable());
            assertEquals(List.of(p.r), Select.select(List.of(p.r), List.of(), List.of(), (Double) null).readable());
            assertEquals(List.of(p.r), Select.select(List.of(p.r), List.of(), List.of()).readable());
            long start = System.nanoTime();
            assertTrue(Select.select(List.of(p.w), List.of(), List.of(), Duration.ofMillis(30)).isEmpty());
            assertTrue(System.nanoTime() - start >= 30_000_000L);
        }
    }

    @Test
    void negativeOrNanTimeoutIsRejected() throws Exception {
        try (PipePair p = new PipePair()) {
            List<Integer> in = List.of(p.r);
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> Select.select(in, List.of(), List.of(), -1));
            assertTrue(negative.getMessage().contains("timeout must be non-negative"), negative.getMessage());
            assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                    () -> Select.select(in, List.of(), List.of(), Double.NaN));
            assertTrue(nan.getMessage().contains("timeout must be non-negative"), nan.getMessage());
            assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> Select.select(in, List.of(), List.of(), Duration.ofMillis(-1)));
        }
    }

    @Test
    void negativeDescriptorIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Select.select(List.of(-1), List.of(), List.of(), 0.0));
        assertEquals("file descriptor cannot be a negative integer (-1)", e.getMessage());
        FileNo closedSocket = () -> -1;
        assertThrows(IllegalArgumentException.class, () -> Select.select(List.of(), List.of(closedSocket), List.of(), 0.0));
    }

    @Test
    void objectsWithoutDescriptorAreRejectedNamingTheirClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Select.select(List.of("not a file"), List.of(), List.of(), 0.0));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Select.select(Arrays.asList((Object) null), List.of(), List.of(), 0.0));
        IllegalArgumentException nullList = assertThrows(IllegalArgumentException.class,
                () -> Select.select(null, List.of(), List.of(), 0.0));
        assertTrue(nullList.getMessage().contains("inputs"), nullList.getMessage());
    }

    @Test
    void closedDescriptorIsErrno9() throws Exception {
        PipePair p = new PipePair();
        p.close();
        BadFileDescriptorException e = assertThrows(BadFileDescriptorException.class,
                () -> Select.select(List.of(p.r), List.of(), List.of(), 0.0));
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().contains("[Errno 9] Bad file descriptor"), e.getMessage());
        assertTrue(e.getMessage().startsWith("select"), e.getMessage());
    }

    @Test
    void closedDescriptorFarPastTheFdTableIsErrno9NotIdle() {
        assertThrows(BadFileDescriptorException.class, () -> Select.select(List.of(19_999), List.of(), List.of(), 0.0));
    }

    @Test
    void urgentDataIsExceptional() throws Exception {
        try (TcpPair t = new TcpPair()) {
            assertTrue(Select.select(List.of(), List.of(), List.of(t.server), 0.0).exceptional().isEmpty());
            t.client.socket().sendUrgentData('!');
            assertEquals(List.of(t.server), Select.select(List.of(), List.of(), List.of(t.server), 2.0).exceptional());
        }
    }

    @Test
    void fileDescriptorObjectsWork(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data");
        Files.writeString(file, "hello");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            FileDescriptor fd = in.getFD();
            // Regular files are always ready, as select(2) defines.
            assertEquals(List.of(fd), Select.select(List.of(fd), List.of(), List.of(), 0.0).readable());
            assertEquals(List.of(in), Select.select(List.of(in), List.of(), List.of(), 0.0).readable());
        }
        // FileDescriptor.in resolves to descriptor 0 (whether it is ready depends on the test runner).
        Select.select(List.of(FileDescriptor.in), List.of(), List.of(), 0.0);
        assertEquals(0, io.jselect.internal.Fds.fileno(FileDescriptor.in));
        assertEquals(1, io.jselect.internal.Fds.fileno(FileDescriptor.out));
    }

    @Test
    void closedFileDescriptorObjectIsRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data");
        Files.writeString(file, "hello");
        FileInputStream in = new FileInputStream(file.toFile());
        in.close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Select.select(List.of(in.getFD()), List.of(), List.of(), 0.0));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void listIsSnapshotBeforeWaiting() throws Exception {
        try (PipePair p = new PipePair()) {
            p.write("x");
            List<Integer> inputs = new ArrayList<>(List.of(p.r));
            SelectResult<Integer> r = Select.select(inputs, List.of(), List.of(), 0.0);
            inputs.clear();
            assertEquals(List.of(p.r), r.readable());
            assertThrows(UnsupportedOperationException.class, () -> r.readable().add(1));
        }
    }

    @Test
    void readyPipeInBlockingSelectDoesNotWait() throws Exception {
        try (PipePair p = new PipePair()) {
            p.write("x");
            long start = System.nanoTime();
            assertEquals(List.of(p.r), Select.select(List.of(p.r), List.of(), List.of()).readable());
            assertTrue(System.nanoTime() - start < 1_000_000_000L);
        }
    }
}
