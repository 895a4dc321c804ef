package io.jselect.selectors;

import io.jselect.Epoll;
import io.jselect.ErrnoException;
import io.jselect.internal.NativeBuffer;
import io.jselect.internal.Structs;
import io.jselect.internal.Syscalls;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * epoll: each registration is in the kernel's interest list, tagged with its generation in the upper
 * half of the user data and its descriptor in the lower half, so an event queued for a descriptor
 * that was closed and whose number a new registration took is recognised as stale and dropped.
 */
final class EpollPoller<D> extends Poller<D> {
    /** The user data of the wakeup eventfd; no registration's (generation, fd) pair equals it. */
    private static final long WAKEUP = -1L;

    private final BaseSelector<D> owner;
    private final int epfd;
    private NativeBuffer events;
    private int capacity;

    EpollPoller(BaseSelector<D> owner, int wakeFd) throws ErrnoException {
        this.owner = owner;
        this.epfd = Syscalls.epollCreate(Epoll.EPOLL_CLOEXEC);
        try {
            Syscalls.epollCtl(epfd, Syscalls.EPOLL_CTL_ADD, wakeFd, Epoll.EPOLLIN, WAKEUP);
        } catch (ErrnoException e) {
            Syscalls.backend().close(epfd);
            throw e;
        }
        ensureCapacity(16);
    }

    @Override
    String name() {
        return "epoll";
    }

    private static int kernelEvents(int events) {
        return ((events & BaseSelector.EVENT_READ) != 0 ? Epoll.EPOLLIN : 0)
                | ((events & BaseSelector.EVENT_WRITE) != 0 ? Epoll.EPOLLOUT : 0);
    }

    private static long tag(Registration<?> r) {
        return ((long) r.generation << 32) | (r.fd & 0xFFFF_FFFFL);
    }

    @Override
    boolean refusesClosedDescriptors() {
        return true;
    }

    @Override
    void add(Registration<D> r) throws ErrnoException {
        Syscalls.epollCtl(epfd, Syscalls.EPOLL_CTL_ADD, r.fd, kernelEvents(r.key.events()), tag(r));
    }

    @Override
    void modify(Registration<D> r) throws ErrnoException {
        Syscalls.epollCtl(epfd, Syscalls.EPOLL_CTL_MOD, r.fd, kernelEvents(r.key.events()), tag(r));
    }

    @Override
    void remove(Registration<D> r) {
        // EBADF or ENOENT when the descriptor was closed first: closing already removed it.
        Syscalls.backend().epollCtl(epfd, Syscalls.EPOLL_CTL_DEL, r.fd, 0, 0);
    }

    private void ensureCapacity(int wanted) {
        if (wanted > capacity) {
            capacity = Math.max(wanted, capacity * 2);
            events = new NativeBuffer(capacity * Structs.EPOLL_EVENT_SIZE);
        }
    }

    @Override
    int await(long timeoutNanos) throws ErrnoException {
        // CPython's maxevents = max(len(keys), 1); one more for the wakeup eventfd.
        ensureCapacity(Math.max(owner.registrationCount(), 1) + 1);
        NativeBuffer buffer = events;
        int n = Syscalls.epollWait(epfd, buffer.address(), capacity, timeoutNanos);
        ByteBuffer b = buffer.buffer();
        int count = 0;
        for (int i = 0, off = 0; i < n; i++, off += Structs.EPOLL_EVENT_SIZE) {
            long data = b.getLong(off + Structs.EPOLL_EVENT_DATA);
            if (data == WAKEUP) {
                owner.drainWakeup();
                continue;
            }
            Registration<D> r = owner.registration((int) data);
            if (r == null || r.generation != (int) (data >>> 32)) {
                continue; // unregistered, or its number now belongs to a newer registration
            }
            int kernel = b.getInt(off + Structs.EPOLL_EVENT_EVENTS);
            count = collect(count, r, selectorEvents(kernel, Epoll.EPOLLIN, Epoll.EPOLLOUT));
        }
        Reference.reachabilityFence(buffer);
        return count;
    }

    @Override
    void close() {
        Syscalls.backend().close(epfd);
    }
}
