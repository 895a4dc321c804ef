package io.jselect.selectors;

import io.jselect.Errno;
import io.jselect.ErrnoException;
import io.jselect.internal.Syscalls;
import java.util.Arrays;
import java.util.List;

/**
 * select: the read list (the wakeup eventfd first) and the write list are rebuilt from the
 * registrations when they change, and copied fresh into the array select(2) rewrites on each call.
 * The core sizes its fd sets to the largest descriptor, so descriptors past 1024 work.
 */
final class SelectPoller<D> extends SnapshotPoller<D> {
    /** The read list then the write list, as built; {@link #work} is what select(2) rewrites. */
    private int[] lists = new int[1];
    private int[] work = new int[1];
    private int nread;
    private int nwrite;
    /** For each list entry past the wakeup eventfd, the index into {@link #snapshot}. */
    private int[] owners = new int[0];
    @SuppressWarnings("unchecked")
    private Registration<D>[] snapshot = new Registration[0];
    /** Per snapshot entry, the events found ready in this call. */
    private int[] found = new int[0];

    SelectPoller(BaseSelector<D> owner, int wakeFd) {
        super(owner, wakeFd);
    }

    @Override
    String name() {
        return "select";
    }

    /** Whether registrations changed since the lists were built. */
    private boolean stale() {
        synchronized (owner.lock) {
            return dirty;
        }
    }

    /** Holds the owner's lock. */
    @SuppressWarnings("unchecked")
    private void rebuild() {
        List<Registration<D>> regs = owner.snapshotRegistrations();
        snapshot = regs.toArray(new Registration[0]);
        int readers = 0;
        int writers = 0;
        for (Registration<D> r : snapshot) {
            readers += (r.key.events() & BaseSelector.EVENT_READ) != 0 ? 1 : 0;
            writers += (r.key.events() & BaseSelector.EVENT_WRITE) != 0 ? 1 : 0;
        }
        nread = readers + 1;
        nwrite = writers;
        lists = new int[nread + nwrite];
        work = new int[lists.length];
        owners = new int[lists.length];
        found = new int[snapshot.length];
        lists[0] = wakeFd;
        int r = 1;
        int w = nread;
        for (int i = 0; i < snapshot.length; i++) {
            int events = snapshot[i].key.events();
            if ((events & BaseSelector.EVENT_READ) != 0) {
                owners[r] = i;
                lists[r++] = snapshot[i].fd;
            }
            if ((events & BaseSelector.EVENT_WRITE) != 0) {
                owners[w] = i;
                lists[w++] = snapshot[i].fd;
            }
        }
        dirty = false;
    }

    @Override
    int await(long timeoutNanos) throws ErrnoException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long remaining = timeoutNanos;
        Registration<D>[] regs;
        int[] fds;
        int[] entryOwners;
        int[] events;
        int reads;
        int writes;
        int ready;
        for (;;) {
            synchronized (owner.lock) {
                if (dirty) {
                    rebuild();
                }
                regs = snapshot;
                fds = work;
                entryOwners = owners;
                events = found;
                reads = nread;
                writes = nwrite;
                System.arraycopy(lists, 0, fds, 0, fds.length);
            }
            try {
                ready = Syscalls.select(fds, reads, writes, 0, remaining);
                break;
            } catch (ErrnoException e) {
                // Unlike poll (POLLNVAL for that entry) and epoll (closing removes it), select(2) fails as a
                // whole for one closed descriptor. One that another thread unregistered and closed after
                // the lists were copied is no error (issue 10: EBADF hundreds of times in 2 s): the lists
                // are stale, so rebuild them and wait for what remains. A descriptor closed while still
                // registered stays an error, as in CPython.
                if (e.errno() != Errno.EBADF || !stale()) {
                    throw e;
                }
                if (timeoutNanos > 0 && (remaining = deadline - System.nanoTime()) <= 0) {
                    return 0;
                }
            }
        }
        if (ready == 0) {
            return 0;
        }
        if (fds[0] >= 0) {
            owner.drainWakeup();
        }
        Arrays.fill(events, 0);
        for (int i = 1; i < fds.length; i++) {
            if (fds[i] >= 0) {
                events[entryOwners[i]] |= i < reads ? BaseSelector.EVENT_READ : BaseSelector.EVENT_WRITE;
            }
        }
        int collected = 0;
        for (int i = 0; i < regs.length; i++) {
            if (events[i] != 0 && owner.registration(regs[i].fd) == regs[i]) {
                collected = collect(collected, regs[i], events[i]);
            }
        }
        return collected;
    }
}
