package io.jselect.lab.experiments;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.jselect.ErrnoException;
import io.jselect.Os;

/**
 * eventfd(2), which jselect does not offer (Python's {@code os.eventfd} is recent): called on the C
 * library through JNA's direct mapping, which jselect already depends on. Reads, writes and closes go
 * through jselect's {@link Os}.
 */
final class EventFds {
    /** EFD_CLOEXEC, which is O_CLOEXEC: 02000000 on every architecture with the generic flags. */
    private static final int EFD_CLOEXEC = 0x80000;

    static {
        Native.register(EventFds.class, Platform.C_LIBRARY_NAME);
    }

    private EventFds() {
    }

    private static native int eventfd(int initval, int flags);

    /**
     * A new eventfd, counter 0 (not readable), close-on-exec, blocking.
     *
     * @throws ErrnoException when eventfd fails, e.g. EMFILE
     */
    static int open() throws ErrnoException {
        int fd = eventfd(0, EFD_CLOEXEC);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw ErrnoException.of("eventfd", errno, Os.strerror(errno));
        }
        return fd;
    }
}
