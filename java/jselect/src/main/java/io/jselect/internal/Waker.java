package io.jselect.internal;

import io.jselect.ErrnoException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The wakeup and close protocol shared by {@link io.jselect.Epoll} and the selectors, after the JDK's
 * EPollSelectorImpl: an eventfd the waiting call also watches, written at most once until the waiter
 * drains it (wakeups coalesce), and a close that wakes the waiter and waits for every call inside the
 * {@link CloseGuard} to leave before the descriptors are released.
 */
public final class Waker {
    private final CloseGuard guard;
    private final int fd;
    private final AtomicBoolean pending = new AtomicBoolean();

    /**
     * Creates the eventfd (non-blocking, close-on-exec).
     *
     * @param guard the guard of the object that owns this waker
     */
    public Waker(CloseGuard guard) throws ErrnoException {
        this.guard = guard;
        this.fd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC | Syscalls.EFD_NONBLOCK);
    }

    /** The eventfd, for the waiting call to watch for reading. */
    public int fd() {
        return fd;
    }

    /** Wakes the current or next wait; a no-op once the owner is closed. Safe from any thread. */
    public void wakeup() {
        if (!guard.enter()) {
            return;
        }
        try {
            if (!pending.getAndSet(true)) {
                Syscalls.eventfdSignal(fd);
            }
        } catch (ErrnoException e) {
            throw new UncheckedIOException(e);
        } finally {
            guard.exit();
        }
    }

    /** Called by the waiter when the eventfd was reported readable. */
    public void drain() throws ErrnoException {
        pending.set(false); // before draining: a wakeup landing in between is kept, not lost
        Syscalls.eventfdDrain(fd);
    }

    /**
     * Closes the guard, wakes a blocked wait and waits until every call inside has left.
     *
     * @return {@code true} for the one caller that closed the guard, which must then release the
     *     owner's descriptors and call {@link #release()}
     */
    public boolean closeAndAwaitIdle() {
        if (!guard.close()) {
            guard.awaitIdle();
            return false;
        }
        Syscalls.backend().eventfdWrite(fd, 1); // EAGAIN means a wakeup is pending already: fine
        guard.awaitIdle();
        return true;
    }

    /** Closes the eventfd, after {@link #closeAndAwaitIdle()} returned {@code true}. */
    public void release() {
        Syscalls.backend().close(fd);
    }
}
