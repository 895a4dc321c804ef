package io.jselect;

/** ENOENT: the descriptor is not registered, or no such file or directory (Python: {@code FileNotFoundError}). */
public class NoSuchEntryException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; see {@link ErrnoException#ErrnoException(String, int, String)}.
     *
     * @param syscall the call that failed with its salient arguments; may be {@code null}
     * @param errno the error number
     * @param strerror the system's text for {@code errno}
     */
    public NoSuchEntryException(String syscall, int errno, String strerror) {
        super(syscall, errno, strerror);
    }
}
