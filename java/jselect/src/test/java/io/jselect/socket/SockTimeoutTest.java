package io.jselect.socket;

import static io.jselect.socket.Sock.AF_INET;
import static io.jselect.socket.Sock.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.BadFileDescriptorException;
import io.jselect.BlockingIOException;
import io.jselect.Errno;
import io.jselect.Select;
import io.jselect.TimedOutException;
import io.jselect.testing.Signals;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Python's timeout semantics (settimeout, setblocking), signals that must not cut a call short, and
 * close() from another thread while a call is blocked. Lower bounds on time are strict, upper bounds
 * generous: the machine is small and shared.
 */
class SockTimeoutTest {
    static final ExecutorService OTHER = Executors.newCachedThreadPool();

    @AfterAll
    static void stopThreads() {
        OTHER.shutdownNow();
    }

    @Test
    void timeoutStateFollowsPython() throws Exception {
        try (Sock s = Sock.create()) {
            assertNull(s.gettimeout(), "new sockets block");
            assertTrue(s.getblocking());
            s.settimeout(0.2);
            assertEquals(0.2, s.gettimeout());
            assertTrue(s.getblocking(), "a timeout is still blocking mode, as Python's getblocking()");
            assertTrue(nonBlockingFlag(s), "the descriptor itself is non-blocking under a timeout");
            s.setblocking(false);
            assertEquals(0.0, s.gettimeout());
            assertFalse(s.getblocking());
            s.settimeout(3); // an int lands on settimeout(double)
            assertEquals(3.0, s.gettimeout());
            s.setblocking(true);
            assertNull(s.gettimeout());
            assertFalse(nonBlockingFlag(s));
            s.settimeout(Double.POSITIVE_INFINITY);
            assertNull(s.gettimeout(), "an infinite timeout blocks");
        }
    }

    private static boolean nonBlockingFlag(Sock s) throws Exception {
        String flags = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/fdinfo/" + s.fileno()))
                .stream().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
        return (Integer.parseInt(flags.substring(6).trim(), 8) & 04000) != 0;
    }

