package io.netty.channel.epoll;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;

/**
 * The parts of Netty's epoll binding that its own event loop uses and that Netty keeps package-private:
 * an {@link EpollEventArray} (its constructor), the zero-timeout {@code Native.epollWait} that
 * {@code EpollIoHandler.epollWaitNow()} calls, and the event accessors. Lives in Netty's package, which
 * works on the class path where the benchmarks run. The only public {@code epollWait} (deprecated,
 * with a timerfd) routes a zero timeout to this same call, but needs the array all the same.
 */
public final class NettyEpollAccess {
    private NettyEpollAccess() {
    }

    /** A native array of {@code length} {@code struct epoll_event}; free it with {@link #free}. */
    public static EpollEventArray newEventArray(int length) {
        return new EpollEventArray(length);
    }

    /** epoll_wait with timeout 0: the ready count; throws as Netty does when the call fails. */
    public static int epollWaitNow(FileDescriptor epfd, EpollEventArray events) throws IOException {
        return Native.epollWait(epfd, events, true);
    }

    /** The descriptor of event {@code i}, as Netty registers it (the data is the fd). */
    public static int fd(EpollEventArray events, int i) {
        return events.fd(i);
    }

    /** The events of event {@code i}. */
    public static int events(EpollEventArray events, int i) {
        return events.events(i);
    }

    public static void free(EpollEventArray events) {
        events.free();
    }
}
