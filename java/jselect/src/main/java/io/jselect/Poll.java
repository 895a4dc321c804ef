package io.jselect;

import io.jselect.internal.Fds;
import io.jselect.internal.NativeBuffer;
import io.jselect.internal.Structs;
import io.jselect.internal.Syscalls;
import io.jselect.internal.Timeouts;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A poll object: Python's {@code select.poll()}, with the same names and behaviour. It owns no
 * descriptor; it keeps the registered set and hands it to poll(2) on each call.
 *
 * <pre>{@code
 * Poll p = Poll.create();
 * p.register(fd, Poll.POLLIN);
 * for (FdEvent e : p.poll(1000)) { ... }   // milliseconds, as in Python
 * }</pre>
 *
 * <p>{@code register}, {@code modify} and {@code unregister} are thread-safe and take effect at the
 * next {@code poll}. As in Python, one {@code poll} at a time: a second, concurrent one throws
 * {@link IllegalStateException}.
 */
public final class Poll {
    /** There is data to read. */
    public static final int POLLIN = 0x001;
    /** There is urgent data to read (e.g. TCP out-of-band data). */
    public static final int POLLPRI = 0x002;
    /** Writing is possible without blocking. */
    public static final int POLLOUT = 0x004;
    /** An error condition (reported in revents whether asked for or not). */
    public static final int POLLERR = 0x008;
    /** Hung up: the peer closed its end (reported whether asked for or not). */
    public static final int POLLHUP = 0x010;
    /** Invalid request: the descriptor is not open (reported whether asked for or not). */
    public static final int POLLNVAL = 0x020;
    /** Normal data may be read. */
    public static final int POLLRDNORM = 0x040;
    /** Priority band data may be read. */
    public static final int POLLRDBAND = 0x080;
    /** Normal data may be written. */
    public static final int POLLWRNORM = 0x100;
    /** Priority data may be written. */
    public static final int POLLWRBAND = 0x200;
    /** Unused by Linux; there for Python's list of constants. */
    public static final int POLLMSG = 0x400;
    /** The stream socket's peer closed its end or shut down writing (Linux 2.6.17+). */
    public static final int POLLRDHUP = 0x2000;

    /** Python's default for {@code register}: {@code POLLIN | POLLPRI | POLLOUT}. */
    public static final int DEFAULT_EVENTMASK = POLLIN | POLLPRI | POLLOUT;

    private final Object lock = new Object();
    /** Registered descriptors and their masks, in registration order (as Python's dict). */
    private final Map<Integer, Integer> registered = new LinkedHashMap<>();
    /** Whether {@link #pollfds} is out of date with {@link #registered}. */
    private boolean dirty = true;
    private boolean polling;
    private NativeBuffer pollfds;
    private int npollfds;

    private Poll() {
    }

    /**
     * Creates a poll object.
     *
     * @return the new object
     */
    public static Poll create() {
        Syscalls.requireAvailable();
        return new Poll();
    }

    /**
     * Registers a descriptor with {@link #DEFAULT_EVENTMASK}; see {@link #register(Object, int)}.
     *
     * @param fd an {@code Integer}, a {@link FileNo}, or a JDK object holding a descriptor
     * @throws IllegalArgumentException when {@code fd} is not a descriptor or is negative
     */
    public void register(Object fd) {
        register(fd, DEFAULT_EVENTMASK);
    }

    /**
     * Registers a descriptor, or replaces the mask of one already registered (as Python does).
     *
     * @param fd an {@code Integer}, a {@link FileNo}, or a JDK object holding a descriptor
     * @param eventmask the {@code POLL*} events to wait for, an unsigned short
     * @throws IllegalArgumentException when {@code fd} is not a descriptor or is negative, or the
     *     mask does not fit in an unsigned short
     */
    public void register(Object fd, int eventmask) {
        int descriptor = Fds.fileno(fd);
        checkMask(eventmask);
        synchronized (lock) {
            registered.put(descriptor, eventmask);
            dirty = true;
        }
    }

    /**
     * Changes the mask of a registered descriptor.
     *
     * @param fd an {@code Integer}, a {@link FileNo}, or a JDK object holding a descriptor
     * @param eventmask the {@code POLL*} events to wait for, an unsigned short
     * @throws IllegalArgumentException when {@code fd} is not a descriptor or is negative, or the
     *     mask does not fit in an unsigned short
     * @throws NoSuchEntryException when it is not registered ({@code [Errno 2]}, as Python)
     * @see #register(Object, int)
     */
    public void modify(Object fd, int eventmask) throws ErrnoException {
        int descriptor = Fds.fileno(fd);
        checkMask(eventmask);
        synchronized (lock) {
            if (!registered.containsKey(descriptor)) {
                throw Syscalls.exception(Errno.ENOENT, "poll.modify(fd=" + descriptor + ")");
            }
            registered.put(descriptor, eventmask);
            dirty = true;
        }
    }

