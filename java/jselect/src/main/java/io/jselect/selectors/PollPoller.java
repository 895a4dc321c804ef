package io.jselect.selectors;

import io.jselect.ErrnoException;
import io.jselect.Poll;
import io.jselect.internal.NativeBuffer;
import io.jselect.internal.Structs;
import io.jselect.internal.Syscalls;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * poll: the pollfd array is rebuilt from the registrations when they change (entry 0 is the wakeup
 * eventfd), and results map back through a snapshot of the registrations it was built from.
 */
final class PollPoller<D> extends SnapshotPoller<D> {
    private NativeBuffer pollfds;
    @SuppressWarnings("unchecked")
    private Registration<D>[] snapshot = new Registration[0];
    private int n;

    PollPoller(BaseSelector<D> owner, int wakeFd) {
        super(owner, wakeFd);
    }

    @Override
    String name() {
        return "poll";
    }

    /** Holds the owner's lock. */
    @SuppressWarnings("unchecked")
    private void rebuild() {
        List<Registration<D>> regs = owner.snapshotRegistrations();
        n = regs.size() + 1;
        int bytes = n * Structs.POLLFD_SIZE;
        if (pollfds == null || pollfds.size() < bytes) {
            pollfds = new NativeBuffer(Math.max(bytes, pollfds == null ? 0 : 2 * pollfds.size()));
        }
        snapshot = regs.toArray(new Registration[0]);
        ByteBuffer b = pollfds.buffer();
        put(b, 0, wakeFd, Poll.POLLIN);
        for (int i = 0; i < snapshot.length; i++) {
            int events = snapshot[i].key.events();
            put(b, (i + 1) * Structs.POLLFD_SIZE, snapshot[i].fd,
                    ((events & BaseSelector.EVENT_READ) != 0 ? Poll.POLLIN : 0)
                            | ((events & BaseSelector.EVENT_WRITE) != 0 ? Poll.POLLOUT : 0));
        }
        dirty = false;
    }

    private static void put(ByteBuffer b, int off, int fd, int events) {
        b.putInt(off + Structs.POLLFD_FD, fd);
        b.putShort(off + Structs.POLLFD_EVENTS, (short) events);
        b.putShort(off + Structs.POLLFD_REVENTS, (short) 0);
    }

    @Override
    int await(long timeoutNanos) throws ErrnoException {
        NativeBuffer buffer;
        Registration<D>[] regs;
        int count;
        synchronized (owner.lock) {
            if (dirty) {
                rebuild();
            }
            buffer = pollfds;
            regs = snapshot;
            count = n;
        }
        int ready = Syscalls.poll(buffer.address(), count, timeoutNanos);
        ByteBuffer b = buffer.buffer();
        int collected = 0;
        for (int i = 0, seen = 0; seen < ready && i < count; i++) {
            int revents = b.getShort(i * Structs.POLLFD_SIZE + Structs.POLLFD_REVENTS) & 0xFFFF;
            if (revents == 0) {
                continue;
            }
            seen++;
            if (i == 0) {
                owner.drainWakeup();
                continue;
            }
            Registration<D> r = regs[i - 1];
            if (owner.registration(r.fd) == r) { // still registered, and not re-registered
                collected = collect(collected, r, selectorEvents(revents, Poll.POLLIN, Poll.POLLOUT));
            }
        }
        Reference.reachabilityFence(buffer);
        return collected;
    }
}
