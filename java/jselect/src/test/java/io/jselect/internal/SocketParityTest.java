package io.jselect.internal;

import static io.jselect.socket.Sock.AF_INET;
import static io.jselect.socket.Sock.AF_INET6;
import static io.jselect.socket.Sock.AF_UNIX;
import static io.jselect.socket.Sock.IPPROTO_TCP;
import static io.jselect.socket.Sock.MSG_DONTWAIT;
import static io.jselect.socket.Sock.MSG_PEEK;
import static io.jselect.socket.Sock.SHUT_WR;
import static io.jselect.socket.Sock.SOCK_DGRAM;
import static io.jselect.socket.Sock.SOCK_STREAM;
import static io.jselect.socket.Sock.SOL_SOCKET;
import static io.jselect.socket.Sock.SO_LINGER;
import static io.jselect.socket.Sock.SO_REUSEADDR;
import static io.jselect.socket.Sock.SO_TYPE;
import static io.jselect.socket.Sock.TCP_NODELAY;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.socket.UnixAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket calls of the JNA backend against the JNI backend's, in the same process, at the Backend
 * interface: the same -errno for every failure, and the same observations of one scenario per family
 * (addresses the kernel fills, option values, flags, byte counts).
 */
class SocketParityTest {
    private static final Backend JNI = BackendParityTest.JNI;
    private static final Backend JNA = BackendParityTest.JNA;
    private static final int CLOEXEC = SocketCalls.SOCK_CLOEXEC;
    private static final int NOSIGNAL = SocketCalls.MSG_NOSIGNAL;

    /** Native memory the calls read and write: an address, its length, data, an option and its length. */
    private static final class Mem {
        static final int ADDR = 0;
        static final int ADDRLEN = 256;
        static final int DATA = 512;
        static final int OPT = 1024;
        static final int OPTLEN = 1100;

        final ByteBuffer buf = ByteBuffer.allocateDirect(2048).order(ByteOrder.nativeOrder());
        final long at;

        Mem(Backend b) {
            at = b.address(buf);
        }

        int address(int family, SocketAddress address) {
            return Sockaddr.encode(buf, ADDR, family, address);
        }

        /** Room for an address the kernel fills, at ADDR, with its length at ADDRLEN. */
        long room() {
            buf.putInt(ADDRLEN, 128);
            return at + ADDRLEN;
        }

        SocketAddress filled() {
            return Sockaddr.decode(buf, ADDR, buf.getInt(ADDRLEN));
        }

        long data(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            buf.put(DATA, bytes);
            return at + DATA;
        }

