package io.jselect;

import io.jselect.internal.CloseGuard;
import io.jselect.internal.Fds;
import io.jselect.internal.Syscalls;
import io.jselect.internal.Timeouts;
import io.jselect.internal.Waker;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An epoll object: Python's {@code select.epoll}, with the same names and behaviour, plus
 * {@link #wakeup()}, a zero-allocation {@link #poll(EventBuffer, double)}, and a {@link #close()} that
 * is safe while another thread is polling.
 *
 * <pre>{@code
 * try (Epoll ep = Epoll.create()) {
 *     ep.register(fd, Epoll.EPOLLIN);
 *     for (FdEvent e : ep.poll(1.0)) { ... }
 * }
 * }</pre>
 *
 * <p>Every method is thread-safe. {@code register}, {@code modify} and {@code unregister} from other
 * threads take effect in a {@code poll} that is already waiting, as epoll itself does. After
 * {@link #close()}, every method but {@code close()} and {@link #closed()} throws
 * {@link IllegalStateException}, and {@link #wakeup()} does nothing.
 *
 * <p>The object owns one more descriptor than Python's, an eventfd for {@link #wakeup()}; it never
 * appears in results.
 */
public final class Epoll implements FileNo, AutoCloseable {
    /** There is data to read. */
    public static final int EPOLLIN = 0x001;
    /** There is urgent data to read (e.g. TCP out-of-band data). */
    public static final int EPOLLPRI = 0x002;
    /** Writing is possible without blocking. */
    public static final int EPOLLOUT = 0x004;
    /** An error condition (always reported; need not be asked for). */
    public static final int EPOLLERR = 0x008;
    /** Hung up: the peer closed its end (always reported; need not be asked for). */
    public static final int EPOLLHUP = 0x010;
    /** Normal data may be read. */
    public static final int EPOLLRDNORM = 0x040;
    /** Priority band data may be read. */
    public static final int EPOLLRDBAND = 0x080;
    /** Normal data may be written. */
    public static final int EPOLLWRNORM = 0x100;
    /** Priority data may be written. */
    public static final int EPOLLWRBAND = 0x200;
    /** Unused by Linux; there for Python's list of constants. */
    public static final int EPOLLMSG = 0x400;
    /** The stream socket's peer closed its end or shut down writing. */
    public static final int EPOLLRDHUP = 0x2000;
    /** Wake one of several epoll objects waiting on the same descriptor, not all (Linux 4.5+; {@code register} only). */
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    /** Keep the system from suspending while the event is pending (needs CAP_BLOCK_SUSPEND). */
    public static final int EPOLLWAKEUP = 1 << 29;
    /** Report the descriptor once, then disable it until {@code modify} re-arms it. */
    public static final int EPOLLONESHOT = 1 << 30;
    /** Edge-triggered: report a change of readiness, not the state (read until EAGAIN). */
    public static final int EPOLLET = 1 << 31;
    /** The flag of {@link #create(int, int)}; the descriptor is close-on-exec either way. */
    public static final int EPOLL_CLOEXEC = 0x80000;

    /** Python's default for {@code register}: {@code EPOLLIN | EPOLLPRI | EPOLLOUT}. */
    public static final int DEFAULT_EVENTMASK = EPOLLIN | EPOLLPRI | EPOLLOUT;
    /** Python's {@code maxevents} when it is -1: {@code FD_SETSIZE - 1}. */
    static final int DEFAULT_MAXEVENTS = 1023;
    /** The user data of the wakeup eventfd; registered descriptors carry their number (0..2^31-1). */
    private static final long WAKEUP_DATA = -1L;
    private static final String CLOSED = "I/O operation on closed epoll object";

    private final int epfd;
    private final CloseGuard guard = new CloseGuard();
    private final Waker waker;
    /** A buffer kept for the list-returning polls; taken by one poll at a time. */
    private final AtomicReference<EventBuffer> spare = new AtomicReference<>();

    /**
     * Adds a wakeup eventfd to {@code epfd}, which the object then owns.
     *
     * @param owned whether {@code epfd} is ours to close when this fails ({@code fromfd}'s is the caller's)
     * @param origin the call, with the caller's descriptor, that errors name (never the internal eventfd)
     */
    private Epoll(int epfd, boolean owned, String origin) throws ErrnoException {
        Waker created = null;
        try {
            try {
                created = new Waker(guard);
            } catch (ErrnoException e) {
                throw Syscalls.exception(e.errno(), origin + ": eventfd()");
            }
            int rc = Syscalls.backend().epollCtl(epfd, Syscalls.EPOLL_CTL_ADD, created.fd(), EPOLLIN, WAKEUP_DATA);
            if (rc < 0) {
                throw Syscalls.exception(-rc, origin);
            }
        } catch (ErrnoException e) {
            if (created != null) {
                created.release();
            }
            if (owned) {
                closeQuietly(epfd);
            }
            throw e;
        }
        this.epfd = epfd;
        this.waker = created;
    }

    /**
     * Creates an epoll object (close-on-exec, as Python's since 3.4).
     *
     * @return the new object
     * @throws ErrnoException when epoll_create1 fails, e.g. EMFILE
     */
    public static Epoll create() throws ErrnoException {
        return create(-1, 0);
    }

    /**
     * Creates an epoll object; Python's {@code select.epoll(sizehint, flags)}.
     *
     * @param sizehint ignored by the kernel, but as in Python it must be -1 or positive
     * @param flags 0 or {@link #EPOLL_CLOEXEC}; the descriptor is close-on-exec either way
     * @return the new object
     * @throws IllegalArgumentException for another sizehint or flags
     * @throws ErrnoException when epoll_create1 fails
     */
    public static Epoll create(int sizehint, int flags) throws ErrnoException {
        if (sizehint != -1 && sizehint <= 0) {
            throw new IllegalArgumentException("sizehint must be -1 or positive, got " + sizehint);
        }
        if (flags != 0 && flags != EPOLL_CLOEXEC) {
            throw new IllegalArgumentException("flags must be 0 or EPOLL_CLOEXEC, got " + flags);
        }
        Syscalls.requireAvailable();
        int epfd = Syscalls.epollCreate(EPOLL_CLOEXEC);
        return new Epoll(epfd, true, "epoll_ctl(epfd=" + epfd + ", EPOLL_CTL_ADD, its wakeup eventfd)");
    }

    /**
     * Wraps an existing epoll descriptor, which the new object then owns and closes; Python's
     * {@code select.epoll.fromfd(fd)}. On failure the descriptor is left open, the caller's to close.
     *
     * @param fd an epoll descriptor, {@code >= 0}
     * @return the new object
     * @throws IllegalArgumentException when {@code fd} is negative
     * @throws ErrnoException when {@code fd} is not an epoll descriptor (EINVAL) or not open (EBADF); the
     *     message names {@code fd}, as in {@code fromfd(fd=5): [Errno 22] Invalid argument}
     */
    public static Epoll fromfd(int fd) throws ErrnoException {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor cannot be a negative integer (" + fd + ")");
        }
        Syscalls.requireAvailable();
        String origin = "fromfd(fd=" + fd + ")";
        // Checked first: a closed number would be the wakeup eventfd's next, and epoll_ctl would then say
        // EINVAL (an epoll instance cannot watch itself) instead of EBADF.
        Syscalls.requireOpen(fd, origin);
        // The wakeup eventfd is added to it, which also proves fd an epoll instance (issue 10: a refused
        // fd was closed, and the caller's own close then closed whatever reused the number).
        return new Epoll(fd, false, origin);
    }

    /**
     * Returns the epoll descriptor.
     *
     * @return the descriptor, {@code >= 0}; still owned by this object
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public int fileno() {
        if (guard.isClosed()) {
            throw new IllegalStateException(CLOSED);
        }
        return epfd;
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return {@code true} once {@link #close()} was called
     */
    public boolean closed() {
        return guard.isClosed();
    }

    /**
     * Closes the epoll object; idempotent. A {@code poll} blocked in another thread returns at once,
     * and the descriptor is released only after it has returned, so its number cannot be reused by
     * another {@code open} while that poll could still pass it to the kernel.
     */
    @Override
    public void close() {
        if (waker.closeAndAwaitIdle()) {
            closeQuietly(epfd);
            waker.release();
        }
    }

    /**
     * Registers a descriptor with {@link #DEFAULT_EVENTMASK}.
     *
     * @param fd an {@code Integer}, a {@link FileNo}, or a JDK object holding a descriptor
     * @throws IllegalArgumentException when {@code fd} is not a descriptor or is negative
     * @throws FileExistsException when it is already registered (EEXIST)
     * @throws BadFileDescriptorException when it is not open (EBADF)
     * @throws PermissionException when it does not support epoll, e.g. a regular file (EPERM)
     * @throws ErrnoException when epoll_ctl fails otherwise (ENOMEM, ENOSPC past max_user_watches)
     * @throws IllegalStateException after {@link #close()}
     * @see #register(Object, int)
     */
    public void register(Object fd) throws ErrnoException {
        register(fd, DEFAULT_EVENTMASK);
    }

    /**
     * Registers a descriptor (epoll_ctl EPOLL_CTL_ADD).
     *
     * @param fd an {@code Integer}, a {@link FileNo}, or a JDK object holding a descriptor
     * @param eventmask the {@code EPOLL*} events to wait for; any 32-bit mask is passed to the kernel
     * @throws IllegalArgumentException when {@code fd} is not a descriptor or is negative
     * @throws FileExistsException when it is already registered (EEXIST)
     * @throws BadFileDescriptorException when it is not open (EBADF)
     * @throws PermissionException when it does not support epoll, e.g. a regular file (EPERM)
     * @throws ErrnoException when epoll_ctl fails otherwise (ENOMEM, ENOSPC past max_user_watches)
     * @throws IllegalStateException after {@link #close()}
     */
    public void register(Object fd, int eventmask) throws ErrnoException {
        control(Syscalls.EPOLL_CTL_ADD, Fds.fileno(fd), eventmask);
    }

    /**
     * Changes the events of a registered descriptor (epoll_ctl EPOLL_CTL_MOD).
     *
     * @param fd an {@code Integer}, a {@link FileNo}, or a JDK object holding a descriptor
     * @param eventmask the {@code EPOLL*} events to wait for from now on
     * @throws IllegalArgumentException when {@code fd} is not a descriptor or is negative
     * @throws NoSuchEntryException when it is not registered (ENOENT)
     * @throws BadFileDescriptorException when it is not open (EBADF)
     * @throws ErrnoException when epoll_ctl fails otherwise (EINVAL for EPOLLEXCLUSIVE)
     * @throws IllegalStateException after {@link #close()}
     * @see #register(Object, int)
     */
    public void modify(Object fd, int eventmask) throws ErrnoException {
        control(Syscalls.EPOLL_CTL_MOD, Fds.fileno(fd), eventmask);
    }

    /**
     * Removes a descriptor (epoll_ctl EPOLL_CTL_DEL).
     *
     * @param fd an {@code Integer}, a {@link FileNo}, or a JDK object holding a descriptor
     * @throws IllegalArgumentException when {@code fd} is not a descriptor or is negative
     * @throws NoSuchEntryException when it is not registered (ENOENT)
     * @throws BadFileDescriptorException when it was closed (EBADF; closing already removed it)
     * @throws ErrnoException when epoll_ctl fails otherwise
     * @throws IllegalStateException after {@link #close()}
     */
    public void unregister(Object fd) throws ErrnoException {
        control(Syscalls.EPOLL_CTL_DEL, Fds.fileno(fd), 0);
    }

    private void control(int op, int fd, int eventmask) throws ErrnoException {
        enter();
        try {
            Syscalls.epollCtl(epfd, op, fd, eventmask, fd);
        } finally {
            guard.exit();
        }
    }

    /**
     * Waits for events without a timeout; see {@link #poll(Double, int)}.
     *
     * @return the ready descriptors and their events, in the kernel's order; empty after a timeout,
     *     a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws ErrnoException when epoll_wait fails (EBADF or EINVAL: its descriptor was closed behind its back)
     * @throws IllegalStateException after {@link #close()}
     */
    public List<FdEvent> poll() throws ErrnoException {
        return poll((Double) null, -1);
    }

    /**
     * Waits at most {@code timeout} seconds for events; see {@link #poll(Double, int)}.
     *
     * @param timeout seconds; {@code null} or negative blocks, 0 returns at once
     * @return the ready descriptors and their events, in the kernel's order; empty after a timeout,
     *     a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalArgumentException when {@code timeout} is NaN
     * @throws ErrnoException when epoll_wait fails (EBADF or EINVAL: its descriptor was closed behind its back)
     * @throws IllegalStateException after {@link #close()}
     */
    public List<FdEvent> poll(Double timeout) throws ErrnoException {
        return poll(timeout, -1);
    }

    /**
     * Waits at most {@code timeout} seconds for events; see {@link #poll(Double, int)}.
     *
     * @param timeout seconds; negative blocks, 0 returns at once
     * @return the ready descriptors and their events, in the kernel's order; empty after a timeout,
     *     a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalArgumentException when {@code timeout} is NaN
     * @throws ErrnoException when epoll_wait fails (EBADF or EINVAL: its descriptor was closed behind its back)
     * @throws IllegalStateException after {@link #close()}
     */
    public List<FdEvent> poll(double timeout) throws ErrnoException {
        return poll(Double.valueOf(timeout), -1);
    }

    /**
     * Waits at most {@code timeout} seconds for at most {@code maxevents} events; see
     * {@link #poll(Double, int)}.
     *
     * @param timeout seconds; negative blocks, 0 returns at once
     * @param maxevents the most events to return, or -1 for {@code FD_SETSIZE - 1}
     * @return the ready descriptors and their events, in the kernel's order; empty after a timeout,
     *     a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalArgumentException when {@code timeout} is NaN or {@code maxevents} is 0 or below -1
     * @throws ErrnoException when epoll_wait fails (EBADF or EINVAL: its descriptor was closed behind its back)
     * @throws IllegalStateException after {@link #close()}
     */
    public List<FdEvent> poll(double timeout, int maxevents) throws ErrnoException {
        return poll(Double.valueOf(timeout), maxevents);
    }

    /**
     * Waits with a {@link Duration}; see {@link #poll(Double, int)}.
     *
     * @param timeout {@code null} or negative blocks, zero returns at once; rounded up to the kernel's
     *     resolution
     * @param maxevents the most events to return, or -1 for {@code FD_SETSIZE - 1}
     * @return the ready descriptors and their events, in the kernel's order; empty after a timeout,
     *     a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalArgumentException when {@code maxevents} is 0 or below -1
     * @throws ErrnoException when epoll_wait fails (EBADF or EINVAL: its descriptor was closed behind its back)
     * @throws IllegalStateException after {@link #close()}
     * @see #poll(Double, int)
     */
    public List<FdEvent> poll(Duration timeout, int maxevents) throws ErrnoException {
        return pollList(Timeouts.fromDuration(timeout, true), maxevents);
    }

    /**
     * Waits for events; Python's {@code epoll.poll(timeout=None, maxevents=-1)}.
     *
     * @param timeout seconds; {@code null} or negative blocks, 0 returns at once; rounded up to the
     *     kernel's resolution (nanoseconds with epoll_pwait2, else milliseconds). A signal does not cut
     *     the wait short.
     * @param maxevents the most events to return, or -1 for {@code FD_SETSIZE - 1}
     * @return the ready descriptors and their events, in the kernel's order; empty after a timeout,
     *     a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalArgumentException when {@code timeout} is NaN or {@code maxevents} is 0 or below -1
     * @throws ErrnoException when epoll_wait fails (EBADF or EINVAL: its descriptor was closed behind its back)
     * @throws IllegalStateException after {@link #close()}
     */
    public List<FdEvent> poll(Double timeout, int maxevents) throws ErrnoException {
        return pollList(Timeouts.fromSeconds(timeout, true), maxevents);
    }

    private List<FdEvent> pollList(long timeoutNanos, int maxevents) throws ErrnoException {
        if (maxevents == -1) {
            maxevents = DEFAULT_MAXEVENTS;
        } else if (maxevents <= 0) {
            throw new IllegalArgumentException("maxevents must be greater than 0, got " + maxevents);
        }
        EventBuffer buffer = spare.getAndSet(null);
        if (buffer == null || buffer.capacity() < maxevents) {
            buffer = new EventBuffer(maxevents);
        }
        try {
            int n = pollInto(buffer, maxevents, timeoutNanos);
            List<FdEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                events.add(new FdEvent(buffer.fd(i), buffer.events(i)));
            }
            return events;
        } finally {
            spare.set(buffer);
        }
    }

    /**
     * Waits for events without allocating: the zero-garbage path for event loops. Read the result
     * with {@code events.fd(i)} and {@code events.events(i)} for {@code i < } the returned count.
     *
     * @param events the buffer to fill, not {@code null}; its capacity is {@code maxevents}. One poll at a
     *     time per buffer.
     * @param timeout seconds; negative or {@code Double.POSITIVE_INFINITY} blocks, 0 returns at once
     * @return the number of events, 0 after a timeout, a {@link #wakeup()} or a concurrent close
     * @throws NullPointerException when {@code events} is {@code null}
     * @throws IllegalArgumentException when {@code timeout} is NaN
     * @throws ErrnoException when epoll_wait fails (EBADF or EINVAL: its descriptor was closed behind its back)
     * @throws IllegalStateException after {@link #close()}
     */
    public int poll(EventBuffer events, double timeout) throws ErrnoException {
        return pollInto(events, events.capacity(), Timeouts.fromSeconds(timeout, true));
    }

    /**
     * Waits for events without a timeout, without allocating; see {@link #poll(EventBuffer, double)}.
     *
     * @param events the buffer to fill, not {@code null}; its capacity is {@code maxevents}
     * @return the number of events, 0 after a {@link #wakeup()} or a concurrent close
     * @throws NullPointerException when {@code events} is {@code null}
     * @throws ErrnoException when epoll_wait fails (EBADF or EINVAL: its descriptor was closed behind its back)
     * @throws IllegalStateException after {@link #close()}
     */
    public int poll(EventBuffer events) throws ErrnoException {
        return pollInto(events, events.capacity(), Timeouts.BLOCK);
    }

    private int pollInto(EventBuffer events, int maxevents, long timeoutNanos) throws ErrnoException {
        enter();
        try {
            int n = Syscalls.epollWait(epfd, events.memory.address(), maxevents, timeoutNanos);
            events.setCount(n);
            for (int i = 0; i < n; i++) {
                if (events.data(i) == WAKEUP_DATA) {
                    events.remove(i);
                    waker.drain();
                    n--;
                    break;
                }
            }
            return n;
        } finally {
            guard.exit();
            Reference.reachabilityFence(events);
        }
    }

    /**
     * Makes a {@code poll} blocked in another thread return at once (with whatever is ready, possibly
     * nothing), or, if none is blocked, the next one. Many wakeups before that poll coalesce into
     * one. Safe from any thread; does nothing after {@link #close()}.
     */
    public void wakeup() {
        waker.wakeup();
    }

    private void enter() {
        if (!guard.enter()) {
            throw new IllegalStateException(CLOSED);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            Syscalls.backend().close(fd);
        }
    }

    @Override
    public String toString() {
        return guard.isClosed() ? "Epoll[closed]" : "Epoll[fd=" + epfd + "]";
    }
}
