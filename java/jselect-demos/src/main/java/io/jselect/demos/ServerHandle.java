package io.jselect.demos;

import java.net.InetSocketAddress;

/** The {@link EchoServer.Running} every server returns: its address, its counters, and how to stop it. */
record ServerHandle(InetSocketAddress address, ServerStats stats, Runnable stop) implements EchoServer.Running {
    @Override
    public void close() {
        stop.run();
    }
}
