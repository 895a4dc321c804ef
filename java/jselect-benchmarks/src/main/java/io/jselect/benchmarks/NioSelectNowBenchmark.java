package io.jselect.benchmarks;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The baseline from the JDK: {@link Selector#selectNow()} (then the selected-key set walked and
 * cleared, as every NIO loop does) and {@link Selector#selectNow(Consumer)} (JDK 11+, no selected-key
 * set), over {@code keys} pipe read ends registered for {@code OP_READ}, one of them ready (0: no key).
 * On Linux the JDK's selector is epoll, level-triggered, so this sits beside
 * {@link EpollWaitBenchmark} and {@link SelectorSelectBenchmark} with the same {@code keys}.
 */
public class NioSelectNowBenchmark extends PerCallBenchmark {
    @Param({"0", "1", "100", "1000"})
    public int keys;

    private Descriptors descriptors;
    private Selector selector;
    private Consumer<SelectionKey> consumer;
    private int digest;

    @Setup(Level.Trial)
    public void open() throws IOException {
        descriptors = Descriptors.keys(keys);
        selector = Selector.open();
        for (java.nio.channels.Pipe.SourceChannel source : descriptors.sources()) {
            source.register(selector, SelectionKey.OP_READ);
        }
        consumer = key -> digest += key.readyOps() ^ key.interestOps();
        descriptors.expectReady("selectNow()", selector.selectNow());
        selector.selectedKeys().clear();
        descriptors.expectReady("selectNow(consumer)", selector.selectNow(consumer));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        selector.close();
        descriptors.close();
    }

    /** {@code selectNow()}, then the selected keys walked and removed. */
    @Benchmark
    public int selectNow() throws IOException {
        int n = selector.selectNow();
        int digest = n;
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            digest += key.readyOps() ^ key.interestOps();
        }
        return digest;
    }

    /** {@code selectNow(consumer)}: each ready key handed over, no selected-key set. */
    @Benchmark
    public int selectNowConsumer() throws IOException {
        digest = 0;
        return selector.selectNow(consumer) + digest;
    }
}
