package io.jselect.demos;

import io.jselect.ErrnoException;
import io.jselect.FileNo;
import io.jselect.Os;

/**
 * The self-pipe trick for loops whose mechanism has no wakeup of its own (select, poll): the loop
 * watches the read end, another thread writes a byte to the write end.
 */
final class WakePipe implements FileNo {
    private final int[] fds = Os.pipe();

    WakePipe() throws ErrnoException {
    }

    /** The read end, for the loop to watch. */
    @Override
    public int fileno() {
        return fds[0];
    }

    /** From another thread: makes the loop's wait return. */
    void wake() {
        try {
            Os.write(fds[1], new byte[] {1});
        } catch (ErrnoException e) {
            EchoLoop.LOG.debug("wake: {}", e.getMessage()); // closed already: the loop has stopped
        }
    }

    /** In the loop, when the read end was readable. */
    void drain() throws ErrnoException {
        Os.read(fds[0], 64);
    }

    void close() {
        for (int fd : fds) {
            try {
                Os.close(fd);
            } catch (ErrnoException e) {
                EchoLoop.LOG.debug("closing the wake pipe: {}", e.getMessage());
            }
        }
    }
}
