package io.jselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.internal.Syscalls;
import io.jselect.testing.Fixtures.PipePair;
import java.io.FileOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Epoll: Python's select.epoll semantics (CPython's test_epoll), plus wakeup, close and zero allocation. */
class EpollTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void createAndCloseIsIdempotent() throws Exception {
        Epoll ep = Epoll.create();
        assertTrue(ep.fileno() > 2);
        assertFalse(ep.closed());
        ep.close();
        assertTrue(ep.closed());
        ep.close();
        assertTrue(ep.closed());
        try (Epoll hinted = Epoll.create(16, Epoll.EPOLL_CLOEXEC)) {
            assertFalse(hinted.closed());
        }
    }

    @Test
    void badConstructorArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Epoll.create(0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Epoll.create(-2, 0));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Epoll.create(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> Epoll.fromfd(-1));
    }

    /** Issue 10: a refused descriptor was closed (the caller's close then hit a reused number). */
    @Test
    void fromfdLeavesWhatItRefusesOpenAndNamesIt() throws Exception {
        try (PipePair p = new PipePair()) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> Epoll.fromfd(p.r));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals("fromfd(fd=" + p.r + "): [Errno 22] Invalid argument", e.getMessage());
            p.write("still open");
            assertEquals("still open", new String(Os.read(p.r, 64), java.nio.charset.StandardCharsets.UTF_8),
                    "the caller's descriptor is still the caller's");
        }
        // The lowest closed number would be the wakeup eventfd's: take one far above it.
        int gone;
        try (PipePair p = new PipePair()) {
            gone = io.jselect.internal.SocketCalls.fcntl(p.r, io.jselect.internal.SocketCalls.F_DUPFD_CLOEXEC, 5000);
            Os.close(gone);
        }
        ErrnoException e = assertThrows(BadFileDescriptorException.class, () -> Epoll.fromfd(gone));
        assertEquals("fromfd(fd=" + gone + "): [Errno 9] Bad file descriptor", e.getMessage());
        // The number the wakeup eventfd takes next: closed, it must still be EBADF naming it, not EINVAL.
        PipePair lowest = new PipePair();
        lowest.close();
        e = assertThrows(BadFileDescriptorException.class, () -> Epoll.fromfd(lowest.r));
        assertEquals("fromfd(fd=" + lowest.r + "): [Errno 9] Bad file descriptor", e.getMessage());
    }

    @Test
    void fromfdOwnsAnEpollDescriptorItAccepts() throws Exception {
        try (Epoll original = Epoll.create(); PipePair p = new PipePair()) {
            int copy = io.jselect.testing.Signals.dup(original.fileno());
            Epoll wrapped = Epoll.fromfd(copy);
            assertEquals(copy, wrapped.fileno());
            wrapped.register(p.r, Epoll.EPOLLIN);
            p.write("x");
            assertEquals(List.of(new FdEvent(p.r, Epoll.EPOLLIN)), wrapped.poll(1.0));
            wrapped.close();
            assertThrows(BadFileDescriptorException.class, () -> Os.close(copy), "closed with the object");
        }
    }

    @Test
    void everyCallButCloseFailsAfterClose() throws Exception {
        try (PipePair p = new PipePair()) {
            Epoll ep = Epoll.create();
            ep.close();
            List<Executable> calls = List.of(ep::fileno, () -> ep.register(p.r), () -> ep.register(p.r, Epoll.EPOLLIN),
                    () -> ep.modify(p.r, Epoll.EPOLLIN), () -> ep.unregister(p.r), () -> ep.poll(0.0),
                    () -> ep.poll(1.0, 4), ep::poll, () -> ep.poll(new EventBuffer(4), 0.0));
            for (Executable call : calls) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertEquals("I/O operation on closed epoll object", e.getMessage());
            }
            ep.wakeup(); // a no-op, as on a closed java.nio Selector
        }
    }

    @Test
    void registerTwiceIsEexistNamingTheCall() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            ep.register(p.r, Epoll.EPOLLIN);
            FileExistsException e = assertThrows(FileExistsException.class, () -> ep.register(p.r, Epoll.EPOLLIN));
            assertEquals(Errno.EEXIST, e.errno());
            assertEquals("File exists", e.strerror());
            assertEquals("epoll_ctl(EPOLL_CTL_ADD, fd=" + p.r + "): [Errno 17] File exists", e.getMessage());
        }
    }

    @Test
    void modifyOrUnregisterUnknownIsEnoent() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            NoSuchEntryException mod = assertThrows(NoSuchEntryException.class, () -> ep.modify(p.r, Epoll.EPOLLIN));
            assertEquals("epoll_ctl(EPOLL_CTL_MOD, fd=" + p.r + "): [Errno 2] No such file or directory", mod.getMessage());
            NoSuchEntryException del = assertThrows(NoSuchEntryException.class, () -> ep.unregister(p.r));
            assertEquals(Errno.ENOENT, del.errno());
        }
    }

    @Test
    void regularFileIsEperm(@TempDir Path dir) throws Exception {
        try (Epoll ep = Epoll.create(); FileOutputStream file = new FileOutputStream(dir.resolve("f").toFile())) {
            PermissionException e = assertThrows(PermissionException.class, () -> ep.register(file.getFD()));
            assertEquals(Errno.EPERM, e.errno());
        }
    }

    @Test
    void badDescriptorsAreRejected() throws Exception {
        try (Epoll ep = Epoll.create()) {
            assertEquals("file descriptor cannot be a negative integer (-1)",
                    assertThrows(IllegalArgumentException.class, () -> ep.register(-1)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> ep.register(new Object()));
            assertThrows(IllegalArgumentException.class, () -> ep.register(null));
            assertEquals(Errno.EBADF, assertThrows(BadFileDescriptorException.class, () -> ep.register(19_999)).errno());
        }
    }

    @Test
    void unregisterAfterTheDescriptorClosedIsEbadf() throws Exception {
        try (Epoll ep = Epoll.create()) {
            PipePair p = new PipePair();
            ep.register(p.r, Epoll.EPOLLIN);
            p.close();
            assertEquals(Errno.EBADF, assertThrows(BadFileDescriptorException.class, () -> ep.unregister(p.r)).errno());
        }
    }

    @Test
    void maxeventsIsValidatedAndHonoured() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair a = new PipePair(); PipePair b = new PipePair()) {
            assertEquals("maxevents must be greater than 0, got 0",
                    assertThrows(IllegalArgumentException.class, () -> ep.poll(1.0, 0)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> ep.poll(1.0, -2));
            ep.register(a.w, Epoll.EPOLLOUT);
            ep.register(b.w, Epoll.EPOLLOUT);
            assertEquals(1, ep.poll(0.0, 1).size());
            assertEquals(2, ep.poll(0.0, -1).size());
            assertEquals(2, ep.poll(Duration.ZERO, 5).size());
        }
    }

    @Test
    void pollReportsFdAndEvents() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            ep.register(p.r, Epoll.EPOLLIN);
            ep.register(p.w, Epoll.EPOLLOUT);
            assertEquals(List.of(new FdEvent(p.w, Epoll.EPOLLOUT)), ep.poll(0.0));
            p.write("x");
            assertEquals(2, ep.poll(0.0).size());
            ep.modify(p.w, Epoll.EPOLLIN);
            assertEquals(List.of(new FdEvent(p.r, Epoll.EPOLLIN)), ep.poll(0.0));
            ep.unregister(p.r);
            assertEquals(List.of(), ep.poll(0.0));
        }
    }

    @Test
    void negativeAndNullTimeoutsBlockAndNanIsRejected() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            ep.register(p.w, Epoll.EPOLLOUT);
            assertEquals(1, ep.poll(-1).size());
            assertEquals(1, ep.poll((Double) null).size());
            assertEquals(1, ep.poll().size());
            assertThrows(IllegalArgumentException.class, () -> ep.poll(Double.NaN));
        }
    }

    @Test
    void edgeTriggeredAndOneShot() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair et = new PipePair(); PipePair once = new PipePair()) {
            ep.register(et.r, Epoll.EPOLLIN | Epoll.EPOLLET);
            ep.register(once.r, Epoll.EPOLLIN | Epoll.EPOLLONESHOT);
            et.write("x");
            once.write("y");
            assertEquals(2, ep.poll(0.0).size());
            assertEquals(List.of(), ep.poll(0.0), "no new edge, and the one-shot is disarmed");
            ep.modify(once.r, Epoll.EPOLLIN | Epoll.EPOLLONESHOT);
            assertEquals(List.of(new FdEvent(once.r, Epoll.EPOLLIN)), ep.poll(0.0));
        }
    }

    @Test
    void eventBufferPath() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            EventBuffer events = new EventBuffer(8);
            assertEquals(8, events.capacity());
            ep.register(p.r, Epoll.EPOLLIN);
            assertEquals(0, ep.poll(events, 0.0));
            p.write("x");
            assertEquals(1, ep.poll(events, 0.0));
            assertEquals(1, events.count());
            assertEquals(p.r, events.fd(0));
            assertEquals(Epoll.EPOLLIN, events.events(0));
            assertThrows(IndexOutOfBoundsException.class, () -> events.fd(1));
            assertThrows(IndexOutOfBoundsException.class, () -> events.events(-1));
            assertThrows(IllegalArgumentException.class, () -> new EventBuffer(0));
            assertThrows(IllegalArgumentException.class, () -> ep.poll(events, Double.NaN));
        }
    }

    /** The event-loop path allocates nothing per call once warm. */
    @Test
    void eventBufferPathAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            ep.register(p.r, Epoll.EPOLLIN);
            ep.register(p.w, Epoll.EPOLLOUT);
            p.write("x");
            EventBuffer events = new EventBuffer(16);
            long sink = 0;
            for (int i = 0; i < 50_000; i++) {
                sink += pollOnce(ep, events);
            }
            long calls = 100_000;
            // Steady state: the best of a few rounds, so a one-off (a JIT recompilation) does not count.
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 5 && allocated > 0; round++) {
                sink = 0;
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < calls; i++) {
                    sink += pollOnce(ep, events);
                }
                long got = threads.getCurrentThreadAllocatedBytes() - before;
                allocated = Math.min(allocated, got);
                assertEquals(2 * calls, sink, "both descriptors ready on every call");
                System.out.printf("epoll EventBuffer path (%s), round %d: %d bytes over %d calls (%.4f B/call)%n",
                        JSelect.backend(), round, got, calls, (double) got / calls);
            }
            assertEquals(0, allocated, "bytes allocated over " + calls + " calls, best of 5 rounds");
        }
    }

    /** Polls once and reads every event, returning how many had a descriptor and events set. */
    private static long pollOnce(Epoll ep, EventBuffer events) throws ErrnoException {
        int n = ep.poll(events, 0.0);
        long seen = 0;
        for (int i = 0; i < n; i++) {
            if (events.fd(i) >= 0 && events.events(i) != 0) {
                seen++;
            }
        }
        return seen;
    }

    @Test
    void wakeupReturnsABlockedPollAtOnce() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            ep.register(p.r, Epoll.EPOLLIN);
            CountDownLatch polling = new CountDownLatch(1);
            Future<List<FdEvent>> blocked = pool.submit(() -> {
                polling.countDown();
                return ep.poll(30.0);
            });
            polling.await();
            Thread.sleep(100);
            long start = System.nanoTime();
            ep.wakeup();
            assertEquals(List.of(), blocked.get(5, TimeUnit.SECONDS), "the wakeup eventfd never shows");
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
        }
    }

    @Test
    void wakeupsCoalesceIntoOne() throws Exception {
        try (Epoll ep = Epoll.create()) {
            for (int i = 0; i < 100; i++) {
                ep.wakeup();
            }
            long start = System.nanoTime();
            assertEquals(List.of(), ep.poll(10.0));
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "a pending wakeup returns the next poll");
            start = System.nanoTime();
            assertEquals(List.of(), ep.poll(0.1));
            assertTrue(System.nanoTime() - start >= 100_000_000L, "the 100 wakeups were consumed as one");
            ep.wakeup();
            EventBuffer events = new EventBuffer(1);
            assertEquals(0, ep.poll(events, 10.0));
        }
    }

    @Test
    void closeFromAnotherThreadReturnsABlockedPoll() throws Exception {
        Epoll ep = Epoll.create();
        PipePair p = new PipePair();
        try {
            ep.register(p.r, Epoll.EPOLLIN);
            CountDownLatch polling = new CountDownLatch(1);
            Future<Integer> blocked = pool.submit(() -> {
                polling.countDown();
                return ep.poll(new EventBuffer(4), 30.0);
            });
            polling.await();
            Thread.sleep(100);
            long start = System.nanoTime();
            ep.close();
            assertEquals(0, blocked.get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
            assertTrue(ep.closed());
            assertThrows(IllegalStateException.class, () -> ep.poll(0.0));
        } finally {
            p.close();
            ep.close();
        }
    }

    @Test
    void registerFromAnotherThreadTakesEffectInABlockedPoll() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            p.write("x");
            CountDownLatch polling = new CountDownLatch(1);
            Future<List<FdEvent>> blocked = pool.submit(() -> {
                polling.countDown();
                return ep.poll(30.0);
            });
            polling.await();
            Thread.sleep(100);
            ep.register(p.r, Epoll.EPOLLIN);
            assertEquals(List.of(new FdEvent(p.r, Epoll.EPOLLIN)), blocked.get(5, TimeUnit.SECONDS));
        }
    }

    /**
     * epoll_pwait2 honours sub-millisecond timeouts, which whole-millisecond epoll_wait would round up;
     * on a kernel without it (before 5.11, or qemu-user 7.2's emulated one) epoll_wait serves, rounded up.
     */
    @Test
    void subMillisecondTimeoutsAreHonoured() throws Exception {
        // The raw call on no descriptor: EBADF where the kernel has epoll_pwait2, ENOSYS where it has not.
        // (BackendParityTest holds the JNI library's answer to the C library's own wrapper's.)
        boolean kernelHasPwait2 = Syscalls.backend().epollPwait2(-1, 0, 1, 1000) != -Errno.ENOSYS;
        try (Epoll ep = Epoll.create()) {
            EventBuffer events = new EventBuffer(1);
            for (int i = 0; i < 50; i++) {
                ep.poll(events, 0.0002);
            }
            long start = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                assertEquals(0, ep.poll(events, 0.0002));
            }
            double took = (System.nanoTime() - start) / 1e9;
            assertTrue(took >= 0.06, "300 waits of 0.2 ms took " + took + " s");
            if (kernelHasPwait2) {
                assertTrue(took < 0.28, "300 waits of 0.2 ms took " + took + " s: rounded to whole milliseconds?");
            } else {
                assertTrue(took >= 0.3, "300 waits of 0.2 ms took " + took + " s: without epoll_pwait2 each "
                        + "rounds up to 1 ms");
            }
        }
    }

    @Test
    void acceptsFileNoAndJdkObjects() throws Exception {
        try (Epoll ep = Epoll.create(); PipePair p = new PipePair()) {
            FileNo w = () -> p.w;
            ep.register(w, Epoll.EPOLLOUT);
            assertEquals(List.of(new FdEvent(p.w, Epoll.EPOLLOUT)), ep.poll(0.0));
            ep.unregister(w);
            java.nio.channels.Pipe jdk = java.nio.channels.Pipe.open();
            try {
                ep.register(jdk.sink(), Epoll.EPOLLOUT);
                assertEquals(1, ep.poll(0.0).size());
            } finally {
                jdk.sink().close();
                jdk.source().close();
            }
        }
    }
}
