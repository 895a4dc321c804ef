package io.jselect.lab.experiments;

import io.jselect.lab.experiments.ScalingExperiment.Mechanism;
import io.jselect.lab.experiments.ScalingExperiment.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scaling}: the select/poll/epoll experiment, its table beside the 2006 figures, CSV and chart. */
@Command(name = "scaling", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The select/poll/epoll scaling experiment (Kerrisk, TLPI 63.4.5 and LCA 2006): N idle "
                + "descriptors, one chosen at random made ready for each operation; prints the table beside the "
                + "published 2006 figures and writes DIR/scaling.csv and DIR/scaling.png.",
                "Defaults take about a minute on 2 cores; --full runs 100 000 operations per point, as in the book "
                + "(about 10 minutes)."})
public final class ScalingCommand implements Callable<Integer> {
    /** The chart's size in pixels, as the handout and the tests state it. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 560;
    static final String CSV_HEADER = "mechanism,fds,ops,seconds,ns_per_op";

    @Option(names = "--out", defaultValue = "lab-results", description = "directory for scaling.csv and scaling.png (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--fds", split = ",", defaultValue = "10,100,1000,10000",
            description = "values of N, descriptors watched (default ${DEFAULT-VALUE})")
    List<Integer> fds;

    @Option(names = "--ops", defaultValue = "10000", description = "operations per mechanism and N (default ${DEFAULT-VALUE})")
    long ops;

    @Option(names = "--full", description = "100 000 operations per point, as in the book (about 10 minutes on 2 cores)")
    boolean full;

    @Option(names = "--mechanisms", split = ",", defaultValue = "select,poll,epoll",
            description = "which to run (default ${DEFAULT-VALUE})")
    List<String> mechanisms;

    @Option(names = "--descriptors", defaultValue = "eventfd",
            description = "eventfd (the mechanism's cost alone) or socketpair (Unix sockets: bigger objects, colder "
                    + "caches at large N) (default ${DEFAULT-VALUE})")
    String descriptors;

    @Option(names = "--seed", defaultValue = "1", description = "seeds the random choice of the ready descriptor (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws IOException {
        long opsPerPoint = full ? 100_000 : ops;
        if (opsPerPoint < 1) {
            throw new IllegalArgumentException("--ops must be at least 1, got " + opsPerPoint);
        }
        long limit = ProcFiles.openFileLimit();
        for (int n : fds) {
            if (n < 1) {
                throw new IllegalArgumentException("--fds values must be at least 1, got " + n);
            }
            if (limit > 0 && n + 64 > limit) {
                throw new IllegalArgumentException("--fds " + n + " needs " + n + " descriptors and this process may have "
                        + limit + " open (ulimit -n), with about 64 taken by the JVM");
            }
        }
        ScalingExperiment.Kind kind = ScalingExperiment.Kind.parse(descriptors);
        List<Mechanism> chosen = new ArrayList<>();
        for (String m : mechanisms) {
            chosen.add(Mechanism.parse(m));
        }
        Files.createDirectories(out);
        String machine = Machine.describe();
        System.out.printf(Locale.ROOT, "scaling: N = %s %ss, %,d operations each, %s%n", fds, kind, opsPerPoint, machine);
        List<Row> rows = ScalingExperiment.run(fds, opsPerPoint, chosen, kind, seed, System.err);
        printTable(rows, chosen, opsPerPoint, System.out);
        Path csv = out.resolve("scaling.csv");
        Path png = out.resolve("scaling.png");
        writeCsv(rows, csv);
        writeChart(rows, chosen, opsPerPoint, kind + "s; " + machine, png);
        System.out.println("scaling: wrote " + csv + " and " + png + " (" + WIDTH + " x " + HEIGHT + ")");
        return 0;
    }

    static void writeCsv(List<Row> rows, Path csv) throws IOException {
        List<List<Object>> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(List.of(r.mechanism().toString(), r.fds(), r.ops(), r.seconds(), r.nsPerOp()));
        }
        Csv.write(csv, CSV_HEADER, lines);
    }

    /** The measured table, scaled to 100 000 operations, beside the published one; then the shape in numbers. */
    static void printTable(List<Row> rows, List<Mechanism> mechanisms, long ops, PrintStream out) {
        List<Integer> ns = rows.stream().map(Row::fds).distinct().toList();
        out.println();
        out.printf(Locale.ROOT, "Seconds for 100 000 operations (%s; the median of %d slices)%n", ops == 100_000 ? "measured"
                : String.format(Locale.ROOT, "%,d measured, scaled x%.4g", ops, 100_000.0 / ops), ScalingExperiment.SLICES);
        StringBuilder head = new StringBuilder(String.format("%8s ", "N"));
        for (Mechanism m : mechanisms) {
            head.append(String.format("%10s", m));
        }
        head.append("   |  Kerrisk, LCA 2006:");
        for (Mechanism m : mechanisms) {
            head.append(String.format("%9s", m));
        }
        out.println(head);
        for (int n : ns) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%,8d ", n));
            for (Mechanism m : mechanisms) {
                line.append(String.format(Locale.ROOT, "%10.3f", find(rows, m, n).secondsPer100k()));
            }
            line.append(String.format("   |  %17s", ""));
            for (Mechanism m : mechanisms) {
                double k = Kerrisk2006.secondsPer100k(m, n);
                line.append(Double.isNaN(k) ? String.format("%9s", "-") : String.format(Locale.ROOT, "%9.4g", k));
            }
            out.println(line);
        }
        if (ns.size() < 2) {
            return;
        }
        int lo = ns.get(0);
        int hi = ns.get(ns.size() - 1);
        out.printf(Locale.ROOT, "%nCost per operation at N = %,d over N = %,d (the book's shape: epoll flat, within 2x; "
                + "select and poll growing with N):%n", hi, lo);
        for (Mechanism m : mechanisms) {
            double ratio = find(rows, m, hi).nsPerOp() / find(rows, m, lo).nsPerOp();
            double published = Kerrisk2006.secondsPer100k(m, hi) / Kerrisk2006.secondsPer100k(m, lo);
            out.printf(Locale.ROOT, "  %-6s x%-8.3g%s%n", m, ratio,
                    Double.isNaN(published) ? "" : String.format(Locale.ROOT, "  (2006: x%.3g)", published));
        }
        out.println("Growth as a power of N, cost ~ N^k (k = 1 linear, 0 flat):");
        for (int i = 1; i < ns.size(); i++) {
            int a = ns.get(i - 1);
            int b = ns.get(i);
            out.printf(Locale.ROOT, "  N %,d -> %,d:", a, b);
            for (Mechanism m : mechanisms) {
                out.printf(Locale.ROOT, "  %s %.2f", m, slope(find(rows, m, a), find(rows, m, b)));
            }
            out.println();
        }
        out.printf(Locale.ROOT, "  N %,d -> %,d:", lo, hi);
        for (Mechanism m : mechanisms) {
            out.printf(Locale.ROOT, "  %s %.2f", m, slope(find(rows, m, lo), find(rows, m, hi)));
        }
        out.println();
    }

    private static double slope(Row a, Row b) {
        return Math.log(b.nsPerOp() / a.nsPerOp()) / Math.log((double) b.fds() / a.fds());
    }

    static void writeChart(List<Row> rows, List<Mechanism> mechanisms, long ops, String machine, Path png)
            throws IOException {
        List<Charts.Line> lines = new ArrayList<>();
        List<Integer> ns = rows.stream().map(Row::fds).distinct().toList();
        for (Mechanism m : mechanisms) {
            double[] xs = new double[ns.size()];
            double[] ys = new double[ns.size()];
            for (int i = 0; i < ns.size(); i++) {
                xs[i] = ns.get(i);
                ys[i] = find(rows, m, ns.get(i)).nsPerOp() / 1e3;
            }
            lines.add(new Charts.Line(m + " (jselect, this machine)", Charts.colour(m.toString()), false, xs, ys));
        }
        for (Mechanism m : mechanisms) {
            double[] xs = new double[Kerrisk2006.FDS.length];
            double[] ys = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Kerrisk2006.FDS[i];
                ys[i] = Kerrisk2006.secondsPer100k(m, Kerrisk2006.FDS[i]) * 1e6 / 100_000;
            }
            lines.add(new Charts.Line(m + " (Kerrisk, 2006)", Charts.colour(m.toString()), true, xs, ys));
        }
        Charts.write(png, WIDTH, HEIGHT, "One wait with one ready descriptor among N",
                String.format(Locale.ROOT, "%,d operations per point (a write, the wait, a read), median of %d slices; %s", ops, ScalingExperiment.SLICES, machine),
                "descriptors watched, N (log scale)",
                List.of(new Charts.Panel("time per operation, µs (log scale)", true, lines)));
    }

    private static Row find(List<Row> rows, Mechanism m, int n) {
        for (Row r : rows) {
            if (r.mechanism() == m && r.fds() == n) {
                return r;
            }
        }
        throw new IllegalStateException("no row for " + m + " at " + n);
    }
}
