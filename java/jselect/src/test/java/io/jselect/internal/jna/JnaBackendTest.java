package io.jselect.internal.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.jselect.Epoll;
import io.jselect.Errno;
import io.jselect.internal.Layout;
import io.jselect.internal.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What the JNA backend computes in Java instead of reading from C headers, and its optional bindings. */
class JnaBackendTest {
    @Test
    void epollEventIsPacked12BytesOnX86_64() {
        for (String arch : List.of("amd64", "x86_64")) {
            assertEquals(12, JnaBackend.layout(Layout.EPOLL_EVENT_SIZE, arch), arch);
            assertEquals(0, JnaBackend.layout(Layout.EPOLL_EVENT_EVENTS_OFFSET, arch), arch);
            assertEquals(4, JnaBackend.layout(Layout.EPOLL_EVENT_DATA_OFFSET, arch), arch);
        }
    }

    @Test
    void epollEventIs16BytesWithAlignedDataElsewhere() {
        for (String arch : List.of("aarch64", "riscv64", "ppc64le", "s390x")) {
            assertEquals(16, JnaBackend.layout(Layout.EPOLL_EVENT_SIZE, arch), arch);
            assertEquals(0, JnaBackend.layout(Layout.EPOLL_EVENT_EVENTS_OFFSET, arch), arch);
            assertEquals(8, JnaBackend.layout(Layout.EPOLL_EVENT_DATA_OFFSET, arch), arch);
        }
    }

    @Test
    void pollfdIsTheSameEverywhere() {
        for (String arch : List.of("amd64", "aarch64")) {
            assertEquals(8, JnaBackend.layout(Layout.POLLFD_SIZE, arch));
            assertEquals(0, JnaBackend.layout(Layout.POLLFD_FD_OFFSET, arch));
            assertEquals(4, JnaBackend.layout(Layout.POLLFD_EVENTS_OFFSET, arch));
            assertEquals(6, JnaBackend.layout(Layout.POLLFD_REVENTS_OFFSET, arch));
        }
    }

    /** The socket structures are fixed by the kernel's ABI, the same on every 64-bit architecture. */
    @Test
    void socketStructuresAreTheSameEverywhere() {
        for (String arch : List.of("amd64", "aarch64", "riscv64", "ppc64le", "s390x")) {
            assertEquals(128, JnaBackend.layout(Layout.SOCKADDR_STORAGE_SIZE, arch), arch);
            assertEquals(0, JnaBackend.layout(Layout.SOCKADDR_FAMILY_OFFSET, arch), arch);
            assertEquals(16, JnaBackend.layout(Layout.SOCKADDR_IN_SIZE, arch), arch);
            assertEquals(2, JnaBackend.layout(Layout.SOCKADDR_IN_PORT_OFFSET, arch), arch);
            assertEquals(4, JnaBackend.layout(Layout.SOCKADDR_IN_ADDR_OFFSET, arch), arch);
            assertEquals(28, JnaBackend.layout(Layout.SOCKADDR_IN6_SIZE, arch), arch);
            assertEquals(2, JnaBackend.layout(Layout.SOCKADDR_IN6_PORT_OFFSET, arch), arch);
            assertEquals(4, JnaBackend.layout(Layout.SOCKADDR_IN6_FLOWINFO_OFFSET, arch), arch);
            assertEquals(8, JnaBackend.layout(Layout.SOCKADDR_IN6_ADDR_OFFSET, arch), arch);
            assertEquals(24, JnaBackend.layout(Layout.SOCKADDR_IN6_SCOPE_ID_OFFSET, arch), arch);
            assertEquals(110, JnaBackend.layout(Layout.SOCKADDR_UN_SIZE, arch), arch);
            assertEquals(2, JnaBackend.layout(Layout.SOCKADDR_UN_PATH_OFFSET, arch), arch);
            assertEquals(8, JnaBackend.layout(Layout.LINGER_SIZE, arch), arch);
            assertEquals(0, JnaBackend.layout(Layout.LINGER_ONOFF_OFFSET, arch), arch);
            assertEquals(4, JnaBackend.layout(Layout.LINGER_LINGER_OFFSET, arch), arch);
        }
    }

