package io.jselect.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a descriptor open while any call is using it, so that {@code close()} from another thread
 * can neither pull it from under a blocked wait nor let its number be reused by someone else's
 * {@code open} while a call might still pass it to the kernel (the JDK's selectors do the same).
 *
 * <p>Every call brackets its use with {@link #enter()} and {@link #exit()}: one atomic increment and
 * one decrement on the fast path. {@link #close()} marks the guard closed, so later entries fail, and
 * {@link #awaitIdle()} then waits for the calls already inside to leave.
 */
public final class CloseGuard {
    private static final int CLOSED = 1 << 30;

    /** The number of calls inside, plus {@link #CLOSED} once closed. */
    private final AtomicInteger state = new AtomicInteger();

    /**
     * Enters a call.
     *
     * @return {@code false} when closed: the caller must not touch the descriptor (and must not call
     *     {@link #exit()})
     */
    public boolean enter() {
        if ((state.getAndIncrement() & CLOSED) == 0) {
            return true;
        }
        exit();
        return false;
    }

    /** Leaves a call entered with {@link #enter()}. */
    public void exit() {
        if (state.decrementAndGet() == CLOSED) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Returns {@code true} once {@link #close()} was called. */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Returns {@code true} while some call is inside, between {@link #enter()} and {@link #exit()}. */
    public boolean busy() {
        return (state.get() & ~CLOSED) != 0;
    }

    /**
     * Marks the guard closed; later {@link #enter()} calls fail.
     *
     * @return {@code true} for the one call that closed it, {@code false} if it was already closed
     */
    public boolean close() {
        return (state.getAndUpdate(s -> s | CLOSED) & CLOSED) == 0;
    }

    /** After {@link #close()}: waits until every call inside has left. Not interruptible by design. */
    public void awaitIdle() {
        boolean interrupted = false;
        synchronized (this) {
            while (state.get() != CLOSED) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
