package io.jselect.socket;

import static io.jselect.socket.Sock.AF_INET;
import static io.jselect.socket.Sock.AF_INET6;
import static io.jselect.socket.Sock.AF_UNIX;
import static io.jselect.socket.Sock.SOCK_DGRAM;
import static io.jselect.socket.Sock.SOCK_STREAM;
import static io.jselect.socket.Sock.SOL_SOCKET;
import static io.jselect.socket.Sock.SO_LINGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.AddressInUseException;
import io.jselect.BadFileDescriptorException;
import io.jselect.BlockingIOException;
import io.jselect.BrokenPipeException;
import io.jselect.ConnectionRefusedException;
import io.jselect.ConnectionResetException;
import io.jselect.Errno;
import io.jselect.ErrnoException;
import io.jselect.NoSuchEntryException;
import io.jselect.Select;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Each errno network code catches, provoked for real, and the arguments refused before any call. */
class SockErrorsTest {
    @TempDir
    Path dir;

    /** A loopback port nothing listens on: bound once, then released. */
    static InetSocketAddress closedPort() throws Exception {
        try (Sock s = Sock.create()) {
            s.bind("127.0.0.1", 0);
            return (InetSocketAddress) s.getsockname();
        }
    }

    @Test
    void connectToAClosedPortIsConnectionRefused() throws Exception {
        InetSocketAddress nobody = closedPort();
        try (Sock s = Sock.create()) {
            ConnectionRefusedException e = assertThrows(ConnectionRefusedException.class, () -> s.connect(nobody));
            assertEquals(Errno.ECONNREFUSED, e.errno());
            assertEquals("connect(fd=" + s.fileno() + ", 127.0.0.1:" + nobody.getPort()
                    + "): [Errno 111] Connection refused", e.getMessage());
        }
        try (Sock s = Sock.create()) {
            assertEquals(Errno.ECONNREFUSED, s.connectEx(nobody), "connect_ex returns the errno");
        }
        ConnectionRefusedException e = assertThrows(ConnectionRefusedException.class,
                () -> Sock.createConnection("127.0.0.1", nobody.getPort()));
        assertEquals(Errno.ECONNREFUSED, e.errno());
    }

    @Test
    void connectWithATimeoutReportsRefusalToo() throws Exception {
        InetSocketAddress nobody = closedPort();
        try (Sock s = Sock.create()) {
            s.settimeout(5.0); // the EINPROGRESS path: poll, then SO_ERROR
            assertThrows(ConnectionRefusedException.class, () -> s.connect(nobody));
        }
    }

    /** The peer closes with SO_LINGER {1, 0}: an RST. The next call sees ECONNRESET, later sends EPIPE. */
    @Test
    void afterThePeerResetsSendIsConnectionResetThenBrokenPipe() throws Exception {
        try (Sock srv = Sock.createServer("127.0.0.1", 0); Sock cli = Sock.create()) {
            resetByPeer(srv, cli);
            ConnectionResetException reset = assertThrows(ConnectionResetException.class,
                    () -> cli.send(new byte[] {1}));
            assertTrue(reset.getMessage().endsWith("[Errno 104] Connection reset by peer"), reset.getMessage());
            BrokenPipeException pipe = assertThrows(BrokenPipeException.class, () -> cli.sendall(new byte[] {1}));
            assertEquals(Errno.EPIPE, pipe.errno());
        }
    }

    @Test
    void recvAfterThePeerResetsIsConnectionReset() throws Exception {
        try (Sock srv = Sock.createServer("127.0.0.1", 0); Sock cli = Sock.create()) {
            resetByPeer(srv, cli);
            assertThrows(ConnectionResetException.class, () -> cli.recv(10));
        }
    }

    /** Connects {@code cli} to {@code srv}, whose end then closes with SO_LINGER {1, 0}, sending an RST. */
    private static void resetByPeer(Sock srv, Sock cli) throws Exception {
        cli.connect(srv.getsockname());
        Sock conn = srv.accept().socket();
        conn.setsockopt(SOL_SOCKET, SO_LINGER, Sock.linger(true, 0));
        conn.close();
        Select.select(List.of(cli), List.of(), List.of(), 5.0); // the RST has arrived
    }

