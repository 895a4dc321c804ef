package io.jselect.internal;

import static io.jselect.Errno.EAGAIN;
import static io.jselect.Errno.EINPROGRESS;
import static io.jselect.Errno.EINTR;

import io.jselect.ErrnoException;
import io.jselect.Poll;
import io.jselect.TimedOutException;

/**
 * The policy over the {@link Backend}'s socket calls, as {@link Syscalls} is for the others, written once
 * for every backend: a failed call becomes an {@link ErrnoException} naming the call, the descriptor and
 * the address; EINTR is retried; every new descriptor is close-on-exec; sends never raise SIGPIPE
 * (MSG_NOSIGNAL); and a call on a socket with
 * a timeout, which holds a non-blocking descriptor, waits through poll(2) for the time that remains on
 * a monotonic clock whenever it would block, then fails with "timed out" (Python's socket timeouts).
 *
 * <p>A timeout here is in nanoseconds: {@link Timeouts#BLOCK} for a blocking socket (its calls block in
 * the kernel), 0 for a non-blocking one (a call that would block fails with EAGAIN), or positive.
 */
public final class SocketCalls {
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;

    private static final Backend B = Syscalls.backend();

    private SocketCalls() {
    }

    /** A call that may block: {@code >= 0} or {@code -errno}. */
    @FunctionalInterface
    private interface Call {
        long invoke();
    }

    // ---------------------------------------------------------------------------------------- errors

    /**
     * Builds the exception for a failed socket call.
     *
     * @param detail what else to name, e.g. the address; {@code null} for nothing
     * @return the exception, message like {@code connect(fd=7, 127.0.0.1:1): [Errno 111] Connection refused}
     */
    public static ErrnoException exception(int errno, String call, int fd, Object detail) {
        return Syscalls.exception(errno, describe(call, fd, detail));
    }

    /** The exception for a socket timeout: Python's {@code TimeoutError("timed out")}. */
    public static TimedOutException timedOut(String call, int fd, Object detail) {
        return new TimedOutException(describe(call, fd, detail));
    }

    private static String describe(String call, int fd, Object detail) {
        String extra = detail == null ? ""
                : ", " + (detail instanceof java.net.SocketAddress ? Sockaddr.format((java.net.SocketAddress) detail)
                        : detail);
        return call + "(fd=" + fd + extra + ")";
    }

    private static int check(int rc, String call, int fd, Object detail) throws ErrnoException {
        if (rc < 0) {
            throw exception(-rc, call, fd, detail);
        }
        return rc;
    }

    // --------------------------------------------------------------------------------- the wait policy

