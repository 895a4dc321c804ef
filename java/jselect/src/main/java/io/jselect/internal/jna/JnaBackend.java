package io.jselect.internal.jna;

import static io.jselect.Errno.EBADF;
import static io.jselect.Errno.EINVAL;
import static io.jselect.Errno.EIO;
import static io.jselect.Errno.ENOSYS;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.jselect.Poll;
import io.jselect.internal.Backend;
import io.jselect.internal.BufferMemory;
import io.jselect.internal.Layout;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The portable path: the same system calls as the C core ({@code native/src}), made from Java through
 * JNA on the C library, so jselect runs where libjselect.so was not built or cannot load. Each method
 * does what its {@code jsel_*} twin does, including select's fd sets sized to the largest descriptor;
 * everything else is the shared policy in {@code Syscalls}.
 *
 * <p>Runs on 64-bit Linux whose constants are the kernel's generic ones (x86_64, aarch64, riscv64,
 * ppc64, s390x, loongarch64); elsewhere the constructor refuses, rather than pass wrong flags.
 */
public final class JnaBackend implements Backend {
    /** Architectures whose errno values and O_, POLL and EPOLL flags are the ones jselect is built with. */
    private static final Set<String> GENERIC_ARCHES =
            Set.of("amd64", "x86_64", "aarch64", "riscv64", "ppc64le", "ppc64", "s390x", "loongarch64");
    /**
     * Where a variadic C function (syscall(2), fcntl(2)) may be bound as a fixed-argument one: ABIs that
     * pass variadic integer arguments exactly like named ones (see {@link Libc.FixedFcntl}).
     */
    private static final Set<String> VARIADIC_AS_FIXED_ARCHES = Set.of("amd64", "x86_64", "aarch64");

    /**
     * The largest descriptor select has seen open (at least 63: the fd table's smallest size). The table
     * never shrinks, so every descriptor up to it is within the table for the life of the process.
     */
    private static final AtomicInteger IN_TABLE_UP_TO = new AtomicInteger(63);

    /**
     * {@code java.nio.Buffer.segment} when java.nio is open to jselect ({@code --add-opens
     * java.base/java.nio=ALL-UNNAMED}): it tells a caller's direct buffer over foreign memory from a plain
     * one, as the JNI backend does from C. Else {@code null}, and every caller's direct buffer is copied
     * (see {@link BufferMemory}): correct, at the cost of one copy.
     */
    private static final Field BUFFER_SEGMENT = readable(BufferMemory.bufferSegmentField());

    /** The JNI layer's on-stack bounce buffer, and its cap on one heap-array transfer. */
    private static final int SCRATCH_BYTES = 16384;
    private static final int MAX_ARRAY_IO = 1 << 20;

