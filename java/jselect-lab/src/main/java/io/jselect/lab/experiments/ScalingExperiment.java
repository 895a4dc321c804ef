package io.jselect.lab.experiments;

import io.jselect.Epoll;
import io.jselect.ErrnoException;
import io.jselect.EventBuffer;
import io.jselect.FdEvent;
import io.jselect.Os;
import io.jselect.Poll;
import io.jselect.Select;
import io.jselect.socket.Sock;
import io.jselect.socket.SockPair;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The classic select/poll/epoll scaling experiment (Kerrisk, <i>The Linux Programming Interface</i>,
 * section 63.4.5, and his LCA 2006 talk): N descriptors are watched, none of them ready; each operation
 * makes one chosen at random readable (a one-byte write to its peer), waits for it through the
 * mechanism, checks that exactly that descriptor was reported, and reads the byte back so it is idle
 * again. select and poll hand the kernel the whole list on every call and the kernel checks every
 * descriptor; epoll keeps the interest list in the kernel and returns only what is ready.
 *
 * <p>The descriptors are eventfds by default, or Unix socket pairs (see {@link Kind}); either way N watched
 * descriptors cost N descriptors, so N = 10 000 fits a 20 000 descriptor limit (pipes would need 2N).
 */
public final class ScalingExperiment {
    /** Kept from hanging if a descriptor were never reported; a ready one returns at once. */
    private static final double TIMEOUT_SECONDS = 5.0;

    /** The three mechanisms, as jselect's public API offers them. */
    public enum Mechanism {
        SELECT, POLL, EPOLL;

