package io.jselect.benchmarks;

import io.jselect.Select;
import io.jselect.SelectResult;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code Select.select(fds, [], [], 0.0)} over {@code idle} idle descriptors plus one ready, given as
 * {@code Integer}s (Python's usual call). Each call copies the list, builds the fd sets in C, calls
 * select(2) and returns new lists of the ready objects: the whole price of Python's API. The C floor is
 * jsel_floor's {@code select} (a prebuilt set copied and scanned) and {@code jsel_select} (jselect's C
 * core, which builds the sets from the list each call, as here).
 */
public class SelectBenchmark extends JselectBenchmark {
    private static final List<Integer> NONE = List.of();

    @Param({"1", "100", "1000"})
    public int idle;

    private Descriptors descriptors;
    private List<Integer> inputs;

    @Override
    protected void openFixture() throws IOException {
        descriptors = Descriptors.open(idle, 1);
        inputs = descriptors.fds();
        descriptors.expectReady("select", Select.select(inputs, NONE, NONE, 0.0).readable().size());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        descriptors.close();
    }

    @Benchmark
    public int select() throws IOException {
        SelectResult<Integer> result = Select.select(inputs, NONE, NONE, 0.0);
        List<Integer> readable = result.readable();
        int digest = readable.size();
        for (int i = 0; i < readable.size(); i++) {
            digest += readable.get(i);
        }
        return digest;
    }
}
