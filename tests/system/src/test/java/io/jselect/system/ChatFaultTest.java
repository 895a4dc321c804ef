package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.Epoll;
import io.jselect.EventBuffer;
import io.jselect.demos.ChatServer;
import io.jselect.demos.EchoServer;
import io.jselect.socket.Sock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Issue 10: members who leave all at once, or flood the room, do not stop it serving the others. */
class ChatFaultTest {
    static final int MEMBERS = 5000;

    /**
     * 2 000 members resetting at once made {@code leave → broadcast → flush → leave} recurse until the chat
     * thread died of {@code StackOverflowError}; nobody could chat afterwards. At 1 000 the room stalled 8 s.
     * Costs 2-5 s, most of it the joins: every member is announced to every other, 12.5 million lines.
     */
    @Test
    void fiveThousandMembersResettingAtOnceLeaveTheRoomServingTheRestWithinASecond() throws Exception {
        try (EchoServer.Running room = ChatServer.start("127.0.0.1", 0);
                Wire a = new Wire(room.port()); Wire b = new Wire(room.port())) {
            String aName = Probe.Peers.describe(a.sock.getsockname());
            List<Sock> members = new ArrayList<>(MEMBERS);
            try (Drain drain = new Drain()) {
                drain.add(a.sock);
                drain.add(b.sock);
                java.net.InetSocketAddress address = new java.net.InetSocketAddress("127.0.0.1", room.port());
                long joinDeadline = System.nanoTime() + 60_000_000_000L;
                for (int i = 0; i < MEMBERS; i++) {
                    // At most 100 joining at once: the test is about leaving, not about the listen queue.
                    while (room.stats().active() < i + 2 - 100) {
                        assertTrue(System.nanoTime() < joinDeadline, room.stats().active() + " joined in 60 s");
                        Thread.sleep(1);
                    }
                    Sock s = Sock.create(Sock.AF_INET, Sock.SOCK_STREAM | Sock.SOCK_NONBLOCK);
                    members.add(s);
                    s.connectEx(address); // EINPROGRESS: the loopback handshake completes without us
                    drain.add(s);
                }
                while (room.stats().active() < MEMBERS + 2) {
                    assertTrue(System.nanoTime() < joinDeadline, room.stats().active() + " joined in 60 s");
                    Thread.sleep(10);
                }
                drain.stop(); // a and b are read below from here on; the members are not read again
            } finally {
                if (members.size() < MEMBERS) {
                    members.forEach(Sock::close);
                }
            }
            // b catches up with the joins still on their way.
            a.send("caught up?\n");
            while (!ChatIT.line(b).equals(aName + ": caught up?")) {
                // a join
            }
            AtomicLong arrived = new AtomicLong();
            AtomicLong lefts = new AtomicLong();
            CountDownLatch afterArrived = new CountDownLatch(1);
            try (LineReader reader = new LineReader(b.sock, line -> {
                if (line.endsWith(" left")) {
                    lefts.incrementAndGet();
                } else if (line.equals(aName + ": after the exodus")) {
                    arrived.set(System.nanoTime());
                    afterArrived.countDown();
                }
            })) {
                for (Sock s : members) {
                    s.setsockopt(Sock.SOL_SOCKET, Sock.SO_LINGER, Sock.linger(true, 0));
                    s.close(); // RST
                }
                long start = System.nanoTime(); // all have reset
                a.send("after the exodus\n");
                assertTrue(afterArrived.await(30, TimeUnit.SECONDS), "a's line never reached b; " + lefts.get() + " left");
                double seconds = (arrived.get() - start) / 1e9;
                assertTrue(seconds < 1.0, "a's line reached b " + seconds + " s after " + MEMBERS + " members reset");
                SeedProtocolTest.waitUntil(() -> lefts.get() == MEMBERS);
                assertNull(reader.failure());
                assertEquals(2, room.stats().active());
            }
        }
    }