    /** SIGPIPE would kill the JVM if it were not ignored; MSG_NOSIGNAL makes that not matter. */
    @Test
    void sendAfterTheReaderLeftIsBrokenPipeNotSigpipe() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.second().close();
            assertThrows(BrokenPipeException.class, () -> p.first().send(new byte[] {1}));
        }
    }

    @Test
    void bindingTwiceIsAddressInUse() throws Exception {
        try (Sock a = Sock.create(); Sock b = Sock.create()) {
            a.bind("127.0.0.1", 0);
            a.listen();
            SocketAddress taken = a.getsockname();
            AddressInUseException e = assertThrows(AddressInUseException.class, () -> b.bind(taken));
            assertTrue(e.getMessage().startsWith("bind(fd=" + b.fileno() + ", 127.0.0.1:"), e.getMessage());
            int port = ((InetSocketAddress) taken).getPort();
            assertThrows(AddressInUseException.class, () -> Sock.createServer("127.0.0.1", port).close());
        }
        Path file = dir.resolve("taken.sock");
        try (Sock a = Sock.create(AF_UNIX, SOCK_STREAM); Sock b = Sock.create(AF_UNIX, SOCK_STREAM)) {
            a.bind(new UnixAddress(file.toString()));
            assertThrows(AddressInUseException.class, () -> b.bind(new UnixAddress(file.toString())));
        }
    }

    @Test
    void reusePortLetsTwoServersShareAPort() throws Exception {
        try (Sock a = Sock.createServer(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), null, true)) {
            try (Sock b = Sock.createServer(a.getsockname(), null, true)) {
                assertEquals(a.getsockname(), b.getsockname());
            }
        }
    }

    @Test
    void nonBlockingCallsThatWouldBlockAreBlockingIo() throws Exception {
        try (SockPair p = Sock.socketpair(); Sock srv = Sock.createServer("127.0.0.1", 0)) {
            p.first().setblocking(false);
            BlockingIOException recv = assertThrows(BlockingIOException.class, () -> p.first().recv(10));
            assertEquals(Errno.EAGAIN, recv.errno());
            assertEquals("recv(fd=" + p.first().fileno() + "): [Errno 11] Resource temporarily unavailable",
                    recv.getMessage());
            assertThrows(BlockingIOException.class, () -> p.second().recv(10, Sock.MSG_DONTWAIT),
                    "MSG_DONTWAIT on a blocking socket");
            srv.setblocking(false);
            assertThrows(BlockingIOException.class, srv::accept);
            ByteBuffer big = ByteBuffer.allocateDirect(1 << 22);
            while (big.hasRemaining()) { // fill the send buffer until it would block
                try {
                    p.first().send(big);
                } catch (BlockingIOException full) {
                    break;
                }
            }
            assertTrue(big.hasRemaining(), "4 MiB cannot fit in a socketpair's buffers");
        }
    }

    @Test
    void nonBlockingConnectIsInProgress() throws Exception {
        try (Sock srv = Sock.createServer("127.0.0.1", 0); Sock cli = Sock.create(AF_INET, SOCK_STREAM | Sock.SOCK_NONBLOCK)) {
            assertEquals(0.0, cli.gettimeout());
            int rc = cli.connectEx(srv.getsockname());
            assertTrue(rc == 0 || rc == Errno.EINPROGRESS, "connect_ex: " + rc);
            assertEquals(List.of(cli), Select.select(List.of(), List.of(cli), List.of(), 5.0).writable());
            assertEquals(0, cli.getsockopt(SOL_SOCKET, Sock.SO_ERROR));
        }
        try (Sock srv = Sock.createServer("127.0.0.1", 0); Sock cli = Sock.create()) {
            cli.setblocking(false);
            BlockingIOException e = assertThrows(BlockingIOException.class, () -> cli.connect(srv.getsockname()));
            assertEquals(Errno.EINPROGRESS, e.errno());
        }
    }

    @Test
    void otherKernelErrorsKeepTheirErrno() throws Exception {
        ErrnoException family = assertThrows(ErrnoException.class, () -> Sock.create(12345, SOCK_STREAM));
        assertEquals(Errno.EAFNOSUPPORT, family.errno());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class, () -> Sock.socketpair(AF_INET, SOCK_STREAM)).errno());
        try (Sock s = Sock.create(); Sock u = Sock.create(AF_INET, SOCK_DGRAM); Sock x = Sock.create(AF_UNIX, SOCK_STREAM)) {
            assertEquals(Errno.ENOTCONN, assertThrows(ErrnoException.class, s::getpeername).errno());
            assertEquals(Errno.ENOTCONN, assertThrows(ErrnoException.class, () -> s.shutdown(Sock.SHUT_RDWR)).errno());
            assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class, () -> u.listen(1)).errno());
            assertEquals(Errno.EDESTADDRREQ, assertThrows(ErrnoException.class, () -> u.send(new byte[1])).errno());
            assertThrows(NoSuchEntryException.class, () -> x.connect(new UnixAddress(dir.resolve("none").toString())));
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, s::accept).errno(), "not listening");
        }
    }

    /** After close every call fails the same way, never on a number the kernel may have given away. */
    @Test
    void everyCallAfterCloseIsBadFileDescriptor() throws Exception {
        Sock s = Sock.create();
        int fd = s.fileno();
        s.close();
        s.close(); // idempotent
        assertEquals(-1, s.fileno());
        try (Sock reuse = Sock.create()) { // likely takes the freed number
            assertTrue(reuse.fileno() >= 0 && fd >= 0);
            SocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
            List<Executable> calls = List.of(() -> s.bind(any), () -> s.bind("127.0.0.1", 0), s::listen, s::accept,
                    () -> s.connect(any), () -> s.recv(1), () -> s.recvInto(ByteBuffer.allocate(1)),
                    () -> s.recvfrom(1), () -> s.send(new byte[1]), () -> s.sendall(new byte[1]),
                    () -> s.sendto(new byte[1], any), () -> s.shutdown(Sock.SHUT_RDWR), () -> s.setblocking(true),
                    () -> s.settimeout(1.0), () -> s.setsockopt(SOL_SOCKET, Sock.SO_REUSEADDR, 1),
                    () -> s.getsockopt(SOL_SOCKET, Sock.SO_REUSEADDR), s::getsockname, s::getpeername);
            for (Executable call : calls) {
                BadFileDescriptorException e = assertThrows(BadFileDescriptorException.class, call);
                assertTrue(e.getMessage().endsWith("(fd=-1): [Errno 9] Bad file descriptor"), e.getMessage());
            }
            assertEquals(Errno.EBADF, s.connectEx(any), "connect_ex returns EBADF");
            assertEquals(0, reuse.getsockopt(SOL_SOCKET, Sock.SO_REUSEADDR), "the reused number was not touched");
            assertTrue(s.toString().startsWith("Sock[closed, fd=-1, family=AF_INET"), s.toString());
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyCall() throws Exception {
        try (Sock s = Sock.create(); Sock u = Sock.create(AF_UNIX, SOCK_STREAM); Sock v6 = Sock.create(AF_INET6, SOCK_STREAM)) {
            assertMessage("negative buffersize in recv, got -1", () -> s.recv(-1));
            assertMessage("port must be 0-65535, got 65536", () -> s.bind("127.0.0.1", 65536));
            assertMessage("AF_INET socket cannot use the IPv6 address [0:0:0:0:0:0:0:1]:1",
                    () -> s.connect(new InetSocketAddress(InetAddress.getByName("::1"), 1)));
            assertMessage("AF_INET address must be an InetSocketAddress, got io.jselect.socket.UnixAddress",
                    () -> s.bind(new UnixAddress("/tmp/x")));
            assertMessage("AF_UNIX address must be a UnixAddress, got java.net.InetSocketAddress",
                    () -> u.bind(new InetSocketAddress(0)));
            assertMessage("AF_UNIX sockets take a UnixAddress, not a host and port", () -> u.bind("x", 1));
            assertMessage("AF_UNIX path too long: 108 bytes, at most 107",
                    () -> u.bind(new UnixAddress("/" + "x".repeat(107))));
            assertMessage("address is unresolved: nowhere.invalid:1 (pass the host as a String to have it resolved)",
                    () -> v6.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 1)));
            assertMessage("getsockopt buflen out of range: 0, must be 1 to 1024",
                    () -> s.getsockopt(SOL_SOCKET, SO_LINGER, 0));
            assertMessage("buffer must be a writable ByteBuffer, got a read-only one",
                    () -> s.recvInto(ByteBuffer.allocate(1).asReadOnlyBuffer()));
            assertMessage("timeout must be non-negative, got -1.0", () -> s.settimeout(-1.0));
            assertMessage("timeout must be non-negative, got NaN (not a number)", () -> s.settimeout(Double.NaN));
            assertMessage("data must not be null", () -> s.send((byte[]) null));
            assertMessage("embedded null character in path", () -> new UnixAddress("/tmp/a\0b"));
        }
    }

    private static void assertMessage(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
