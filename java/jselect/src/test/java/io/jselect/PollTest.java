package io.jselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.testing.Fixtures.PipePair;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Poll: Python's select.poll() semantics (CPython's test_poll), beyond the shared contract. */
class PollTest {
    @Test
    void reportsEventsInRegistrationOrder() throws Exception {
        try (PipePair a = new PipePair(); PipePair b = new PipePair()) {
            Poll poll = Poll.create();
            poll.register(b.w, Poll.POLLOUT);
            poll.register(a.r, Poll.POLLIN);
            poll.register(a.w, Poll.POLLOUT);
            a.write("x");
            assertEquals(List.of(new FdEvent(b.w, Poll.POLLOUT), new FdEvent(a.r, Poll.POLLIN),
                    new FdEvent(a.w, Poll.POLLOUT)), poll.poll(0.0));
        }
    }

    @Test
    void defaultMaskIsInPriOut() throws Exception {
        try (PipePair p = new PipePair()) {
            Poll poll = Poll.create();
            poll.register(p.w);
            assertEquals(List.of(new FdEvent(p.w, Poll.POLLOUT)), poll.poll(0.0));
            assertEquals(Poll.POLLIN | Poll.POLLPRI | Poll.POLLOUT, Poll.DEFAULT_EVENTMASK);
        }
    }

    @Test
    void registeringTwiceReplacesTheMask() throws Exception {
        try (PipePair p = new PipePair()) {
            Poll poll = Poll.create();
            poll.register(p.w, Poll.POLLOUT);
            poll.register(p.w, Poll.POLLIN);
            assertEquals(List.of(), poll.poll(0.0));
        }
    }

    @Test
    void modifyChangesTheMaskAndUnknownIsEnoent() throws Exception {
        try (PipePair p = new PipePair()) {
            Poll poll = Poll.create();
            poll.register(p.w, Poll.POLLIN);
            poll.modify(p.w, Poll.POLLOUT);
            assertEquals(List.of(new FdEvent(p.w, Poll.POLLOUT)), poll.poll(0.0));
            NoSuchEntryException e = assertThrows(NoSuchEntryException.class, () -> poll.modify(p.r, Poll.POLLIN));
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains("[Errno 2]"), e.getMessage());
        }
    }

    @Test
    void unregisterRemovesAndUnknownIsNoSuchElement() throws Exception {
        try (PipePair p = new PipePair()) {
            Poll poll = Poll.create();
            poll.register(p.w, Poll.POLLOUT);
            poll.unregister(p.w);
            assertEquals(List.of(), poll.poll(0.0));
            NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> poll.unregister(p.w));
            assertTrue(e.getMessage().contains(String.valueOf(p.w)), e.getMessage());
        }
    }

    @Test
    void closedDescriptorIsPollnval() throws Exception {
        PipePair p = new PipePair();
        Poll poll = Poll.create();
        poll.register(p.r, Poll.POLLIN);
        p.close();
        assertEquals(List.of(new FdEvent(p.r, Poll.POLLNVAL)), poll.poll(0.0));
    }

    @Test
    void hangupIsReportedWithoutAskingForIt() throws Exception {
        try (PipePair p = new PipePair()) {
            Poll poll = Poll.create();
            poll.register(p.r, Poll.POLLIN);
            p.closeWrite();
            List<FdEvent> events = poll.poll(0.0);
            assertEquals(1, events.size());
            assertTrue((events.get(0).events() & Poll.POLLHUP) != 0);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        Poll poll = Poll.create();
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> poll.register(-1));
        assertEquals("file descriptor cannot be a negative integer (-1)", negative.getMessage());
        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class, () -> poll.register(0, 1 << 16));
        assertTrue(mask.getMessage().contains("65536"), mask.getMessage());
        assertThrows(IllegalArgumentException.class, () -> poll.register(0, -1));
        assertThrows(IllegalArgumentException.class, () -> poll.register("x"));
        assertThrows(IllegalArgumentException.class, () -> poll.poll(Double.NaN));
    }

    @Test
    void timeoutIsInMillisecondsAndNegativeOrNullBlocks() throws Exception {
        try (PipePair p = new PipePair()) {
            Poll poll = Poll.create();
            poll.register(p.r, Poll.POLLIN);
            long start = System.nanoTime();
            assertEquals(List.of(), poll.poll(60));
            assertTrue(System.nanoTime() - start >= 60_000_000L);
            p.write("x");
            assertEquals(1, poll.poll(-1).size());
            assertEquals(1, poll.poll((Double) null).size());
            assertEquals(1, poll.poll().size());
        }
    }

    @Test
    void emptyPollSleepsForTheTimeout() throws Exception {
        long start = System.nanoTime();
        assertEquals(List.of(), Poll.create().poll(30));
        assertTrue(System.nanoTime() - start >= 30_000_000L);
    }

    @Test
    void concurrentPollIsRejectedAndRegistrationTakesEffectNextPoll() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (PipePair p = new PipePair(); PipePair other = new PipePair()) {
            Poll poll = Poll.create();
            poll.register(p.r, Poll.POLLIN);
            CountDownLatch started = new CountDownLatch(1);
            Future<List<FdEvent>> blocked = pool.submit(() -> {
                started.countDown();
                return poll.poll(5000);
            });
            started.await();
            Thread.sleep(100);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> poll.poll(0.0));
            assertEquals("concurrent poll() invocation", e.getMessage());
            poll.register(other.w, Poll.POLLOUT); // safe while polling; seen by the next poll
            p.write("x");
            assertEquals(List.of(new FdEvent(p.r, Poll.POLLIN)), blocked.get(5, TimeUnit.SECONDS));
            assertEquals(List.of(new FdEvent(p.r, Poll.POLLIN), new FdEvent(other.w, Poll.POLLOUT)), poll.poll(0.0));
        } finally {
            pool.shutdownNow();
        }
    }
}
