package io.jselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.testing.Emulator;
import io.jselect.testing.Fixtures.PipePair;
import io.jselect.testing.Signals;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Readiness behaviours every mechanism shares, written once and run against select, poll and epoll
 * (and, in the JNA run of the suite, against the JNA backend), with java.nio's Selector as the
 * reference where the answers are comparable.
 */
class ReadinessContractTest {
    static final List<Mechanism> MECHANISMS = Mechanism.ALL;
    private static final int R = Mechanism.READ;
    private static final int W = Mechanism.WRITE;

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void idlePipeIsNotReadableAndItsWriteEndIsWritable(Mechanism m) throws Exception {
        try (PipePair p = new PipePair()) {
            assertEquals(Map.of(p.w, W), m.await(List.of(p.r), List.of(p.w), 0.0));
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void writtenPipeIsReadable(Mechanism m) throws Exception {
        try (PipePair p = new PipePair()) {
            p.write("x");
            assertEquals(Map.of(p.r, R), m.await(List.of(p.r), List.of(), 0.0));
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void endOfFileIsReadable(Mechanism m) throws Exception {
        try (PipePair p = new PipePair()) {
            p.closeWrite();
            assertEquals(Map.of(p.r, R), m.await(List.of(p.r), List.of(), 0.0));
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void zeroTimeoutReturnsAtOnce(Mechanism m) throws Exception {
        try (PipePair p = new PipePair()) {
            long start = System.nanoTime();
            assertEquals(Map.of(), m.await(List.of(p.r), List.of(), 0.0));
            assertTrue(elapsed(start) < 0.5, "took " + elapsed(start) + " s");
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void timeoutWaitsAtLeastAsLongAsAsked(Mechanism m) throws Exception {
        try (PipePair p = new PipePair()) {
            long start = System.nanoTime();
            assertEquals(Map.of(), m.await(List.of(p.r), List.of(), 0.12));
            double took = elapsed(start);
            assertTrue(took >= 0.12 && took < 5, "took " + took + " s");
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void blockingWaitReturnsWhenDataArrives(Mechanism m) throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (PipePair p = new PipePair()) {
            Future<?> w = writer.submit(() -> {
                Thread.sleep(100);
                p.write("x");
                return null;
            });
            assertEquals(Map.of(p.r, R), m.await(List.of(p.r), List.of(), null));
            w.get(5, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
    }

    /** PEP 475: signals interrupt the wait (EINTR) but it resumes with the time that remains. */
    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void signalsDoNotCutTheWaitShort(Mechanism m) throws Exception {
        ExecutorService killer = Executors.newSingleThreadExecutor();
        try (PipePair p = new PipePair()) {
            int tid = Signals.currentTid();
            int deliveredBefore = Signals.delivered();
            AtomicInteger sent = new AtomicInteger();
            Future<?> k = killer.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    Thread.sleep(60);
                    Signals.interrupt(tid);
                    sent.incrementAndGet();
                }
                return null;
            });
            long start = System.nanoTime();
            Map<Integer, Integer> ready = m.await(List.of(p.r), List.of(), 0.6);
            double took = elapsed(start);
            k.get(5, TimeUnit.SECONDS);
            assertEquals(Map.of(), ready);
            assertTrue(took >= 0.6, "a signal cut the wait short: " + took + " s");
            assertTrue(Signals.delivered() - deliveredBefore >= 3,
                    "the signals did not arrive: " + (Signals.delivered() - deliveredBefore) + " of " + sent);
        } finally {
            killer.shutdownNow();
        }
    }

    /** 1000 pipes: 2000 descriptors, many past FD_SETSIZE (1024); exactly the written ones are readable. */
    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void twoThousandDescriptors(Mechanism m) throws Exception {
        Emulator.assumeSelectPastFdSetsize(m == Mechanism.SELECT);
        List<PipePair> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                pipes.add(new PipePair());
            }
            assertTrue(pipes.get(999).w > 1024, "descriptors did not pass FD_SETSIZE");
            Map<Integer, Integer> expected = new HashMap<>();
            List<Integer> readers = new ArrayList<>();
            for (int i = 0; i < pipes.size(); i++) {
                PipePair p = pipes.get(i);
                readers.add(p.r);
                if (i % 7 == 3 || i == 999) {
                    p.write("x");
                    expected.put(p.r, R);
                }
            }
            assertEquals(expected, m.await(readers, List.of(), 1.0));
        } finally {
            for (PipePair p : pipes) {
                p.close();
            }
        }
    }

    /** The JDK's Selector over the same pipes gives the same answers. */
    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void agreesWithJavaNioSelector(Mechanism m) throws Exception {
        Pipe full = Pipe.open();
        Pipe empty = Pipe.open();
        try (Selector selector = Selector.open()) {
            full.sink().write(ByteBuffer.wrap(new byte[] {1}));
            for (Pipe p : List.of(full, empty)) {
                p.source().configureBlocking(false).register(selector, SelectionKey.OP_READ);
                p.sink().configureBlocking(false).register(selector, SelectionKey.OP_WRITE);
            }
            selector.selectNow();
            Map<Object, Integer> nio = new HashMap<>();
            for (SelectionKey key : selector.selectedKeys()) {
                nio.put(key.channel(), (key.isReadable() ? R : 0) | (key.isWritable() ? W : 0));
            }

            List<Object> channels = List.of(full.source(), empty.source(), full.sink(), empty.sink());
            Map<Integer, Object> byFd = new HashMap<>();
            for (Object c : channels) {
                byFd.put(io.jselect.internal.Fds.fileno(c), c);
            }
            Map<Integer, Integer> ours = m.await(
                    List.of(io.jselect.internal.Fds.fileno(full.source()), io.jselect.internal.Fds.fileno(empty.source())),
                    List.of(io.jselect.internal.Fds.fileno(full.sink()), io.jselect.internal.Fds.fileno(empty.sink())),
                    0.0);
            Map<Object, Integer> oursByChannel = new HashMap<>();
            ours.forEach((fd, bits) -> oursByChannel.put(byFd.get(fd), bits));
            assertEquals(nio, oursByChannel);
            assertEquals(3, ours.size(), "full source readable, both sinks writable");
        } finally {
            for (Pipe p : List.of(full, empty)) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