    /**
     * Makes a call that may block, with Python's timeout semantics: retried on EINTR; on a socket with a
     * timeout, each EAGAIN waits for {@code events} until the deadline, then the call is made again.
     */
    private static long blocking(String name, int fd, Object detail, int events, long timeoutNanos, Call call)
            throws ErrnoException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        for (;;) {
            long rc = call.invoke();
            if (rc >= 0) {
                return rc;
            }
            if (rc == -EINTR) {
                continue;
            }
            // A blocking socket meets EAGAIN only when its descriptor was made non-blocking behind its back.
            if (rc != -EAGAIN || timeoutNanos <= 0) {
                throw exception((int) -rc, name, fd, detail);
            }
            long remaining = deadline - System.nanoTime();
            // Readiness may be a false alarm (a datagram dropped for a bad checksum): the loop calls again.
            if (remaining <= 0 || !await(fd, events, remaining)) {
                throw timedOut(name, fd, detail);
            }
        }
    }

    /**
     * Waits until {@code fd} is ready for {@code events} (or has an error or hang-up to report).
     *
     * @param timeoutNanos nanoseconds, or {@link Timeouts#BLOCK}
     * @return {@code false} on timeout
     */
    private static boolean await(int fd, int events, long timeoutNanos) throws ErrnoException {
        return Syscalls.poll(Scratch.get().pollfd(fd, events), 1, timeoutNanos) > 0;
    }

    // ------------------------------------------------------------------------------------------ calls

    /** socket(2), always close-on-exec: the new descriptor. */
    public static int socket(int family, int type, int proto) throws ErrnoException {
        int rc = B.socket(family, type | SOCK_CLOEXEC, proto);
        if (rc < 0) {
            throw Syscalls.exception(-rc, "socket(family=" + Sockaddr.familyName(family) + ", type=" + type
                    + ", proto=" + proto + ")");
        }
        return rc;
    }

    /** socketpair(2), always close-on-exec: the two descriptors. */
    public static int[] socketpair(int family, int type, int proto) throws ErrnoException {
        int[] fds = new int[2];
        int rc = B.socketpair(family, type | SOCK_CLOEXEC, proto, fds);
        if (rc < 0) {
            throw Syscalls.exception(-rc, "socketpair(family=" + Sockaddr.familyName(family) + ", type=" + type
                    + ", proto=" + proto + ")");
        }
        return fds;
    }

    /** fcntl(2) with an int argument: the call's result. */
    public static int fcntl(int fd, int cmd, int arg) throws ErrnoException {
        return check(B.fcntl(fd, cmd, arg), "fcntl", fd, "cmd=" + cmd);
    }

    /** Sets or clears O_NONBLOCK, with no system call when it already is as asked. */
    public static void setBlocking(int fd, boolean blocking) throws ErrnoException {
        int flags = fcntl(fd, F_GETFL, 0);
        int wanted = blocking ? flags & ~Syscalls.O_NONBLOCK : flags | Syscalls.O_NONBLOCK;
        if (wanted != flags) {
            fcntl(fd, F_SETFL, wanted);
        }
    }

    /** bind(2) to the address at {@code addr}; {@code detail} names it in errors. */
    public static void bind(int fd, long addr, int addrlen, Object detail) throws ErrnoException {
        check(B.bind(fd, addr, addrlen), "bind", fd, detail);
    }

    /** listen(2). */
    public static void listen(int fd, int backlog) throws ErrnoException {
        check(B.listen(fd, backlog), "listen", fd, null);
    }

    /** accept4(2), always close-on-exec, waiting as the timeout says: the new descriptor. */
    public static int accept4(int fd, long addr, long addrlen, int flags, long timeoutNanos) throws ErrnoException {
        return (int) blocking("accept", fd, null, Poll.POLLIN, timeoutNanos,
                () -> B.accept4(fd, addr, addrlen, flags | SOCK_CLOEXEC));
    }

    /**
     * connect(2), waiting as the timeout says.
     *
     * @return 0 once connected, else the errno, e.g. ECONNREFUSED, or EINPROGRESS on a non-blocking socket
     * @throws TimedOutException when the timeout expires first
     */
    public static int connect(int fd, long addr, int addrlen, Object detail, long timeoutNanos) throws ErrnoException {
        int rc = B.connect(fd, addr, addrlen);
        if (rc == 0) {
            return 0;
        }
        // Interrupted, the connection goes on in the background (connect(2)): wait for it as for
        // EINPROGRESS, unless the socket is non-blocking, whose caller does its own waiting (PEP 475).
        boolean wait = rc == -EINTR ? timeoutNanos != 0 : rc == -EINPROGRESS && timeoutNanos > 0;
        if (!wait) {
            return rc == -EINTR ? EINPROGRESS : -rc;
        }
        if (!await(fd, Poll.POLLOUT, timeoutNanos)) {
            throw timedOut("connect", fd, detail);
        }
        return getsockoptInt(fd, SOL_SOCKET, SO_ERROR);
    }

    /**
     * recv(2) on a non-blocking socket for an event loop: never waits, never throws for "nothing yet".
     *
     * @return the byte count (0 at end of stream), or -1 when nothing is there yet (EAGAIN)
     */
    public static long recvNow(int fd, long buf, int len) throws ErrnoException {
        long rc;
        do {
            rc = B.recv(fd, buf, len, 0);
        } while (rc == -EINTR);
        if (rc >= 0) {
            return rc;
        }
        if (rc == -EAGAIN) {
            return -1;
        }
        throw exception((int) -rc, "recv", fd, null);
    }

    /**
     * send(2) on a non-blocking socket for an event loop: never waits, never throws for a full buffer.
     *
     * @return the byte count, 0 when the send buffer is full (EAGAIN)
     */
    public static long sendNow(int fd, long buf, int len) throws ErrnoException {
        long rc;
        do {
            rc = B.send(fd, buf, len, MSG_NOSIGNAL);
        } while (rc == -EINTR);
        if (rc >= 0) {
            return rc;
        }
        if (rc == -EAGAIN) {
            return 0;
        }
        throw exception((int) -rc, "send", fd, null);
    }

    /** recv(2) into native memory, waiting as the timeout says: the byte count, 0 at end of stream. */
    public static int recv(int fd, long buf, int len, int flags, long timeoutNanos) throws ErrnoException {
        return (int) blocking("recv", fd, null, Poll.POLLIN, timeoutNanos, () -> B.recv(fd, buf, len, flags));
    }

    /**
     * recv(2) that takes bytes only when they are there and {@code beforeEach} passes, for memory that
     * may be taken away during the wait (see {@link BufferMemory}): each attempt runs {@code beforeEach},
     * then receives without blocking (MSG_DONTWAIT); a blocking socket, or one with a timeout, waits in
     * poll(2) between attempts. So a wait that ends in a failed check has consumed nothing. With
     * MSG_WAITALL, which a non-blocking attempt would cut short, the receive blocks in the kernel as
     * {@link #recv} does, after one check.
     *
     * @param beforeEach throws to stop the receive before it takes anything
     * @return the byte count, 0 at end of stream
     */
    public static int recvWhenReady(int fd, long buf, int len, int flags, long timeoutNanos, Runnable beforeEach)
            throws ErrnoException {
        if ((flags & MSG_WAITALL) != 0) {
            beforeEach.run();
            return recv(fd, buf, len, flags, timeoutNanos);
        }
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        for (;;) {
            beforeEach.run();
            long rc = B.recv(fd, buf, len, flags | MSG_DONTWAIT);
            if (rc >= 0) {
                return (int) rc;
            }
            if (rc == -EINTR) {
                continue;
            }
            if (rc != -EAGAIN || timeoutNanos == 0) {
                throw exception((int) -rc, "recv", fd, null);
            }
            long remaining = timeoutNanos == Timeouts.BLOCK ? Timeouts.BLOCK : deadline - System.nanoTime();
            if (timeoutNanos > 0 && remaining <= 0 || !await(fd, Poll.POLLIN, remaining)) {
                throw timedOut("recv", fd, null);
            }
        }
    }

    /** recvfrom(2) into native memory, the sender at {@code addr}: the byte count. */
    public static int recvfrom(int fd, long buf, int len, int flags, long addr, long addrlen, long timeoutNanos)
            throws ErrnoException {
        return (int) blocking("recvfrom", fd, null, Poll.POLLIN, timeoutNanos,
                () -> B.recvfrom(fd, buf, len, flags, addr, addrlen));
    }

    /** send(2) from native memory, never raising SIGPIPE: the byte count, possibly short. */
    public static int send(int fd, long buf, int len, int flags, long timeoutNanos) throws ErrnoException {
        return (int) blocking("send", fd, null, Poll.POLLOUT, timeoutNanos,
                () -> B.send(fd, buf, len, flags | MSG_NOSIGNAL));
    }

    /** sendto(2) from native memory, never raising SIGPIPE: the byte count. */
    public static int sendto(int fd, long buf, int len, int flags, long addr, int addrlen, Object detail,
            long timeoutNanos) throws ErrnoException {
        return (int) blocking("sendto", fd, detail, Poll.POLLOUT, timeoutNanos,
                () -> B.sendto(fd, buf, len, flags | MSG_NOSIGNAL, addr, addrlen));
    }

    /** shutdown(2). */
    public static void shutdown(int fd, int how) throws ErrnoException {
        check(B.shutdown(fd, how), "shutdown", fd, "how=" + how);
    }

    /** setsockopt(2) with the value in this thread's {@link Scratch} option area. */
    public static void setsockopt(int fd, int level, int name, int len) throws ErrnoException {
        check(B.setsockopt(fd, level, name, Scratch.get().option(), len), "setsockopt", fd,
                "level=" + level + ", optname=" + name);
    }

    /** getsockopt(2) into this thread's {@link Scratch} option area, {@code room} bytes of it. */
    public static void getsockopt(int fd, int level, int name, int room) throws ErrnoException {
        Scratch s = Scratch.get();
        s.clearOption(room);
        check(B.getsockopt(fd, level, name, s.option(), s.optlen()), "getsockopt", fd,
                "level=" + level + ", optname=" + name);
    }

    /** getsockopt(2) of a C int option. */
    public static int getsockoptInt(int fd, int level, int name) throws ErrnoException {
        getsockopt(fd, level, name, Integer.BYTES);
        return Scratch.get().optionInt();
    }

    /** getsockname(2) into this thread's {@link Scratch} address area. */
    public static void getsockname(int fd) throws ErrnoException {
        Scratch s = Scratch.get();
        s.clearAddress();
        check(B.getsockname(fd, s.addr(), s.addrlen()), "getsockname", fd, null);
    }

    /** getpeername(2) into this thread's {@link Scratch} address area. */
    public static void getpeername(int fd) throws ErrnoException {
        Scratch s = Scratch.get();
        s.clearAddress();
        check(B.getpeername(fd, s.addr(), s.addrlen()), "getpeername", fd, null);
    }
}
