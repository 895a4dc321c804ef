package io.jselect;

/** EPIPE: writing to a pipe or socket whose reader has gone (Python: {@code BrokenPipeError}). */
public class BrokenPipeException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; see {@link ErrnoException#ErrnoException(String, int, String)}.
     *
     * @param syscall the call that failed with its salient arguments; may be {@code null}
     * @param errno the error number
     * @param strerror the system's text for {@code errno}
     */
    public BrokenPipeException(String syscall, int errno, String strerror) {
        super(syscall, errno, strerror);
    }
}