    /**
     * Removes a descriptor.
     *
     * @param fd an {@code Integer}, a {@link FileNo}, or a JDK object holding a descriptor; a closed
     *     one is fine as long as its number is known (an {@code Integer})
     * @throws IllegalArgumentException when {@code fd} is not a descriptor or is negative
     * @throws java.util.NoSuchElementException when it is not registered (Python's {@code KeyError})
     */
    public void unregister(Object fd) {
        int descriptor = Fds.fileno(fd);
        synchronized (lock) {
            if (registered.remove(descriptor) == null) {
                throw new java.util.NoSuchElementException("fd " + descriptor + " is not registered");
            }
            dirty = true;
        }
    }

    /**
     * Waits for events without a timeout; see {@link #poll(Double)}.
     *
     * @return the descriptors with non-zero revents, in registration order; empty after a timeout
     * @throws IllegalStateException when another thread is inside {@code poll} on this object
     * @throws ErrnoException when poll(2) fails (ENOMEM, EINVAL past the descriptor limit)
     */
    public List<FdEvent> poll() throws ErrnoException {
        return pollNanos(Timeouts.BLOCK);
    }

    /**
     * Waits at most {@code timeoutMillis} for events; see {@link #poll(Double)}.
     *
     * @param timeoutMillis milliseconds (not seconds, as in Python); negative blocks; fractions are
     *     rounded up
     * @return the descriptors with non-zero revents, in registration order; empty after a timeout
     * @throws IllegalStateException when another thread is inside {@code poll} on this object
     * @throws ErrnoException when poll(2) fails (ENOMEM, EINVAL past the descriptor limit)
     * @throws IllegalArgumentException when the timeout is NaN
     */
    public List<FdEvent> poll(double timeoutMillis) throws ErrnoException {
        return pollNanos(Timeouts.fromMillis(timeoutMillis, true));
    }

    /**
     * Waits for events; Python's {@code poll.poll(timeout=None)}.
     *
     * @param timeoutMillis milliseconds (not seconds, as in Python); {@code null} or negative blocks;
     *     fractions are rounded up. A signal does not cut the wait short.
     * @return the descriptors with non-zero revents, in registration order; empty after a timeout.
     *     A closed descriptor is reported with {@link #POLLNVAL}.
     * @throws IllegalArgumentException when the timeout is NaN
     * @throws IllegalStateException when another thread is inside {@code poll} on this object
     * @throws ErrnoException when poll(2) fails (ENOMEM, EINVAL past the descriptor limit)
     */
    public List<FdEvent> poll(Double timeoutMillis) throws ErrnoException {
        return pollNanos(Timeouts.fromMillis(timeoutMillis, true));
    }

    private List<FdEvent> pollNanos(long timeoutNanos) throws ErrnoException {
        NativeBuffer buffer;
        int n;
        synchronized (lock) {
            if (polling) {
                throw new IllegalStateException("concurrent poll() invocation");
            }
            if (dirty) {
                rebuild();
            }
            polling = true;
            buffer = pollfds;
            n = npollfds;
        }
        try {
            int ready = Syscalls.poll(buffer == null ? 0 : buffer.address(), n, timeoutNanos);
            List<FdEvent> events = new ArrayList<>(ready);
            ByteBuffer b = ready == 0 ? null : buffer.buffer();
            for (int i = 0, off = 0; events.size() < ready && i < n; i++, off += Structs.POLLFD_SIZE) {
                int revents = b.getShort(off + Structs.POLLFD_REVENTS) & 0xFFFF;
                if (revents != 0) {
                    events.add(new FdEvent(b.getInt(off + Structs.POLLFD_FD), revents));
                }
            }
            return events;
        } finally {
            Reference.reachabilityFence(buffer);
            synchronized (lock) {
                polling = false;
            }
        }
    }

    /** Writes {@link #registered} into the pollfd array, growing it as needed. Holds {@link #lock}. */
    private void rebuild() {
        int n = registered.size();
        int bytes = Math.max(n, 1) * Structs.POLLFD_SIZE;
        if (pollfds == null || pollfds.size() < bytes) {
            pollfds = new NativeBuffer(Math.max(bytes, 2 * (pollfds == null ? 0 : pollfds.size())));
        }
        ByteBuffer b = pollfds.buffer();
        Iterator<Map.Entry<Integer, Integer>> it = registered.entrySet().iterator();
        for (int off = 0; it.hasNext(); off += Structs.POLLFD_SIZE) {
            Map.Entry<Integer, Integer> e = it.next();
            b.putInt(off + Structs.POLLFD_FD, e.getKey());
            b.putShort(off + Structs.POLLFD_EVENTS, (short) (int) e.getValue());
            b.putShort(off + Structs.POLLFD_REVENTS, (short) 0);
        }
        npollfds = n;
        dirty = false;
    }

    private static void checkMask(int eventmask) {
        if (eventmask < 0 || eventmask > 0xFFFF) {
            throw new IllegalArgumentException(
                    "eventmask must fit in an unsigned short (0 to 65535), got " + eventmask);
        }
    }
}
