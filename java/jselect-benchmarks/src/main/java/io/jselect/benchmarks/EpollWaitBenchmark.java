package io.jselect.benchmarks;

import io.jselect.Epoll;
import io.jselect.EventBuffer;
import io.jselect.FdEvent;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.TearDown;

/**
 * epoll_wait with timeout 0 through jselect's {@link Epoll}, on an empty set ({@code keys = 0}) and
 * with one registered descriptor, ready ({@code keys = 1}). {@link #eventBuffer} is the zero-allocation
 * path of event loops; {@link #list} is Python's {@code epoll.poll(0)}, a new list of {@link FdEvent}s
 * per call. Every result is read, as a caller would.
 *
 * <p>Beside it: jsel_floor's {@code epoll_wait} (the C floor), {@link EpollWaitRawBackendBenchmark}
 * (the JNI or JNA call alone), {@link NettyEpollWaitBenchmark} and {@link NioSelectNowBenchmark} with
 * the same {@code keys}. The set is "empty" of the caller's descriptors: an {@code Epoll} also holds its
 * idle wakeup eventfd, which costs epoll_wait nothing.
 */
public class EpollWaitBenchmark extends JselectBenchmark {
    /** epoll_wait's maxevents here, in jsel_floor and for Netty (java.nio takes up to 1024): with one
     *  event ready, the size costs nothing, but the same size everywhere leaves no doubt. */
    static final int MAX_EVENTS = 16;

    @Param({"0", "1"})
    public int keys;

    private Descriptors descriptors;
    private Epoll epoll;
    private EventBuffer events;

    @Override
    protected void openFixture() throws IOException {
        descriptors = Descriptors.keys(keys);
        epoll = epollOver(descriptors);
        events = new EventBuffer(MAX_EVENTS);
        descriptors.expectReady("epoll.poll(events, 0.0)", epoll.poll(events, 0.0));
        descriptors.expectReady("epoll.poll(0.0)", epoll.poll(0.0).size());
    }

    /** An {@link Epoll} with every descriptor registered for {@code EPOLLIN}, level-triggered. */
    static Epoll epollOver(Descriptors descriptors) throws IOException {
        Epoll epoll = Epoll.create();
        for (Object source : descriptors.sources()) {
            epoll.register(source, Epoll.EPOLLIN);
        }
        return epoll;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        epoll.close();
        descriptors.close();
    }

    /** {@code epoll.poll(events, 0.0)}: the kernel writes into native memory, nothing is allocated. */
    @Benchmark
    public int eventBuffer() throws IOException {
        int n = epoll.poll(events, 0.0);
        int digest = n;
        for (int i = 0; i < n; i++) {
            digest += events.fd(i) ^ events.events(i);
        }
        return digest;
    }

    /** {@code epoll.poll(0.0)}: Python's API, a list and an {@link FdEvent} per ready descriptor. */
    @Benchmark
    public int list() throws IOException {
        List<FdEvent> ready = epoll.poll(0.0);
        int digest = ready.size();
        for (int i = 0; i < ready.size(); i++) {
            FdEvent e = ready.get(i);
            digest += e.fd() ^ e.events();
        }
        return digest;
    }
}
