package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.demos.EchoServer;
import io.jselect.demos.ServerStats;
import io.jselect.demos.ThreadedEchoServer;
import io.jselect.socket.Sock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Misbehaving clients never hurt the server or the other clients. */
class FaultTest {
    /** After each fault a fresh client must still get the full service. */
    static void stillServes(EchoServer.Running server) throws Exception {
        try (Wire w = new Wire(server.port())) {
            assertEquals("hello", w.recvString(5));
            w.send("ok?");
            assertEquals("ok?response", w.recvString(11));
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void clientLeavesWithRepliesPending(Servers kind) throws Exception {
        try (EchoServer.Running server = kind.start(EchoServer.Mode.SEED)) {
            try (Wire w = new Wire(server.port())) {
                for (int i = 0; i < 200; i++) {
                    w.send(new byte[1024]); // never read: replies pile up
                }
            }
            stillServes(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void clientResetsTheConnection(Servers kind) throws Exception {
        try (EchoServer.Running server = kind.start(EchoServer.Mode.SEED)) {
            Wire w = new Wire(server.port());
            w.recvExactly(5);
            w.send(new byte[4096]);
            w.sock.setsockopt(Sock.SOL_SOCKET, Sock.SO_LINGER, Sock.linger(true, 0));
            w.close(); // RST
            SeedProtocolTest.waitUntil(() -> server.stats().active() == 0);
            stillServes(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void idleClientsDoNotBlockOthers(Servers kind) throws Exception {
        try (EchoServer.Running server = kind.start(EchoServer.Mode.SEED);
                Wire idle = new Wire(server.port()); Wire idle2 = new Wire(server.port())) {
            stillServes(server);
            assertEquals(3, server.stats().accepted());
        }
    }

    /** A client that sends 10 MB and never reads: backpressure bounds the server's memory; others keep going. */
    @ParameterizedTest
    @EnumSource(Servers.class)
    void aFloodingClientThatNeverReads(Servers kind) throws Exception {
        int maxQueue = 64 * 1024;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        EchoServer.Config config = EchoServer.Config.defaults().withPort(0).withMaxQueuedBytes(maxQueue);
        try (EchoServer.Running server = kind.start(config)) {
            Wire flooder = new Wire(server.port());
            flooder.sock.settimeout(3.0);
            Future<Long> sent = pool.submit(() -> {
                long total = 0;
                byte[] block = new byte[64 * 1024];
                try {
                    while (total < 10_000_000) {
                        flooder.send(block);
                        total += block.length;
                    }
                } catch (io.jselect.TimedOutException stuck) {
                    // expected: once the server stops reading, the kernel buffers fill and send blocks
                }
                return total;
            });
            Thread.sleep(300);
            long worst = 0;
            try (Wire w = new Wire(server.port())) {
                w.recvExactly(5);
                for (int i = 0; i < 50; i++) {
                    long start = System.nanoTime();
                    w.send("ping");
                    assertEquals("pingresponse", w.recvString(12));
                    worst = Math.max(worst, System.nanoTime() - start);
                }
            }
            long flooded = sent.get(30, TimeUnit.SECONDS);
            flooder.close();
            assertTrue(worst < 500_000_000L, "another client waited " + worst / 1e6 + " ms");
            assertTrue(server.stats().maxPendingBytes() <= maxQueue + 1024 + 8,
                    "queued " + server.stats().maxPendingBytes() + " bytes for one client");
            assertTrue(flooded > 0);
            stillServes(server);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Issue 10: {@code OutOfMemoryError: unable to create native thread} escaped the threaded server's accept
     * loop, which died; ThreadExhaustionIT makes a real thread limit, this the same failure in-process.
     */
    @Test
    void aConnectionWhoseThreadCannotStartIsClosedAndTheThreadedServerGoesOn() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory secondFails = task -> made.incrementAndGet() != 2 ? new Thread(task) : new Thread(task) {
            @Override
            public synchronized void start() {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
            }
        };
        ServerStats stats;
        try (EchoServer.Running server = ThreadedEchoServer.start(EchoServer.Config.defaults().withPort(0), secondFails);
                Wire first = new Wire(server.port())) {
            stats = server.stats();
            assertEquals("hello", first.recvString(5));
            try (Wire refused = new Wire(server.port())) {
                assertTrue(refused.closedByPeer(), "the connection without a thread is closed");
            }
            stillServes(server);
            first.send("ok?");
            assertEquals("ok?response", first.recvString(11));
            SeedProtocolTest.waitUntil(() -> server.stats().active() == 1);
        }
        assertEquals(2, stats.accepted(), stats.summary());
        assertEquals(1, stats.shed(), stats.summary());
        assertEquals(0, stats.active(), stats.summary());
    }

    @ParameterizedTest
    @EnumSource(value = Servers.class, names = {"SELECT", "POLL", "EPOLL", "EPOLL_ET", "SELECTORS"})
    void tenThousandConnectDisconnectCyclesLeakNothing(Servers kind) throws Exception {
        try (EchoServer.Running server = kind.start(EchoServer.Mode.SEED)) {
            cycles(server, 200); // warm up: lazily opened JDK descriptors, thread stacks
            SeedProtocolTest.waitUntil(() -> server.stats().active() == 0);
            long before = openDescriptors();
            cycles(server, 10_000);
            // Every connection is accepted (a reset one too: accept returns it, the read reports it) and closed.
            SeedProtocolTest.waitUntil(() -> server.stats().accepted() == 10_200 && server.stats().active() == 0);
            long after = openDescriptors();
            // No growth. (Fewer is possible: a socket another test abandoned may be closed by its cleaner.)
            assertTrue(after <= before, "sockets grew from " + before + " to " + after + " over 10 000 connections");
            stillServes(server);
        }
    }

    private static void cycles(EchoServer.Running server, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Sock s = Sock.createConnection("127.0.0.1", server.port(), 10.0);
            if (i % 2 == 0) {
                s.setsockopt(Sock.SOL_SOCKET, Sock.SO_LINGER, Sock.linger(true, 0)); // reset: no TIME_WAIT pile-up
            }
            s.close();
        }
    }

    /** The open sockets of this process (server and client are both in it); other kinds come and go. */
    static long openDescriptors() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        }
    }
}