    @Test
    void recvWithATimeoutRaisesTimedOutAfterTheTimeout() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().settimeout(0.2);
            long start = System.nanoTime();
            TimedOutException e = assertThrows(TimedOutException.class, () -> p.first().recv(10));
            double took = elapsed(start);
            assertTrue(took >= 0.2 && took < 5, "took " + took + " s");
            assertEquals("timed out", e.getMessage());
            assertEquals("recv(fd=" + p.first().fileno() + ")", e.syscall());
            assertEquals(Errno.ETIMEDOUT, e.errno());
        }
    }

    @Test
    void dataArrivingWithinTheTimeoutIsReceived() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().settimeout(5.0);
            Future<?> w = OTHER.submit(() -> {
                Thread.sleep(100);
                return p.second().send(new byte[] {7});
            });
            assertArrayEquals(new byte[] {7}, p.first().recv(10));
            w.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void acceptWithATimeoutAndTheModeOfAcceptedSockets() throws Exception {
        try (Sock srv = Sock.createServer("127.0.0.1", 0)) {
            srv.settimeout(0.1);
            long start = System.nanoTime();
            assertThrows(TimedOutException.class, srv::accept);
            assertTrue(elapsed(start) >= 0.1);
            try (Sock c = Sock.createConnection("127.0.0.1", port(srv)); Accepted a = srv.accept()) {
                assertNull(a.socket().gettimeout(), "blocking, as Python's accept on a listener with a timeout");
                assertEquals(c.getsockname(), a.address());
            }
            srv.setblocking(false);
            try (Sock c = Sock.createConnection("127.0.0.1", port(srv))) {
                Select.select(List.of(srv), List.of(), List.of(), 5.0);
                try (Accepted a = srv.accept()) {
                    assertEquals(0.0, a.socket().gettimeout(), "non-blocking from a non-blocking listener");
                    assertTrue(nonBlockingFlag(a.socket()));
                    assertEquals(c.getsockname(), a.address());
                }
            }
        }
    }

    /**
     * A listener with backlog 0 and one connection queued drops further SYNs, so a connect waits: long
     * enough for its timeout.
     */
    @Test
    void connectWithATimeoutTimesOutAndConnectExSaysEwouldblock() throws Exception {
        try (Sock srv = Sock.create()) {
            srv.bind("127.0.0.1", 0);
            srv.listen(0);
            SocketAddress full = srv.getsockname();
            Sock[] queued = new Sock[4];
            try {
                Sock probe = null;
                for (int i = 0; i < queued.length; i++) { // fill the accept queue, whatever its slack
                    queued[i] = Sock.create();
                    queued[i].settimeout(0.3);
                    if (queued[i].connectEx(full) != 0) {
                        probe = queued[i];
                        break;
                    }
                }
                assertTrue(probe != null, "the accept queue never filled");
                try (Sock s = Sock.create()) {
                    s.settimeout(0.2);
                    long start = System.nanoTime();
                    TimedOutException e = assertThrows(TimedOutException.class, () -> s.connect(full));
                    assertTrue(elapsed(start) >= 0.2);
                    assertEquals("timed out", e.getMessage());
                }
                try (Sock s = Sock.create()) {
                    s.settimeout(0.1);
                    assertEquals(Errno.EWOULDBLOCK, s.connectEx(full), "as Python's connect_ex on timeout");
                }
            } finally {
                for (Sock s : queued) {
                    if (s != null) {
                        s.close();
                    }
                }
            }
        }
    }

    @Test
    void sendallTimeoutBoundsTheWholeAndKeepsTheProgress() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().settimeout(0.2);
            ByteBuffer big = ByteBuffer.allocate(8 << 20);
            long start = System.nanoTime();
            assertThrows(TimedOutException.class, () -> p.first().sendall(big));
            double took = elapsed(start);
            assertTrue(took >= 0.2 && took < 5, "took " + took + " s");
            assertTrue(big.position() > 0 && big.hasRemaining(), "position shows what went: " + big.position());
        }
    }

    @Test
    void zeroTimeoutIsNonBlocking() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().settimeout(0);
            long start = System.nanoTime();
            assertThrows(BlockingIOException.class, () -> p.first().recv(1));
            assertTrue(elapsed(start) < 1);
        }
    }

    /** PEP 475: signals interrupt the waits but never cut them short, with or without a timeout. */
    @Test
    void signalsDoNotCutCallsShort() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().settimeout(0.6);
            int before = Signals.delivered();
            Future<?> k = interruptRepeatedly(Signals.currentTid(), 5);
            long start = System.nanoTime();
            assertThrows(TimedOutException.class, () -> p.first().recv(10));
            assertTrue(elapsed(start) >= 0.6, "a signal cut the wait short: " + elapsed(start));
            k.get(5, TimeUnit.SECONDS);
            assertTrue(Signals.delivered() - before >= 3, "the signals did not arrive");

            p.first().settimeout(null);
            before = Signals.delivered();
            k = interruptRepeatedly(Signals.currentTid(), 4);
            Future<?> w = OTHER.submit(() -> {
                Thread.sleep(400);
                return p.second().send(new byte[] {9});
            });
            assertArrayEquals(new byte[] {9}, p.first().recv(10), "a blocking recv resumes after signals");
            k.get(5, TimeUnit.SECONDS);
            w.get(5, TimeUnit.SECONDS);
            assertTrue(Signals.delivered() - before >= 2, "the signals did not arrive");
        }
    }

    private static Future<?> interruptRepeatedly(int tid, int times) {
        return OTHER.submit(() -> {
            for (int i = 0; i < times; i++) {
                Thread.sleep(60);
                Signals.interrupt(tid);
            }
            return null;
        });
    }

    /** close() from another thread wakes a call blocked in the kernel, which then fails with EBADF. */
    @Test
    void closeWakesBlockedCalls() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            assertClosingWakes(p.first(), () -> p.first().recv(10));
        }
        try (SockPair p = Sock.socketpair()) {
            p.first().settimeout(30.0); // waiting in poll rather than in recv
            assertClosingWakes(p.first(), () -> p.first().recv(10));
        }
        Sock srv = Sock.createServer("127.0.0.1", 0);
        assertClosingWakes(srv, srv::accept);
        Sock udp = Sock.create(AF_INET, SOCK_DGRAM);
        udp.bind("127.0.0.1", 0);
        assertClosingWakes(udp, () -> udp.recvfrom(10));
        Sock unix = Sock.create(Sock.AF_UNIX, Sock.SOCK_STREAM);
        unix.bind(new UnixAddress("\0jselect-close-" + ProcessHandle.current().pid()));
        unix.listen();
        assertClosingWakes(unix, unix::accept);
        try (SockPair p = Sock.socketpair()) {
            assertClosingWakes(p.first(), () -> {
                p.first().sendall(ByteBuffer.allocate(8 << 20)); // blocks once the buffers are full
                return null;
            });
        }
    }

    private static void assertClosingWakes(Sock s, Callable<?> call) throws Exception {
        Future<?> blocked = OTHER.submit(call);
        Thread.sleep(150);
        assertFalse(blocked.isDone(), "the call did not block");
        long start = System.nanoTime();
        s.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BadFileDescriptorException, "got " + e.getCause());
        assertTrue(elapsed(start) < 5, "close took " + elapsed(start) + " s");
        assertEquals(-1, s.fileno());
    }

    private static int port(Sock s) throws Exception {
        return ((InetSocketAddress) s.getsockname()).getPort();
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
