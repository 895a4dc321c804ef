package io.jselect;

import java.io.IOException;

/**
 * A system call failed: Python's {@code OSError}. Carries the errno, the system's text for it and the
 * call that failed; the message reads like {@code epoll_ctl(EPOLL_CTL_ADD, fd=7): [Errno 17] File
 * exists}.
 *
 * <p>The errnos people catch have subclasses, named after Python's {@code OSError} subclasses:
 * {@link FileExistsException} (EEXIST), {@link NoSuchEntryException} (ENOENT),
 * {@link BadFileDescriptorException} (EBADF), {@link PermissionException} (EPERM, EACCES),
 * {@link BlockingIOException} (EAGAIN/EWOULDBLOCK, EINPROGRESS, EALREADY),
 * {@link BrokenPipeException} (EPIPE), {@link ConnectionResetException} (ECONNRESET),
 * {@link ConnectionRefusedException} (ECONNREFUSED), {@link ConnectionAbortedException}
 * (ECONNABORTED), {@link TimedOutException} (ETIMEDOUT, and socket timeouts) and
 * {@link AddressInUseException} (EADDRINUSE). EINTR never surfaces: every wait is retried with the
 * time that remains.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The call that failed with its salient arguments, or {@code null}. */
    private final String syscall;
    /** The error number. */
    private final int errno;
    /** The system's text for the error number. */
    private final String strerror;

    /**
     * Creates the exception.
     *
     * @param syscall the call that failed with its salient arguments, e.g. {@code epoll_ctl(EPOLL_CTL_ADD,
     *     fd=7)}; may be {@code null}
     * @param errno the error number, {@code > 0}
     * @param strerror the system's text for {@code errno}
     */
    public ErrnoException(String syscall, int errno, String strerror) {
        this((syscall == null ? "" : syscall + ": ") + "[Errno " + errno + "] " + strerror, syscall, errno,
                strerror);
    }

    /**
     * Creates the exception with a message of its own, for the errors Python reports without the
     * {@code [Errno N]} form (a socket timeout is just "timed out").
     *
     * @param message the whole message
     * @param syscall the call that failed with its salient arguments; may be {@code null}
     * @param errno the error number, {@code > 0}
     * @param strerror the text for {@code errno}
     */
    protected ErrnoException(String message, String syscall, int errno, String strerror) {
        super(message);
        this.syscall = syscall;
        this.errno = errno;
        this.strerror = strerror;
    }

    /**
     * Creates the exception of the subclass that matches {@code errno}.
     *
     * @param syscall the call that failed with its salient arguments; may be {@code null}
     * @param errno the error number, {@code > 0}
     * @param strerror the system's text for {@code errno}
     * @return the exception, not thrown
     */
    public static ErrnoException of(String syscall, int errno, String strerror) {
        switch (errno) {
            case Errno.EEXIST: return new FileExistsException(syscall, errno, strerror);
            case Errno.ENOENT: return new NoSuchEntryException(syscall, errno, strerror);
            case Errno.EBADF: return new BadFileDescriptorException(syscall, errno, strerror);
            case Errno.EPERM:
            case Errno.EACCES: return new PermissionException(syscall, errno, strerror);
            case Errno.EAGAIN:
            case Errno.EINPROGRESS:
            case Errno.EALREADY: return new BlockingIOException(syscall, errno, strerror);
            case Errno.EPIPE: return new BrokenPipeException(syscall, errno, strerror);
            case Errno.ECONNRESET: return new ConnectionResetException(syscall, errno, strerror);
            case Errno.ECONNREFUSED: return new ConnectionRefusedException(syscall, errno, strerror);
            case Errno.ECONNABORTED: return new ConnectionAbortedException(syscall, errno, strerror);
            case Errno.ETIMEDOUT: return new TimedOutException(syscall, errno, strerror);
            case Errno.EADDRINUSE: return new AddressInUseException(syscall, errno, strerror);
            default: return new ErrnoException(syscall, errno, strerror);
        }
    }

    /**
     * Returns the error number.
     *
     * @return the errno, {@code > 0}, e.g. 17 for {@link Errno#EEXIST}
     */
    public int errno() {
        return errno;
    }

    /**
     * Returns the system's text for the error number.
     *
     * @return the text, e.g. {@code File exists}, or Python's own text for the errors it words itself
     *     ({@code timed out})
     */
    public String strerror() {
        return strerror;
    }

    /**
     * Returns the call that failed.
     *
     * @return the call with its salient arguments, e.g. {@code connect(fd=7, 127.0.0.1:1)}, or
     *     {@code null} when the exception was made without one
     */
    public String syscall() {
        return syscall;
    }
}
