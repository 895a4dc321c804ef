package io.jselect.benchmarks;

import io.jselect.selectors.BaseSelector;
import io.jselect.selectors.DefaultSelector;
import io.jselect.selectors.EpollSelector;
import io.jselect.selectors.PollSelector;
import io.jselect.selectors.Ready;
import io.jselect.selectors.ReadyConsumer;
import io.jselect.selectors.SelectSelector;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A selector's {@code select} with timeout 0 over {@code keys} registrations for reading, one of them
 * ready: {@link #consumer} is the zero-garbage path ({@code select(0.0, consumer)}), {@link #list} is
 * Python's ({@code select(0.0)}, a list of {@link Ready}). The mechanism is epoll by default
 * ({@link DefaultSelector} is an {@link EpollSelector} on Linux); {@code -p mechanism=poll,select}
 * measures the others. Baselines: {@link NioSelectNowBenchmark} and {@link NettyEpollWaitBenchmark}
 * with the same {@code keys}.
 */
public class SelectorSelectBenchmark extends JselectBenchmark {
    @Param({"1", "100", "1000"})
    public int keys;

    /** epoll, poll, select, or default (DefaultSelector). */
    @Param({"epoll"})
    public String mechanism;

    private Descriptors descriptors;
    private BaseSelector<Object> selector;
    private ReadyConsumer<Object> consumer;
    private int digest;

    @Override
    protected void openFixture() throws IOException {
        descriptors = Descriptors.keys(keys);
        selector = newSelector(mechanism);
        for (Object source : descriptors.sources()) {
            selector.register(source, BaseSelector.EVENT_READ);
        }
        consumer = (key, events) -> digest += key.fd() ^ events;
        descriptors.expectReady("selector.select(0.0)", selector.select(0.0).size());
        descriptors.expectReady("selector.select(0.0, consumer)", selector.select(0.0, consumer));
    }

    private static BaseSelector<Object> newSelector(String mechanism) throws IOException {
        switch (mechanism) {
            case "epoll":
                return new EpollSelector<>();
            case "poll":
                return new PollSelector<>();
            case "select":
                return new SelectSelector<>();
            case "default":
                return new DefaultSelector<>();
            default:
                throw new IllegalArgumentException("mechanism must be epoll, poll, select or default, got " + mechanism);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        selector.close();
        descriptors.close();
    }

    /** {@code select(0.0, consumer)}: each ready registration handed over, nothing allocated. */
    @Benchmark
    public int consumer() throws IOException {
        digest = 0;
        return selector.select(0.0, consumer) + digest;
    }

    /** {@code select(0.0)}: Python's API, a list of (key, events). */
    @Benchmark
    public int list() throws IOException {
        List<Ready<Object>> ready = selector.select(0.0);
        int digest = ready.size();
        for (int i = 0; i < ready.size(); i++) {
            Ready<Object> r = ready.get(i);
            digest += r.key().fd() ^ r.events();
        }
        return digest;
    }
}
