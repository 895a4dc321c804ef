package io.jselect.benchmarks;

import io.jselect.FdEvent;
import io.jselect.Poll;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code poll.poll(0.0)} on a {@link Poll} object holding {@code idle} idle descriptors plus one ready,
 * all for {@code POLLIN}. The {@code struct pollfd} array is built once, at registration, as in
 * Python; each call is poll(2) on it and a scan of the results into a new list. The C floor is
 * jsel_floor's {@code poll} (poll(2) and the same scan).
 */
public class PollBenchmark extends JselectBenchmark {
    @Param({"1", "100", "1000"})
    public int idle;

    private Descriptors descriptors;
    private Poll poll;

    @Override
    protected void openFixture() throws IOException {
        descriptors = Descriptors.open(idle, 1);
        poll = Poll.create();
        for (Object source : descriptors.sources()) {
            poll.register(source, Poll.POLLIN);
        }
        descriptors.expectReady("poll", poll.poll(0.0).size());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        descriptors.close();
    }

    @Benchmark
    public int poll() throws IOException {
        List<FdEvent> ready = poll.poll(0.0);
        int digest = ready.size();
        for (int i = 0; i < ready.size(); i++) {
            FdEvent e = ready.get(i);
            digest += e.fd() ^ e.events();
        }
        return digest;
    }
}
