package io.jselect.lab.experiments;

import io.jselect.lab.experiments.ThreadsVsEvents.Row;
import io.jselect.lab.grading.Compiler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code threads-vs-events}: a thread per connection against select, poll and epoll; CSV and chart. */
@Command(name = "threads-vs-events", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A thread per connection against the select, poll and epoll servers at N connections, a few "
                + "active and the rest idle: each server's resident memory, threads, CPU per round trip and p99. "
                + "Writes DIR/threads-vs-events.csv and DIR/threads-vs-events.png.",
                "Defaults take about 1.5 minutes on 2 cores; --full repeats each point 3 times for 10 s (about 12 minutes)."})
public final class ThreadsVsEventsCommand implements Callable<Integer> {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 1000;
    static final String CSV_HEADER = "server,connections,active,idle,rss_kib,threads,cpu_us_per_round_trip,p99_us,"
            + "round_trips_per_second,errors";

    @Option(names = "--out", defaultValue = "lab-results",
            description = "directory for threads-vs-events.csv and .png (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--connections", split = ",", defaultValue = "10,100,1000,5000",
            description = "values of N, connections per point (default ${DEFAULT-VALUE})")
    List<Integer> connections;

    @Option(names = "--active", defaultValue = "5", description = "of the N, how many ping-pong; the rest stay idle (default ${DEFAULT-VALUE})")
    int active;

    @Option(names = "--warmup", defaultValue = "1", description = "seconds of load before measuring (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--duration", defaultValue = "3", description = "seconds measured per point (default ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--rounds", defaultValue = "1", description = "repeat every point, servers interleaved; medians kept (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--full", description = "3 rounds of 10 s after 2 s of warm-up (about 12 minutes)")
    boolean full;

    @Option(names = "--server-jvm", split = " ", description = "more JVM options for the servers, e.g. '-Xss256k' "
            + "(thread stacks) or '-Xmx1g'")
    List<String> serverJvm = new ArrayList<>();

    @Option(names = "--servers", split = ",", defaultValue = "threads,select,poll,epoll",
            description = "which servers: threads, select, poll, epoll; with --exercises also ex1, ex2, ex3, ex5 "
                    + "(default ${DEFAULT-VALUE})")
    List<String> servers;

    @Option(names = "--exercises", description = "your exercises' source folder (labs/exercises): compiles them "
            + "and makes ex1, ex2, ex3 and ex5 available to --servers")
    Path exercises;

    @Override
    public Integer call() throws IOException {
        List<String> jvm = new ArrayList<>(ThreadsVsEvents.SERVER_JVM);
        serverJvm.stream().filter(o -> !o.isBlank()).forEach(jvm::add);
        ThreadsVsEvents.Settings settings = full ? new ThreadsVsEvents.Settings(connections, active, 2, 10, 3, jvm)
                : new ThreadsVsEvents.Settings(connections, active, warmup, duration, rounds, jvm);
        List<ServerKind> known = new ArrayList<>(ServerKind.BUILT_IN);
        if (exercises != null) {
            known.addAll(ServerKind.exercises(Compiler.compileAll(exercises, List.of("ex1", "ex2", "ex3", "ex5"),
                    System.err).toFile()));
        }
        List<ServerKind> chosen = new ArrayList<>();
        for (String name : servers) {
            ServerKind kind = known.stream().filter(k -> k.name().equals(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--servers: no server '" + name + "'; known: "
                            + known.stream().map(ServerKind::name).toList()
                            + (exercises == null ? " (ex1, ex2, ex3 and ex5 need --exercises)" : "")));
            if (!kind.available()) {
                System.err.println("threads-vs-events: skipping " + kind.name() + ": needs JDK " + kind.minimumJdk());
                continue;
            }
            chosen.add(kind);
        }
        long maxN = connections.stream().mapToLong(Integer::longValue).max().orElse(0);
        long limit = ProcFiles.openFileLimit();
        if (limit > 0 && maxN + 64 > limit) {
            throw new IllegalArgumentException("--connections " + maxN + " needs " + maxN
                    + " descriptors in this process (the client) and this process may have " + limit + " (ulimit -n)");
        }
        Files.createDirectories(out);
        String machine = Machine.describe();
        System.out.printf(Locale.ROOT, "threads-vs-events: servers %s, N = %s (%d active), %.0f s warm-up + %.0f s "
                + "measured, %d round(s); server JVM %s; %s%n", chosen.stream().map(ServerKind::name).toList(),
                settings.connections(), settings.active(), settings.warmupSeconds(), settings.durationSeconds(),
                settings.rounds(), String.join(" ", jvm), machine);
        List<Row> rows = ThreadsVsEvents.run(chosen, settings, System.getProperty("java.class.path"), System.err);
        printTables(rows, System.out);
        Path csv = out.resolve("threads-vs-events.csv");
        Path png = out.resolve("threads-vs-events.png");
        writeCsv(rows, csv);
        writeChart(rows, settings, machine, png);
        System.out.println("threads-vs-events: wrote " + csv + " and " + png + " (" + WIDTH + " x " + HEIGHT + ")");
        long errors = rows.stream().mapToLong(Row::errors).sum();
        if (errors > 0) {
            System.err.println("threads-vs-events: " + errors + " errors (see the errors column): those points are suspect");
            return 1;
        }
        return 0;
    }

