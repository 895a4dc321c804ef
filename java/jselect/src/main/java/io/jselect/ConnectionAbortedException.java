package io.jselect;

/** ECONNABORTED: the connection was aborted before it was accepted (Python: {@code ConnectionAbortedError}). */
public class ConnectionAbortedException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; see {@link ErrnoException#ErrnoException(String, int, String)}.
     *
     * @param syscall the call that failed with its salient arguments; may be {@code null}
     * @param errno the error number
     * @param strerror the system's text for {@code errno}
     */
    public ConnectionAbortedException(String syscall, int errno, String strerror) {
        super(syscall, errno, strerror);
    }
}
