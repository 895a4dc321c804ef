package io.jselect.benchmarks.echo;

/** A baseline echo server running on a thread of its own; closing it stops it and closes every socket. */
public interface RunningServer extends AutoCloseable {
    /** The port it listens on (the actual one when 0 was asked). */
    int port();

    @Override
    void close();
}
