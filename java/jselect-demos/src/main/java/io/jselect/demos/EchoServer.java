package io.jselect.demos;

import io.jselect.socket.Sock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The lesson's echo server, correct: first-in-first-out replies, non-blocking writes with partial-write
 * handling, a bound on the bytes queued per client (past it the server stops reading from that client
 * until it drains: backpressure, not memory growth), errors confined to the client they happen on,
 * dead sockets closed, SO_REUSEADDR.
 *
 * <p>Protocol ({@link Mode#SEED}, the lesson's): on connect the server sends {@code hello} (5 bytes, no
 * newline); each chunk it receives (at most 1024 bytes, the lesson's {@code recv(1024)}) comes back as
 * one reply, the chunk followed by {@code response}. {@link Mode#ECHO} is a plain echo with no greeting.
 *
 * <p>{@link #start(Config)} runs it on a thread of its own and returns a handle, so tests and
 * benchmarks run it in-process.
 */
public final class EchoServer {
    static final byte[] GREETING = "hello".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);
    /** The lesson's {@code recv(1024)}: in seed mode each reply answers at most this many bytes. */
    static final int CHUNK = 1024;

    private EchoServer() {
    }

    /** What the server says. */
    public enum Mode {
        /** The lesson's protocol: greeting {@code hello}, each chunk answered with {@code chunk + response}. */
        SEED,
        /** Plain echo: no greeting, every byte back as it came. */
        ECHO;

        boolean seed() {
            return this == SEED;
        }
    }

    /** How the server waits: the lesson's select, or poll, epoll, edge-triggered epoll, or selectors. */
    public enum Mechanism {
        SELECT, POLL, EPOLL, EPOLL_ET, SELECTORS;

        /** Parses {@code select}, {@code poll}, {@code epoll}, {@code epoll-et}, {@code selectors}. */
        public static Mechanism parse(String name) {
            for (Mechanism m : values()) {
                if (m.toString().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mechanism must be select, poll, epoll, epoll-et or selectors, got '" + name + "'");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The server's settings.
     *
     * @param host the address to bind, e.g. {@code 127.0.0.1} or {@code ::1}
     * @param port the port, 0 for any free one
     * @param mode the protocol
     * @param mechanism how it waits
     * @param maxClients connections beyond this many are accepted and closed at once
     * @param maxQueuedBytes per client: past this many unsent reply bytes, stop reading from it
     * @param backlog listen(2)'s backlog (the lesson's 5 is too small for load tests); the kernel cuts it to
     *     {@code net.core.somaxconn}
     */
    public record Config(String host, int port, Mode mode, Mechanism mechanism, int maxClients, int maxQueuedBytes,
            int backlog) {
        public Config {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            if (maxClients < 1) {
                throw new IllegalArgumentException("max-clients must be at least 1, got " + maxClients);
            }
            if (maxQueuedBytes < CHUNK + SUFFIX.length) {
                throw new IllegalArgumentException("max-queue must be at least " + (CHUNK + SUFFIX.length) + " bytes, got "
                        + maxQueuedBytes);
            }
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
            }
        }

        /** The lesson's server: 127.0.0.1:8888, seed protocol, select, the system's largest backlog. */
        public static Config defaults() {
            return new Config("127.0.0.1", 8888, Mode.SEED, Mechanism.SELECT, 10_000, 64 * 1024, ListenBacklog.systemMax());
        }

        public Config withPort(int newPort) {
            return new Config(host, newPort, mode, mechanism, maxClients, maxQueuedBytes, backlog);
        }

        public Config withMode(Mode newMode) {
            return new Config(host, port, newMode, mechanism, maxClients, maxQueuedBytes, backlog);
        }

        public Config withMechanism(Mechanism newMechanism) {
            return new Config(host, port, mode, newMechanism, maxClients, maxQueuedBytes, backlog);
        }

        public Config withMaxClients(int newMaxClients) {
            return new Config(host, port, mode, mechanism, newMaxClients, maxQueuedBytes, backlog);
        }

        public Config withMaxQueuedBytes(int newMaxQueuedBytes) {
            return new Config(host, port, mode, mechanism, maxClients, newMaxQueuedBytes, backlog);
        }

        public Config withBacklog(int newBacklog) {
            return new Config(host, port, mode, mechanism, maxClients, maxQueuedBytes, newBacklog);
        }
    }

    /** A running server. Closing it stops the loop, closes every socket and waits for the thread. */
    public interface Running extends AutoCloseable {
        /** The bound address (with the actual port when 0 was asked). */
        InetSocketAddress address();

        default int port() {
            return address().getPort();
        }

        /** Counters, updated by the server's thread; exact once closed. */
        ServerStats stats();

        @Override
        void close();
    }

    /**
     * Binds, listens and starts the server's thread.
     *
     * @throws io.jselect.AddressInUseException when the port is taken
     * @throws IOException when the socket cannot be set up
     */
    public static Running start(Config config) throws IOException {
        Sock listener = Sock.createServer(config.host(), config.port(), config.backlog(), false);
        try {
            listener.setblocking(false);
            EchoLoop loop;
            switch (config.mechanism()) {
                case SELECT: loop = new SelectEchoLoop(listener, config); break;
                case POLL: loop = new PollEchoLoop(listener, config); break;
                case SELECTORS: loop = new SelectorsEchoLoop(listener, config); break;
                default: loop = new EpollEchoLoop(listener, config, config.mechanism() == Mechanism.EPOLL_ET); break;
            }
            return loop.startThread("echo-server-" + config.mechanism());
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }
}
