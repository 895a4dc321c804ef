package io.jselect;

/** EEXIST: the descriptor is already registered, or the file already exists (Python: {@code FileExistsError}). */
public class FileExistsException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; see {@link ErrnoException#ErrnoException(String, int, String)}.
     *
     * @param syscall the call that failed with its salient arguments; may be {@code null}
     * @param errno the error number
     * @param strerror the system's text for {@code errno}
     */
    public FileExistsException(String syscall, int errno, String strerror) {
        super(syscall, errno, strerror);
    }
}