    /**
     * 1 MB of bare newlines from one member stalled the room for up to 3.6 s: each 16 KB read of it was
     * 16 000 lines written one by one to everyone before anyone else was heard. Now the room takes 64 lines
     * of a member per turn, and at b another member's line waits for one message of the flood, not all of
     * it. About 1 s.
     */
    @Test
    void oneMembersFloodOfBareNewlinesHoldsUpNobody() throws Exception {
        int floodBytes = 1 << 20;
        try (EchoServer.Running room = ChatServer.start("127.0.0.1", 0);
                Wire a = new Wire(room.port()); Wire b = new Wire(room.port()); Wire flooder = new Wire(room.port())) {
            String aName = Probe.Peers.describe(a.sock.getsockname());
            String floodLine = Probe.Peers.describe(flooder.sock.getsockname()) + ": ";
            // What a's line waits behind at b is the room's doing only if b's kernel does not hold megabytes
            // of the flood for it (its receive buffer grows to 6 MB when left to itself): fixed at 64 KB.
            b.sock.setsockopt(Sock.SOL_SOCKET, Sock.SO_RCVBUF, 64 * 1024);
            // Everyone has joined once b sees a line a sends after the flooder joined.
            a.send("ready\n");
            while (!ChatIT.line(b).equals(aName + ": ready")) {
                // a join
            }
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicLongArray sentAt = new AtomicLongArray(10_000);
            AtomicLong floodLines = new AtomicLong();
            AtomicLong pings = new AtomicLong();
            AtomicLong aFloodLines = new AtomicLong();
            AtomicReference<Exception> floodFailure = new AtomicReference<>();
            byte[] floodBytesLine = floodLine.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (LineReader atB = new LineReader(b.sock, floodBytesLine, floodLines::incrementAndGet, line -> {
                if (line.startsWith(aName + ": ping ")) {
                    int i = Integer.parseInt(line.substring(aName.length() + 7));
                    latencies.add(System.nanoTime() - sentAt.get(i));
                    pings.incrementAndGet();
                }
            }); LineReader atA = new LineReader(a.sock, floodBytesLine, aFloodLines::incrementAndGet, line -> { })) {
                byte[] newlines = new byte[floodBytes];
                java.util.Arrays.fill(newlines, (byte) '\n');
                Thread flood = new Thread(() -> {
                    try {
                        flooder.send(newlines);
                    } catch (Exception e) {
                        floodFailure.set(e);
                    }
                }, "flooder");
                flood.start();
                // a chats every 5 ms while the flood goes through the room, and for a little while after.
                int sent = 0;
                long deadline = System.nanoTime() + 30_000_000_000L;
                long floodDone = 0;
                while (floodDone == 0 || System.nanoTime() - floodDone < 50_000_000L) {
                    sentAt.set(sent, System.nanoTime());
                    a.send("ping " + sent + "\n");
                    sent++;
                    Thread.sleep(5);
                    if (floodDone == 0 && floodLines.get() == floodBytes) {
                        floodDone = System.nanoTime();
                    }
                    assertTrue(System.nanoTime() < deadline, "the flood did not get through in 30 s: " + floodLines.get() + " lines");
                }
                flood.join(10_000);
                assertNull(floodFailure.get());
                int pingsSent = sent;
                SeedProtocolTest.waitUntil(() -> pings.get() == pingsSent);
                long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                String seen = String.format("a's %d lines reached b in %.1f ms (median), %.1f ms (90th percentile), %.1f ms at"
                        + " worst", sorted.length, sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
                        sorted[sorted.length - 1] / 1e6);
                // Measured: a median of 1-11 ms and a worst of 40-310 ms (at a load average of 17 on two
                // CPUs); before, a median of 95-140 ms and a worst of 600-860 ms. The worst case is bounded
                // loosely: on a loaded machine the readers' threads wait for a CPU too.
                assertTrue(sorted[sorted.length / 2] < 50_000_000L, seen);
                assertTrue(sorted[sorted.length - 1] < 500_000_000L, seen);
                assertEquals(floodBytes, floodLines.get(), "every one of the flood's lines reached b");
                SeedProtocolTest.waitUntil(() -> aFloodLines.get() == floodBytes);
                assertNull(atA.failure());
                assertNull(atB.failure());
                assertEquals(3, room.stats().active());
            }
        }
    }

    /** Reads and discards whatever arrives on its sockets, on a thread of its own, until stopped. */
    static final class Drain implements AutoCloseable {
        private final Epoll epoll = Epoll.create();
        private final Sock[] byFd = new Sock[65536];
        private final Thread thread;
        private volatile boolean running = true;

        Drain() throws Exception {
            thread = new Thread(() -> {
                EventBuffer events = new EventBuffer(1024);
                ByteBuffer sink = ByteBuffer.allocateDirect(256 * 1024);
                try {
                    while (running) {
                        int n = epoll.poll(events, 0.1);
                        for (int i = 0; i < n; i++) {
                            sink.clear();
                            byFd[events.fd(i)].recvInto(sink); // once: level-triggered, it comes again if more is there
                        }
                    }
                } catch (Exception e) {
                    if (running) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "drain");
            thread.start();
        }

        void add(Sock s) throws Exception {
            byFd[s.fileno()] = s;
            epoll.register(s, Epoll.EPOLLIN);
        }

        /** Stops reading and waits for the thread; the sockets are left as they are. */
        void stop() throws InterruptedException {
            running = false;
            epoll.wakeup();
            thread.join(10_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            epoll.close();
        }
    }
}