        /** Parses {@code select}, {@code poll} or {@code epoll}. */
        public static Mechanism parse(String name) {
            for (Mechanism m : values()) {
                if (m.toString().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mechanism must be select, poll or epoll, got '" + name + "'");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The operations of a step are timed in this many slices and the median slice's rate is the step's:
     * this machine is shared, and a burst of someone else's work during one slice then moves nothing.
     */
    public static final int SLICES = 5;

    /**
     * One measured step.
     *
     * @param mechanism select, poll or epoll
     * @param fds descriptors watched
     * @param ops operations timed
     * @param seconds the time of {@code ops} operations at the median slice's rate (see {@link #SLICES})
     */
    public record Row(Mechanism mechanism, int fds, long ops, double seconds) {
        /** Nanoseconds per operation. */
        public double nsPerOp() {
            return seconds * 1e9 / ops;
        }

        /** Seconds that 100 000 operations would take at this rate: the unit of the published table. */
        public double secondsPer100k() {
            return nsPerOp() * 100_000 / 1e9;
        }
    }

    private ScalingExperiment() {
    }

    /**
     * Runs every mechanism at every N.
     *
     * @param fdCounts the values of N, each {@code >= 1}
     * @param ops operations timed per mechanism and N, {@code >= 1}
     * @param mechanisms which to run
     * @param kind what the descriptors are
     * @param seed seeds the choice of the descriptor made ready
     * @param progress gets one line per step
     * @return one row per mechanism and N, in order of N then mechanism
     * @throws IOException when descriptors cannot be opened (too many for the process's limit) or a call fails
     */
    public static List<Row> run(List<Integer> fdCounts, long ops, List<Mechanism> mechanisms, Kind kind, long seed,
            PrintStream progress) throws IOException {
        // The first few thousand calls run in the interpreter: warm every path up once, on a small set, so
        // that the first N measured is not charged for compiling the code that all the others share.
        try (Descriptors warm = Descriptors.open(Math.min(10, fdCounts.get(0)), kind)) {
            for (Mechanism m : mechanisms) {
                measure(m, warm, 20_000, new SplittableRandom(seed));
            }
        }
        List<Row> rows = new ArrayList<>();
        int steps = fdCounts.size() * mechanisms.size();
        long started = System.nanoTime();
        for (int n : fdCounts) {
            try (Descriptors d = Descriptors.open(n, kind)) {
                for (Mechanism m : mechanisms) {
                    measure(m, d, Math.max(50, ops / 20), new SplittableRandom(seed + 1)); // this N's caches
                    double nsPerOp = medianNsPerOp(m, d, ops, new SplittableRandom(seed));
                    Row row = new Row(m, n, ops, nsPerOp * ops / 1e9);
                    rows.add(row);
                    progress.printf(Locale.ROOT, "scaling: step %d/%d: %-6s %,6d descriptors: %,d operations, %.2f us each; "
                            + "%.0f s so far%n", rows.size(), steps, m, n, ops, row.nsPerOp() / 1e3,
                            (System.nanoTime() - started) / 1e9);
                }
            }
        }
        return rows;
    }

    /** Times {@code ops} operations in {@link #SLICES} slices; the median slice's nanoseconds per operation. */
    static double medianNsPerOp(Mechanism m, Descriptors d, long ops, SplittableRandom random) throws IOException {
        int slices = (int) Math.min(SLICES, ops);
        double[] nsPerOp = new double[slices];
        for (int s = 0; s < slices; s++) {
            long sliceOps = ops / slices + (s < ops % slices ? 1 : 0);
            nsPerOp[s] = measure(m, d, sliceOps, random) * 1e9 / sliceOps;
        }
        java.util.Arrays.sort(nsPerOp);
        return nsPerOp[slices / 2];
    }

    /** Times {@code ops} operations of {@code m} over {@code d}; seconds of wall-clock time. */
    static double measure(Mechanism m, Descriptors d, long ops, SplittableRandom random) throws IOException {
        try (Waiter w = waiter(m, d)) {
            long start = System.nanoTime();
            for (long op = 0; op < ops; op++) {
                int i = random.nextInt(d.size());
                int fd = d.watched[i];
                Os.write(d.peer[i], d.token);
                int reported = w.awaitOne();
                if (reported != fd) {
                    throw new IllegalStateException(m + " reported descriptor " + reported + " ready, but " + fd
                            + " was the one made ready");
                }
                Os.read(fd, d.token.length);
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Waits through one mechanism until exactly one descriptor is ready, and returns it. */
    private interface Waiter extends AutoCloseable {
        int awaitOne() throws IOException;

        @Override
        void close();
    }

    private static Waiter waiter(Mechanism m, Descriptors d) throws ErrnoException {
        switch (m) {
            case SELECT: {
                // Python's call: the whole list every time; the C layer builds the fd set from it.
                List<Integer> inputs = new ArrayList<>(d.size());
                for (int fd : d.watched) {
                    inputs.add(fd);
                }
                List<Integer> none = List.of();
                return new Waiter() {
                    @Override
                    public int awaitOne() throws IOException {
                        return only("select", Select.select(inputs, none, none, TIMEOUT_SECONDS).readable());
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            case POLL: {
                Poll poll = Poll.create(); // the pollfd array is built once, at registration, as in Python
                for (int fd : d.watched) {
                    poll.register(fd, Poll.POLLIN);
                }
                return new Waiter() {
                    @Override
                    public int awaitOne() throws IOException {
                        List<FdEvent> ready = poll.poll(TIMEOUT_SECONDS * 1000);
                        if (ready.size() != 1) {
                            throw new IllegalStateException("poll reported " + ready.size() + " ready descriptors, expected 1");
                        }
                        return ready.get(0).fd();
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            default: {
                Epoll epoll = Epoll.create();
                try {
                    for (int fd : d.watched) {
                        epoll.register(fd, Epoll.EPOLLIN);
                    }
                } catch (ErrnoException | RuntimeException e) {
                    epoll.close();
                    throw e;
                }
                EventBuffer events = new EventBuffer(16);
                return new Waiter() {
                    @Override
                    public int awaitOne() throws IOException {
                        int n = epoll.poll(events, TIMEOUT_SECONDS);
                        if (n != 1) {
                            throw new IllegalStateException("epoll reported " + n + " ready descriptors, expected 1");
                        }
                        return events.fd(0);
                    }

                    @Override
                    public void close() {
                        epoll.close();
                    }
                };
            }
        }
    }

    private static int only(String call, List<Integer> ready) {
        if (ready.size() != 1) {
            throw new IllegalStateException(call + " reported " + ready.size() + " ready descriptors, expected 1");
        }
        return ready.get(0);
    }

    /** What the watched descriptors are. */
    public enum Kind {
        /**
         * eventfd(2): one descriptor each, the smallest object the kernel can make readable and idle again
         * (an 8-byte counter), so an operation's cost is the mechanism's and little else.
         */
        EVENTFD,
        /**
         * Both ends of Unix socket pairs, each made ready by a write to the other: N descriptors for N
         * watched. A socket is a much bigger object than an eventfd: at 10 000 the write and the read
         * themselves miss the caches, and that shows in every mechanism, epoll too.
         */
        SOCKETPAIR;

        /** Parses {@code eventfd} or {@code socketpair}. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.toString().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("descriptors must be eventfd or socketpair, got '" + name + "'");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** N watched descriptors, each with a peer whose write makes it readable. */
    static final class Descriptors implements AutoCloseable {
        final int[] watched;
        final int[] peer;
        /** What a write puts in: eventfd(2) takes an 8-byte counter increment. */
        final byte[] token;
        private final List<SockPair> pairs = new ArrayList<>();
        private final List<Integer> eventfds = new ArrayList<>();

        private Descriptors(int n, Kind kind) {
            watched = new int[n];
            peer = new int[n];
            token = kind == Kind.EVENTFD ? new byte[] {1, 0, 0, 0, 0, 0, 0, 0} : new byte[] {'x'};
        }

        int size() {
            return watched.length;
        }

        /**
         * Opens {@code n} eventfds, or {@code (n + 1) / 2} socket pairs watched at both ends (one end of
         * the last when {@code n} is odd).
         *
         * @throws IOException when the process runs out of descriptors (EMFILE), with the limit named
         */
        static Descriptors open(int n, Kind kind) throws IOException {
            Descriptors d = new Descriptors(n, kind);
            try {
                if (kind == Kind.EVENTFD) {
                    for (int i = 0; i < n; i++) {
                        int fd = EventFds.open();
                        d.eventfds.add(fd);
                        d.watched[i] = fd;
                        d.peer[i] = fd; // a write to an eventfd makes that same descriptor readable
                    }
                } else {
                    for (int i = 0; i < n; i += 2) {
                        SockPair p = Sock.socketpair();
                        d.pairs.add(p);
                        d.watched[i] = p.first().fileno();
                        d.peer[i] = p.second().fileno();
                        if (i + 1 < n) {
                            d.watched[i + 1] = p.second().fileno();
                            d.peer[i + 1] = p.first().fileno();
                        }
                    }
                }
            } catch (ErrnoException e) {
                d.close();
                if (e.errno() == io.jselect.Errno.EMFILE) {
                    throw new IOException("cannot open " + n + " descriptors: this process may have at most "
                            + ProcFiles.openFileLimit() + " open (ulimit -n)", e);
                }
                throw e;
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
            return d;
        }

        @Override
        public void close() {
            for (SockPair p : pairs) {
                p.close();
            }
            pairs.clear();
            for (int fd : eventfds) {
                try {
                    Os.close(fd);
                } catch (ErrnoException e) {
                    throw new IllegalStateException("closing eventfd " + fd + ": " + e.getMessage(), e);
                }
            }
            eventfds.clear();
        }
    }
}