    static void writeCsv(List<Row> rows, Path csv) throws IOException {
        List<List<Object>> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(List.of(r.server(), r.connections(), r.active(), r.idle(), r.rssKib(), r.threads(),
                    r.cpuMicrosPerRoundTrip(), r.p99Micros(), r.roundTripsPerSecond(), r.errors()));
        }
        Csv.write(csv, CSV_HEADER, lines);
    }

    private record Metric(String title, String unit, boolean log, ToDoubleFunction<Row> value) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("memory (RSS)", "MiB", false, r -> r.rssKib() / 1024.0),
            new Metric("threads", "", true, r -> r.threads()),
            new Metric("CPU per round trip", "µs", true, Row::cpuMicrosPerRoundTrip),
            new Metric("p99 round trip", "µs", true, Row::p99Micros));

    static void printTables(List<Row> rows, PrintStream out) {
        Map<String, List<Row>> byServer = byServer(rows);
        List<Integer> ns = rows.stream().map(Row::connections).distinct().sorted().toList();
        for (Metric m : METRICS) {
            out.printf("%n%s%s%n", m.title(), m.unit().isEmpty() ? "" : ", " + m.unit());
            StringBuilder head = new StringBuilder(String.format("%-10s", "N ="));
            for (int n : ns) {
                head.append(String.format(Locale.ROOT, "%11s", String.format(Locale.ROOT, "%,d", n)));
            }
            out.println(head);
            for (Map.Entry<String, List<Row>> e : byServer.entrySet()) {
                StringBuilder line = new StringBuilder(String.format("%-10s", e.getKey()));
                for (int n : ns) {
                    Row r = e.getValue().stream().filter(x -> x.connections() == n).findFirst().orElse(null);
                    line.append(r == null ? String.format("%11s", "-")
                            : String.format(Locale.ROOT, "%,11.1f", m.value().applyAsDouble(r)));
                }
                out.println(line);
            }
        }
    }

    static void writeChart(List<Row> rows, ThreadsVsEvents.Settings s, String machine, Path png) throws IOException {
        Map<String, List<Row>> byServer = byServer(rows);
        List<Charts.Panel> panels = new ArrayList<>();
        for (Metric m : METRICS) {
            List<Charts.Line> lines = new ArrayList<>();
            for (Map.Entry<String, List<Row>> e : byServer.entrySet()) {
                List<Row> rs = e.getValue();
                double[] xs = rs.stream().mapToDouble(Row::connections).toArray();
                double[] ys = rs.stream().mapToDouble(m.value()).toArray();
                lines.add(new Charts.Line(e.getKey(), Charts.colour(e.getKey()), false, xs, ys));
            }
            panels.add(new Charts.Panel(m.title() + (m.unit().isEmpty() ? "" : ", " + m.unit()) + (m.log() ? " (log)" : ""),
                    m.log(), lines));
        }
        Charts.write(png, WIDTH, HEIGHT, "A thread per connection against one event loop",
                String.format(Locale.ROOT, "%d active connections, the rest idle; %.0f s measured per point, %d round(s); %s",
                        s.active(), s.durationSeconds(), s.rounds(), machine),
                "connections, N (log scale)", panels);
    }

    private static Map<String, List<Row>> byServer(List<Row> rows) {
        Map<String, List<Row>> byServer = new LinkedHashMap<>();
        for (Row r : rows) {
            byServer.computeIfAbsent(r.server(), k -> new ArrayList<>()).add(r);
        }
        return byServer;
    }
}
