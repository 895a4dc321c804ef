package io.jselect.internal.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The C library through JNA direct mapping: every method is a Java native that {@link Native#register}
 * links to the C function of the same name, so a call is one libffi dispatch and creates no Java
 * object. Each returns what the C function returns (-1 on failure, errno then in
 * {@link Native#getLastError()}, which JNA saves right after the call).
 *
 * <p>Pointers, {@code size_t}, {@code ssize_t}, {@code nfds_t} and the {@code time_t} fields of
 * {@code struct timeval} and {@code struct timespec} are all Java {@code long}: {@link JnaBackend}
 * runs only where they are 64 bits (LP64). A pointer passed as {@code long} costs nothing, where a
 * {@code com.sun.jna.Pointer} would be one object per call.
 */
final class Libc {
    static {
        // The symbols of the process itself: the C library the JVM runs on, glibc or musl, whatever
        // its file is called (libc.so.6, ld-musl-*.so.1), exactly as a linked program would see them.
        Native.register(Libc.class, NativeLibrary.getProcess());
    }

    private Libc() {
    }

    /** Does nothing but initialise this class, which binds every native above or throws. */
    static void load() {
    }

    /** The fd sets and the timeval are native memory (0 for NULL), so a call creates no Java object. */
    static native int select(int nfds, long readfds, long writefds, long exceptfds, long timeval);

    static native int poll(long fds, long nfds, int timeout);

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, long event);

    static native int epoll_wait(int epfd, long events, int maxevents, int timeout);

    static native int eventfd(int initval, int flags);

    static native int close(int fd);

    static native int pipe2(int[] fds, int flags);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    // Sockets. A socklen_t is 32 bits on every Linux ABI (jsel_socket.c asserts it), passed as int;
    // its pointer and every buffer or address pointer as long; a size_t length as long (sign-extended
    // from the Java int, as the C layer's (size_t) cast of a jint does).

    static native int socket(int domain, int type, int protocol);

    static native int socketpair(int domain, int type, int protocol, long sv);

    static native int bind(int fd, long addr, int addrlen);

    static native int listen(int fd, int backlog);

    static native int accept4(int fd, long addr, long addrlen, int flags);

    static native int connect(int fd, long addr, int addrlen);

    static native long recv(int fd, long buf, long len, int flags);

    static native long recvfrom(int fd, long buf, long len, int flags, long addr, long addrlen);

    static native long send(int fd, long buf, long len, int flags);

    static native long sendto(int fd, long buf, long len, int flags, long addr, int addrlen);

    static native int shutdown(int fd, int how);

    static native int setsockopt(int fd, int level, int name, long value, int len);

    static native int getsockopt(int fd, int level, int name, long value, long len);

    static native int getsockname(int fd, long addr, long addrlen);

    static native int getpeername(int fd, long addr, long addrlen);

    /**
     * fcntl(2) bound with a fixed third {@code int}. fcntl is variadic ({@code int fcntl(int, int, ...)}),
     * and a variadic function may only be called this way on ABIs that pass variadic integer arguments
     * exactly like named ones: x86_64, and aarch64 on Linux. Elsewhere it would be undefined; on ppc64le
     * (ELFv2) the callee spills its register arguments into a parameter save area that a fixed-argument
     * caller did not allocate, overwriting the caller's stack. So {@link JnaBackend} binds this class only
     * there ({@link #bindFixedFcntl}), and calls {@link VariadicFcntl} everywhere else.
     */
    static final class FixedFcntl {
        private FixedFcntl() {
        }

        static native int fcntl(int fd, int cmd, int arg);
    }

    /** Binds {@link FixedFcntl}: only on an ABI where that is the same call (see there). */
    static void bindFixedFcntl() {
        Native.register(FixedFcntl.class, NativeLibrary.getProcess());
    }

    /**
     * fcntl(2) as the variadic function it is: JNA's interface mapping passes a Java varargs method's
     * trailing arguments through libffi's variadic call ({@code ffi_prep_cif_var}), correct on every ABI.
     * It boxes its arguments and goes through a proxy, so it is kept for where the fixed-argument binding
     * is unsound; fcntl is never on a hot path (socket creation from a descriptor, setblocking).
     */
    interface VariadicFcntl extends Library {
        /** Loaded on first use, from the process's own symbols as the direct mappings are. */
        final class Holder {
            static final VariadicFcntl LIBC = Native.load(null, VariadicFcntl.class);

            private Holder() {
            }
        }

        int fcntl(int fd, int cmd, Object... arg);
    }

    /** Binds the natives of {@code holder}; {@code false} when the C library lacks one of them. */
    static boolean bindOptional(Class<?> holder) {
        try {
            Native.register(holder, NativeLibrary.getProcess());
            return true;
        } catch (UnsatisfiedLinkError missing) {
            return false;
        }
    }

    /** epoll_pwait2(2) through the C library's wrapper: glibc 2.35 and later, not musl. */
    static final class Pwait2 {
        static final boolean BOUND = bindOptional(Pwait2.class);

        private Pwait2() {
        }

        static native int epoll_pwait2(int epfd, long events, int maxevents, long timespec, long sigmask);
    }

    /**
     * syscall(2), for epoll_pwait2 where the C library has no wrapper. syscall is variadic; it is
     * bound with fixed {@code long} arguments, which is the same call only on ABIs that pass variadic
     * integers exactly like named ones (x86_64, and aarch64 on Linux), so {@link JnaBackend} uses it
     * only there.
     */
    static final class Syscall {
        /** SYS_epoll_pwait2: the same number on every architecture but alpha (Linux 5.11 and later). */
        static final long SYS_EPOLL_PWAIT2 = 441;
        static final boolean BOUND = bindOptional(Syscall.class);

        private Syscall() {
        }

        static native long syscall(long number, long epfd, long events, long maxevents, long timespec,
                long sigmask, long sigsetsize);
    }

    /**
     * The POSIX strerror_r, which fills the buffer and returns 0 or an error number. glibc's
     * {@code strerror_r} is the GNU one (it returns a {@code char *} and may leave the buffer empty)
     * and exports the POSIX one as {@code __xpg_strerror_r}; musl exports both names for the POSIX one.
     */
    static final class XpgStrerror {
        static final boolean BOUND = bindOptional(XpgStrerror.class);

        private XpgStrerror() {
        }

        static native int __xpg_strerror_r(int errnum, byte[] buf, long buflen);
    }

    /** strerror_r where there is no {@code __xpg_strerror_r}: a C library whose strerror_r is POSIX's (bionic). */
    static final class PosixStrerror {
        static final boolean BOUND = bindOptional(PosixStrerror.class);

        private PosixStrerror() {
        }

        static native int strerror_r(int errnum, byte[] buf, long buflen);
    }
}
