package io.jselect.socket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The address kinds each socket behaviour is tested over: IPv4 and IPv6 loopback, an AF_UNIX path and
 * an AF_UNIX abstract name. Written once so every round trip runs on each.
 */
enum Endpoint {
    INET(Sock.AF_INET),
    INET6(Sock.AF_INET6),
    UNIX_PATH(Sock.AF_UNIX),
    UNIX_ABSTRACT(Sock.AF_UNIX);

    static final List<Endpoint> ALL = List.of(values());
    private static final AtomicInteger NEXT = new AtomicInteger();

    final int family;

    Endpoint(int family) {
        this.family = family;
    }

    /** A fresh address to bind to: port 0 for IP, a new path under {@code dir}, a new abstract name. */
    SocketAddress address(Path dir) {
        int n = NEXT.incrementAndGet();
        try {
            switch (this) {
                case INET: return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
                case INET6: return new InetSocketAddress(InetAddress.getByName("::1"), 0);
                case UNIX_PATH: return new UnixAddress(dir.resolve("s" + n + ".sock").toString());
                default: return new UnixAddress("\0jselect-test-" + ProcessHandle.current().pid() + "-" + n);
            }
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