        String text(long n) {
            byte[] bytes = new byte[(int) n];
            buf.get(DATA, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        long intOption(int value) {
            buf.putInt(OPT, value);
            return at + OPT;
        }

        long optionRoom(int room) {
            buf.putInt(OPTLEN, room);
            return at + OPTLEN;
        }
    }

    @Test
    void failuresReturnTheSameErrno() {
        Map<String, ToLongFunction<Backend>> calls = new LinkedHashMap<>();
        InetSocketAddress refused = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        calls.put("socket(bad family)", b -> b.socket(-1, SOCK_STREAM, 0));
        calls.put("socket(bad type)", b -> b.socket(AF_INET, 99, 0));
        calls.put("socketpair(AF_INET)", b -> b.socketpair(AF_INET, SOCK_STREAM, 0, new int[2]));
        calls.put("bind(bad fd)", b -> b.bind(-1, 0, 0));
        calls.put("bind(short address)", b -> withSocket(b, AF_INET, SOCK_STREAM, fd -> {
            Mem m = new Mem(b);
            m.address(AF_INET, refused);
            return b.bind(fd, m.at + Mem.ADDR, 3);
        }));
        calls.put("bind(not a socket)", b -> withPipe(b, fd -> b.bind(fd, new Mem(b).at, 16)));
        calls.put("listen(bad fd)", b -> b.listen(-1, 1));
        calls.put("listen(datagram)", b -> withSocket(b, AF_INET, SOCK_DGRAM, fd -> b.listen(fd, 1)));
        calls.put("accept4(bad fd)", b -> b.accept4(-1, 0, 0, 0));
        calls.put("accept4(not listening)", b -> withSocket(b, AF_INET, SOCK_STREAM, fd -> b.accept4(fd, 0, 0, 0)));
        calls.put("connect(bad fd)", b -> b.connect(-1, 0, 0));
        calls.put("connect(refused)", b -> withSocket(b, AF_INET, SOCK_STREAM, fd -> {
            Mem m = new Mem(b);
            return b.connect(fd, m.at + Mem.ADDR, m.address(AF_INET, refused));
        }));
        calls.put("recv(bad fd)", b -> b.recv(-1, 0, 1, 0));
        calls.put("recv(nothing, MSG_DONTWAIT)", b -> withPair(b, (a, c) -> b.recv(a, new Mem(b).at, 1, MSG_DONTWAIT)));
        calls.put("recvfrom(bad fd)", b -> b.recvfrom(-1, 0, 1, 0, 0, 0));
        calls.put("send(bad fd)", b -> b.send(-1, 0, 1, NOSIGNAL));
        calls.put("send(after shutdown)", b -> withPair(b, (a, c) -> {
            b.shutdown(a, SHUT_WR);
            return b.send(a, new Mem(b).data("x"), 1, NOSIGNAL);
        }));
        calls.put("sendto(bad fd)", b -> b.sendto(-1, 0, 1, NOSIGNAL, 0, 0));
        calls.put("sendto(short address)", b -> withSocket(b, AF_INET, SOCK_DGRAM, fd -> {
            Mem m = new Mem(b);
            m.address(AF_INET, refused);
            return b.sendto(fd, m.data("x"), 1, NOSIGNAL, m.at + Mem.ADDR, 3);
        }));
        calls.put("shutdown(bad fd)", b -> b.shutdown(-1, SHUT_WR));
        calls.put("shutdown(not connected)", b -> withSocket(b, AF_INET, SOCK_STREAM, fd -> b.shutdown(fd, SHUT_WR)));
        calls.put("setsockopt(bad fd)", b -> b.setsockopt(-1, SOL_SOCKET, SO_REUSEADDR, 0, 4));
        calls.put("setsockopt(unknown option)", b -> withSocket(b, AF_INET, SOCK_STREAM,
                fd -> b.setsockopt(fd, SOL_SOCKET, 9999, new Mem(b).intOption(1), 4)));
        calls.put("setsockopt(short linger)", b -> withSocket(b, AF_INET, SOCK_STREAM,
                fd -> b.setsockopt(fd, SOL_SOCKET, SO_LINGER, new Mem(b).intOption(1), 1)));
        calls.put("getsockopt(bad fd)", b -> b.getsockopt(-1, SOL_SOCKET, SO_TYPE, 0, 0));
        calls.put("getsockopt(unknown option)", b -> withSocket(b, AF_INET, SOCK_STREAM, fd -> {
            Mem m = new Mem(b);
            return b.getsockopt(fd, SOL_SOCKET, 9999, m.at + Mem.OPT, m.optionRoom(4));
        }));
        calls.put("getsockname(bad fd)", b -> b.getsockname(-1, 0, 0));
        calls.put("getpeername(not connected)", b -> withSocket(b, AF_INET, SOCK_STREAM, fd -> {
            Mem m = new Mem(b);
            return b.getpeername(fd, m.at + Mem.ADDR, m.room());
        }));
        calls.put("fcntl(bad fd)", b -> b.fcntl(-1, SocketCalls.F_GETFL, 0));
        calls.put("fcntl(bad command)", b -> withPipe(b, fd -> b.fcntl(fd, 99_999, 0)));
        assertAll(calls.entrySet().stream().map(call -> (Executable) () -> {
            long jni = call.getValue().applyAsLong(JNI);
            assertTrue(jni < 0, call.getKey() + " failed under JNI: " + jni);
            assertEquals(jni, call.getValue().applyAsLong(JNA), call.getKey());
        }));
    }

    /** As the JNI glue, a failed socketpair leaves the caller's array as it was. */
    @Test
    void aFailedSocketpairLeavesTheArrayUntouched() {
        for (Backend b : List.of(JNI, JNA)) {
            int[] fds = {-7, -8};
            assertTrue(b.socketpair(AF_INET, SOCK_STREAM, 0, fds) < 0);
            assertArrayEquals(new int[] {-7, -8}, fds, b.name());
        }
    }

    @Test
    void aStreamPairSeesTheSame() {
        assertEquals(streamPair(JNI), streamPair(JNA));
    }

    @Test
    void tcpSeesTheSame() {
        assertEquals(tcp(JNI, AF_INET, InetAddress.getLoopbackAddress()), tcp(JNA, AF_INET, InetAddress.getLoopbackAddress()));
    }

    /** IPv6 where the machine has ::1; where it does not, the same failures. */
    @Test
    void tcpOverIpv6SeesTheSame() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assertEquals(tcp(JNI, AF_INET6, v6), tcp(JNA, AF_INET6, v6));
    }

    @Test
    void udpSeesTheSame() {
        assertEquals(udp(JNI), udp(JNA));
    }

    @Test
    void unixPathsSeeTheSame(@TempDir Path dir) {
        assertEquals(unix(JNI, dir.resolve("jni")), unix(JNA, dir.resolve("jna")).stream()
                .map(line -> line.replace("/jna", "/jni")).toList());
    }

