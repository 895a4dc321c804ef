package io.jselect.socket;

import static io.jselect.socket.Sock.AF_UNIX;
import static io.jselect.socket.Sock.SHUT_WR;
import static io.jselect.socket.Sock.SOCK_DGRAM;
import static io.jselect.socket.Sock.SOCK_STREAM;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Data goes through and comes back intact, with the right addresses, on every family and type. */
class SockRoundTripTest {
    static final java.util.List<Endpoint> ENDPOINTS = Endpoint.ALL;
    static final ExecutorService PEER = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterAll
    static void stopPeers() {
        PEER.shutdownNow();
    }

    @ParameterizedTest
    @FieldSource("ENDPOINTS")
    void streamRoundTrip(Endpoint e) throws Exception {
        try (Sock srv = Sock.create(e.family, SOCK_STREAM)) {
            srv.bind(e.address(dir));
            srv.listen();
            SocketAddress where = srv.getsockname();
            try (Sock cli = Sock.create(e.family, SOCK_STREAM)) {
                cli.connect(where);
                try (Accepted a = srv.accept()) {
                    Sock conn = a.socket();
                    assertEquals(where, conn.getsockname());
                    assertEquals(where, cli.getpeername());
                    assertEquals(cli.getsockname(), a.address());
                    assertEquals(a.address(), conn.getpeername());
                    assertEquals(e.family, conn.family());
                    assertEquals(SOCK_STREAM, conn.type());

                    cli.sendall("ping".getBytes(UTF_8));
                    assertEquals("ping", new String(conn.recv(1024), UTF_8));
                    assertEquals(4, conn.send("pong".getBytes(UTF_8)));
                    assertEquals("pong", new String(cli.recv(1024), UTF_8));

                    cli.shutdown(SHUT_WR);
                    assertEquals(0, conn.recv(1024).length, "end of stream after the peer's SHUT_WR");
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("ENDPOINTS")
    void datagramRoundTrip(Endpoint e) throws Exception {
        try (Sock a = Sock.create(e.family, SOCK_DGRAM); Sock b = Sock.create(e.family, SOCK_DGRAM)) {
            a.bind(e.address(dir));
            b.bind(e.address(dir)); // AF_UNIX datagrams from an unbound socket cannot be answered
            SocketAddress aAddress = a.getsockname();
            assertEquals(3, b.sendto("one".getBytes(UTF_8), aAddress));
            Received r = a.recvfrom(100);
            assertEquals("one", new String(r.data(), UTF_8));
            assertEquals(b.getsockname(), r.address());
            a.sendto(ByteBuffer.wrap("two".getBytes(UTF_8)), r.address());
            assertEquals("two", new String(b.recvfrom(100).data(), UTF_8));

            b.connect(aAddress); // a connected datagram socket: send and recv, no address
            b.send("three".getBytes(UTF_8));
            assertEquals("thr", new String(a.recv(3), UTF_8), "a datagram is cut to the size asked");
            b.send(new byte[0]);
            assertEquals(0, a.recvfrom(10).data().length, "an empty datagram is a datagram");
        }
    }

    @ParameterizedTest
    @FieldSource("ENDPOINTS")
    void createServerAndCreateConnection(Endpoint e) throws Exception {
        if (e.family == AF_UNIX) {
            SocketAddress address = e.address(dir);
            try (Sock srv = Sock.createServer(address, 1, false); Sock cli = Sock.create(AF_UNIX, SOCK_STREAM)) {
                cli.connect(address);
                try (Accepted a = srv.accept()) {
                    cli.sendall(new byte[] {42});
                    assertArrayEquals(new byte[] {42}, a.socket().recv(1));
                }
            }
            return;
        }
        String host = e == Endpoint.INET ? "127.0.0.1" : "::1";
        try (Sock srv = Sock.createServer(host, 0)) {
            int port = ((InetSocketAddress) srv.getsockname()).getPort();
            assertEquals(1, srv.getsockopt(Sock.SOL_SOCKET, Sock.SO_REUSEADDR), "create_server sets SO_REUSEADDR");
            assertEquals(1, srv.getsockopt(Sock.SOL_SOCKET, Sock.SO_ACCEPTCONN));
            try (Sock cli = Sock.createConnection(host, port, 5.0); Accepted a = srv.accept()) {
                assertEquals(5.0, cli.gettimeout(), "create_connection's timeout stays on the socket");
                assertEquals(e.family, cli.family());
                cli.sendall("hi".getBytes(UTF_8));
                assertEquals("hi", new String(a.socket().recv(10), UTF_8));
            }
        }
    }

    @Test
    void stringHostsAreResolvedForTheFamily() throws Exception {
        try (Sock srv = Sock.create(Sock.AF_INET6, SOCK_STREAM); Sock cli = Sock.create(Sock.AF_INET6, SOCK_STREAM)) {
            srv.bind("::1", 0);
            srv.listen(1);
            int port = ((InetSocketAddress) srv.getsockname()).getPort();
            cli.connect("::1", port);
            srv.accept().close();
        }
        try (Sock any = Sock.create()) {
            any.bind("", 0);
            InetSocketAddress bound = (InetSocketAddress) any.getsockname();
            assertTrue(bound.getAddress().isAnyLocalAddress(), "'' binds every address, as in Python: " + bound);
            assertNotEquals(0, bound.getPort());
        }
    }

    @Test
    void ipv4AddressOnAnIpv6SocketIsMapped() throws Exception {
        try (Sock srv = Sock.createServer("127.0.0.1", 0); Sock cli = Sock.create(Sock.AF_INET6, SOCK_STREAM)) {
            int port = ((InetSocketAddress) srv.getsockname()).getPort();
            cli.connect("127.0.0.1", port);
            srv.accept().close();
            InetSocketAddress peer = (InetSocketAddress) cli.getpeername();
            assertEquals("0:0:0:0:0:ffff:7f00:1", peer.getAddress().getHostAddress(), "seen as ::ffff:127.0.0.1");
        }
    }

    @Test
    void socketpairStreamAndDatagram() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            assertEquals(AF_UNIX, p.first().family());
            assertEquals(new UnixAddress(""), p.first().getpeername(), "socketpair ends are unnamed");
            p.first().sendall("abc".getBytes(UTF_8));
            Received peeked = p.second().recvfrom(1, Sock.MSG_PEEK);
            assertEquals("a", new String(peeked.data(), UTF_8));
            assertNull(peeked.address(), "a connected stream reports no sender, as Python's None");
            assertEquals("abc", new String(p.second().recv(10), UTF_8));
        }
        try (SockPair p = Sock.socketpair(AF_UNIX, SOCK_DGRAM)) {
            p.second().send(new byte[] {1, 2, 3});
            p.second().send(new byte[] {4});
            assertArrayEquals(new byte[] {1, 2, 3}, p.first().recv(100), "datagram boundaries are kept");
            assertArrayEquals(new byte[] {4}, p.first().recv(100));
        }
    }

    /** A megabyte each way in both buffer kinds, through the 64 KiB window for heap data. */
    @Test
    void largeTransfersKeepEveryByte() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        try (SockPair p = Sock.socketpair()) {
            Future<byte[]> reader = PEER.submit(() -> readFully(p.second(), payload.length));
            p.first().sendall(payload);
            assertArrayEquals(payload, reader.get(30, TimeUnit.SECONDS));

            ByteBuffer direct = ByteBuffer.allocateDirect(payload.length).put(payload).flip();
            reader = PEER.submit(() -> readFully(p.second(), payload.length));
            p.first().sendall(direct);
            assertEquals(direct.limit(), direct.position(), "sendall consumes the buffer");
            assertArrayEquals(payload, reader.get(30, TimeUnit.SECONDS));
        }
    }

    /** Reads n bytes, alternating a direct buffer and a heap one larger than the 64 KiB window. */
    private static byte[] readFully(Sock s, int n) throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(50_000);
        ByteBuffer heap = ByteBuffer.allocate(70_000);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int i = 0; got.size() < n; i++) {
            ByteBuffer b = (i % 2 == 0 ? direct : heap).clear();
            b.limit(Math.min(b.capacity(), n - got.size()));
            int k = s.recvInto(b);
            assertTrue(k > 0, "early end of stream");
            byte[] chunk = new byte[k];
            b.flip().get(chunk);
            got.write(chunk);
        }
        return got.toByteArray();
    }

    /** AF_UNIX datagrams may exceed the 64 KiB window: they get a buffer of their own, never cut. */
    @Test
    void unixDatagramsLargerThanTheWindowStayWhole() throws Exception {
        byte[] big = new byte[100_000];
        new Random(3).nextBytes(big);
        try (SockPair p = Sock.socketpair(AF_UNIX, SOCK_DGRAM)) {
            p.first().setsockopt(Sock.SOL_SOCKET, Sock.SO_SNDBUF, 1 << 20);
            assertEquals(big.length, p.first().send(big));
            assertArrayEquals(big, p.second().recv(200_000));
        }
    }

    @Test
    void recvIntoAndSendAdvancePositions() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            ByteBuffer out = ByteBuffer.wrap("xxhelloyy".getBytes(UTF_8), 2, 5);
            assertEquals(5, p.first().send(out));
            assertEquals(7, out.position());
            ByteBuffer in = ByteBuffer.allocate(16).position(3);
            assertEquals(5, p.second().recvInto(in));
            assertEquals(8, in.position());
            assertEquals("hello", new String(in.array(), 3, 5, UTF_8));

            ByteBuffer direct = ByteBuffer.allocateDirect(8).position(1).limit(4);
            p.first().sendall("abcdef".getBytes(UTF_8));
            assertEquals(3, p.second().recvInto(direct), "at most the buffer's remaining bytes");
            assertEquals(4, direct.position());
            assertEquals("def", new String(p.second().recv(10), UTF_8));

            ByteBuffer readOnly = ByteBuffer.allocateDirect(2).put(new byte[] {8, 9}).flip().asReadOnlyBuffer();
            assertEquals(2, p.first().send(readOnly), "read-only buffers can be sent");
            assertEquals(2, p.second().recvInto(ByteBuffer.allocate(2)));
        }
    }

    @Test
    void unixPathsAppearAsFilesAndAbstractNamesDoNot() throws Exception {
        Path file = dir.resolve("named.sock");
        try (Sock s = Sock.create(AF_UNIX, SOCK_STREAM)) {
            s.bind(new UnixAddress(file.toString()));
            assertTrue(Files.exists(file));
            assertEquals(new UnixAddress(file.toString()), s.getsockname());
        }
        String name = "\0jselect-abstract-" + ProcessHandle.current().pid();
        try (Sock s = Sock.create(AF_UNIX, SOCK_STREAM)) {
            s.bind(new UnixAddress(name));
            UnixAddress bound = (UnixAddress) s.getsockname();
            assertTrue(bound.isAbstract());
            assertEquals(name, bound.path());
            assertEquals("@" + name.substring(1), bound.toString());
        }
        try (Sock s = Sock.create(AF_UNIX, SOCK_STREAM)) {
            s.bind(java.net.UnixDomainSocketAddress.of(dir.resolve("jdk.sock")));
            assertEquals(new UnixAddress(dir.resolve("jdk.sock").toString()), s.getsockname(),
                    "the JDK's UnixDomainSocketAddress is accepted too");
        }
        try (Sock s = Sock.create(AF_UNIX, SOCK_DGRAM)) {
            s.bind(new UnixAddress(""));
            assertTrue(((UnixAddress) s.getsockname()).isAbstract(), "binding '' autobinds an abstract name");
        }
    }
}
