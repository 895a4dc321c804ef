package io.jselect.benchmarks;

import io.jselect.internal.Fds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The descriptors a benchmark waits on: {@code idle} pipes that never become readable, then
 * {@code ready} pipes that stay readable (a byte written, never read). They are the JDK's own
 * {@link Pipe}s, non-blocking, so that java.nio, Netty and jselect wait on the very same descriptors.
 * The ready ones come last, so select and poll scan every idle one before finding them, as
 * {@code jsel_floor} does.
 */
final class Descriptors implements AutoCloseable {
    private final List<Pipe> pipes = new ArrayList<>();
    private final List<Pipe.SourceChannel> sources = new ArrayList<>();
    private final int ready;

    private Descriptors(int ready) {
        this.ready = ready;
    }

    /**
     * Opens the pipes.
     *
     * @param idle how many never become readable, {@code >= 0}
     * @param ready how many are readable, {@code >= 0}
     * @throws IOException when a pipe cannot be made, e.g. too many open files
     */
    static Descriptors open(int idle, int ready) throws IOException {
        Descriptors d = new Descriptors(ready);
        try {
            for (int i = 0; i < idle + ready; i++) {
                Pipe pipe = Pipe.open();
                d.pipes.add(pipe);
                pipe.source().configureBlocking(false);
                if (i >= idle && pipe.sink().write(ByteBuffer.wrap(new byte[] {'x'})) != 1) {
                    throw new IOException("could not make a pipe readable");
                }
                d.sources.add(pipe.source());
            }
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    /**
     * {@code keys} descriptors of which one is ready, or none at all: the shape of the epoll and
     * selector benchmarks' {@code keys} parameter (0 is the empty set).
     */
    static Descriptors keys(int keys) throws IOException {
        return keys == 0 ? open(0, 0) : open(keys - 1, 1);
    }

    /** The read ends, idle ones first. */
    List<Pipe.SourceChannel> sources() {
        return Collections.unmodifiableList(sources);
    }

    /** The read ends' descriptor numbers, in the order of {@link #sources()}. */
    List<Integer> fds() {
        List<Integer> fds = new ArrayList<>(sources.size());
        for (Pipe.SourceChannel source : sources) {
            fds.add(Fds.fileno(source)); // read from C by jselect; java.nio does not expose it
        }
        return fds;
    }

    /**
     * Fails unless a call found exactly the ready descriptors: a benchmark checks its fixture once
     * before it is timed, so that it cannot quietly time the wrong thing.
     *
     * @param call what was called, for the message
     * @param found how many ready descriptors it reported
     * @throws IllegalStateException when that is not the number of ready pipes
     */
    void expectReady(String call, int found) {
        if (found != ready) {
            throw new IllegalStateException(call + " found " + found + " ready descriptors, expected " + ready);
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Pipe pipe : pipes) {
            for (java.nio.channels.Channel end : List.of(pipe.source(), pipe.sink())) {
                try {
                    end.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
        pipes.clear();
        sources.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
