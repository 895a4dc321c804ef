package io.jselect;

/** EADDRINUSE: the address is already bound (Python: {@code OSError(errno.EADDRINUSE)}). */
public class AddressInUseException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; see {@link ErrnoException#ErrnoException(String, int, String)}.
     *
     * @param syscall the call that failed with its salient arguments; may be {@code null}
     * @param errno the error number
     * @param strerror the system's text for {@code errno}
     */
    public AddressInUseException(String syscall, int errno, String strerror) {
        super(syscall, errno, strerror);
    }
}