    /**
     * The raw system call serves only where the C library lacks epoll_pwait2 (glibc before 2.35, musl),
     * so this machine's glibc may never use it: call it here, so the binding is known to work.
     */
    @Test
    void rawEpollPwait2SyscallWorks() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        assumeTrue(List.of("amd64", "x86_64", "aarch64").contains(arch), "raw syscall not used on " + arch);
        new JnaBackend();
        assertTrue(Libc.Syscall.BOUND, "every C library JNA runs on has syscall()");
        ByteBuffer memory = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        long events = Pointer.nativeValue(Native.getDirectBufferPointer(memory));
        long timespec = events + 32;
        memory.putLong(32, 0).putLong(40, 1_000); // 1 µs
        int epfd = Libc.epoll_create1(Epoll.EPOLL_CLOEXEC);
        assertTrue(epfd >= 0);
        try {
            long rc = Libc.Syscall.syscall(Libc.Syscall.SYS_EPOLL_PWAIT2, epfd, events, 1, timespec, 0, 0);
            int errno = Native.getLastError();
            long badFd = Libc.Syscall.syscall(Libc.Syscall.SYS_EPOLL_PWAIT2, 1_000_000, events, 1, timespec, 0, 0);
            if (rc == -1 && errno == Errno.ENOSYS) {
                // A kernel before 5.11: ENOSYS for every call, which Syscalls' probe takes as "use epoll_wait".
                assertEquals(-1, badFd);
                assertEquals(Errno.ENOSYS, Native.getLastError());
                return;
            }
            assertEquals(0, rc, "nothing registered, so nothing ready");
            assertEquals(-1, badFd);
            assertEquals(Errno.EBADF, Native.getLastError());
        } finally {
            Libc.close(epfd);
        }
    }

    /** fcntl(fd, cmd, arg): the result or -errno. */
    private interface Fcntl {
        int call(int fd, int cmd, int arg);
    }

    /**
     * fcntl is variadic: the backend binds it with a fixed int argument only on x86_64 and aarch64, and
     * calls it through libffi's variadic call elsewhere. This machine can run both: they must agree, so
     * the variadic path, which serves ppc64le and the others, is known to work.
     */
    @Test
    void fcntlGivesTheSameAnswersBoundFixedAndCalledVariadic() {
        JnaBackend backend = new JnaBackend();
        int fGetfd = 1;
        int fGetfl = 3;
        int fSetfl = 4;
        int fDupfdCloexec = 1030;
        int fdCloexec = 1;
        Fcntl fixed = backend::fcntl;
        Fcntl variadic = (fd, cmd, arg) -> {
            int rc = JnaBackend.variadicFcntl(fd, cmd, arg);
            return rc < 0 ? -Native.getLastError() : rc;
        };
        int[] pipe = new int[2];
        assertEquals(0, backend.pipe(pipe, 0));
        try {
            for (Fcntl fcntl : List.of(fixed, variadic)) {
                int r = pipe[0];
                assertEquals(0, fcntl.call(r, fGetfd, 0), "F_GETFD of a descriptor opened without O_CLOEXEC");
                int flags = fcntl.call(r, fGetfl, 0);
                assertEquals(0, flags & Syscalls.O_NONBLOCK);
                assertEquals(0, fcntl.call(r, fSetfl, flags | Syscalls.O_NONBLOCK));
                assertEquals(Syscalls.O_NONBLOCK, fcntl.call(r, fGetfl, 0) & Syscalls.O_NONBLOCK);
                assertEquals(0, fcntl.call(r, fSetfl, flags));
                int dup = fcntl.call(r, fDupfdCloexec, 500);
                assertTrue(dup >= 500, "F_DUPFD_CLOEXEC's argument is the lowest descriptor it may return: " + dup);
                assertEquals(fdCloexec, fcntl.call(dup, fGetfd, 0));
                assertEquals(0, backend.close(dup));
                assertEquals(-Errno.EBADF, fcntl.call(dup, fGetfl, 0));
            }
        } finally {
            backend.close(pipe[0]);
            backend.close(pipe[1]);
        }
    }
}
