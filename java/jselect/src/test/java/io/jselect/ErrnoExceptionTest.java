package io.jselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jselect.internal.Syscalls;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** errno to exception: one place, one message shape, a subclass for each errno people catch. */
class ErrnoExceptionTest {
    @Test
    void subclassPerErrno() {
        Map<Integer, Class<?>> expected = Map.ofEntries(
                Map.entry(Errno.EEXIST, FileExistsException.class),
                Map.entry(Errno.ENOENT, NoSuchEntryException.class),
                Map.entry(Errno.EBADF, BadFileDescriptorException.class),
                Map.entry(Errno.EPERM, PermissionException.class),
                Map.entry(Errno.EACCES, PermissionException.class),
                Map.entry(Errno.EAGAIN, BlockingIOException.class),
                Map.entry(Errno.EINPROGRESS, BlockingIOException.class),
                Map.entry(Errno.EPIPE, BrokenPipeException.class),
                Map.entry(Errno.ECONNRESET, ConnectionResetException.class),
                Map.entry(Errno.ECONNREFUSED, ConnectionRefusedException.class),
                Map.entry(Errno.ECONNABORTED, ConnectionAbortedException.class),
                Map.entry(Errno.ETIMEDOUT, TimedOutException.class),
                Map.entry(Errno.EADDRINUSE, AddressInUseException.class),
                Map.entry(Errno.EINVAL, ErrnoException.class));
        expected.forEach((errno, type) -> assertSame(type, Syscalls.exception(errno, "x()").getClass(), "errno " + errno));
    }

    @Test
    void messageNamesTheCallTheNumberAndTheText() {
        ErrnoException e = Syscalls.exception(Errno.EEXIST, "epoll_ctl(EPOLL_CTL_ADD, fd=7)");
        assertEquals("epoll_ctl(EPOLL_CTL_ADD, fd=7): [Errno 17] File exists", e.getMessage());
        assertEquals(17, e.errno());
        assertEquals("File exists", e.strerror());
        assertEquals("epoll_ctl(EPOLL_CTL_ADD, fd=7)", e.syscall());
        assertEquals("[Errno 9] Bad file descriptor", ErrnoException.of(null, 9, "Bad file descriptor").getMessage());
    }

    @Test
    void strerrorComesFromThePlatform() {
        assertEquals("Connection reset by peer", Syscalls.strerror(Errno.ECONNRESET));
        assertEquals("Unknown error 9999", Syscalls.strerror(9999));
    }
}
