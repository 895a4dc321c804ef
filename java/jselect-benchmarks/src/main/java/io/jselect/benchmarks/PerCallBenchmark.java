package io.jselect.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every per-call benchmark shares: the time of one call, in nanoseconds, in forks with a fixed
 * heap, so that forks and rounds differ only by what they measure. The forks may load native code
 * without a warning on JDK 24+, and open {@code java.io} and {@code sun.nio.ch}, where the JNA backend
 * reads a channel's descriptor by reflection (JNI reads it from C and needs nothing). The script and
 * the command line override the counts; these defaults suit a quick look
 * ({@code java -jar jselect-benchmarks.jar Name}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class PerCallBenchmark {
}
