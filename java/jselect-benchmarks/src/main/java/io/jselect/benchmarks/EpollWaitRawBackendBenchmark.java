package io.jselect.benchmarks;

import io.jselect.Epoll;
import io.jselect.internal.Backend;
import io.jselect.internal.NativeBuffer;
import io.jselect.internal.Structs;
import io.jselect.internal.Syscalls;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A diagnostic, through jselect's internal API: the backend's {@code epollWait} called directly, with
 * timeout 0, without what {@link Epoll#poll(io.jselect.EventBuffer, double)} adds around it (the
 * closed-check, timeout conversion, EINTR loop and wakeup filtering). Its distance to jsel_floor's
 * {@code epoll_wait} is the price of the JNI or JNA transition alone; the distance from it to
 * {@link EpollWaitBenchmark#eventBuffer} is the price of jselect's policy layer.
 */
public class EpollWaitRawBackendBenchmark extends JselectBenchmark {
    @Param({"0", "1"})
    public int keys;

    private Descriptors descriptors;
    private Epoll epoll;
    private Backend raw;
    private int epfd;
    private NativeBuffer events;
    private long address;

    @Override
    protected void openFixture() throws IOException {
        descriptors = Descriptors.keys(keys);
        epoll = EpollWaitBenchmark.epollOver(descriptors);
        raw = Syscalls.backend();
        epfd = epoll.fileno();
        events = new NativeBuffer(EpollWaitBenchmark.MAX_EVENTS * Structs.EPOLL_EVENT_SIZE);
        address = events.address();
        descriptors.expectReady("Backend.epollWait", raw.epollWait(epfd, address, EpollWaitBenchmark.MAX_EVENTS, 0));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        epoll.close();
        descriptors.close();
    }

    /** {@code Backend.epollWait(epfd, events, 16, 0)}, the results read from the native buffer. */
    @Benchmark
    public int epollWait() {
        int n = raw.epollWait(epfd, address, EpollWaitBenchmark.MAX_EVENTS, 0);
        ByteBuffer b = events.buffer();
        int digest = n;
        for (int i = 0, off = 0; i < n; i++, off += Structs.EPOLL_EVENT_SIZE) {
            digest += (int) b.getLong(off + Structs.EPOLL_EVENT_DATA) ^ b.getInt(off + Structs.EPOLL_EVENT_EVENTS);
        }
        Reference.reachabilityFence(events);
        return digest;
    }
}
