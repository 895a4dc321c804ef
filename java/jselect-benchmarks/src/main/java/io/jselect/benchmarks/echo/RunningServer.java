package io.jselect.benchmarks.echo;

/** A baseline echo server running on a thread of its own; closing it stops it and closes every socket. */
public interface RunningServer extends AutoCloseable {
    /** The port it listens on (the actual one when 0 was asked). */
    int port();

    @Override
    void close();

    /**
     * A handle over a server's port and the way to stop it.
     *
     * @param port the port it listens on
     * @param stop stops the server and waits for it; called by every {@link #close()}, so it must be idempotent
     * @return the handle
     */
    static RunningServer of(int port, Runnable stop) {
        return new RunningServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }
}
