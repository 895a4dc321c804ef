package io.jselect.benchmarks;

import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.epoll.Native;
import io.netty.channel.epoll.NettyEpollAccess;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The baseline from Netty ({@code netty-transport-native-epoll}): epoll_wait with timeout 0 the way
 * Netty's epoll event loop calls it when it only polls ({@code EpollIoHandler.epollWaitNow}), over
 * {@code keys} pipe read ends, one of them ready (0: an empty set), read from its
 * {@code EpollEventArray}. Registered level-triggered, unlike Netty's channels (edge-triggered by
 * default), so that the ready descriptor is reported on every call, as in the jselect benchmarks with
 * the same {@code keys}.
 */
public class NettyEpollWaitBenchmark extends PerCallBenchmark {
    @Param({"0", "1", "100", "1000"})
    public int keys;

    private Descriptors descriptors;
    private FileDescriptor epfd;
    private EpollEventArray events;

    @Setup(Level.Trial)
    public void open() throws IOException {
        io.netty.channel.epoll.Epoll.ensureAvailability();
        descriptors = Descriptors.keys(keys);
        epfd = Native.newEpollCreate();
        List<Integer> fds = descriptors.fds();
        for (int fd : fds) {
            Native.epollCtlAdd(epfd.intValue(), fd, Native.EPOLLIN);
        }
        events = NettyEpollAccess.newEventArray(EpollWaitBenchmark.MAX_EVENTS);
        descriptors.expectReady("Native.epollWait", NettyEpollAccess.epollWaitNow(epfd, events));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        NettyEpollAccess.free(events);
        epfd.close();
        descriptors.close();
    }

    @Benchmark
    public int epollWait() throws IOException {
        int n = NettyEpollAccess.epollWaitNow(epfd, events);
        int digest = n;
        for (int i = 0; i < n; i++) {
            digest += NettyEpollAccess.fd(events, i) ^ NettyEpollAccess.events(events, i);
        }
        return digest;
    }
}