    /** socketpair, send, recv with MSG_PEEK, the blocking flag through fcntl, shutdown, SO_TYPE. */
    private static List<String> streamPair(Backend b) {
        List<String> seen = new ArrayList<>();
        int[] fds = new int[2];
        seen.add("socketpair " + b.socketpair(AF_UNIX, SOCK_STREAM | CLOEXEC, 0, fds));
        int a = fds[0];
        int c = fds[1];
        try {
            Mem m = new Mem(b);
            seen.add("send " + b.send(a, m.data("hello"), 5, NOSIGNAL));
            long n = b.recv(c, m.at + Mem.DATA, 3, MSG_PEEK);
            seen.add("peek " + n + " " + m.text(n));
            n = b.recv(c, m.at + Mem.DATA, 64, 0);
            seen.add("recv " + n + " " + m.text(n));
            int flags = b.fcntl(c, SocketCalls.F_GETFL, 0);
            seen.add("nonblocking " + (flags & Syscalls.O_NONBLOCK));
            seen.add("F_SETFL " + b.fcntl(c, SocketCalls.F_SETFL, flags | Syscalls.O_NONBLOCK));
            seen.add("nonblocking " + (b.fcntl(c, SocketCalls.F_GETFL, 0) & Syscalls.O_NONBLOCK));
            seen.add("recv when empty " + b.recv(c, m.at + Mem.DATA, 64, 0));
            int dup = b.fcntl(c, SocketCalls.F_DUPFD_CLOEXEC, 0);
            seen.add("dup is a new descriptor " + (dup > c));
            b.close(dup);
            seen.add("shutdown " + b.shutdown(a, SHUT_WR));
            seen.add("recv at end " + b.recv(c, m.at + Mem.DATA, 64, 0));
            seen.add("getsockopt " + b.getsockopt(c, SOL_SOCKET, SO_TYPE, m.at + Mem.OPT, m.optionRoom(4))
                    + " SO_TYPE " + m.buf.getInt(Mem.OPT) + " len " + m.buf.getInt(Mem.OPTLEN));
        } finally {
            b.close(a);
            b.close(c);
        }
        return seen;
    }

    /** listen, connect, accept4 with the peer's address, names, SO_LINGER and TCP_NODELAY. */
    private static List<String> tcp(Backend b, int family, InetAddress loopback) {
        List<String> seen = new ArrayList<>();
        int listener = b.socket(family, SOCK_STREAM | CLOEXEC, 0);
        int client = b.socket(family, SOCK_STREAM | CLOEXEC, 0);
        int accepted = -1;
        try {
            Mem m = new Mem(b);
            seen.add("sockets " + (listener >= 0) + " " + (client >= 0));
            seen.add("SO_REUSEADDR " + b.setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, m.intOption(1), 4));
            seen.add("bind " + b.bind(listener, m.at + Mem.ADDR, m.address(family, new InetSocketAddress(loopback, 0))));
            seen.add("listen " + b.listen(listener, 8));
            seen.add("getsockname " + b.getsockname(listener, m.at + Mem.ADDR, m.room()) + " len " + m.buf.getInt(Mem.ADDRLEN));
            SocketAddress server = m.filled();
            seen.add("bound to " + host(server) + ", some port " + (port(server) > 0));
            seen.add("connect " + b.connect(client, m.at + Mem.ADDR, m.address(family, server)));
            seen.add("getpeername " + b.getpeername(client, m.at + Mem.ADDR, m.room()) + " len " + m.buf.getInt(Mem.ADDRLEN)
                    + " is the server " + server.equals(m.filled()));
            b.getsockname(client, m.at + Mem.ADDR, m.room());
            SocketAddress clientName = m.filled();
            accepted = b.accept4(listener, m.at + Mem.ADDR, m.room(), CLOEXEC);
            seen.add("accept4 " + (accepted >= 0) + " len " + m.buf.getInt(Mem.ADDRLEN) + " is the client "
                    + clientName.equals(m.filled()));
            m.buf.putInt(Mem.OPT + Structs.LINGER_ONOFF, 1).putInt(Mem.OPT + Structs.LINGER_LINGER, 7);
            seen.add("SO_LINGER " + b.setsockopt(accepted, SOL_SOCKET, SO_LINGER, m.at + Mem.OPT, Structs.LINGER_SIZE));
            m.buf.putLong(Mem.OPT, 0);
            seen.add("get SO_LINGER " + b.getsockopt(accepted, SOL_SOCKET, SO_LINGER, m.at + Mem.OPT, m.optionRoom(64))
                    + " len " + m.buf.getInt(Mem.OPTLEN) + " onoff " + m.buf.getInt(Mem.OPT + Structs.LINGER_ONOFF)
                    + " linger " + m.buf.getInt(Mem.OPT + Structs.LINGER_LINGER));
            seen.add("TCP_NODELAY " + b.setsockopt(client, IPPROTO_TCP, TCP_NODELAY, m.intOption(1), 4));
            seen.add("get TCP_NODELAY " + b.getsockopt(client, IPPROTO_TCP, TCP_NODELAY, m.at + Mem.OPT, m.optionRoom(4))
                    + " = " + m.buf.getInt(Mem.OPT));
            seen.add("send " + b.send(client, m.data("ping"), 4, NOSIGNAL));
            long n = b.recv(accepted, m.at + Mem.DATA, 64, 0);
            seen.add("recv " + n + " " + m.text(n));
        } finally {
            b.close(accepted);
            b.close(client);
            b.close(listener);
        }
        return seen;
    }

