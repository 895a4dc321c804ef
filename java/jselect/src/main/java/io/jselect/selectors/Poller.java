package io.jselect.selectors;

import io.jselect.ErrnoException;

/**
 * The mechanism under a selector (epoll, poll or select): the only part that differs between
 * {@link EpollSelector}, {@link PollSelector} and {@link SelectSelector}. {@link BaseSelector} owns the
 * registrations, the wakeup eventfd, validation and thread safety, and calls these under its lock
 * (except {@link #await}, which runs in the selecting thread alone).
 *
 * <p>{@link #await} leaves its results in {@link #ready} and {@link #readyEvents}; the arrays are reused,
 * so a steady-state select allocates nothing.
 */
abstract class Poller<D> {
    /** Registrations reported ready by the last {@link #await}. */
    @SuppressWarnings("unchecked")
    Registration<D>[] ready = new Registration[16];
    /** Their events, as a mask of EVENT_READ and EVENT_WRITE (not yet masked by the key's events). */
    int[] readyEvents = new int[16];

    /** The mechanism's name: {@code epoll}, {@code poll} or {@code select}. */
    abstract String name();

    /**
     * Whether {@link #add} refuses a descriptor that is not open (EBADF) by itself, as epoll_ctl does;
     * for the others the selector asks first.
     */
    boolean refusesClosedDescriptors() {
        return false;
    }

    /** A registration was added; its descriptor is in the table already. */
    abstract void add(Registration<D> r) throws ErrnoException;

    /** A registration's events changed. */
    abstract void modify(Registration<D> r) throws ErrnoException;

    /** A registration was removed; never fails (the descriptor may be closed already). */
    abstract void remove(Registration<D> r);

    /**
     * Waits and collects ready registrations, skipping any whose descriptor was unregistered or
     * re-registered since the wait began. Drains the wakeup eventfd when it fired.
     *
     * @param timeoutNanos nanoseconds, or -1 to block
     * @return how many entries of {@link #ready} are filled
     */
    abstract int await(long timeoutNanos) throws ErrnoException;

    /** Releases the mechanism's own descriptors, after the last {@link #await} returned. */
    abstract void close();

    /** Appends a result, growing the arrays when needed (a growth is the only allocation here). */
    final int collect(int n, Registration<D> r, int events) {
        if (n == ready.length) {
            ready = java.util.Arrays.copyOf(ready, n * 2);
            readyEvents = java.util.Arrays.copyOf(readyEvents, n * 2);
        }
        ready[n] = r;
        readyEvents[n] = events;
        return n + 1;
    }

    /**
     * CPython's mapping from kernel events to selector events: anything but "readable" (errors and
     * hang-ups included) wakes a writer, anything but "writable" wakes a reader.
     */
    static int selectorEvents(int kernelEvents, int in, int out) {
        int events = 0;
        if ((kernelEvents & ~in) != 0) {
            events |= BaseSelector.EVENT_WRITE;
        }
        if ((kernelEvents & ~out) != 0) {
            events |= BaseSelector.EVENT_READ;
        }
        return events;
    }
}
