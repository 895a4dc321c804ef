package io.jselect.demos;

import io.jselect.Epoll;
import io.jselect.Errno;
import io.jselect.ErrnoException;
import io.jselect.EventBuffer;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The echo load client: N connections each ping-pong an S-byte message, for T seconds after a warm-up
 * (or M round trips each), verifying every byte that comes back. One thread, one epoll, non-blocking
 * sockets. Prints a live progress line on stderr and one JSON line of results on stdout; exits 1 when
 * any connection failed or any byte was wrong.
 *
 * <p>With {@code --server-pid} it also reads the server's CPU time ({@link ProcessCpu}) at the two edges
 * of the measured window, the same instants that start and stop the round-trip count, and reports the
 * server's CPU time per round trip: the efficiency figure that stays honest when this client, not the
 * server, is the bottleneck.
 *
 * <p>With {@code --idle K} it also holds K idle connections beside the active ones: each is answered once
 * (the greeting, or without one a single round trip) and then stays silent until the end, so a server
 * carries K + N connections of which N are busy: the shape of the threads-versus-events comparison.
 */
@Command(name = "echo-load", mixinStandardHelpOptions = true,
        description = "Drive an echo server with N ping-pong connections; report round trips/s and latency percentiles as JSON.")
public final class EchoLoad implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8888", description = "server port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", description = "connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--idle", defaultValue = "0",
            description = "idle connections held open beside the active ones; each is answered once (the greeting, "
                    + "or one round trip without one), then stays silent (default ${DEFAULT-VALUE})")
    int idle;

    @Option(names = {"-s", "--size"}, defaultValue = "64", description = "message size in bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "seconds measured, after the warm-up (default ${DEFAULT-VALUE})")
    double duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "2", description = "seconds of warm-up, not measured (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = {"-m", "--messages"}, defaultValue = "0",
            description = "stop after this many round trips per connection instead of after the duration (0: use the duration)")
    long messages;

    @Option(names = "--greeting", defaultValue = "", description = "bytes the server sends on connect, checked (seed mode: hello)")
    String greeting;

    @Option(names = "--suffix", defaultValue = "", description = "bytes the server appends to each reply (seed mode: response)")
    String suffix;

    @Option(names = "--quiet", description = "no progress line")
    boolean quiet;

    @Option(names = "--server-pid", defaultValue = "0",
            description = "process id of the server: report its CPU time (user + system) over the measured window")
    long serverPid;

    @Option(names = "--max-seconds", defaultValue = "600", description = "hard stop, whatever else is asked (default ${DEFAULT-VALUE})")
    double maxSeconds;

    /** One connection's state. */
    private static final class Conn {
        final int id;
        /** Held open, silent once answered: not part of the ping-pong. */
        final boolean idle;
        /** An idle connection that has been answered: anything it receives now is wrong. */
        boolean quiet;
        final Sock sock;
        final ByteBuffer out;
        final ByteBuffer in;
        boolean connected;
        boolean greeted;
        /** The server has sent something back (the greeting or a first reply): it has accepted this one. */
        boolean answered;
        /** Answered, and waiting for every other connection to be answered before its next message. */
        boolean parked;
        boolean done;
        long seq;
        long sentAt;

        Conn(int id, boolean idle, Sock sock, int size, int replySize) {
            this.id = id;
            this.idle = idle;
            this.sock = sock;
            this.out = ByteBuffer.allocateDirect(size);
            this.in = ByteBuffer.allocateDirect(Math.max(replySize, 1));
        }
    }

    /**
     * The results, also printed as JSON.
     *
     * @param connected the active connections that connected
     * @param idle the idle connections asked for ({@code --idle})
     * @param idleHeld the idle connections that connected, were answered and were still open at the end
     * @param seconds the measured window, from the instant the count started to the instant it stopped
     * @param serverCpuSeconds the server's CPU time over that window; NaN without {@code --server-pid}
     * @param clientCpuSeconds this client's CPU time over that window
     * @param machineCpuSeconds every CPU's busy time over that window (the server's, the client's and any
     *     other process's); NaN without {@code --server-pid}
     */
    public record Result(int connections, int size, double seconds, long roundTrips, double roundTripsPerSecond,
            double p50Micros, double p99Micros, double p999Micros, double maxMicros, long errors, long verifiedBytes,
            int connected, int idle, int idleHeld, double serverCpuSeconds, double clientCpuSeconds, double machineCpuSeconds) {
        /** Server CPU time per round trip in microseconds; NaN when not measured or nothing was counted. */
        public double serverCpuMicrosPerRoundTrip() {
            return roundTrips > 0 ? serverCpuSeconds * 1e6 / roundTrips : Double.NaN;
        }

        /** One line of JSON; the server's CPU figures only when they were measured. */
        public String json() {
            String server = Double.isNaN(serverCpuSeconds) ? "" : String.format(Locale.ROOT,
                    ",\"serverCpuSeconds\":%.3f,\"serverCpuUsPerRoundTrip\":%.3f,\"machineCpuSeconds\":%.3f",
                    serverCpuSeconds, serverCpuMicrosPerRoundTrip(), machineCpuSeconds);
            return String.format(Locale.ROOT, "{\"connections\":%d,\"connected\":%d,\"idle\":%d,\"idleHeld\":%d,"
                    + "\"size\":%d,\"seconds\":%.3f,"
                    + "\"roundTrips\":%d,\"roundTripsPerSecond\":%.1f,\"p50Us\":%.1f,\"p99Us\":%.1f,\"p999Us\":%.1f,"
                    + "\"maxUs\":%.1f,\"errors\":%d,\"verifiedBytes\":%d%s,\"clientCpuSeconds\":%.3f}", connections,
                    connected, idle, idleHeld, size, seconds, roundTrips, roundTripsPerSecond, p50Micros, p99Micros, p999Micros, maxMicros,
                    errors, verifiedBytes, server, clientCpuSeconds);
        }
    }

    private byte[] greetingBytes;
    private byte[] suffixBytes;
    private Conn[] conns;
    private Conn[] byFd = new Conn[1024];
    private Epoll epoll;
    private final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
    private long errors;
    private long roundTrips;
    private long verifiedBytes;
    private boolean measuring;
    /** Active connections not yet finished; the run ends when none is left (idle ones do not count). */
    private int live;
    /** Active connections that connected. */
    private int connectedCount;
    /** Idle connections that connected. */
    private int idleConnectedCount;
    private int settled;
    private int answered;
    /** Every connection has been answered once: the ping-pong runs; until then answered ones wait. */
    private boolean allAnswered;
    /** CPU times (ns) and clock (ns) at the start of the measured window. */
    private long serverCpuAtStart;
    private long clientCpuAtStart;
    private long machineCpuAtStart;
    private long windowStart;

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.println(r.json());
        return r.errors() == 0 && r.connected() == connections && r.idleHeld() == idle ? 0 : 1;
    }

    /** Runs the load as configured; public for tests and the comparison harness. */
    public Result run() throws IOException {
        if (connections < 1 || size < 1 || duration < 0 || warmup < 0 || serverPid < 0) {
            throw new IllegalArgumentException("connections and size must be >= 1, duration, warmup and server-pid >= 0");
        }
        if (idle < 0) {
            throw new IllegalArgumentException("idle must be >= 0, got " + idle);
        }
        int total = connections + idle;
        greetingBytes = greeting.getBytes(StandardCharsets.UTF_8);
        suffixBytes = suffix.getBytes(StandardCharsets.UTF_8);
        conns = new Conn[total];
        epoll = Epoll.create();
        EventBuffer events = new EventBuffer(1024);
        InetSocketAddress target = new InetSocketAddress(host, port);
        long start = System.nanoTime();
        long hardStop = start + (long) (maxSeconds * 1e9);
        long measureStart = 0;
        long measureEnd = Long.MAX_VALUE;
        int opened = 0;
        int connected = 0;
        int connectedAll = 0;
        long nextProgress = start + 1_000_000_000L;
        long lastTrips = 0;
        try {
            while (System.nanoTime() < hardStop) {
                // Open connections in waves: at most 256 handshakes at once, and fewer unanswered connections
                // than the smallest listen backlog compared (1024: the C, nio and Netty servers; the demos' is
                // the system's largest), so that an accept queue never overflows (the kernel
                // completes a handshake before the server accepts it: a server slow to start accepting
                // otherwise sees its queue overflow, and syncookie-made connections reset, at 10 000).
                while (opened < total && opened - connectedAll < 256 && opened - answered < 1000) {
                    open(opened++, target);
                }
                int n = epoll.poll(events, 0.1);
                for (int i = 0; i < n; i++) {
                    Conn c = byFd[events.fd(i)];
                    if (c != null && !c.done) {
                        handle(c, events.events(i));
                    }
                }
                connected = connectedCount;
                connectedAll = connectedCount + idleConnectedCount;
                long now = System.nanoTime();
                if (!allAnswered && opened == total && answered == total) {
                    releaseParked();
                }
                if (measureStart == 0 && allAnswered && settled == total) {
                    measureStart = now + (long) (warmup * 1e9);
                    measureEnd = messages > 0 ? Long.MAX_VALUE : measureStart + (long) (duration * 1e9);
                }
                if (!measuring && measureStart != 0 && now >= measureStart) {
                    startWindow(now);
                }
                if (now >= measureEnd || live == 0 && opened == total) {
                    break;
                }
                if (now >= nextProgress && !quiet) {
                    System.err.printf(Locale.ROOT, "echo-load: %d/%d connected%s, %s%,d round trips/s, p99 %.0f us, errors %d%n",
                            connected, connections, idle == 0 ? "" : String.format(Locale.ROOT, " (+%d/%d idle)",
                                    idleConnectedCount, idle), measuring ? "" : "warm-up ", roundTrips - lastTrips,
                            histogram.getTotalCount() == 0 ? 0.0 : histogram.getValueAtPercentile(99) / 1e3, errors);
                    lastTrips = roundTrips;
                    nextProgress += 1_000_000_000L;
                }
            }
            // The window's end: read at once, before anything else spends time.
            long windowEnd = System.nanoTime();
            double serverCpu = measuring && serverPid > 0 ? cpuSecondsSince(serverPid, serverCpuAtStart) : Double.NaN;
            double clientCpu = measuring ? cpuSecondsSince(0, clientCpuAtStart) : 0;
            double machineCpu = measuring && serverPid > 0 ? machineCpuSecondsSince(machineCpuAtStart) : Double.NaN;
            double seconds = measuring ? (windowEnd - windowStart) / 1e9 : 0;
            boolean any = histogram.getTotalCount() > 0;
            return new Result(connections, size, seconds, roundTrips, seconds > 0 ? roundTrips / seconds : 0,
                    any ? histogram.getValueAtPercentile(50) / 1e3 : 0, any ? histogram.getValueAtPercentile(99) / 1e3 : 0,
                    any ? histogram.getValueAtPercentile(99.9) / 1e3 : 0, any ? histogram.getMaxValue() / 1e3 : 0,
                    errors, verifiedBytes, connected, idle, idleHeld(), serverCpu, clientCpu, machineCpu);
        } finally {
            for (Conn c : conns) {
                if (c != null) {
                    c.sock.close();
                }
            }
            epoll.close();
        }
    }

    /** Idle connections connected, answered and still open. */
    private int idleHeld() {
        int held = 0;
        for (Conn c : conns) {
            if (c != null && c.idle && c.answered && !c.done) {
                held++;
            }
        }
        return held;
    }

    /** The measured window starts now: counts restart, and the CPU times are read at this instant. */
    private void startWindow(long now) {
        measuring = true;
        histogram.reset();
        roundTrips = 0;
        windowStart = now;
        serverCpuAtStart = serverPid > 0 ? cpuNanos(serverPid) : 0;
        clientCpuAtStart = cpuNanos(0);
        machineCpuAtStart = serverPid > 0 ? machineBusyNanos() : 0;
    }

    private static long machineBusyNanos() {
        try {
            return ProcessCpu.machineBusyNanos();
        } catch (IOException | RuntimeException e) {
            System.err.println("echo-load: cannot read /proc/stat: " + e);
            return -1;
        }
    }

    private static double machineCpuSecondsSince(long atStart) {
        long atEnd = atStart < 0 ? -1 : machineBusyNanos();
        return atEnd < 0 ? Double.NaN : (atEnd - atStart) / 1e9;
    }

    /** A process's CPU time in ns; -1 (and an error counted) when it cannot be read, e.g. the server died. */
    private long cpuNanos(long pid) {
        try {
            return ProcessCpu.nanos(pid);
        } catch (IOException | RuntimeException e) {
            errors++;
            System.err.println("echo-load: cannot read the CPU time of process " + pid + ": " + e);
            return -1;
        }
    }

    private double cpuSecondsSince(long pid, long atStart) {
        if (atStart < 0) {
            return Double.NaN;
        }
        long atEnd = cpuNanos(pid);
        return atEnd < 0 ? Double.NaN : (atEnd - atStart) / 1e9;
    }

    private void open(int id, InetSocketAddress target) {
        Sock sock = null;
        try {
            sock = Sock.create(target.getAddress() instanceof java.net.Inet6Address ? Sock.AF_INET6 : Sock.AF_INET,
                    Sock.SOCK_STREAM);
            sock.setblocking(false);
            sock.setsockopt(Sock.IPPROTO_TCP, Sock.TCP_NODELAY, 1);
            int rc = sock.connectEx(target);
            if (rc != 0 && rc != Errno.EINPROGRESS) {
                throw io.jselect.ErrnoException.of("connect(" + target + ")", rc, io.jselect.Os.strerror(rc));
            }
            Conn c = new Conn(id, id >= connections, sock, size, size + suffixBytes.length);
            conns[id] = c;
            int fd = sock.fileno();
            if (fd >= byFd.length) {
                byFd = java.util.Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
            }
            byFd[fd] = c;
            if (!c.idle) {
                live++;
            }
            epoll.register(fd, Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP);
        } catch (IOException e) {
            errors++;
            if (sock != null) {
                sock.close();
            }
            System.err.println("echo-load: connection " + id + ": " + e.getMessage());
        }
    }

    private void handle(Conn c, int ev) {
        try {
            if (!c.connected) {
                if ((ev & (Epoll.EPOLLOUT | Epoll.EPOLLERR | Epoll.EPOLLHUP)) == 0) {
                    return;
                }
                int err = c.sock.getsockopt(Sock.SOL_SOCKET, Sock.SO_ERROR);
                if (err != 0) {
                    throw io.jselect.ErrnoException.of("connect", err, io.jselect.Os.strerror(err));
                }
                c.connected = true;
                if (c.idle) {
                    idleConnectedCount++;
                } else {
                    connectedCount++;
                }
                epoll.modify(c.sock.fileno(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
                c.in.clear().limit(greetingBytes.length);
                if (greetingBytes.length == 0) {
                    c.greeted = true;
                    settled++;
                    send(c);
                }
                return;
            }
            if ((ev & Epoll.EPOLLOUT) != 0 && c.out.hasRemaining()) {
                c.sock.write(c.out);
                if (!c.out.hasRemaining()) {
                    epoll.modify(c.sock.fileno(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
                }
            }
            if ((ev & (Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0) {
                receive(c);
            }
        } catch (IOException | RuntimeException e) {
            fail(c, e.getMessage());
        }
    }

    private void receive(Conn c) throws IOException {
        if (c.quiet) {
            receiveWhileQuiet(c);
            return;
        }
        int n = c.sock.read(c.in);
        if (n < 0) {
            fail(c, "the server closed the connection");
            return;
        }
        if (c.in.hasRemaining()) {
            return; // more to come
        }
        markAnswered(c);
        if (!c.greeted) {
            verifyGreeting(c);
            c.greeted = true;
            settled++;
            sendOrPark(c);
            return;
        }
        long now = System.nanoTime();
        verifyReply(c);
        if (c.idle) {
            goQuiet(c);
            return;
        }
        if (measuring) {
            histogram.recordValue(Math.max(1, now - c.sentAt));
            roundTrips++;
        }
        c.seq++;
        if (messages > 0 && c.seq >= messages) {
            finish(c);
            return;
        }
        sendOrPark(c);
    }

    /**
     * Until every connection has been answered once, an answered one waits: the server then has only new
     * connections to accept and their first message to answer, instead of accepting behind thousands of
     * busy ones (one event loop that also accepts can take minutes to reach 10 000 that way).
     */
    private void sendOrPark(Conn c) throws IOException {
        if (c.idle) {
            goQuiet(c);
            return;
        }
        if (allAnswered) {
            send(c);
        } else {
            c.parked = true;
        }
    }

    private void releaseParked() {
        allAnswered = true;
        for (Conn c : conns) {
            if (c != null && c.parked && !c.done) {
                c.parked = false;
                try {
                    send(c);
                } catch (IOException | RuntimeException e) {
                    fail(c, e.getMessage());
                }
            }
        }
    }

    /**
     * Writes the message of round trip {@code c.seq} into {@code c.out} and sends it. The bytes vary per
     * connection and per round trip, so misrouted or stale replies fail verification.
     */
    private void send(Conn c) throws IOException {
        ByteBuffer out = c.out;
        out.clear();
        for (int i = 0; i < size; i++) {
            out.put(i, (byte) ('a' + (c.id * 31 + c.seq * 7 + i) % 26));
        }
        c.in.clear().limit(size + suffixBytes.length);
        c.sentAt = System.nanoTime();
        c.sock.write(out);
        if (out.hasRemaining()) {
            epoll.modify(c.sock.fileno(), Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP);
        }
    }

    /** An idle connection has had its one answer: from now on it only listens for what must not come. */
    private void goQuiet(Conn c) {
        c.quiet = true;
        c.in.clear().limit(1);
    }

    private void receiveWhileQuiet(Conn c) throws IOException {
        c.in.clear();
        int n = c.sock.read(c.in);
        if (n < 0) {
            fail(c, "the server closed an idle connection");
        } else if (n > 0) {
            fail(c, "an idle connection received bytes it never asked for");
        }
    }

    private void verifyGreeting(Conn c) {
        for (int i = 0; i < greetingBytes.length; i++) {
            if (c.in.get(i) != greetingBytes[i]) {
                throw new IllegalStateException("the greeting on connection " + c.id + " is wrong");
            }
        }
        verifiedBytes += greetingBytes.length;
    }

    /** The reply must be the message sent (still in {@code c.out}) followed by the suffix. */
    private void verifyReply(Conn c) {
        for (int i = 0; i < size; i++) {
            if (c.in.get(i) != c.out.get(i)) {
                throw new IllegalStateException("byte " + i + " of round trip " + c.seq + " on connection " + c.id
                        + " is wrong");
            }
        }
        for (int i = 0; i < suffixBytes.length; i++) {
            if (c.in.get(size + i) != suffixBytes[i]) {
                throw new IllegalStateException("the suffix of round trip " + c.seq + " on connection " + c.id + " is wrong");
            }
        }
        verifiedBytes += size + suffixBytes.length;
    }

    private void markAnswered(Conn c) {
        if (!c.answered) {
            c.answered = true;
            answered++;
        }
    }

    private void fail(Conn c, String why) {
        errors++;
        System.err.println("echo-load: connection " + c.id + ": " + why);
        finish(c);
    }

    private void finish(Conn c) {
        if (c.done) {
            return;
        }
        if (!c.greeted) {
            settled++; // it will never be greeted; the warm-up need not wait for it
        }
        markAnswered(c); // or never will be: the next wave need not wait for it
        c.done = true;
        if (!c.idle) {
            live--;
        }
        try {
            epoll.unregister(c.sock.fileno());
        } catch (IOException | RuntimeException ignored) {
            // closing below removes it anyway
        }
        c.sock.close();
    }
}
