package io.jselect.internal;

import io.jselect.FileNo;

/**
 * Turns what a caller passes as a "file object" into a descriptor, as CPython's
 * {@code PyObject_AsFileDescriptor} does: an {@code Integer} (or other integral {@code Number}), a
 * {@link FileNo}, or a JDK object holding a descriptor ({@code FileDescriptor}, file streams, NIO
 * channels, and buffered or process streams around them).
 */
public final class Fds {
    private Fds() {
    }

    /**
     * Returns the descriptor of {@code fileobj}.
     *
     * @param fileobj the object
     * @return the descriptor, {@code >= 0}
     * @throws IllegalArgumentException when {@code fileobj} is null, holds no descriptor, or its
     *     descriptor is negative (closed); the message names the value or the class
     */
    public static int fileno(Object fileobj) {
        int fd;
        if (fileobj instanceof Integer) {
            fd = (Integer) fileobj;
        } else if (fileobj instanceof Long || fileobj instanceof Short || fileobj instanceof Byte) {
            long value = ((Number) fileobj).longValue();
            if (value < 0) {
                throw new IllegalArgumentException("file descriptor cannot be a negative integer (" + value + ")");
            }
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("file descriptor out of range: " + value);
            }
            fd = (int) value;
        } else if (fileobj instanceof FileNo) {
            fd = ((FileNo) fileobj).fileno();
        } else if (fileobj == null) {
            throw new IllegalArgumentException("argument must be an int, or have a fileno() method, got null");
        } else {
            fd = Syscalls.backend().fdOf(fileobj);
            if (fd == Backend.NO_FD) {
                throw new IllegalArgumentException("argument must be an int, or have a fileno() method, "
                        + "or be a JDK object with a file descriptor; " + fileobj.getClass().getName()
                        + " has none");
            }
            if (fd < 0) {
                throw new IllegalArgumentException(fileobj.getClass().getName()
                        + " is closed: file descriptor cannot be a negative integer (" + fd + ")");
            }
        }
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor cannot be a negative integer (" + fd + ")");
        }
        return fd;
    }
}