    /**
     * Per-thread native memory for what calls pass by pointer (an eventfd counter, a timespec, one
     * epoll_event, one pollfd) and for heap-array I/O up to its size: the C layer's stack buffers.
     * Allocated once per thread, so those calls create no objects.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    private final boolean variadicAsFixed = VARIADIC_AS_FIXED_ARCHES.contains(arch);
    private final int epollEventsOffset = layout(Layout.EPOLL_EVENT_EVENTS_OFFSET, arch);
    private final int epollDataOffset = layout(Layout.EPOLL_EVENT_DATA_OFFSET, arch);

    /**
     * Binds the C library.
     *
     * @throws UnsatisfiedLinkError when this is not 64-bit Linux on an architecture with the generic
     *     constants, or JNA or a required C function cannot be loaded
     */
    public JnaBackend() {
        if (!Platform.isLinux()) {
            throw new UnsatisfiedLinkError("the JNA backend needs Linux (epoll), not " + System.getProperty("os.name"));
        }
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            throw new UnsatisfiedLinkError("the JNA backend needs a 64-bit JVM: it passes pointers and C longs "
                    + "as Java longs (pointer size " + Native.POINTER_SIZE + ", long size " + Native.LONG_SIZE + ")");
        }
        if (!GENERIC_ARCHES.contains(arch)) {
            throw new UnsatisfiedLinkError("the JNA backend does not know the Linux constants of " + arch
                    + " (it knows " + new TreeSet<>(GENERIC_ARCHES) + ")");
        }
        Libc.load(); // a missing C function fails here, not in the middle of a call
        if (variadicAsFixed) {
            Libc.bindFixedFcntl();
        }
        if (!Libc.XpgStrerror.BOUND && !Libc.PosixStrerror.BOUND) {
            throw new UnsatisfiedLinkError("the C library has no strerror_r");
        }
    }

    private static final class Scratch {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SCRATCH_BYTES).order(ByteOrder.nativeOrder());
        final long address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
    }

    /** The {@code -errno} of the failed call just made on this thread. */
    private static int fail() {
        return -Native.getLastError();
    }

    @Override
    public String name() {
        return "jna";
    }

    @Override
    public String toString() {
        return "JNA " + Native.VERSION;
    }

    @Override
    public int select(int[] fds, int nread, int nwrite, int nexcept, long timeoutMicros) {
        if (nread < 0 || nwrite < 0 || nexcept < 0) {
            return -EINVAL;
        }
        int total = nread + nwrite + nexcept;
        int maxfd = -1;
        for (int i = 0; i < total; i++) {
            if (fds[i] < 0) {
                return -EBADF;
            }
            maxfd = Math.max(maxfd, fds[i]);
        }
        // The kernel ignores descriptors at or past the size of the fd table instead of failing with
        // EBADF, so a closed high descriptor would look idle forever. The table has at least 64 entries
        // and never shrinks: once a descriptor was seen open, every one up to it is in range, so the
        // check costs a system call only when the largest descriptor sets a new record (as jsel_select).
        // The C layer asks fcntl(F_GETFD); here poll(2) asks, with no variadic call on any ABI: it
        // reports a descriptor that is not open as POLLNVAL.
        if (maxfd > IN_TABLE_UP_TO.get()) {
            if (!isOpen(maxfd)) {
                return -EBADF;
            }
            IN_TABLE_UP_TO.accumulateAndGet(maxfd, Math::max);
        }
        // fd sets are arrays of 64-bit words, one bit per descriptor, sized to the largest one (never
        // capped at FD_SETSIZE); an empty list is passed as NULL, so the kernel scans no unasked set. The
        // three sets and the timeval live in the thread's native scratch, so a select creates no object
        // (selectors' zero-garbage path); past its size (descriptors beyond about 43,000), in a block
        // allocated for the call, as the C layer's calloc past FD_SETSIZE.
        int words = maxfd < 0 ? 1 : maxfd / 64 + 1;
        int setBytes = words * 8;
        int bytes = 3 * setBytes + 16;
        Scratch scratch = SCRATCH.get();
        Memory block = bytes <= SCRATCH_BYTES ? null : new Memory(bytes);
        try {
            ByteBuffer memory = block == null ? scratch.buffer
                    : block.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
            long address = block == null ? scratch.address : Pointer.nativeValue(block);
            for (int at = 0; at < bytes; at += 8) {
                memory.putLong(at, 0);
            }
            for (int i = 0; i < total; i++) {
                int at = setOffset(i, nread, nwrite, setBytes) + fds[i] / 64 * 8;
                memory.putLong(at, memory.getLong(at) | 1L << (fds[i] % 64));
            }
            long timeval = 0;
            if (timeoutMicros >= 0) {
                timeval = address + 3 * setBytes;
                memory.putLong(3 * setBytes, timeoutMicros / 1_000_000)
                        .putLong(3 * setBytes + 8, timeoutMicros % 1_000_000);
            }
            int rc = Libc.select(maxfd + 1, nread > 0 ? address : 0, nwrite > 0 ? address + setBytes : 0,
                    nexcept > 0 ? address + 2 * setBytes : 0, timeval);
            if (rc < 0) {
                return fail();
            }
            int ready = 0;
            for (int i = 0; i < total; i++) {
                int at = setOffset(i, nread, nwrite, setBytes) + fds[i] / 64 * 8;
                if (rc > 0 && (memory.getLong(at) & 1L << (fds[i] % 64)) != 0) {
                    ready++;
                } else {
                    fds[i] = -1;
                }
            }
            return ready;
        } finally {
            if (block != null) {
                block.close();
            }
        }
    }

    /** Where the set of entry {@code i} of select's lists starts: read, write, then except. */
    private static int setOffset(int i, int nread, int nwrite, int setBytes) {
        return i < nread ? 0 : i < nread + nwrite ? setBytes : 2 * setBytes;
    }

    private static boolean isOpen(int fd) {
        Scratch s = SCRATCH.get();
        s.buffer.putInt(0, fd).putShort(4, (short) 0).putShort(6, (short) 0); // struct pollfd, no events
        return Libc.poll(s.address, 1, 0) < 0 || (s.buffer.getShort(6) & Poll.POLLNVAL) == 0;
    }

    @Override
    public int poll(long pollfds, int nfds, int timeoutMillis) {
        if (nfds < 0) {
            return -EINVAL;
        }
        int rc = Libc.poll(pollfds, nfds, timeoutMillis < 0 ? -1 : timeoutMillis);
        return rc < 0 ? fail() : rc;
    }

    @Override
    public int epollCreate(int flags) {
        int rc = Libc.epoll_create1(flags);
        return rc < 0 ? fail() : rc;
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, int events, long data) {
        Scratch s = SCRATCH.get();
        s.buffer.putInt(epollEventsOffset, events).putLong(epollDataOffset, data);
        int rc = Libc.epoll_ctl(epfd, op, fd, s.address);
        return rc < 0 ? fail() : rc;
    }

    @Override
    public int epollWait(int epfd, long events, int maxevents, int timeoutMillis) {
        int rc = Libc.epoll_wait(epfd, events, maxevents, timeoutMillis < 0 ? -1 : timeoutMillis);
        return rc < 0 ? fail() : rc;
    }

    @Override
    public int epollPwait2(int epfd, long events, int maxevents, long timeoutNanos) {
        long timespec = 0;
        if (timeoutNanos >= 0) {
            Scratch s = SCRATCH.get();
            s.buffer.putLong(0, timeoutNanos / 1_000_000_000).putLong(8, timeoutNanos % 1_000_000_000);
            timespec = s.address;
        }
        // The C library's wrapper where it has one (glibc 2.35+); else, where that is a sound binding,
        // the raw system call, as the C layer makes it, so an older glibc or musl on a 5.11+ kernel still
        // gets sub-millisecond timeouts. Either way the kernel decides, by ENOSYS, whether it exists.
        long rc;
        if (Libc.Pwait2.BOUND) {
            rc = Libc.Pwait2.epoll_pwait2(epfd, events, maxevents, timespec, 0);
        } else if (variadicAsFixed && Libc.Syscall.BOUND) {
            rc = Libc.Syscall.syscall(Libc.Syscall.SYS_EPOLL_PWAIT2, epfd, events, maxevents, timespec, 0, 0);
        } else {
            return -ENOSYS;
        }
        return rc < 0 ? fail() : (int) rc;
    }

    @Override
    public int eventfd(int initval, int flags) {
        int rc = Libc.eventfd(initval, flags);
        return rc < 0 ? fail() : rc;
    }

    @Override
    public int eventfdWrite(int fd, long value) {
        Scratch s = SCRATCH.get();
        s.buffer.putLong(0, value);
        long n = Libc.write(fd, s.address, 8);
        if (n < 0) {
            return fail();
        }
        return n == 8 ? 0 : -EIO;
    }

    @Override
    public long eventfdRead(int fd) {
        Scratch s = SCRATCH.get();
        long n = Libc.read(fd, s.address, 8);
        if (n < 0) {
            return fail();
        }
        if (n != 8) {
            return -EIO;
        }
        long value = s.buffer.getLong(0);
        // The counter never exceeds 0xfffffffffffffffe; anything past Long.MAX_VALUE is reported as full.
        return value < 0 ? Long.MAX_VALUE : value;
    }

    @Override
    public int close(int fd) {
        // No retry on EINTR (that is policy, and on Linux the descriptor is gone even then).
        return Libc.close(fd) < 0 ? fail() : 0;
    }

    @Override
    public int pipe(int[] fds, int flags) {
        return Libc.pipe2(fds, flags) < 0 ? fail() : 0;
    }

    @Override
    public long read(int fd, long address, int length) {
        long n = Libc.read(fd, address, length);
        return n < 0 ? fail() : n;
    }

    @Override
    public long write(int fd, long address, int length) {
        long n = Libc.write(fd, address, length);
        return n < 0 ? fail() : n;
    }

    /*
     * Heap arrays go through native memory, copied once between it and the array, never pinned across a
     * call that may block: the per-thread scratch up to its size, else a temporary block of at most
     * MAX_ARRAY_IO bytes (a short count, as read(2) and write(2) callers already handle), as in the C layer.
     */

    @Override
    public long read(int fd, byte[] array, int offset, int length) {
        if (length <= SCRATCH_BYTES) {
            Scratch s = SCRATCH.get();
            long n = Libc.read(fd, s.address, length);
            if (n > 0) {
                s.buffer.get(0, array, offset, (int) n);
            }
            return n < 0 ? fail() : n;
        }
        try (Memory bounce = new Memory(Math.min(length, MAX_ARRAY_IO))) {
            long n = Libc.read(fd, Pointer.nativeValue(bounce), bounce.size());
            if (n > 0) {
                bounce.read(0, array, offset, (int) n);
            }
            return n < 0 ? fail() : n;
        }
    }

    @Override
    public long write(int fd, byte[] array, int offset, int length) {
        if (length <= SCRATCH_BYTES) {
            Scratch s = SCRATCH.get();
            s.buffer.put(0, array, offset, length);
            long n = Libc.write(fd, s.address, length);
            return n < 0 ? fail() : n;
        }
        try (Memory bounce = new Memory(Math.min(length, MAX_ARRAY_IO))) {
            bounce.write(0, array, offset, (int) bounce.size());
            long n = Libc.write(fd, Pointer.nativeValue(bounce), bounce.size());
            return n < 0 ? fail() : n;
        }
    }

    @Override
    public long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    @Override
    public long plainAddress(ByteBuffer direct) {
        try {
            return BUFFER_SEGMENT == null || BUFFER_SEGMENT.get(direct) != null ? 0 : address(direct);
        } catch (IllegalAccessException e) {
            return 0;
        }
    }

    private static Field readable(Field field) {
        return field != null && field.trySetAccessible() ? field : null;
    }

    @Override
    public int fdOf(Object object) {
        return JdkFds.fdOf(object);
    }

    @Override
    public int layout(Layout which) {
        return layout(which, arch);
    }

    /**
     * The layouts the JNI backend reads from the C headers, on 64-bit Linux, all in this one place.
     *
     * <p>The kernel packs {@code struct epoll_event} on x86_64 only (for compatibility with 32-bit x86),
     * giving 12 bytes with the data at offset 4; elsewhere the 64-bit data is aligned: 16 bytes, data at
     * offset 8. Everything else is the same on every 64-bit architecture the backend runs on, because the
     * kernel's ABI fixes it with explicitly sized fields: {@code struct pollfd} (int fd, short events,
     * short revents); {@code sa_family_t} is 16 bits first in every {@code sockaddr_*};
     * {@code sockaddr_in} is family, 16-bit port, 32-bit address, 8 bytes of zero padding;
     * {@code sockaddr_in6} is family, port, 32-bit flowinfo, 16-byte address, 32-bit scope id;
     * {@code sockaddr_un} is family then a 108-byte path; {@code sockaddr_storage} is 128 bytes; and
     * {@code struct linger} is two ints. (Only non-Linux or 32-bit ABIs differ, and the constructor
     * refuses those.)
     *
     * @param osArch the {@code os.arch} system property, lower case
     */
    static int layout(Layout which, String osArch) {
        boolean packed = osArch.equals("amd64") || osArch.equals("x86_64");
        switch (which) {
            case EPOLL_EVENT_SIZE: return packed ? 12 : 16;
            case EPOLL_EVENT_EVENTS_OFFSET: return 0;
            case EPOLL_EVENT_DATA_OFFSET: return packed ? 4 : 8;
            case POLLFD_SIZE: return 8;
            case POLLFD_FD_OFFSET: return 0;
            case POLLFD_EVENTS_OFFSET: return 4;
            case POLLFD_REVENTS_OFFSET: return 6;
            case SOCKADDR_STORAGE_SIZE: return 128;
            case SOCKADDR_FAMILY_OFFSET: return 0;
            case SOCKADDR_IN_SIZE: return 16;
            case SOCKADDR_IN_PORT_OFFSET: return 2;
            case SOCKADDR_IN_ADDR_OFFSET: return 4;
            case SOCKADDR_IN6_SIZE: return 28;
            case SOCKADDR_IN6_PORT_OFFSET: return 2;
            case SOCKADDR_IN6_FLOWINFO_OFFSET: return 4;
            case SOCKADDR_IN6_ADDR_OFFSET: return 8;
            case SOCKADDR_IN6_SCOPE_ID_OFFSET: return 24;
            case SOCKADDR_UN_SIZE: return 110;
            case SOCKADDR_UN_PATH_OFFSET: return 2;
            case LINGER_SIZE: return 8;
            case LINGER_ONOFF_OFFSET: return 0;
            case LINGER_LINGER_OFFSET: return 4;
            default: throw new IllegalArgumentException("unknown layout " + which);
        }
    }

    // ------------------------------------------------------------------------------------------ sockets
    // Each is the jsel_* function of native/src/jsel_socket.c: the call, and -errno on failure.

    @Override
    public int socket(int domain, int type, int protocol) {
        int rc = Libc.socket(domain, type, protocol);
        return rc < 0 ? fail() : rc;
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] fds) {
        // Into native memory, copied to fds only on success, so a failure leaves fds untouched.
        Scratch s = SCRATCH.get();
        if (Libc.socketpair(domain, type, protocol, s.address) < 0) {
            return fail();
        }
        fds[0] = s.buffer.getInt(0);
        fds[1] = s.buffer.getInt(4);
        return 0;
    }

    @Override
    public int bind(int fd, long addr, int addrlen) {
        return Libc.bind(fd, addr, addrlen) < 0 ? fail() : 0;
    }

    @Override
    public int listen(int fd, int backlog) {
        return Libc.listen(fd, backlog) < 0 ? fail() : 0;
    }

    @Override
    public int accept4(int fd, long addr, long addrlen, int flags) {
        int rc = Libc.accept4(fd, addr, addrlen, flags);
        return rc < 0 ? fail() : rc;
    }

    @Override
    public int connect(int fd, long addr, int addrlen) {
        return Libc.connect(fd, addr, addrlen) < 0 ? fail() : 0;
    }

    @Override
    public long recv(int fd, long buf, int len, int flags) {
        long n = Libc.recv(fd, buf, len, flags);
        return n < 0 ? fail() : n;
    }

    @Override
    public long recvfrom(int fd, long buf, int len, int flags, long addr, long addrlen) {
        long n = Libc.recvfrom(fd, buf, len, flags, addr, addrlen);
        return n < 0 ? fail() : n;
    }

    @Override
    public long send(int fd, long buf, int len, int flags) {
        long n = Libc.send(fd, buf, len, flags);
        return n < 0 ? fail() : n;
    }

    @Override
    public long sendto(int fd, long buf, int len, int flags, long addr, int addrlen) {
        long n = Libc.sendto(fd, buf, len, flags, addr, addrlen);
        return n < 0 ? fail() : n;
    }

    @Override
    public int shutdown(int fd, int how) {
        return Libc.shutdown(fd, how) < 0 ? fail() : 0;
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int len) {
        return Libc.setsockopt(fd, level, name, value, len) < 0 ? fail() : 0;
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long len) {
        return Libc.getsockopt(fd, level, name, value, len) < 0 ? fail() : 0;
    }

    @Override
    public int getsockname(int fd, long addr, long addrlen) {
        return Libc.getsockname(fd, addr, addrlen) < 0 ? fail() : 0;
    }

    @Override
    public int getpeername(int fd, long addr, long addrlen) {
        return Libc.getpeername(fd, addr, addrlen) < 0 ? fail() : 0;
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        int rc = variadicAsFixed ? Libc.FixedFcntl.fcntl(fd, cmd, arg) : variadicFcntl(fd, cmd, arg);
        return rc < 0 ? fail() : rc;
    }

    /** fcntl(2) through libffi's variadic call: what {@link #fcntl} makes where a fixed binding is unsound. */
    static int variadicFcntl(int fd, int cmd, int arg) {
        return Libc.VariadicFcntl.Holder.LIBC.fcntl(fd, cmd, arg);
    }

    /**
     * Knows no constant: without C headers it could only echo the values jselect was built with. The
     * constructor's architecture check stands in for the JNI backend's comparison with the headers.
     */
    @Override
    public int constant(String name) {
        return Integer.MIN_VALUE;
    }

    @Override
    public String strerror(int errno) {
        byte[] text = new byte[256];
        if (Libc.XpgStrerror.BOUND) {
            Libc.XpgStrerror.__xpg_strerror_r(errno, text, text.length);
        } else {
            Libc.PosixStrerror.strerror_r(errno, text, text.length);
        }
        int length = 0;
        while (length < text.length - 1 && text[length] != 0) {
            length++;
        }
        // Filled even when it returns EINVAL, with "Unknown error N", as the GNU strerror_r of the C layer.
        return length > 0 ? new String(text, 0, length, StandardCharsets.UTF_8) : "Unknown error " + errno;
    }
}
