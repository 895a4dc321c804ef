package io.jselect.internal;

import static io.jselect.Errno.EAGAIN;
import static io.jselect.Errno.EINTR;
import static io.jselect.Errno.ENOSYS;

import io.jselect.ErrnoException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The policy over the {@link Backend}, written once for every backend: a failed call becomes an
 * {@link ErrnoException} naming the call; a wait interrupted by a signal (EINTR) is retried with the
 * time that remains on a monotonic clock (PEP 475), so a signal never cuts it short; timeouts are
 * converted to the unit each call takes, rounded up; epoll_pwait2 is used for sub-millisecond
 * timeouts when the kernel has it (probed once).
 */
public final class Syscalls {
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    public static final int EFD_CLOEXEC = O_CLOEXEC;
    public static final int F_GETFD = 1;

    private static final Backend BACKEND = Backends.current() != null ? Backends.current() : unavailable();
    private static final AtomicReferenceArray<String> STRERROR = new AtomicReferenceArray<>(256);

    /** Set once epoll_pwait2 answered ENOSYS; epoll_wait serves from then on. */
    private static volatile boolean pwait2Missing;

    private Syscalls() {
    }

    /** The backend in use; every call on it throws {@link UnsatisfiedLinkError} when none loaded. */
    public static Backend backend() {
        return BACKEND;
    }

