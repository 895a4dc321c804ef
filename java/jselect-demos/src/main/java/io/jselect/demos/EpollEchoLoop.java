package io.jselect.demos;

import io.jselect.Epoll;
import io.jselect.ErrnoException;
import io.jselect.EventBuffer;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.util.Arrays;

/**
 * The echo loop on epoll, level- or edge-triggered, through the zero-allocation event buffer: per
 * round trip one epoll_wait, one read and one write, as a C server would do.
 */
final class EpollEchoLoop extends EchoLoop {
    private final Epoll epoll = Epoll.create();
    private final EventBuffer events = new EventBuffer(256);
    private final boolean edge;
    private final int listenerFd;
    private Connection[] byFd = new Connection[1024];
    /** The mask each descriptor is registered with (level-triggered), to skip needless epoll_ctl calls. */
    private int[] masks = new int[1024];

    EpollEchoLoop(Sock listener, EchoServer.Config config, boolean edgeTriggered) throws ErrnoException {
        super(listener, config);
        this.edge = edgeTriggered;
        this.listenerFd = listener.fileno();
        epoll.register(listenerFd, Epoll.EPOLLIN | (edge ? Epoll.EPOLLET : 0));
    }

    @Override
    boolean edgeTriggered() {
        return edge;
    }

    @Override
    void waitAndHandle() throws IOException {
        // Blocks: close() wakes it. A timeout would arm and cancel a kernel timer on every sleep.
        double timeout = waitSeconds(-1);
        int n = timeout < 0 ? epoll.poll(events) : epoll.poll(events, timeout);
        for (int i = 0; i < n; i++) {
            int fd = events.fd(i);
            int ev = events.events(i);
            if (fd == listenerFd) {
                onAcceptable();
                continue;
            }
            Connection c = fd < byFd.length ? byFd[fd] : null;
            if (c == null) {
                continue;
            }
            if ((ev & (Epoll.EPOLLIN | Epoll.EPOLLHUP | Epoll.EPOLLERR | Epoll.EPOLLRDHUP)) != 0) {
                onReadable(c);
            }
            if ((ev & Epoll.EPOLLOUT) != 0 && c.fileno() >= 0) {
                onWritable(c);
            }
        }
    }

    @Override
    void watch(Connection c, boolean read, boolean write) throws ErrnoException {
        int fd = c.fileno();
        if (!read && !write) {
            if (fd < byFd.length && byFd[fd] == c) {
                byFd[fd] = null;
                masks[fd] = 0;
                epoll.unregister(fd);
            }
            return;
        }
        if (fd >= byFd.length) {
            int size = Math.max(fd + 1, byFd.length * 2);
            byFd = Arrays.copyOf(byFd, size);
            masks = Arrays.copyOf(masks, size);
        }
        if (edge) {
            // Registered once for both directions; the loop's own flags decide what it does on each edge.
            if (byFd[fd] != c) {
                byFd[fd] = c;
                epoll.register(fd, Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP | Epoll.EPOLLET);
            }
            return;
        }
        int mask = (read ? Epoll.EPOLLIN : 0) | (write ? Epoll.EPOLLOUT : 0);
        if (byFd[fd] != c) {
            byFd[fd] = c;
            masks[fd] = mask;
            epoll.register(fd, mask);
        } else if (masks[fd] != mask) {
            masks[fd] = mask;
            epoll.modify(fd, mask);
        }
    }

    @Override
    void watchListener(boolean watch) throws ErrnoException {
        // EPOLL_CTL_MOD re-checks readiness, so a connection already waiting raises a new edge.
        epoll.modify(listenerFd, watch ? Epoll.EPOLLIN | (edge ? Epoll.EPOLLET : 0) : 0);
    }

    @Override
    void wake() {
        epoll.wakeup();
    }

    @Override
    void closeMechanism() {
        epoll.close();
    }
}
