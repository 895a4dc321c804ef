package io.jselect.socket;

import static io.jselect.socket.Sock.AF_INET;
import static io.jselect.socket.Sock.AF_INET6;
import static io.jselect.socket.Sock.AF_UNIX;
import static io.jselect.socket.Sock.IPPROTO_TCP;
import static io.jselect.socket.Sock.SOCK_DGRAM;
import static io.jselect.socket.Sock.SOCK_STREAM;
import static io.jselect.socket.Sock.SOL_SOCKET;
import static io.jselect.socket.Sock.SO_KEEPALIVE;
import static io.jselect.socket.Sock.SO_LINGER;
import static io.jselect.socket.Sock.SO_RCVBUF;
import static io.jselect.socket.Sock.SO_REUSEADDR;
import static io.jselect.socket.Sock.SO_SNDBUF;
import static io.jselect.socket.Sock.TCP_NODELAY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options, descriptor flags, fromfd, repr, and the garbage collector's safety net. */
class SockTest {
    @Test
    void intOptionsRoundTrip() throws Exception {
        try (Sock s = Sock.create()) {
            for (int[] option : List.of(new int[] {SOL_SOCKET, SO_REUSEADDR}, new int[] {SOL_SOCKET, SO_KEEPALIVE},
                    new int[] {IPPROTO_TCP, TCP_NODELAY})) {
                assertEquals(0, s.getsockopt(option[0], option[1]));
                s.setsockopt(option[0], option[1], 1);
                assertEquals(1, s.getsockopt(option[0], option[1]));
            }
            s.setsockopt(SOL_SOCKET, SO_RCVBUF, 65536);
            assertEquals(2 * 65536, s.getsockopt(SOL_SOCKET, SO_RCVBUF), "Linux doubles it for its bookkeeping");
            s.setsockopt(SOL_SOCKET, SO_SNDBUF, 65536);
            assertEquals(2 * 65536, s.getsockopt(SOL_SOCKET, SO_SNDBUF));
            assertEquals(0, s.getsockopt(SOL_SOCKET, Sock.SO_ERROR));
            assertEquals(SOCK_STREAM, s.getsockopt(SOL_SOCKET, Sock.SO_TYPE));
            assertEquals(AF_INET, s.getsockopt(SOL_SOCKET, Sock.SO_DOMAIN));
        }
    }

    @Test
    void lingerIsAStructBuiltWithTheLayoutFromC() throws Exception {
        try (Sock s = Sock.create()) {
            s.setsockopt(SOL_SOCKET, SO_LINGER, Sock.linger(true, 7));
            assertArrayEquals(Sock.linger(true, 7), s.getsockopt(SOL_SOCKET, SO_LINGER, 1024),
                    "the kernel returns the struct's bytes");
            assertEquals(1, s.getsockopt(SOL_SOCKET, SO_LINGER), "the int form reads l_onoff, as Python");
            s.setsockopt(SOL_SOCKET, SO_LINGER, Sock.linger(false, 0));
            assertEquals(0, s.getsockopt(SOL_SOCKET, SO_LINGER));
        }
    }

    @Test
    void everySocketIsCloseOnExec() throws Exception {
        try (Sock s = Sock.create(AF_INET6, SOCK_DGRAM); SockPair p = Sock.socketpair();
                Sock srv = Sock.createServer("127.0.0.1", 0);
                Sock cli = Sock.createConnection("127.0.0.1", ((java.net.InetSocketAddress) srv.getsockname()).getPort());
                Accepted a = srv.accept(); Sock dup = Sock.fromfd(cli.fileno(), AF_INET, SOCK_STREAM)) {
            for (Sock x : List.of(s, p.first(), p.second(), srv, cli, a.socket(), dup)) {
                assertTrue((flags(x.fileno()) & 02000000) != 0, x + " is not close-on-exec");
            }
        }
    }

    @Test
    void fromfdWrapsADuplicateOfTheSameSocket() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().setblocking(false);
            try (Sock dup = Sock.fromfd(p.first().fileno(), AF_UNIX, SOCK_STREAM)) {
                assertNotEquals(p.first().fileno(), dup.fileno());
                assertEquals(0.0, dup.gettimeout(), "a non-blocking descriptor makes a non-blocking socket");
                dup.send(new byte[] {5});
                assertArrayEquals(new byte[] {5}, p.second().recv(1));
            }
            p.first().send(new byte[] {6}); // closing the duplicate left the original open
            assertArrayEquals(new byte[] {6}, p.second().recv(1));
        }
    }

    @Test
    void reprLooksLikePythons() throws Exception {
        try (Sock s = Sock.create()) {
            s.bind("127.0.0.1", 0);
            String repr = s.toString();
            assertTrue(repr.matches("Sock\\[fd=\\d+, family=AF_INET, type=SOCK_STREAM, proto=0, laddr=127\\.0\\.0\\.1:\\d+]"),
                    repr);
        }
        try (SockPair p = Sock.socketpair(AF_UNIX, SOCK_DGRAM)) {
            assertTrue(p.first().toString().endsWith("family=AF_UNIX, type=SOCK_DGRAM, proto=0]"),
                    "unnamed addresses are left out: " + p.first());
        }
    }

    /** A socket dropped without close() is closed by the garbage collector, as Python's. */
    @Test
    void droppedSocketsAreClosedByTheCollector() throws Exception {
        int fd = Sock.create().fileno();
        String inode = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        for (int i = 0; i < 100 && inode.equals(target(fd)); i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertNotEquals(inode, target(fd), "descriptor " + fd + " is still open");
    }

    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (java.io.IOException closed) {
            return "";
        }
    }

    private static int flags(int fd) throws Exception {
        String line = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream()
                .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
        return Integer.parseInt(line.substring(6).trim(), 8);
    }
}
