package io.jselect.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark once, briefly, so that none can rot: the normal build times nothing, but it
 * proves that each benchmark sets up, finds its ready descriptor, runs and reports, with the GC
 * profiler's bytes per operation, and that asking for a backend never silently measures another.
 */
class BenchmarksSmokeTest {
    private static final String ALL = "io\\.jselect\\.benchmarks\\..*";
    private static final String ONE = "io\\.jselect\\.benchmarks\\.EpollWaitBenchmark\\.eventBuffer";

    /** Every benchmark, every parameter but {@code backend=jna}, in this JVM (no forks: seconds, not minutes). */
    @Test
    void everyBenchmarkRunsOnceWithBytesPerOperation() throws RunnerException {
        Collection<RunResult> results = new Runner(brief(ALL).forks(0).param("backend", "jni")
                .addProfiler(GCProfiler.class).build()).run();

        Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(allBenchmarks(), ran);
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark() + " " + r.getParams().getParamsKeys().stream()
                    .map(k -> k + "=" + r.getParams().getParam(k)).collect(Collectors.joining(","));
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), name + " scored " + score);
            Result<?> bytes = r.getSecondaryResults().get("gc.alloc.rate.norm");
            assertTrue(bytes != null && Double.isFinite(bytes.getScore()), name + " has no gc.alloc.rate.norm");
        }
    }

    @Test
    void aForkRunsOnTheBackendItAskedFor() throws RunnerException {
        Collection<RunResult> results = new Runner(brief(ONE).forks(1).param("backend", "jni")
                .param("keys", "1").build()).run();
        assertEquals(1, results.size());
    }

    /**
     * A fork whose backend cannot load fails the run, on each backend: it never measures the other one.
     * JNI is made unloadable as JarLoadingIT does (no library where it looks, and nowhere to extract the
     * jar's copy); JNA by keeping JNA from finding its own native library anywhere.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jni", "jna"})
    void askingForABackendThatCannotLoadFailsInsteadOfMeasuringTheOther(String backend) {
        String[] unloadable = backend.equals("jni")
                ? new String[] {"-Djselect.library.path=/nonexistent/libjselect.so", "-Djselect.tmpdir=/proc"}
                : new String[] {"-Djna.nosys=true", "-Djna.noclasspath=true", "-Djna.boot.library.path=/nonexistent"};
        RunnerException e = assertThrows(RunnerException.class, () -> new Runner(brief(ONE).forks(1)
                .jvmArgsPrepend(unloadable).param("backend", backend).param("keys", "1").build()).run());
        assertTrue(describe(e).contains("the " + backend + " backend was asked for, and jselect cannot load it"),
                describe(e));
    }

    /** The claim of the README's table, checked: nothing allocated per call on the zero-garbage paths. */
    @Test
    void theZeroGarbagePathsAllocateNothing() throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("EpollWaitBenchmark\\.eventBuffer|SelectorSelectBenchmark\\.consumer")
                .param("backend", "jni").forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(200)).shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT).addProfiler(GCProfiler.class).build()).run();
        assertEquals(5, results.size());
        for (RunResult r : results) {
            double bytes = r.getSecondaryResults().get("gc.alloc.rate.norm").getScore();
            // JMH's own per-iteration allocations, spread over ~10^5 calls, show as a few hundredths.
            assertTrue(bytes < 1.0, r.getParams().getBenchmark() + " " + r.getParams().getParam("keys")
                    + " allocated " + bytes + " B/op");
        }
    }

    @Test
    void jnaRunsInItsOwnFork() throws RunnerException {
        Collection<RunResult> results = new Runner(brief(ONE).forks(1).param("backend", "jna")
                .param("keys", "1").build()).run();
        assertEquals(1, results.size());
        double score = results.iterator().next().getPrimaryResult().getScore();
        assertTrue(score > 0 && Double.isFinite(score), "scored " + score);
    }

    @Test
    void aJvmOnOneBackendRefusesTheOther() {
        BackendChoice.use("jni");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BackendChoice.use("jna"));
        assertTrue(e.getMessage().contains("already runs jni") || e.getMessage().contains("cannot load"),
                e.getMessage());
        BackendChoice.use("jni");
    }

    /** One iteration of 20 ms, no warm-up, failing the run on any benchmark's error. */
    private static ChainedOptionsBuilder brief(String include) {
        return new OptionsBuilder().include(include).warmupIterations(0).measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20)).shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
    }

    /** The exception, its causes and their suppressed exceptions: JMH reports a fork's failure there. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                text.append("  ").append(s).append('\n');
            }
        }
        return text.toString();
    }

    private static Set<String> allBenchmarks() {
        Set<BenchmarkListEntry> entries = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of());
        Set<String> names = entries.stream().map(BenchmarkListEntry::getUsername)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(names.size() >= 10, "the benchmark list is missing or short: " + names);
        return names;
    }
}
