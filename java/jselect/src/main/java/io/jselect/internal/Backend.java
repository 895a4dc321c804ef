package io.jselect.internal;

import java.nio.ByteBuffer;

/**
 * The mechanism under jselect: one method per system call, returning {@code >= 0} or {@code -errno},
 * never throwing for a failed call, never retrying. Timeouts arrive in the unit the call takes, already
 * rounded. Everything else (validation, EINTR retry, timeouts, exceptions) is policy, and lives once
 * in {@link Syscalls}, so that every backend behaves the same.
 *
 * <p>Addresses ({@code long}) point into native memory the caller owns, obtained from
 * {@link #address(ByteBuffer)} on a direct buffer it keeps reachable for the duration of the call.
 */
public interface Backend {
    /** Returned by {@link #fdOf} when an object holds no descriptor the backend can find. */
    int NO_FD = Integer.MIN_VALUE;

    /** Returns the backend's name, {@code jni} or {@code jna}. */
    String name();

    /**
     * select(2). {@code fds} holds the read, write and except lists back to back; on success each entry
     * that is not ready is replaced by -1 and the count of ready entries returned; on failure {@code fds}
     * is untouched.
     *
     * @param timeoutMicros microseconds, {@code < 0} to block
     */
    int select(int[] fds, int nread, int nwrite, int nexcept, long timeoutMicros);

    /**
     * poll(2) over {@code nfds} {@code struct pollfd} at {@code pollfds}.
     *
     * @param timeoutMillis milliseconds, {@code < 0} to block
     */
    int poll(long pollfds, int nfds, int timeoutMillis);

    /** epoll_create1(2). */
    int epollCreate(int flags);

    /** epoll_ctl(2); {@code events} and {@code data} fill the {@code struct epoll_event}. */
    int epollCtl(int epfd, int op, int fd, int events, long data);

    /**
     * epoll_wait(2) into {@code maxevents} {@code struct epoll_event} at {@code events}.
     *
     * @param timeoutMillis milliseconds, {@code < 0} to block
     */
    int epollWait(int epfd, long events, int maxevents, int timeoutMillis);

    /**
     * epoll_pwait2(2), or {@code -ENOSYS} where the kernel or the C library lacks it.
     *
     * @param timeoutNanos nanoseconds, {@code < 0} to block
     */
    int epollPwait2(int epfd, long events, int maxevents, long timeoutNanos);

    /** eventfd(2). */
    int eventfd(int initval, int flags);

    /** Adds {@code value} to an eventfd counter: 0 or {@code -errno}. */
    int eventfdWrite(int fd, long value);

    /** Reads and resets an eventfd counter: the value or {@code -errno}. */
    long eventfdRead(int fd);

    /** close(2). */
    int close(int fd);

    /** pipe2(2) into {@code fds[0]} (read end) and {@code fds[1]} (write end). */
    int pipe(int[] fds, int flags);

    /** read(2) into native memory: the byte count or {@code -errno}. */
    long read(int fd, long address, int length);

    /** write(2) from native memory: the byte count or {@code -errno}. */
    long write(int fd, long address, int length);

    /** read(2) into a heap array, copied once; may move fewer bytes than asked. */
    long read(int fd, byte[] array, int offset, int length);

    /** write(2) from a heap array, copied once; may move fewer bytes than asked. */
    long write(int fd, byte[] array, int offset, int length);

    /** The native address of a direct buffer's first byte, for buffers jselect allocated itself. */
    long address(ByteBuffer direct);

    /**
     * The address of a caller's direct buffer, if its memory lives as long as the buffer object
     * ({@code allocateDirect}, a mapped file): see {@link BufferMemory}.
     *
     * @return the address, or 0 when the buffer views a {@code MemorySegment}'s memory, which its arena
     *     may free at any time, or when the backend cannot tell (the caller then copies)
     */
    long plainAddress(ByteBuffer direct);

    /**
     * The descriptor held by a JDK object ({@code FileDescriptor}, file streams, NIO channels, streams
     * wrapping them), {@code -1} when it is closed, or {@link #NO_FD}.
     *
     * @throws IllegalArgumentException when the backend could find it only with access it lacks; the
     *     message names the flag that would grant it
     */
    int fdOf(Object object);

    /** A size or offset from {@link Layout}, as the platform's C headers define it. */
    int layout(Layout which);

    /** The value of a named C constant, or {@link Integer#MIN_VALUE} when the backend does not know it. */
    int constant(String name);

    /** strerror(3). */
    String strerror(int errno);

    // ----------------------------------------------------------------------------------------- sockets
    // Addresses are struct sockaddr_* bytes laid out with the offsets of Layout; an addrlen passed as a
    // long points at a socklen_t (32 bits) holding the room on entry and the real length on return.
    // Nothing adds flags of its own: the policy (SocketCalls, Sock) passes SOCK_CLOEXEC, MSG_NOSIGNAL.

    /** socket(2): the new descriptor. */
    int socket(int domain, int type, int protocol);

    /** socketpair(2) into {@code fds[0]} and {@code fds[1]}. */
    int socketpair(int domain, int type, int protocol, int[] fds);

    /** bind(2) to the {@code addrlen} bytes of address at {@code addr}. */
    int bind(int fd, long addr, int addrlen);

    /** listen(2). */
    int listen(int fd, int backlog);

    /** accept4(2): the new descriptor; {@code addr} and {@code addrlen} may be 0 (NULL). */
    int accept4(int fd, long addr, long addrlen, int flags);

    /** connect(2). */
    int connect(int fd, long addr, int addrlen);

    /** recv(2) into native memory: the byte count or {@code -errno}. */
    long recv(int fd, long buf, int len, int flags);

    /** recvfrom(2) into native memory, the sender's address at {@code addr}: the byte count or {@code -errno}. */
    long recvfrom(int fd, long buf, int len, int flags, long addr, long addrlen);

    /** send(2) from native memory: the byte count or {@code -errno}. */
    long send(int fd, long buf, int len, int flags);

    /** sendto(2) from native memory: the byte count or {@code -errno}. */
    long sendto(int fd, long buf, int len, int flags, long addr, int addrlen);

    /** shutdown(2). */
    int shutdown(int fd, int how);

    /** setsockopt(2) with the {@code len} bytes at {@code value}. */
    int setsockopt(int fd, int level, int name, long value, int len);

    /** getsockopt(2) into {@code value}; {@code len} points at a socklen_t, room in, length out. */
    int getsockopt(int fd, int level, int name, long value, long len);

    /** getsockname(2). */
    int getsockname(int fd, long addr, long addrlen);

    /** getpeername(2). */
    int getpeername(int fd, long addr, long addrlen);

    /** fcntl(2) with an int argument: the call's result ({@code F_GETFL}'s flags, a new descriptor, 0). */
    int fcntl(int fd, int cmd, int arg);
}
