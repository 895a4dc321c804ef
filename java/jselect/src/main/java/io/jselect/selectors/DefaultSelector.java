package io.jselect.selectors;

import io.jselect.ErrnoException;
import io.jselect.internal.Syscalls;

/**
 * The best selector available here, as Python's {@code selectors.DefaultSelector}: epoll, else poll,
 * else select. Chosen once, by trying each mechanism when this class is first used.
 *
 * @param <D> the type of the data attached to registrations
 */
public final class DefaultSelector<D> extends BaseSelector<D> {
    private static final Mechanism BEST = probe();

    /**
     * Creates the selector.
     *
     * @throws ErrnoException when its descriptors cannot be created, e.g. EMFILE
     */
    public DefaultSelector() throws ErrnoException {
        super(BEST);
    }

    /** epoll unless the kernel refuses it (seccomp sandboxes do), then poll; select always works. */
    private static Mechanism probe() {
        if (!io.jselect.JSelect.isAvailable()) {
            return Mechanism.SELECT; // the constructor reports why nothing works
        }
        int epfd = Syscalls.backend().epollCreate(io.jselect.Epoll.EPOLL_CLOEXEC);
        if (epfd >= 0) {
            Syscalls.backend().close(epfd);
            return Mechanism.EPOLL;
        }
        return Syscalls.backend().poll(0, 0, 0) >= 0 ? Mechanism.POLL : Mechanism.SELECT;
    }
}