    /** sendto and recvfrom with the sender's address, and a truncated datagram. */
    private static List<String> udp(Backend b) {
        List<String> seen = new ArrayList<>();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int receiver = b.socket(AF_INET, SOCK_DGRAM | CLOEXEC, 0);
        int sender = b.socket(AF_INET, SOCK_DGRAM | CLOEXEC, 0);
        try {
            Mem m = new Mem(b);
            seen.add("bind " + b.bind(receiver, m.at + Mem.ADDR, m.address(AF_INET, new InetSocketAddress(loopback, 0))));
            seen.add("bind " + b.bind(sender, m.at + Mem.ADDR, m.address(AF_INET, new InetSocketAddress(loopback, 0))));
            b.getsockname(sender, m.at + Mem.ADDR, m.room());
            SocketAddress from = m.filled();
            b.getsockname(receiver, m.at + Mem.ADDR, m.room());
            int len = m.buf.getInt(Mem.ADDRLEN);
            seen.add("sendto " + b.sendto(sender, m.data("datagram"), 8, NOSIGNAL, m.at + Mem.ADDR, len));
            seen.add("sendto " + b.sendto(sender, m.data("second"), 6, NOSIGNAL, m.at + Mem.ADDR, len));
            long n = b.recvfrom(receiver, m.at + Mem.DATA, 64, 0, m.at + Mem.ADDR, m.room());
            seen.add("recvfrom " + n + " " + m.text(n) + " len " + m.buf.getInt(Mem.ADDRLEN) + " from the sender "
                    + from.equals(m.filled()));
            n = b.recvfrom(receiver, m.at + Mem.DATA, 3, 0, 0, 0);
            seen.add("recvfrom into 3 bytes, no address " + n + " " + m.text(n));
        } finally {
            b.close(sender);
            b.close(receiver);
        }
        return seen;
    }

    /** An AF_UNIX socket bound to a path, and the name the kernel gives back. */
    private static List<String> unix(Backend b, Path path) {
        List<String> seen = new ArrayList<>();
        int fd = b.socket(AF_UNIX, SOCK_STREAM | CLOEXEC, 0);
        try {
            Mem m = new Mem(b);
            seen.add("bind " + b.bind(fd, m.at + Mem.ADDR, m.address(AF_UNIX, new UnixAddress(path.toString()))));
            seen.add("getsockname " + b.getsockname(fd, m.at + Mem.ADDR, m.room()) + " len " + m.buf.getInt(Mem.ADDRLEN)
                    + " " + m.filled());
            seen.add("bind again " + b.bind(fd, m.at + Mem.ADDR, m.address(AF_UNIX, new UnixAddress(path.toString()))));
        } finally {
            b.close(fd);
        }
        return seen;
    }

    private static String host(SocketAddress address) {
        return ((InetSocketAddress) address).getAddress().getHostAddress();
    }

    private static int port(SocketAddress address) {
        return ((InetSocketAddress) address).getPort();
    }

    private interface FdCall {
        long call(int fd);
    }

    private interface PairCall {
        long call(int a, int b);
    }

    private static long withSocket(Backend b, int family, int type, FdCall call) {
        int fd = b.socket(family, type | CLOEXEC, 0);
        assertTrue(fd >= 0, b.name() + " socket: " + fd);
        try {
            return call.call(fd);
        } finally {
            b.close(fd);
        }
    }

    private static long withPipe(Backend b, FdCall call) {
        int[] p = new int[2];
        assertEquals(0, b.pipe(p, Syscalls.O_CLOEXEC));
        try {
            return call.call(p[0]);
        } finally {
            b.close(p[0]);
            b.close(p[1]);
        }
    }

    private static long withPair(Backend b, PairCall call) {
        int[] p = new int[2];
        assertEquals(0, b.socketpair(AF_UNIX, SOCK_STREAM | CLOEXEC, 0, p));
        try {
            return call.call(p[0], p[1]);
        } finally {
            b.close(p[0]);
            b.close(p[1]);
        }
    }
}