    /**
     * Throws the reason no backend could load, if none could; public API entry points call it first, so
     * the failure is reported where it starts and not inside a class initialiser.
     *
     * @throws UnsatisfiedLinkError listing every load attempt
     */
    public static void requireAvailable() {
        if (Backends.current() == null) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("jselect is unavailable: "
                    + Backends.unavailabilityCause().getMessage());
            error.initCause(Backends.unavailabilityCause());
            throw error;
        }
    }

    /** A backend that answers every call with the reason no real one could load. */
    private static Backend unavailable() {
        Throwable cause = Backends.unavailabilityCause();
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("name")) {
                        return "unavailable";
                    }
                    UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                            "jselect is unavailable: " + (cause == null ? "unknown cause" : cause.getMessage()));
                    error.initCause(cause);
                    throw error;
                });
    }

    // ---------------------------------------------------------------------------------------- errors

    /**
     * Builds the exception for a failed call.
     *
     * @param errno the error number, {@code > 0}
     * @param syscall the call with its salient arguments, e.g. {@code epoll_ctl(EPOLL_CTL_ADD, fd=7)}
     */
    public static ErrnoException exception(int errno, String syscall) {
        return ErrnoException.of(syscall, errno, strerror(errno));
    }

    /** strerror(3), cached: the text of an errno never changes. */
    public static String strerror(int errno) {
        if (errno < 0 || errno >= STRERROR.length()) {
            return BACKEND.strerror(errno);
        }
        String text = STRERROR.get(errno);
        if (text == null) {
            text = BACKEND.strerror(errno);
            STRERROR.lazySet(errno, text);
        }
        return text;
    }

    static int layout(Layout which) {
        return BACKEND.layout(which);
    }

    // ----------------------------------------------------------------------------------------- waits

    /**
     * select(2) over the read, write and except lists held back to back in {@code fds}; entries not
     * ready become -1.
     *
     * @param timeoutNanos nanoseconds, or {@link Timeouts#BLOCK}
     * @return the number of ready entries
     */
    public static int select(int[] fds, int nread, int nwrite, int nexcept, long timeoutNanos)
            throws ErrnoException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long remaining = timeoutNanos;
        for (;;) {
            int rc = BACKEND.select(fds, nread, nwrite, nexcept, Timeouts.toMicros(remaining));
            if (rc > 0 || (rc == 0 && remaining <= 0)) {
                return rc;
            }
            if (rc < 0 && rc != -EINTR) {
                throw exception(-rc, "select()");
            }
            if (remaining > 0 && (remaining = deadline - System.nanoTime()) < 0) {
                Arrays.fill(fds, 0, nread + nwrite + nexcept, -1); // failed calls leave fds untouched
                return 0;
            }
        }
    }

    /**
     * poll(2) over {@code nfds} {@code struct pollfd} at {@code pollfds}.
     *
     * @param timeoutNanos nanoseconds, or {@link Timeouts#BLOCK}
     * @return the number of entries with non-zero revents
     */
    public static int poll(long pollfds, int nfds, long timeoutNanos) throws ErrnoException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long remaining = timeoutNanos;
        for (;;) {
            int rc = BACKEND.poll(pollfds, nfds, Timeouts.toMillis(remaining));
            if (rc > 0 || (rc == 0 && remaining <= 0)) {
                return rc;
            }
            if (rc < 0 && rc != -EINTR) {
                throw exception(-rc, "poll(nfds=" + nfds + ")");
            }
            // EINTR, or a timeout capped at Integer.MAX_VALUE ms that expired before the deadline
            if (remaining > 0 && (remaining = deadline - System.nanoTime()) < 0) {
                return 0;
            }
        }
    }

    /**
     * epoll_wait(2), or epoll_pwait2(2) when the timeout has a sub-millisecond part.
     *
     * @param timeoutNanos nanoseconds, or {@link Timeouts#BLOCK}
     * @return the number of events written at {@code events}
     */
    public static int epollWait(int epfd, long events, int maxevents, long timeoutNanos) throws ErrnoException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long remaining = timeoutNanos;
        for (;;) {
            int rc = epollWaitOnce(epfd, events, maxevents, remaining);
            if (rc > 0 || (rc == 0 && remaining <= 0)) {
                return rc;
            }
            if (rc < 0 && rc != -EINTR) {
                throw exception(-rc, "epoll_wait(epfd=" + epfd + ", maxevents=" + maxevents + ")");
            }
            if (remaining > 0 && (remaining = deadline - System.nanoTime()) < 0) {
                return 0;
            }
        }
    }

    private static int epollWaitOnce(int epfd, long events, int maxevents, long timeoutNanos) {
        if (timeoutNanos > 0 && timeoutNanos % 1_000_000 != 0 && !pwait2Missing) {
            int rc = BACKEND.epollPwait2(epfd, events, maxevents, timeoutNanos);
            if (rc != -ENOSYS) {
                return rc;
            }
            pwait2Missing = true;
        }
        return BACKEND.epollWait(epfd, events, maxevents, Timeouts.toMillis(timeoutNanos));
    }

    // ----------------------------------------------------------------------------- everything else

    /** epoll_create1(2). */
    public static int epollCreate(int flags) throws ErrnoException {
        int rc = BACKEND.epollCreate(flags);
        if (rc < 0) {
            throw exception(-rc, "epoll_create1(flags=" + flags + ")");
        }
        return rc;
    }

    /** epoll_ctl(2); the exception names the operation and descriptor. */
    public static void epollCtl(int epfd, int op, int fd, int events, long data) throws ErrnoException {
        int rc = BACKEND.epollCtl(epfd, op, fd, events, data);
        if (rc < 0) {
            throw exception(-rc, "epoll_ctl(" + ctlName(op) + ", fd=" + fd + ")");
        }
    }

    private static String ctlName(int op) {
        switch (op) {
            case EPOLL_CTL_ADD: return "EPOLL_CTL_ADD";
            case EPOLL_CTL_DEL: return "EPOLL_CTL_DEL";
            case EPOLL_CTL_MOD: return "EPOLL_CTL_MOD";
            default: return "op=" + op;
        }
    }

    /** eventfd(2). */
    public static int eventfd(int initval, int flags) throws ErrnoException {
        int rc = BACKEND.eventfd(initval, flags);
        if (rc < 0) {
            throw exception(-rc, "eventfd()");
        }
        return rc;
    }

    /** Adds one to an eventfd counter. A full counter (EAGAIN) already wakes its readers: not an error. */
    public static void eventfdSignal(int fd) throws ErrnoException {
        int rc;
        do {
            rc = BACKEND.eventfdWrite(fd, 1);
        } while (rc == -EINTR);
        if (rc < 0 && rc != -EAGAIN) {
            throw exception(-rc, "write(eventfd=" + fd + ")");
        }
    }

    /** Resets a non-blocking eventfd counter; an already empty one (EAGAIN) is not an error. */
    public static void eventfdDrain(int fd) throws ErrnoException {
        long rc;
        do {
            rc = BACKEND.eventfdRead(fd);
        } while (rc == -EINTR);
        if (rc < 0 && rc != -EAGAIN) {
            throw exception((int) -rc, "read(eventfd=" + fd + ")");
        }
    }

    /** close(2), never retried: on Linux the descriptor is gone even when close reports EINTR. */
    public static void close(int fd) throws ErrnoException {
        int rc = BACKEND.close(fd);
        if (rc < 0 && rc != -EINTR) {
            throw exception(-rc, "close(fd=" + fd + ")");
        }
    }

    /**
     * Fails unless {@code fd} is an open descriptor, asking fcntl(F_GETFD), which any open one answers.
     *
     * @param call the caller's call with the descriptor, which the error names, e.g. {@code register(fd=7)}
     * @throws io.jselect.BadFileDescriptorException (EBADF) when it is not open
     */
    public static void requireOpen(int fd, String call) throws ErrnoException {
        int rc = BACKEND.fcntl(fd, F_GETFD, 0);
        if (rc < 0) {
            throw exception(-rc, call);
        }
    }

    /** pipe2(2): {@code [read end, write end]}. */
    public static int[] pipe(int flags) throws ErrnoException {
        int[] fds = new int[2];
        int rc = BACKEND.pipe(fds, flags);
        if (rc < 0) {
            throw exception(-rc, "pipe2()");
        }
        return fds;
    }

    /** read(2) into a heap array, retried on EINTR: the byte count, 0 at end of file. */
    public static int read(int fd, byte[] array, int offset, int length) throws ErrnoException {
        long rc;
        do {
            rc = BACKEND.read(fd, array, offset, length);
        } while (rc == -EINTR);
        if (rc < 0) {
            throw exception((int) -rc, "read(fd=" + fd + ")");
        }
        return (int) rc;
    }

    /** write(2) from a heap array, retried on EINTR: the byte count, possibly short. */
    public static int write(int fd, byte[] array, int offset, int length) throws ErrnoException {
        long rc;
        do {
            rc = BACKEND.write(fd, array, offset, length);
        } while (rc == -EINTR);
        if (rc < 0) {
            throw exception((int) -rc, "write(fd=" + fd + ")");
        }
        return (int) rc;
    }
}
