package io.jselect.socket;

import io.jselect.BadFileDescriptorException;
import io.jselect.BrokenPipeException;
import io.jselect.ConnectionResetException;
import io.jselect.Errno;
import io.jselect.ErrnoException;
import io.jselect.FileNo;
import io.jselect.TimedOutException;
import io.jselect.internal.BufferMemory;
import io.jselect.internal.CloseGuard;
import io.jselect.internal.NativeBuffer;
import io.jselect.internal.Scratch;
import io.jselect.internal.SocketCalls;
import io.jselect.internal.Sockaddr;
import io.jselect.internal.Structs;
import io.jselect.internal.Syscalls;
import io.jselect.internal.Timeouts;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A socket: Python's {@code socket.socket}, with its names and behaviour, over the same C layer as
 * select, poll and epoll. Named {@code Sock} so that it does not clash with {@code java.net.Socket}.
 *
 * <pre>{@code
 * import static io.jselect.socket.Sock.*;
 *
 * try (Sock srv = Sock.createServer("127.0.0.1", 0);
 *      Sock cli = Sock.createConnection("127.0.0.1", ((InetSocketAddress) srv.getsockname()).getPort());
 *      Accepted conn = srv.accept()) {
 *     cli.sendall("ping".getBytes());
 *     byte[] data = conn.socket().recv(1024);
 * }
 * }</pre>
 *
 * <p>Every socket is close-on-exec. Blocking follows Python: a new socket blocks; {@link #settimeout}
 * with a positive value makes each call that would block wait at most that long (through poll(2), on a
 * non-blocking descriptor) and then throw {@link TimedOutException} ("timed out"); a timeout of 0, or
 * {@code setblocking(false)}, makes such calls throw {@link io.jselect.BlockingIOException} at once.
 * A signal never cuts a call short (PEP 475).
 *
 * <p>Errors are {@link ErrnoException}s naming the call, e.g. {@code connect(fd=7, 127.0.0.1:1): [Errno
 * 111] Connection refused}, of the subclass for the errno ({@link io.jselect.ConnectionRefusedException},
 * ...). Sends never raise SIGPIPE: writing to a reset connection throws
 * {@link io.jselect.BrokenPipeException} or {@link io.jselect.ConnectionResetException}.
 *
 * <p>Every method is thread-safe. {@link #close()} is idempotent and safe while other threads are
 * blocked in this socket's calls: they are woken and throw {@link BadFileDescriptorException}, and the
 * descriptor is released only after they have left, so its number cannot be reused under them. After
 * close, {@link #fileno()} is -1 and every call throws {@code BadFileDescriptorException}
 * ({@code [Errno 9] Bad file descriptor}). A socket dropped without {@code close()} is closed when the
 * garbage collector finds it, as in Python.
 */
public final class Sock implements FileNo, AutoCloseable {
    /** Address family: Unix domain sockets (a path, or a name in the abstract namespace). */
    public static final int AF_UNIX = 1;
    /** Address family: IPv4. */
    public static final int AF_INET = 2;
    /** Address family: IPv6. */
    public static final int AF_INET6 = 10;
    /** Socket type: a connected byte stream (TCP for IP). */
    public static final int SOCK_STREAM = 1;
    /** Socket type: datagrams (UDP for IP). */
    public static final int SOCK_DGRAM = 2;
    /** For {@link #create(int, int)}'s type: start non-blocking, with a timeout of 0.0. */
    public static final int SOCK_NONBLOCK = SocketCalls.SOCK_NONBLOCK;
    /** For {@link #create(int, int)}'s type; every socket is close-on-exec anyway. */
    public static final int SOCK_CLOEXEC = SocketCalls.SOCK_CLOEXEC;

    /** Option level of the socket itself, for the {@code SO_*} options. */
    public static final int SOL_SOCKET = 1;
    /** Option: bind to an address whose old connections linger in TIME_WAIT (int, on/off). */
    public static final int SO_REUSEADDR = 2;
    /** Option, read-only: the socket type, {@link #SOCK_STREAM} or {@link #SOCK_DGRAM} (int). */
    public static final int SO_TYPE = 3;
    /** Option, read-only: the pending error, an errno or 0, cleared by reading it (int). */
    public static final int SO_ERROR = 4;
    /** Option: the send buffer's size in bytes (int; Linux doubles what is set). */
    public static final int SO_SNDBUF = 7;
    /** Option: the receive buffer's size in bytes (int; Linux doubles what is set). */
    public static final int SO_RCVBUF = 8;
    /** Option: send TCP keepalive probes on an idle connection (int, on/off). */
    public static final int SO_KEEPALIVE = 9;
    /** Takes a {@code struct linger}: set it with {@link #linger(boolean, int)}. */
    public static final int SO_LINGER = 13;
    /** Option: let several sockets bind the same address and port, and share its load (int, on/off). */
    public static final int SO_REUSEPORT = 15;
    /** Option, read-only: 1 when the socket is listening (int). */
    public static final int SO_ACCEPTCONN = 30;
    /** Option, read-only: the address family (int). */
    public static final int SO_DOMAIN = 39;
    /** Protocol TCP; also the option level of the {@code TCP_*} options. */
    public static final int IPPROTO_TCP = 6;
    /** Protocol UDP. */
    public static final int IPPROTO_UDP = 17;
    /** Protocol IPv6; the option level of the {@code IPV6_*} options. */
    public static final int IPPROTO_IPV6 = 41;
    /** Option at {@link #IPPROTO_TCP}: send small writes at once, without Nagle's delay (int, on/off). */
    public static final int TCP_NODELAY = 1;
    /** Option at {@link #IPPROTO_IPV6}: accept IPv6 only, not IPv4-mapped addresses (int, on/off). */
    public static final int IPV6_V6ONLY = 26;

    /** For {@link #shutdown(int)}: no more receptions. */
    public static final int SHUT_RD = 0;
    /** For {@link #shutdown(int)}: no more transmissions; the peer reads end of stream. */
    public static final int SHUT_WR = 1;
    /** For {@link #shutdown(int)}: no more receptions or transmissions. */
    public static final int SHUT_RDWR = 2;

    /** Flag: send or receive TCP out-of-band (urgent) data. */
    public static final int MSG_OOB = 0x1;
    /** Flag for receiving: return the data without removing it from the queue. */
    public static final int MSG_PEEK = 0x2;
    /** Flag for receiving: return a datagram's real length even when it was cut. */
    public static final int MSG_TRUNC = 0x20;
    /** Flag: this one call does not block, whatever the socket's timeout. */
    public static final int MSG_DONTWAIT = SocketCalls.MSG_DONTWAIT;
    /** Flag for receiving on a stream: wait for the full amount (or an error, a signal, or end of stream). */
    public static final int MSG_WAITALL = SocketCalls.MSG_WAITALL;

    /** Python's {@code listen()} backlog: {@code min(SOMAXCONN, 128)}. */
    static final int DEFAULT_BACKLOG = 128;
    private static final int TYPE_FLAGS = SOCK_NONBLOCK | SOCK_CLOEXEC;
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jselect-socket-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final int fd;
    private final int family;
    private final int type;
    private final int proto;
    private final CloseGuard guard = new CloseGuard();
    private final Cleaner.Cleanable cleanable;
    /** Python's {@code sock_timeout}: {@code null} blocks, 0.0 is non-blocking, positive is seconds. */
    private volatile Double timeout;
    /** Where a caller's buffer meets the kernel: directly, or copied through the thread's window. */
    private final BufferMemory buffers = new BufferMemory();

    private Sock(int fd, int family, int type, int proto, Double timeout) {
        this.fd = fd;
        this.family = family;
        this.type = type;
        this.proto = proto;
        this.timeout = timeout;
        // The action holds the number, not the socket, or the socket would never become unreachable.
        this.cleanable = CLEANER.register(this, () -> Syscalls.backend().close(fd));
    }

    // ------------------------------------------------------------------------------------- factories

    /**
     * Creates a TCP socket over IPv4; Python's {@code socket.socket()}.
     *
     * @return the new socket, blocking
     * @throws ErrnoException when socket(2) fails, e.g. EMFILE
     * @see #create(int, int, int)
     */
    public static Sock create() throws ErrnoException {
        return create(AF_INET, SOCK_STREAM, 0);
    }

    /**
     * Creates a socket with the default protocol.
     *
     * @param family {@link #AF_INET}, {@link #AF_INET6} or {@link #AF_UNIX}
     * @param type {@link #SOCK_STREAM} or {@link #SOCK_DGRAM}, optionally with {@link #SOCK_NONBLOCK}
     * @return the new socket, blocking unless {@code SOCK_NONBLOCK} was given
     * @throws ErrnoException when socket(2) fails: EAFNOSUPPORT, EINVAL, EMFILE, ...
     * @see #create(int, int, int)
     */
    public static Sock create(int family, int type) throws ErrnoException {
        return create(family, type, 0);
    }

    /**
     * Creates a socket, close-on-exec; Python's {@code socket.socket(family, type, proto)}.
     *
     * @param family {@link #AF_INET}, {@link #AF_INET6} or {@link #AF_UNIX}
     * @param type {@link #SOCK_STREAM} or {@link #SOCK_DGRAM}, optionally with {@link #SOCK_NONBLOCK}
     *     (the socket then starts with a timeout of 0.0)
     * @param proto the protocol, 0 for the family's default
     * @return the new socket, blocking unless {@code SOCK_NONBLOCK} was given
     * @throws ErrnoException when socket(2) fails: EAFNOSUPPORT, EINVAL, EPROTONOSUPPORT, EMFILE, ...
     */
    public static Sock create(int family, int type, int proto) throws ErrnoException {
        Syscalls.requireAvailable();
        int fd = SocketCalls.socket(family, type, proto);
        return new Sock(fd, family, type & ~TYPE_FLAGS, proto, (type & SOCK_NONBLOCK) != 0 ? 0.0 : null);
    }

    /**
     * Creates a connected pair of AF_UNIX stream sockets; Python's {@code socket.socketpair()}.
     *
     * @return the two ends, blocking
     * @throws ErrnoException when socketpair(2) fails, e.g. EMFILE
     * @see #socketpair(int, int)
     */
    public static SockPair socketpair() throws ErrnoException {
        return socketpair(AF_UNIX, SOCK_STREAM);
    }

    /**
     * Creates a connected pair of sockets, close-on-exec; Python's {@code socket.socketpair(family, type)}.
     *
     * @param family {@link #AF_UNIX}, the one family Linux pairs
     * @param type {@link #SOCK_STREAM} or {@link #SOCK_DGRAM}, optionally with {@link #SOCK_NONBLOCK}
     * @return the two ends
     * @throws ErrnoException when socketpair(2) fails, e.g. EOPNOTSUPP for AF_INET
     */
    public static SockPair socketpair(int family, int type) throws ErrnoException {
        Syscalls.requireAvailable();
        int[] fds = SocketCalls.socketpair(family, type, 0);
        Double t = (type & SOCK_NONBLOCK) != 0 ? 0.0 : null;
        return new SockPair(new Sock(fds[0], family, type & ~TYPE_FLAGS, 0, t),
                new Sock(fds[1], family, type & ~TYPE_FLAGS, 0, t));
    }

    /**
     * Wraps a duplicate of a socket descriptor, which the caller keeps and must close itself; Python's
     * {@code socket.fromfd(fd, family, type)}.
     *
     * @param fd an open socket descriptor, {@code >= 0}
     * @param family the socket's address family
     * @param type the socket's type
     * @return the new socket, owning the duplicate (close-on-exec); non-blocking, with a timeout of 0.0,
     *     if the descriptor is
     * @throws IllegalArgumentException when {@code fd} is negative
     * @throws BadFileDescriptorException when {@code fd} is not open
     */
    public static Sock fromfd(int fd, int family, int type) throws ErrnoException {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor cannot be a negative integer (" + fd + ")");
        }
        Syscalls.requireAvailable();
        int dup = SocketCalls.fcntl(fd, SocketCalls.F_DUPFD_CLOEXEC, 0);
        try {
            boolean nonblocking = (SocketCalls.fcntl(dup, SocketCalls.F_GETFL, 0) & Syscalls.O_NONBLOCK) != 0;
            return new Sock(dup, family, type & ~TYPE_FLAGS, 0, nonblocking ? 0.0 : null);
        } catch (ErrnoException e) {
            Syscalls.backend().close(dup);
            throw e;
        }
    }

    /**
     * Connects to a TCP service, blocking; see {@link #createConnection(String, int, Double, SocketAddress)}.
     *
     * @param host a name or a literal address; {@code null} for the loopback address
     * @param port 0 to 65535
     * @return the connected socket, blocking
     * @throws IllegalArgumentException when {@code port} is out of range
     * @throws UnknownHostException when {@code host} does not resolve
     * @throws IOException the last address's {@link ErrnoException}, e.g.
     *     {@link io.jselect.ConnectionRefusedException}
     */
    public static Sock createConnection(String host, int port) throws IOException {
        return createConnection(host, port, null, null);
    }

    /**
     * Connects to a TCP service within a timeout; see
     * {@link #createConnection(String, int, Double, SocketAddress)}.
     *
     * @param host a name or a literal address; {@code null} for the loopback address
     * @param port 0 to 65535
     * @param timeout seconds, for the connect and afterwards (as {@link #settimeout}); {@code null} blocks
     * @return the connected socket
     * @throws IllegalArgumentException when {@code port} is out of range or {@code timeout} negative
     * @throws UnknownHostException when {@code host} does not resolve
     * @throws IOException the last address's {@link ErrnoException}, e.g.
     *     {@link io.jselect.ConnectionRefusedException}, or {@link TimedOutException}
     */
    public static Sock createConnection(String host, int port, Double timeout) throws IOException {
        return createConnection(host, port, timeout, null);
    }

    /**
     * Connects to a TCP service; Python's {@code socket.create_connection((host, port), timeout,
     * source_address)}: tries each address the host resolves to, in order, until one connects.
     *
     * @param host a name or a literal address; {@code null} for the loopback address
     * @param port 0 to 65535
     * @param timeout seconds, for the connect and afterwards (as {@link #settimeout}); {@code null} blocks
     * @param sourceAddress the local address to bind to first, or {@code null}
     * @return the connected socket
     * @throws IllegalArgumentException when {@code port} is out of range or {@code timeout} negative
     * @throws UnknownHostException when {@code host} does not resolve
     * @throws ErrnoException the last address's failure (earlier ones suppressed in it), e.g.
     *     {@link io.jselect.ConnectionRefusedException}, or {@link TimedOutException}
     */
    public static Sock createConnection(String host, int port, Double timeout, SocketAddress sourceAddress)
            throws IOException {
        checkPort(port);
        Timeouts.fromSeconds(timeout, false);
        ErrnoException failure = null;
        for (InetAddress address : InetAddress.getAllByName(host)) {
            Sock sock = create(address instanceof Inet6Address ? AF_INET6 : AF_INET, SOCK_STREAM);
            try {
                sock.settimeout(timeout);
                if (sourceAddress != null) {
                    sock.bind(sourceAddress);
                }
                sock.connect(new InetSocketAddress(address, port));
                return sock;
            } catch (ErrnoException e) {
                sock.close();
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            } catch (RuntimeException e) {
                sock.close();
                throw e;
            }
        }
        throw failure; // getAllByName returns at least one address or throws
    }

    /**
     * Creates a TCP server listening on a host and port; see
     * {@link #createServer(SocketAddress, Integer, boolean)}.
     *
     * @param host a name or literal address; {@code ""} or {@code null} for every IPv4 address
     *     (0.0.0.0), {@code "::"} for every IPv6 one
     * @param port 0 to 65535; 0 picks a free port
     * @return the listening socket, blocking, with a backlog of 128
     * @throws IllegalArgumentException when {@code port} is out of range
     * @throws UnknownHostException when {@code host} does not resolve
     * @throws IOException an {@link ErrnoException} when a call fails, e.g.
     *     {@link io.jselect.AddressInUseException}
     */
    public static Sock createServer(String host, int port) throws IOException {
        return createServer(host, port, null, false);
    }

    /**
     * Creates a TCP server listening on a host and port, with a backlog and SO_REUSEPORT; see
     * {@link #createServer(String, int)} and {@link #createServer(SocketAddress, Integer, boolean)}.
     *
     * @param host a name or literal address; {@code ""} or {@code null} for every IPv4 address
     * @param port 0 to 65535; 0 picks a free port
     * @param backlog the most pending connections; {@code null} for Python's default
     * @param reusePort whether to set SO_REUSEPORT, so several servers share the port
     * @return the listening socket, blocking
     * @throws IllegalArgumentException when {@code port} is out of range
     * @throws UnknownHostException when {@code host} does not resolve
     * @throws IOException an {@link ErrnoException} when a call fails, e.g.
     *     {@link io.jselect.AddressInUseException}
     */
    public static Sock createServer(String host, int port, Integer backlog, boolean reusePort) throws IOException {
        checkPort(port);
        InetAddress address = host == null || host.isEmpty() ? Sockaddr.any(AF_INET) : InetAddress.getByName(host);
        return createServer(new InetSocketAddress(address, port), backlog, reusePort);
    }

    /**
     * Creates a listening stream socket; Python's {@code socket.create_server(address, backlog=...,
     * reuse_port=...)}: SO_REUSEADDR on (a restarted server binds while old connections linger in
     * TIME_WAIT), and IPV6_V6ONLY on for IPv6.
     *
     * @param address a resolved {@code InetSocketAddress} (its type chooses AF_INET or AF_INET6), or a
     *     {@link UnixAddress}
     * @param backlog the listen backlog; {@code null} for Python's default, 128
     * @param reusePort whether to set SO_REUSEPORT, so several sockets can listen on the same port
     * @return the listening socket, blocking
     * @throws IllegalArgumentException when {@code address} is null, unresolved or of another type
     * @throws io.jselect.AddressInUseException when the address is taken (EADDRINUSE)
     * @throws ErrnoException when another call fails
     */
    public static Sock createServer(SocketAddress address, Integer backlog, boolean reusePort) throws ErrnoException {
        Sock sock = create(familyOf(address), SOCK_STREAM);
        try {
            sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
            if (reusePort) {
                sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
            }
            if (sock.family == AF_INET6) {
                sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
            }
            sock.bind(address);
            sock.listen(backlog == null ? DEFAULT_BACKLOG : backlog);
            return sock;
        } catch (ErrnoException | RuntimeException e) {
            sock.close();
            throw e;
        }
    }

    private static int familyOf(SocketAddress address) {
        if (address instanceof UnixAddress || address instanceof UnixDomainSocketAddress) {
            return AF_UNIX;
        }
        if (address instanceof InetSocketAddress && !((InetSocketAddress) address).isUnresolved()) {
            return ((InetSocketAddress) address).getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
        }
        throw new IllegalArgumentException("address must be a resolved InetSocketAddress or a UnixAddress, got "
                + address);
    }

    /**
     * The bytes of a {@code struct linger}, for {@code setsockopt(SOL_SOCKET, SO_LINGER, linger(true, 0))};
     * Python's {@code struct.pack("ii", onoff, seconds)}, with the layout read from C.
     *
     * @param onoff whether close lingers; on with 0 seconds, close resets the connection (RST)
     * @param seconds how long close waits for unsent data, {@code >= 0}
     * @return the struct's bytes
     */
    public static byte[] linger(boolean onoff, int seconds) {
        Syscalls.requireAvailable();
        ByteBuffer b = ByteBuffer.allocate(Structs.LINGER_SIZE).order(ByteOrder.nativeOrder());
        b.putInt(Structs.LINGER_ONOFF, onoff ? 1 : 0);
        b.putInt(Structs.LINGER_LINGER, seconds);
        return b.array();
    }

    // ------------------------------------------------------------------------------- the call bracket

    /** A call on the open descriptor. */
    @FunctionalInterface
    private interface Op<T> {
        T run(int fd) throws ErrnoException;
    }

    /**
     * Runs a call with the descriptor held open: refused after close, and reported as a close when a
     * close from another thread woke it.
     */
    private <T> T call(String name, Op<T> op) throws ErrnoException {
        if (!guard.enter()) {
            throw closed(name);
        }
        try {
            return op.run(fd);
        } catch (ErrnoException e) {
            if (guard.isClosed()) { // the shutdown of a concurrent close() woke the call
                throw closed(name);
            }
            throw e;
        } finally {
            guard.exit();
            Reference.reachabilityFence(this); // the cleaner must not close fd while a call uses it
        }
    }

    private static ErrnoException closed(String name) {
        return SocketCalls.exception(Errno.EBADF, name, -1, null);
    }

    /** A receive that saw end of stream because a concurrent close() shut the socket down fails as closed. */
    private int received(int n, String name) throws ErrnoException {
        if (n == 0 && guard.isClosed()) {
            throw closed(name);
        }
        return n;
    }

    private long timeoutNanos() {
        return Timeouts.fromSeconds(timeout, false);
    }

    /**
     * How much of a heap transfer goes through the thread's window in one call. Streams are cut to it
     * (a short count). IP datagrams fit whole when received (at most 65,535 bytes); a larger send must
     * fail whole (EMSGSIZE), and AF_UNIX datagrams may be larger, so those get a buffer of their own.
     */
    private int windowed(int n, boolean receiving) {
        boolean cut = type == SOCK_STREAM || (receiving && family != AF_UNIX);
        return cut ? Math.min(n, Scratch.WINDOW_MAX) : n;
    }

    // --------------------------------------------------------------------------------------- binding

    /**
     * Binds to a local address; Python's {@code bind(address)}.
     *
     * @param address a resolved {@code InetSocketAddress} for AF_INET and AF_INET6 (port 0 picks a free
     *     one), or a {@link UnixAddress} for AF_UNIX
     * @throws IllegalArgumentException when the address does not suit the family, or an AF_UNIX path is
     *     too long
     * @throws io.jselect.AddressInUseException when it is taken (EADDRINUSE)
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when bind(2) fails otherwise, e.g. EINVAL when already bound
     */
    public void bind(SocketAddress address) throws ErrnoException {
        call("bind", fd -> {
            Scratch s = Scratch.get();
            SocketCalls.bind(fd, s.addr(), s.putAddress(family, address), address);
            return null;
        });
    }

    /**
     * Binds to a host and port; Python's {@code bind((host, port))}.
     *
     * @param host a name or literal address; {@code ""} or {@code null} for every address of the family
     * @param port 0 to 65535; 0 picks a free port
     * @throws UnknownHostException when {@code host} does not resolve to an address of the family
     * @see #bind(SocketAddress)
     */
    public void bind(String host, int port) throws IOException {
        bind(resolve(host, port));
    }

    /**
     * Listens with Python's default backlog, 128; see {@link #listen(int)}.
     *
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when listen(2) fails, e.g. EOPNOTSUPP on a datagram socket
     */
    public void listen() throws ErrnoException {
        listen(DEFAULT_BACKLOG);
    }

    /**
     * Listens for connections; Python's {@code listen(backlog)}.
     *
     * @param backlog the most pending connections; negative counts as 0, as in Python
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when listen(2) fails, e.g. EOPNOTSUPP on a datagram socket
     */
    public void listen(int backlog) throws ErrnoException {
        call("listen", fd -> {
            SocketCalls.listen(fd, Math.max(backlog, 0));
            return null;
        });
    }

    /**
     * Accepts a connection; Python's {@code accept()}, with accept4(2) so the new socket is close-on-exec
     * from the start.
     *
     * @return the new socket and the peer's address. It is non-blocking (timeout 0.0) when this socket
     *     is, which is what an event loop wants; otherwise blocking, even when this socket has a timeout,
     *     as Python's (CPython issue 7995).
     * @throws TimedOutException when this socket's timeout expires first
     * @throws io.jselect.BlockingIOException when this socket is non-blocking and none is pending
     * @throws BadFileDescriptorException after {@link #close()}, also from another thread while waiting
     * @throws ErrnoException when accept4(2) fails otherwise, e.g. EINVAL when not listening
     */
    public Accepted accept() throws ErrnoException {
        return call("accept", fd -> {
            Double t = timeout;
            boolean nonblocking = t != null && t == 0;
            Scratch s = Scratch.get();
            s.clearAddress();
            int conn = SocketCalls.accept4(fd, s.addr(), s.addrlen(), nonblocking ? SOCK_NONBLOCK : 0,
                    Timeouts.fromSeconds(t, false));
            Sock sock = new Sock(conn, family, type, proto, nonblocking ? 0.0 : null);
            try {
                return new Accepted(sock, s.address());
            } catch (RuntimeException e) {
                sock.close();
                throw e;
            }
        });
    }

    // ------------------------------------------------------------------------------------ connecting

    /**
     * Connects to a remote address; Python's {@code connect(address)}. With a timeout, waits at most
     * that long for the connection.
     *
     * @param address a resolved {@code InetSocketAddress} (an IPv4 one on an AF_INET6 socket is used in
     *     its IPv4-mapped form), or a {@link UnixAddress}
     * @throws IllegalArgumentException when the address does not suit the family
     * @throws io.jselect.ConnectionRefusedException when nothing listens there (ECONNREFUSED)
     * @throws TimedOutException when the socket's timeout expires first ("timed out"), or the kernel gives
     *     up (ETIMEDOUT)
     * @throws io.jselect.BlockingIOException on a non-blocking socket, where the connection goes on in the
     *     background (EINPROGRESS): wait for it to be writable, then read {@link #SO_ERROR}
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when connect(2) fails otherwise, e.g. ENOENT for a missing AF_UNIX path
     */
    public void connect(SocketAddress address) throws ErrnoException {
        connect(address, true);
    }

    /**
     * Connects to a host and port; Python's {@code connect((host, port))}.
     *
     * @param host a name or literal address
     * @param port 0 to 65535
     * @throws UnknownHostException when {@code host} does not resolve to an address of the family
     * @see #connect(SocketAddress)
     */
    public void connect(String host, int port) throws IOException {
        connect(resolve(host, port), true);
    }

    /**
     * Connects, returning the error instead of throwing it; Python's {@code connect_ex(address)}.
     *
     * @param address as for {@link #connect(SocketAddress)}
     * @return 0 once connected, else the errno: ECONNREFUSED, EINPROGRESS on a non-blocking socket,
     *     EWOULDBLOCK when the socket's timeout expires (as Python), EBADF after {@link #close()}, ...
     * @throws IllegalArgumentException when the address does not suit the family
     * @throws ErrnoException when reading the outcome of a connection it waited for fails (getsockopt
     *     SO_ERROR); the connection's own failure is returned, not thrown
     */
    public int connectEx(SocketAddress address) throws ErrnoException {
        try {
            int errno = connect(address, false);
            return errno != 0 && guard.isClosed() ? Errno.EBADF : errno;
        } catch (TimedOutException e) {
            return Errno.EWOULDBLOCK;
        } catch (BadFileDescriptorException e) {
            return Errno.EBADF;
        }
    }

    /**
     * Connects to a host and port, returning the error; see {@link #connectEx(SocketAddress)}.
     *
     * @param host a name or literal address of the socket's family
     * @param port 0 to 65535
     * @return 0 once connected, else the errno, as {@link #connectEx(SocketAddress)}
     * @throws IllegalArgumentException when {@code port} is out of range
     * @throws UnknownHostException when {@code host} does not resolve to an address of the family
     */
    public int connectEx(String host, int port) throws IOException {
        return connectEx(resolve(host, port));
    }

    private int connect(SocketAddress address, boolean raise) throws ErrnoException {
        return call("connect", fd -> {
            Scratch s = Scratch.get();
            int len = s.putAddress(family, address);
            int errno = SocketCalls.connect(fd, s.addr(), len, address, timeoutNanos());
            if (errno != 0 && raise) {
                throw SocketCalls.exception(errno, "connect", fd, address);
            }
            return errno;
        });
    }

    /** Resolves a host for this socket's family, as Python's getaddrinfo does for connect and bind. */
    private InetSocketAddress resolve(String host, int port) throws UnknownHostException {
        checkPort(port);
        if (family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException(Sockaddr.familyName(family)
                    + " sockets take a UnixAddress, not a host and port");
        }
        if (host == null || host.isEmpty()) {
            return new InetSocketAddress(Sockaddr.any(family), port);
        }
        InetAddress[] all = InetAddress.getAllByName(host);
        for (InetAddress a : all) {
            if ((family == AF_INET) == (a instanceof Inet4Address)) {
                return new InetSocketAddress(a, port);
            }
        }
        if (family == AF_INET6) {
            return new InetSocketAddress(all[0], port); // IPv4 only: reached in its IPv4-mapped form
        }
        throw new UnknownHostException(host + ": no IPv4 address");
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
    }

    // ------------------------------------------------------------------------------------- receiving

    /**
     * Receives at most {@code bufsize} bytes; Python's {@code recv(bufsize)}; see {@link #recv(int, int)}.
     *
     * @param bufsize the most bytes, {@code >= 0}; a stream socket returns at most 64 KiB per call
     * @return the bytes; empty at end of stream (the peer shut down or closed)
     * @throws IllegalArgumentException when {@code bufsize} is negative
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #recv(int, int)}
     */
    public byte[] recv(int bufsize) throws ErrnoException {
        return recv(bufsize, 0);
    }

    /**
     * Receives at most {@code bufsize} bytes; Python's {@code recv(bufsize, flags)}. Copied once, from
     * native memory into the array returned.
     *
     * @param bufsize the most bytes, {@code >= 0}; a stream socket returns at most 64 KiB per call
     * @param flags {@link #MSG_PEEK}, {@link #MSG_DONTWAIT}, {@link #MSG_OOB}, ... or 0
     * @return the bytes; empty at end of stream (the peer shut down or closed)
     * @throws IllegalArgumentException when {@code bufsize} is negative
     * @throws TimedOutException when the socket's timeout expires first
     * @throws io.jselect.BlockingIOException when non-blocking and nothing is there (EAGAIN)
     * @throws io.jselect.ConnectionResetException when the peer reset the connection (ECONNRESET)
     * @throws BadFileDescriptorException after {@link #close()}, also from another thread while waiting
     * @throws ErrnoException when recv(2) fails otherwise
     */
    public byte[] recv(int bufsize, int flags) throws ErrnoException {
        checkBufsize(bufsize, "recv");
        return call("recv", fd -> {
            int len = windowed(bufsize, true);
            NativeBuffer w = Scratch.get().window(len);
            int n = received(SocketCalls.recv(fd, w.address(), len, flags, timeoutNanos()), "recv");
            byte[] data = new byte[n];
            w.buffer().get(0, data);
            Reference.reachabilityFence(w);
            return data;
        });
    }

    /**
     * Receives into {@code buffer}'s remaining bytes, with no flags; see {@link #recvInto(ByteBuffer, int)}.
     *
     * @param buffer a writable buffer, not {@code null}; its position advances by the count
     * @return the number of bytes received; 0 at end of stream
     * @throws IllegalArgumentException when {@code buffer} is null or read-only
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #recvInto(ByteBuffer, int)}
     */
    public int recvInto(ByteBuffer buffer) throws ErrnoException {
        return recvInto(buffer, 0);
    }

    /**
     * Receives into {@code buffer}'s remaining bytes, advancing its position; Python's
     * {@code recv_into(buffer, nbytes, flags)}. A direct buffer is handed to the kernel, with no copy;
     * a heap buffer's bytes are copied once, as are those of a direct buffer over a {@code MemorySegment}
     * (whose arena may free its memory at any time).
     *
     * @param buffer a writable buffer; a copied one on a stream socket takes at most 64 KiB per call
     * @param flags as for {@link #recv(int, int)}
     * @return the number of bytes received; 0 at end of stream
     * @throws IllegalArgumentException when {@code buffer} is null or read-only
     * @throws IllegalStateException when {@code buffer} views a {@code MemorySegment} whose arena is closed,
     *     before the call or by another thread during it (nothing is consumed then), as {@code java.nio}
     *     throws; {@code WrongThreadException} for another thread's confined arena
     * @throws TimedOutException when the socket's timeout expires first
     * @throws io.jselect.BlockingIOException when non-blocking and nothing is there (EAGAIN)
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when recv(2) fails otherwise
     */
    public int recvInto(ByteBuffer buffer, int flags) throws ErrnoException {
        if (buffer == null || buffer.isReadOnly()) {
            throw new IllegalArgumentException("buffer must be a writable ByteBuffer, got "
                    + (buffer == null ? "null" : "a read-only one"));
        }
        return call("recv", fd -> {
            int pos = buffer.position();
            long address = buffers.addressOf(buffer);
            int n;
            if (address != 0) {
                n = received(SocketCalls.recv(fd, address + pos, buffer.remaining(), flags, timeoutNanos()), "recv");
            } else {
                int len = windowed(buffer.remaining(), true);
                NativeBuffer w = Scratch.get().window(len);
                n = buffer.isDirect() // foreign memory: take nothing while its arena may be closed
                        ? SocketCalls.recvWhenReady(fd, w.address(), len, flags, timeoutNanos(),
                                () -> BufferMemory.checkUsable(buffer))
                        : SocketCalls.recv(fd, w.address(), len, flags, timeoutNanos());
                n = received(n, "recv");
                buffer.put(pos, w.buffer(), 0, n); // checks a foreign buffer's arena again
                Reference.reachabilityFence(w);
            }
            buffer.position(pos + n);
            Reference.reachabilityFence(buffer);
            return n;
        });
    }

    /**
     * Reads what has arrived, as {@code java.nio.channels.SocketChannel.read} does: the event-loop form
     * of {@link #recvInto(ByteBuffer)}. On a non-blocking socket it never throws because nothing is there
     * yet, and it allocates nothing (a heap buffer takes up to 64 KiB per call). On a blocking socket, or
     * one with a timeout, it waits as {@code recvInto} does.
     *
     * @param buffer where the bytes go, from its position; its position advances by the count
     * @return the bytes read; 0 when nothing is there yet or {@code buffer} has no room; -1 at end of stream
     * @throws IllegalStateException as {@link #recvInto(ByteBuffer, int)}, for a closed arena's memory
     * @throws ConnectionResetException when the peer reset the connection
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when recv(2) fails otherwise
     */
    public int read(ByteBuffer buffer) throws ErrnoException {
        if (buffer == null || buffer.isReadOnly()) {
            throw new IllegalArgumentException("buffer must be a writable ByteBuffer, got "
                    + (buffer == null ? "null" : "a read-only one"));
        }
        if (!buffer.hasRemaining()) {
            return 0;
        }
        Double t = timeout;
        if (t == null || t != 0.0) {
            try {
                int n = recvInto(buffer);
                return n == 0 ? -1 : n;
            } catch (io.jselect.BlockingIOException nothingYet) {
                return 0;
            }
        }
        if (!guard.enter()) {
            throw closed("recv");
        }
        NativeBuffer w = null;
        try {
            int pos = buffer.position();
            long address = buffers.addressOf(buffer);
            long n;
            if (address != 0) {
                n = SocketCalls.recvNow(fd, address + pos, buffer.remaining());
            } else {
                BufferMemory.checkUsable(buffer);
                int len = windowed(buffer.remaining(), true);
                w = Scratch.get().window(len);
                n = SocketCalls.recvNow(fd, w.address(), len);
                if (n > 0) {
                    buffer.put(pos, w.buffer(), 0, (int) n);
                }
            }
            if (n > 0) {
                buffer.position(pos + (int) n);
                return (int) n;
            }
            return n == 0 ? (guard.isClosed() ? 0 : -1) : 0;
        } finally {
            guard.exit();
            Reference.reachabilityFence(w);
            Reference.reachabilityFence(buffer);
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Writes what the kernel takes now, as {@code java.nio.channels.SocketChannel.write} does: the
     * event-loop form of {@link #send(ByteBuffer)}. On a non-blocking socket a full send buffer is 0, not
     * an exception, and it allocates nothing (a heap buffer gives up to 64 KiB per call).
     *
     * @param buffer the bytes, from its position; its position advances by the count
     * @return the bytes written, possibly fewer than remained, 0 when the send buffer is full
     * @throws IllegalStateException as {@link #send(ByteBuffer, int)}, for a closed arena's memory
     * @throws BrokenPipeException when the peer has gone (EPIPE; never SIGPIPE)
     * @throws ConnectionResetException when the peer reset the connection
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when send(2) fails otherwise
     */
    public int write(ByteBuffer buffer) throws ErrnoException {
        if (buffer == null) {
            throw new IllegalArgumentException("buffer must be a ByteBuffer, got null");
        }
        if (!buffer.hasRemaining()) {
            return 0;
        }
        Double t = timeout;
        if (t == null || t != 0.0) {
            try {
                return send(buffer);
            } catch (io.jselect.BlockingIOException full) {
                return 0;
            }
        }
        if (!guard.enter()) {
            throw closed("send");
        }
        NativeBuffer w = null;
        try {
            int pos = buffer.position();
            long address = buffers.addressOf(buffer);
            long n;
            if (address != 0) {
                n = SocketCalls.sendNow(fd, address + pos, buffer.remaining());
            } else {
                int len = windowed(buffer.remaining(), false);
                w = Scratch.get().window(len);
                w.buffer().put(0, buffer, pos, len); // a foreign buffer's arena is checked here
                n = SocketCalls.sendNow(fd, w.address(), len);
            }
            buffer.position(pos + (int) n);
            return (int) n;
        } finally {
            guard.exit();
            Reference.reachabilityFence(w);
            Reference.reachabilityFence(buffer);
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Receives at most {@code bufsize} bytes and the sender's address, with no flags; see
     * {@link #recvfrom(int, int)}.
     *
     * @param bufsize the most bytes, {@code >= 0}
     * @return the bytes and the sender ({@code null} on a connected stream socket)
     * @throws IllegalArgumentException when {@code bufsize} is negative
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #recvfrom(int, int)}
     */
    public Received recvfrom(int bufsize) throws ErrnoException {
        return recvfrom(bufsize, 0);
    }

    /**
     * Receives at most {@code bufsize} bytes and the sender's address; Python's
     * {@code recvfrom(bufsize, flags)}. A longer datagram is cut to {@code bufsize}, as the kernel does.
     *
     * @param bufsize the most bytes, {@code >= 0}
     * @param flags as for {@link #recv(int, int)}
     * @return the bytes and the sender ({@code null} on a connected stream socket)
     * @throws IllegalArgumentException when {@code bufsize} is negative
     * @throws TimedOutException when the socket's timeout expires first
     * @throws io.jselect.BlockingIOException when non-blocking and nothing is there (EAGAIN)
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when recvfrom(2) fails otherwise
     */
    public Received recvfrom(int bufsize, int flags) throws ErrnoException {
        checkBufsize(bufsize, "recvfrom");
        return call("recvfrom", fd -> {
            int len = windowed(bufsize, true);
            Scratch s = Scratch.get();
            NativeBuffer w = s.window(len);
            s.clearAddress();
            int n = received(SocketCalls.recvfrom(fd, w.address(), len, flags, s.addr(), s.addrlen(),
                    timeoutNanos()), "recvfrom");
            byte[] data = new byte[n];
            w.buffer().get(0, data);
            Reference.reachabilityFence(w);
            return new Received(data, s.address());
        });
    }

    private static void checkBufsize(int bufsize, String call) {
        if (bufsize < 0) {
            throw new IllegalArgumentException("negative buffersize in " + call + ", got " + bufsize);
        }
    }

    // --------------------------------------------------------------------------------------- sending

    /**
     * Sends some of an array, with no flags; Python's {@code send(data)}; see {@link #send(ByteBuffer, int)}.
     *
     * @param data the bytes, not {@code null}; on a stream socket at most 64 KiB go per call
     * @return the number of bytes sent, possibly fewer than given
     * @throws IllegalArgumentException when {@code data} is null
     * @throws TimedOutException when the socket's timeout expires before any byte could go
     * @throws ErrnoException as {@link #send(ByteBuffer, int)}
     */
    public int send(byte[] data) throws ErrnoException {
        return send(wrap(data), 0);
    }

    /**
     * Sends some of an array; Python's {@code send(data, flags)}; see {@link #send(ByteBuffer, int)}.
     *
     * @param data the bytes, not {@code null}; on a stream socket at most 64 KiB go per call
     * @param flags {@link #MSG_DONTWAIT}, {@link #MSG_OOB}, ... or 0
     * @return the number of bytes sent, possibly fewer than given
     * @throws IllegalArgumentException when {@code data} is null
     * @throws TimedOutException when the socket's timeout expires before any byte could go
     * @throws ErrnoException as {@link #send(ByteBuffer, int)}
     */
    public int send(byte[] data, int flags) throws ErrnoException {
        return send(wrap(data), flags);
    }

    /**
     * Sends some of {@code data}'s remaining bytes, with no flags, advancing its position; see
     * {@link #send(ByteBuffer, int)}.
     *
     * @param data the bytes, not {@code null}; a direct buffer goes to the kernel without a copy
     * @return the number of bytes sent, possibly fewer than given
     * @throws IllegalArgumentException when {@code data} is null
     * @throws TimedOutException when the socket's timeout expires before any byte could go
     * @throws ErrnoException as {@link #send(ByteBuffer, int)}
     */
    public int send(ByteBuffer data) throws ErrnoException {
        return send(data, 0);
    }

    /**
     * Sends some of {@code data}'s remaining bytes, advancing its position; Python's
     * {@code send(data, flags)}. A direct buffer is handed to the kernel, with no copy; heap bytes are
     * copied once, as are those of a direct buffer over a {@code MemorySegment}. Never raises SIGPIPE.
     *
     * @param data the bytes; a copied buffer on a stream socket sends at most 64 KiB per call
     * @param flags {@link #MSG_DONTWAIT}, {@link #MSG_OOB}, ... or 0
     * @return the number of bytes sent, possibly fewer than remain
     * @throws IllegalArgumentException when {@code data} is null
     * @throws IllegalStateException when {@code data} views a {@code MemorySegment} whose arena is closed
     *     (nothing is sent), as {@code java.nio} throws; {@code WrongThreadException} for another thread's
     *     confined arena
     * @throws TimedOutException when the socket's timeout expires before any byte could go
     * @throws io.jselect.BlockingIOException when non-blocking and the send buffer is full (EAGAIN)
     * @throws io.jselect.BrokenPipeException when the connection is shut down or was reset (EPIPE)
     * @throws io.jselect.ConnectionResetException when the peer reset it (ECONNRESET)
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when send(2) fails otherwise, e.g. EDESTADDRREQ on an unconnected datagram
     *     socket
     */
    public int send(ByteBuffer data, int flags) throws ErrnoException {
        checkData(data);
        return call("send", fd -> sendSome(fd, data, flags, timeoutNanos(), null));
    }

    /**
     * Sends all of an array, with no flags; Python's {@code sendall(data)}; see
     * {@link #sendall(ByteBuffer, int)}.
     *
     * @param data the bytes, not {@code null}
     * @throws IllegalArgumentException when {@code data} is null
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #send(ByteBuffer, int)}
     */
    public void sendall(byte[] data) throws ErrnoException {
        sendall(wrap(data), 0);
    }

    /**
     * Sends all of an array; Python's {@code sendall(data, flags)}; see {@link #sendall(ByteBuffer, int)}.
     *
     * @param data the bytes, not {@code null}
     * @param flags as for {@link #send(ByteBuffer, int)}
     * @throws IllegalArgumentException when {@code data} is null
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #send(ByteBuffer, int)}
     */
    public void sendall(byte[] data, int flags) throws ErrnoException {
        sendall(wrap(data), flags);
    }

    /**
     * Sends all of {@code data}'s remaining bytes, with no flags; see {@link #sendall(ByteBuffer, int)}.
     *
     * @param data the bytes, not {@code null}; its position reaches its limit, or on failure stops
     *     after the bytes sent
     * @throws IllegalArgumentException when {@code data} is null
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #send(ByteBuffer, int)}
     */
    public void sendall(ByteBuffer data) throws ErrnoException {
        sendall(data, 0);
    }

    /**
     * Sends all of {@code data}'s remaining bytes, calling send until done; Python's
     * {@code sendall(data, flags)}. The socket's timeout bounds the whole, not each call.
     *
     * @param data the bytes; its position reaches its limit, or on failure stops after the bytes sent
     * @param flags as for {@link #send(ByteBuffer, int)}
     * @throws IllegalArgumentException when {@code data} is null
     * @throws IllegalStateException when {@code data} views a {@code MemorySegment} whose arena is closed
     *     (its position says what was sent before), as {@code java.nio} throws; {@code WrongThreadException}
     *     for another thread's confined arena
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #send(ByteBuffer, int)}
     */
    public void sendall(ByteBuffer data, int flags) throws ErrnoException {
        checkData(data);
        call("sendall", fd -> {
            long timeoutNanos = timeoutNanos();
            long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
            while (data.hasRemaining()) {
                long remaining = timeoutNanos > 0 ? deadline - System.nanoTime() : timeoutNanos;
                if (timeoutNanos > 0 && remaining <= 0) {
                    throw SocketCalls.timedOut("sendall", fd, null);
                }
                sendSome(fd, data, flags, remaining, null);
            }
            return null;
        });
    }

    /**
     * Sends an array to an address, with no flags; Python's {@code sendto(data, address)}; see
     * {@link #sendto(ByteBuffer, int, SocketAddress)}.
     *
     * @param data the bytes, not {@code null}; one datagram on a datagram socket
     * @param address as for {@link #connect(SocketAddress)}
     * @return the number of bytes sent
     * @throws IllegalArgumentException when {@code data} is null or the address does not suit the family
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #sendto(ByteBuffer, int, SocketAddress)}
     */
    public int sendto(byte[] data, SocketAddress address) throws ErrnoException {
        return sendto(wrap(data), 0, address);
    }

    /**
     * Sends an array to an address; Python's {@code sendto(data, flags, address)}, in its argument
     * order; see {@link #sendto(ByteBuffer, int, SocketAddress)}.
     *
     * @param data the bytes, not {@code null}; one datagram on a datagram socket
     * @param flags as for {@link #send(ByteBuffer, int)}
     * @param address as for {@link #connect(SocketAddress)}
     * @return the number of bytes sent
     * @throws IllegalArgumentException when {@code data} is null or the address does not suit the family
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #sendto(ByteBuffer, int, SocketAddress)}
     */
    public int sendto(byte[] data, int flags, SocketAddress address) throws ErrnoException {
        return sendto(wrap(data), flags, address);
    }

    /**
     * Sends {@code data}'s remaining bytes to an address, with no flags, advancing its position; see
     * {@link #sendto(ByteBuffer, int, SocketAddress)}.
     *
     * @param data the bytes, not {@code null}; one datagram on a datagram socket
     * @param address as for {@link #connect(SocketAddress)}
     * @return the number of bytes sent
     * @throws IllegalArgumentException when {@code data} is null or the address does not suit the family
     * @throws TimedOutException when the socket's timeout expires first
     * @throws ErrnoException as {@link #sendto(ByteBuffer, int, SocketAddress)}
     */
    public int sendto(ByteBuffer data, SocketAddress address) throws ErrnoException {
        return sendto(data, 0, address);
    }

    /**
     * Sends {@code data}'s remaining bytes to an address, advancing its position; Python's
     * {@code sendto(data, flags, address)}. Never raises SIGPIPE.
     *
     * @param data the bytes, one datagram on a datagram socket
     * @param flags as for {@link #send(ByteBuffer, int)}
     * @param address as for {@link #connect(SocketAddress)}
     * @return the number of bytes sent
     * @throws IllegalArgumentException when {@code data} is null or the address does not suit the family
     * @throws IllegalStateException when {@code data} views a {@code MemorySegment} whose arena is closed
     *     (nothing is sent), as {@code java.nio} throws; {@code WrongThreadException} for another thread's
     *     confined arena
     * @throws TimedOutException when the socket's timeout expires first
     * @throws io.jselect.BlockingIOException when non-blocking and the send buffer is full (EAGAIN)
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when sendto(2) fails otherwise, e.g. EMSGSIZE for a datagram too large
     */
    public int sendto(ByteBuffer data, int flags, SocketAddress address) throws ErrnoException {
        checkData(data);
        return call("sendto", fd -> sendSome(fd, data, flags, timeoutNanos(), address));
    }

    /** One send(2), or sendto(2) when {@code to} is not null, from a buffer's remaining bytes. */
    private int sendSome(int fd, ByteBuffer data, int flags, long timeoutNanos, SocketAddress to)
            throws ErrnoException {
        Scratch s = Scratch.get();
        int addrlen = to == null ? 0 : s.putAddress(family, to);
        int pos = data.position();
        int len = data.remaining();
        NativeBuffer w = null;
        long buf = buffers.addressOf(data);
        if (buf != 0) {
            buf += pos;
        } else {
            len = windowed(len, false);
            w = s.window(len);
            w.buffer().put(0, data, pos, len); // a foreign buffer's arena is checked here
            buf = w.address();
        }
        int n = to == null ? SocketCalls.send(fd, buf, len, flags, timeoutNanos)
                : SocketCalls.sendto(fd, buf, len, flags, s.addr(), addrlen, to, timeoutNanos);
        data.position(pos + n);
        Reference.reachabilityFence(w);
        Reference.reachabilityFence(data);
        return n;
    }

    private static ByteBuffer wrap(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        return ByteBuffer.wrap(data);
    }

    private static void checkData(ByteBuffer data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
    }

    // ---------------------------------------------------------------------------------- the socket

    /**
     * Shuts down one or both directions; Python's {@code shutdown(how)}. The peer reads end of stream
     * after {@link #SHUT_WR}.
     *
     * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when shutdown(2) fails: ENOTCONN when not connected, EINVAL for another how
     */
    public void shutdown(int how) throws ErrnoException {
        call("shutdown", fd -> {
            SocketCalls.shutdown(fd, how);
            return null;
        });
    }

    /**
     * Closes the socket; idempotent, and safe from any thread. Calls blocked in this socket in other
     * threads are woken (by shutdown(2), which close(2) alone would not do) and throw
     * {@link BadFileDescriptorException}; the descriptor is released once they have left. Whatever
     * close(2) reports, the descriptor is released (Linux's behaviour), so nothing is thrown.
     */
    @Override
    public void close() {
        if (!guard.close()) {
            guard.awaitIdle();
            return;
        }
        if (guard.busy()) {
            Syscalls.backend().shutdown(fd, SHUT_RDWR);
        }
        guard.awaitIdle();
        cleanable.clean();
    }

    /**
     * Returns the descriptor, for select, poll and epoll; Python's {@code fileno()}.
     *
     * @return the descriptor, or -1 after {@link #close()}
     */
    @Override
    public int fileno() {
        return guard.isClosed() ? -1 : fd;
    }

    /**
     * Returns the address family; Python's {@code family}.
     *
     * @return {@link #AF_INET}, {@link #AF_INET6} or {@link #AF_UNIX}
     */
    public int family() {
        return family;
    }

    /**
     * Returns the socket type; Python's {@code type}.
     *
     * @return {@link #SOCK_STREAM} or {@link #SOCK_DGRAM}, without {@link #SOCK_NONBLOCK} or
     *     {@link #SOCK_CLOEXEC}
     */
    public int type() {
        return type;
    }

    /**
     * Returns the protocol; Python's {@code proto}.
     *
     * @return the protocol given at creation, 0 for the family's default
     */
    public int proto() {
        return proto;
    }

    // ------------------------------------------------------------------------------------ blocking

    /**
     * Sets blocking mode; Python's {@code setblocking(flag)}: {@code settimeout(null)} or
     * {@code settimeout(0.0)}.
     *
     * @param flag {@code true} to block, {@code false} for non-blocking
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when fcntl(2) fails otherwise
     */
    public void setblocking(boolean flag) throws ErrnoException {
        settimeout(flag ? null : 0.0);
    }

    /**
     * Tells whether the socket blocks; Python's {@code getblocking()}.
     *
     * @return {@code false} for a timeout of 0.0, else {@code true} (also with a positive timeout)
     */
    public boolean getblocking() {
        Double t = timeout;
        return t == null || t != 0;
    }

    /**
     * Sets the timeout of calls that would block; see {@link #settimeout(Double)}. An {@code int} number
     * of seconds lands here.
     *
     * @param seconds infinity to block; 0.0 for non-blocking; positive to wait at most that long
     * @throws IllegalArgumentException when {@code seconds} is negative or NaN
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when fcntl(2) fails otherwise
     */
    public void settimeout(double seconds) throws ErrnoException {
        settimeout(Double.valueOf(seconds));
    }

    /**
     * Sets the timeout of calls that would block; Python's {@code settimeout(value)}.
     *
     * @param seconds {@code null} (or infinity) to block; 0.0 for non-blocking, where such calls throw
     *     {@link io.jselect.BlockingIOException}; positive to wait at most that long, rounded up to the
     *     millisecond of poll(2), then throw {@link TimedOutException}
     * @throws IllegalArgumentException when {@code seconds} is negative or NaN
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when fcntl(2) fails otherwise
     */
    public void settimeout(Double seconds) throws ErrnoException {
        boolean blocking = Timeouts.fromSeconds(seconds, false) == Timeouts.BLOCK;
        call("settimeout", fd -> {
            SocketCalls.setBlocking(fd, blocking);
            timeout = blocking ? null : seconds;
            return null;
        });
    }

    /**
     * Returns the timeout; Python's {@code gettimeout()}.
     *
     * @return seconds; {@code null} when blocking, 0.0 when non-blocking
     */
    public Double gettimeout() {
        return timeout;
    }

    // --------------------------------------------------------------------------------------- options

    /**
     * Sets an int option; Python's {@code setsockopt(level, optname, value)}.
     *
     * @param level {@link #SOL_SOCKET}, {@link #IPPROTO_TCP}, {@link #IPPROTO_IPV6}, ...
     * @param optname {@link #SO_REUSEADDR}, {@link #TCP_NODELAY}, {@link #SO_RCVBUF}, ...
     * @param value the value; 1 and 0 for on and off
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when setsockopt(2) fails, e.g. ENOPROTOOPT for an unknown option
     */
    public void setsockopt(int level, int optname, int value) throws ErrnoException {
        call("setsockopt", fd -> {
            SocketCalls.setsockopt(fd, level, optname, Scratch.get().putOption(value));
            return null;
        });
    }

    /**
     * Sets an option from its bytes, such as {@link #linger(boolean, int)}'s; Python's
     * {@code setsockopt(level, optname, bytes)}.
     *
     * @param level {@link #SOL_SOCKET}, {@link #IPPROTO_TCP}, {@link #IPPROTO_IPV6}, ...
     * @param optname {@link #SO_LINGER}, ...
     * @param value the option's bytes, at most 1024
     * @throws IllegalArgumentException when {@code value} is null or longer than 1024 bytes
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when setsockopt(2) fails, e.g. EINVAL for a value of the wrong size
     */
    public void setsockopt(int level, int optname, byte[] value) throws ErrnoException {
        if (value == null || value.length > Scratch.OPTION_MAX) {
            throw new IllegalArgumentException("option value must be at most " + Scratch.OPTION_MAX + " bytes, got "
                    + (value == null ? "null" : value.length + " bytes"));
        }
        call("setsockopt", fd -> {
            SocketCalls.setsockopt(fd, level, optname, Scratch.get().putOption(value));
            return null;
        });
    }

    /**
     * Reads an int option; Python's {@code getsockopt(level, optname)}. For {@link #SO_LINGER} that is
     * its on/off field; {@link #SO_ERROR} reads and clears the pending error.
     *
     * @param level {@link #SOL_SOCKET}, {@link #IPPROTO_TCP}, {@link #IPPROTO_IPV6}, ...
     * @param optname {@link #SO_REUSEADDR}, {@link #SO_ERROR}, {@link #SO_TYPE}, ...
     * @return the value
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when getsockopt(2) fails, e.g. ENOPROTOOPT
     */
    public int getsockopt(int level, int optname) throws ErrnoException {
        return call("getsockopt", fd -> SocketCalls.getsockoptInt(fd, level, optname));
    }

    /**
     * Reads an option's bytes; Python's {@code getsockopt(level, optname, buflen)}.
     *
     * @param level {@link #SOL_SOCKET}, {@link #IPPROTO_TCP}, {@link #IPPROTO_IPV6}, ...
     * @param optname {@link #SO_LINGER}, ...
     * @param buflen the room for the value, 1 to 1024
     * @return the bytes the kernel wrote, at most {@code buflen}
     * @throws IllegalArgumentException when {@code buflen} is out of range
     * @throws BadFileDescriptorException after {@link #close()}
     * @throws ErrnoException when getsockopt(2) fails
     */
    public byte[] getsockopt(int level, int optname, int buflen) throws ErrnoException {
        if (buflen <= 0 || buflen > Scratch.OPTION_MAX) {
            throw new IllegalArgumentException("getsockopt buflen out of range: " + buflen + ", must be 1 to "
                    + Scratch.OPTION_MAX);
        }
        return call("getsockopt", fd -> {
            SocketCalls.getsockopt(fd, level, optname, buflen);
            return Scratch.get().optionBytes();
        });
    }

    /**
     * Returns the local address; Python's {@code getsockname()}.
     *
     * @return an {@code InetSocketAddress} (0.0.0.0:0 before bind), or a {@link UnixAddress} ({@code ""}
     *     when unnamed)
     * @throws BadFileDescriptorException after {@link #close()}
     */
    public SocketAddress getsockname() throws ErrnoException {
        return call("getsockname", fd -> {
            SocketCalls.getsockname(fd);
            return Scratch.get().address();
        });
    }

    /**
     * Returns the peer's address; Python's {@code getpeername()}.
     *
     * @return an {@code InetSocketAddress}, or a {@link UnixAddress} ({@code ""} when the peer is unnamed)
     * @throws io.jselect.ErrnoException ENOTCONN when not connected
     * @throws BadFileDescriptorException after {@link #close()}
     */
    public SocketAddress getpeername() throws ErrnoException {
        return call("getpeername", fd -> {
            SocketCalls.getpeername(fd);
            return Scratch.get().address();
        });
    }

    /** Python's repr: {@code Sock[fd=7, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=127.0.0.1:80]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sock[");
        sb.append(guard.isClosed() ? "closed, fd=-1" : "fd=" + fd)
                .append(", family=").append(Sockaddr.familyName(family))
                .append(", type=").append(type == SOCK_STREAM ? "SOCK_STREAM" : type == SOCK_DGRAM ? "SOCK_DGRAM" : type)
                .append(", proto=").append(proto);
        try {
            appendAddress(sb, ", laddr=", getsockname());
            appendAddress(sb, ", raddr=", getpeername());
        } catch (ErrnoException | RuntimeException none) {
            // closed, or not connected: Python's repr leaves the address out too
        }
        return sb.append(']').toString();
    }

    /** As Python's repr, an empty (unnamed AF_UNIX) address is left out. */
    private static void appendAddress(StringBuilder sb, String label, SocketAddress address) {
        String text = Sockaddr.format(address);
        if (!text.isEmpty()) {
            sb.append(label).append(text);
        }
    }
}
