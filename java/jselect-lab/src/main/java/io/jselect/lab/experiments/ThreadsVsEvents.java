package io.jselect.lab.experiments;

import io.jselect.demos.EchoLoad;
import io.jselect.lab.ChildServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The threads-versus-events experiment: each server in a child JVM of its own, driven by the demos' load
 * client ({@code echo-load}, in this process) with a few active connections and the rest idle; the
 * server's resident memory and threads sampled from {@code /proc/PID/status} while the load runs, its CPU
 * time per round trip from {@code /proc/PID/stat} over the measured window, and the client's p99.
 */
public final class ThreadsVsEvents {
    /**
     * The same JVM for every server, so that only the server differs: the serial collector (the fewest GC
     * threads), a fixed young generation (else a server that makes more garbage, as select's lists do, grows
     * its heap and its resident memory by tens of MiB that have nothing to do with connections), a heap
     * ceiling, and quiet logs (a line per connection would cost CPU).
     */
    public static final List<String> SERVER_JVM = List.of("-XX:+UseSerialGC", "-Xmn16m", "-Xmx256m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    /** How often the server's memory and threads are read while the load runs. */
    private static final long SAMPLE_MILLIS = 50;

    private ThreadsVsEvents() {
    }

    /**
     * The experiment's settings.
     *
     * @param connections the values of N, total connections per point
     * @param active how many of them ping-pong (the rest are idle); at most N
     * @param warmupSeconds load before the measured window
     * @param durationSeconds the measured window
     * @param rounds points repeated this many times, servers interleaved; the median is kept
     * @param serverJvm the servers' JVM options: {@link #SERVER_JVM} and any the user added
     */
    public record Settings(List<Integer> connections, int active, double warmupSeconds, double durationSeconds,
            int rounds, List<String> serverJvm) {
        public Settings {
            for (int n : connections) {
                if (n < 1) {
                    throw new IllegalArgumentException("--connections values must be at least 1, got " + n);
                }
            }
            if (active < 1) {
                throw new IllegalArgumentException("--active must be at least 1, got " + active);
            }
            if (warmupSeconds < 0 || durationSeconds <= 0) {
                throw new IllegalArgumentException("--warmup must be >= 0 and --duration > 0, got " + warmupSeconds
                        + " and " + durationSeconds);
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
            }
        }
    }

    /**
     * One point: a server at N connections.
     *
     * @param rssKib the most resident memory seen while the load ran
     * @param threads the most threads seen while the load ran
     * @param cpuMicrosPerRoundTrip the server's CPU time over the measured window per round trip
     * @param p99Micros the 99th percentile of round-trip latency, from the client
     * @param errors the load client's errors (a wrong byte, a dropped connection, one that never connected)
     */
    public record Row(String server, int connections, int active, int idle, long rssKib, int threads,
            double cpuMicrosPerRoundTrip, double p99Micros, double roundTripsPerSecond, long errors) {
    }

    /**
     * Runs every server at every N.
     *
     * @param classpath the lab's class path, for the children
     * @param progress gets a line per point
     * @return one row per server and N (the median round), in order of server then N
     * @throws IOException when a server cannot be started
     */
    public static List<Row> run(List<ServerKind> servers, Settings s, String classpath, PrintStream progress)
            throws IOException {
        List<List<Row>> perRound = new ArrayList<>();
        int points = servers.size() * s.connections().size() * s.rounds();
        int done = 0;
        long started = System.nanoTime();
        for (int round = 0; round < s.rounds(); round++) {
            List<Row> rows = new ArrayList<>();
            for (int n : s.connections()) {
                for (ServerKind kind : servers) {
                    Row row = measure(kind, n, s, classpath);
                    rows.add(row);
                    done++;
                    progress.printf(Locale.ROOT, "threads-vs-events: %d/%d: %-8s N = %,5d (%d active): %,7.1f MiB, %,5d threads, "
                            + "%,8.1f us CPU per round trip, p99 %,8.0f us, %,.0f round trips/s%s; %.0f s so far%n", done, points,
                            kind.name(), n, row.active(), row.rssKib() / 1024.0, row.threads(), row.cpuMicrosPerRoundTrip(),
                            row.p99Micros(), row.roundTripsPerSecond(), row.errors() == 0 ? "" : ", " + row.errors() + " ERRORS",
                            (System.nanoTime() - started) / 1e9);
                }
            }
            perRound.add(rows);
        }
        List<Row> result = new ArrayList<>();
        for (ServerKind kind : servers) {
            for (int n : s.connections()) {
                result.add(median(perRound, kind.name(), n));
            }
        }
        return result;
    }

    /** One server at N connections: a fresh child, so that its memory is this N's and no other's. */
    static Row measure(ServerKind kind, int n, Settings s, String classpath) throws IOException {
        int active = Math.min(s.active(), n);
        int idle = n - active;
        String cp = String.join(File.pathSeparator, kind.classpathPrefix()) + (kind.classpathPrefix().isEmpty() ? ""
                : File.pathSeparator) + classpath;
        List<String> args = kind.args();
        try (ChildServer server = ChildServer.start(kind.name() + " server", s.serverJvm(), cp, kind.mainClass(), args, 30)) {
            Sampler sampler = new Sampler(server.pid());
            sampler.start();
            EchoLoad.Result r;
            try {
                EchoLoad load = new EchoLoad();
                new CommandLine(load).parseArgs("--port", Integer.toString(server.port()), "--connections",
                        Integer.toString(active), "--idle", Integer.toString(idle), "--warmup",
                        Double.toString(s.warmupSeconds()), "--duration", Double.toString(s.durationSeconds()),
                        "--greeting", "hello", "--suffix", "response", "--server-pid", Long.toString(server.pid()),
                        "--quiet", "--max-seconds", Double.toString(s.warmupSeconds() + s.durationSeconds() + 120));
                r = load.run();
            } finally {
                sampler.stopAndJoin();
            }
            if (!server.isAlive()) {
                throw new IOException(kind.name() + " server died during the load" + server.lastWords());
            }
            long errors = r.errors() + (active - r.connected()) + (idle - r.idleHeld());
            return new Row(kind.name(), n, active, idle, sampler.maxRssKib, sampler.maxThreads,
                    r.serverCpuMicrosPerRoundTrip(), r.p99Micros(), r.roundTripsPerSecond(), errors);
        }
    }

    private static Row median(List<List<Row>> perRound, String server, int n) {
        List<Row> same = new ArrayList<>();
        for (List<Row> rows : perRound) {
            for (Row r : rows) {
                if (r.server().equals(server) && r.connections() == n) {
                    same.add(r);
                }
            }
        }
        Row first = same.get(0);
        return new Row(server, n, first.active(), first.idle(), (long) median(same, r -> r.rssKib()),
                (int) median(same, r -> r.threads()), median(same, Row::cpuMicrosPerRoundTrip),
                median(same, Row::p99Micros), median(same, Row::roundTripsPerSecond),
                same.stream().mapToLong(Row::errors).sum());
    }

    private static double median(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        double[] v = rows.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Reads the server's status every {@link #SAMPLE_MILLIS} and keeps the most memory and threads seen. */
    private static final class Sampler extends Thread {
        private final long pid;
        private volatile boolean running = true;
        long maxRssKib;
        int maxThreads;

        Sampler(long pid) {
            super("sampler-" + pid);
            this.pid = pid;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            try {
                ProcFiles.Status st = ProcFiles.status(pid);
                maxRssKib = Math.max(maxRssKib, st.rssKib());
                maxThreads = Math.max(maxThreads, st.threads());
            } catch (IOException gone) {
                running = false; // the server died; the caller finds out
            }
        }

        void stopAndJoin() {
            running = false;
            interrupt();
            try {
                join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
