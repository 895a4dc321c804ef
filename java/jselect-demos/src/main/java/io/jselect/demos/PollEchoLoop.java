package io.jselect.demos;

import io.jselect.ErrnoException;
import io.jselect.FdEvent;
import io.jselect.Poll;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.util.Arrays;

/** The echo loop on poll(2): the same service, no limit on descriptor numbers. */
final class PollEchoLoop extends EchoLoop {
    private final Poll poll = Poll.create();
    private final WakePipe waker = new WakePipe();
    private Connection[] byFd = new Connection[1024];

    PollEchoLoop(Sock listener, EchoServer.Config config) throws ErrnoException {
        super(listener, config);
        poll.register(listener, Poll.POLLIN);
        poll.register(waker, Poll.POLLIN);
    }

    @Override
    void waitAndHandle() throws IOException {
        for (FdEvent e : poll.poll(waitSeconds(1.0) * 1000)) {
            int fd = e.fd();
            if (fd == listener.fileno()) {
                onAcceptable();
            } else if (fd == waker.fileno()) {
                waker.drain();
            } else {
                Connection c = fd < byFd.length ? byFd[fd] : null;
                if (c == null) {
                    continue;
                }
                if ((e.events() & (Poll.POLLIN | Poll.POLLHUP | Poll.POLLERR | Poll.POLLNVAL)) != 0) {
                    onReadable(c);
                }
                if ((e.events() & Poll.POLLOUT) != 0 && c.fileno() >= 0) {
                    onWritable(c);
                }
            }
        }
    }

    @Override
    void watch(Connection c, boolean read, boolean write) {
        int fd = c.fileno();
        if (!read && !write) {
            if (fd < byFd.length && byFd[fd] == c) {
                byFd[fd] = null;
                poll.unregister(fd);
            }
            return;
        }
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        }
        byFd[fd] = c;
        poll.register(fd, (read ? Poll.POLLIN : 0) | (write ? Poll.POLLOUT : 0)); // replaces the mask
    }

    @Override
    void watchListener(boolean watch) throws ErrnoException {
        if (watch) {
            poll.register(listener, Poll.POLLIN);
        } else {
            poll.unregister(listener);
        }
    }

    @Override
    void wake() {
        waker.wake();
    }

    @Override
    void closeMechanism() {
        waker.close();
    }
}
