package io.jselect;

import io.jselect.internal.Syscalls;
import java.util.Arrays;

/**
 * The few descriptor calls of Python's {@code os} module that programs using select need: a pipe to
 * wait on, and raw reads, writes and close.
 */
public final class Os {
    private Os() {
    }

    /**
     * Creates a pipe, close-on-exec as Python's {@code os.pipe()}.
     *
     * @return {@code [read end, write end]}
     * @throws ErrnoException when pipe2 fails, e.g. EMFILE
     */
    public static int[] pipe() throws ErrnoException {
        Syscalls.requireAvailable();
        return Syscalls.pipe(Syscalls.O_CLOEXEC);
    }

    /**
     * Reads at most {@code n} bytes; Python's {@code os.read(fd, n)}.
     *
     * @param fd the descriptor, {@code >= 0}
     * @param n the most bytes to read, {@code >= 0}
     * @return the bytes read; empty at end of file
     * @throws IllegalArgumentException when {@code fd} or {@code n} is negative
     * @throws BlockingIOException when {@code fd} is non-blocking and nothing is there
     * @throws ErrnoException when read(2) fails otherwise
     */
    public static byte[] read(int fd, int n) throws ErrnoException {
        checkFd(fd);
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got " + n);
        }
        Syscalls.requireAvailable();
        byte[] buffer = new byte[n];
        int got = Syscalls.read(fd, buffer, 0, n);
        return got == n ? buffer : Arrays.copyOf(buffer, got);
    }

    /**
     * Writes bytes; Python's {@code os.write(fd, data)}.
     *
     * @param fd the descriptor, {@code >= 0}
     * @param data the bytes to write, not {@code null}
     * @return the number of bytes written, possibly fewer than {@code data.length}
     * @throws IllegalArgumentException when {@code fd} is negative or {@code data} is {@code null}
     * @throws BlockingIOException when {@code fd} is non-blocking and full
     * @throws BrokenPipeException when the reading end is closed (EPIPE)
     * @throws ErrnoException when write(2) fails otherwise
     */
    public static int write(int fd, byte[] data) throws ErrnoException {
        checkFd(fd);
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        Syscalls.requireAvailable();
        return Syscalls.write(fd, data, 0, data.length);
    }

    /**
     * Closes a descriptor; Python's {@code os.close(fd)}.
     *
     * @param fd the descriptor, {@code >= 0}
     * @throws IllegalArgumentException when {@code fd} is negative
     * @throws BadFileDescriptorException when it is not open
     * @throws ErrnoException when close(2) fails otherwise (EIO)
     */
    public static void close(int fd) throws ErrnoException {
        checkFd(fd);
        Syscalls.requireAvailable();
        Syscalls.close(fd);
    }

    /**
     * The system's text for an error number; Python's {@code os.strerror(code)}.
     *
     * @param errno the error number, e.g. {@link Errno#ECONNREFUSED}
     * @return e.g. {@code Connection refused}; {@code Unknown error N} for numbers the system does not know
     */
    public static String strerror(int errno) {
        Syscalls.requireAvailable();
        return Syscalls.strerror(errno);
    }

    private static void checkFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor cannot be a negative integer (" + fd + ")");
        }
    }
}
