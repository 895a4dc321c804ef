package io.jselect;

/** ETIMEDOUT, or a socket timeout set with settimeout expired (Python: {@code TimeoutError}). */
public class TimedOutException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; see {@link ErrnoException#ErrnoException(String, int, String)}.
     *
     * @param syscall the call that failed with its salient arguments; may be {@code null}
     * @param errno the error number
     * @param strerror the system's text for {@code errno}
     */
    public TimedOutException(String syscall, int errno, String strerror) {
        super(syscall, errno, strerror);
    }

    /**
     * Creates the exception for a socket timeout set with {@code settimeout}: as Python's
     * {@code TimeoutError}, the message is just {@code timed out}; {@link #errno()} is ETIMEDOUT.
     *
     * @param syscall the call that timed out with its salient arguments, e.g. {@code recv(fd=7)}
     */
    public TimedOutException(String syscall) {
        super("timed out", syscall, Errno.ETIMEDOUT, "timed out");
    }
}
