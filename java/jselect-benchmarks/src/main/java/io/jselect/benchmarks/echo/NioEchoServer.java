package io.jselect.benchmarks.echo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The {@code java.nio} baseline of the echo comparison: one thread, one {@link Selector} (epoll on
 * Linux), non-blocking channels, as a competent nio programmer writes it. Each readable channel is read
 * once into one shared direct buffer (so the JDK copies straight to the kernel, without a temporary
 * direct buffer) and written straight back; only what the kernel does not take is kept, and the
 * channel then waits for {@code OP_WRITE} alone (not read until its reply is out: backpressure), as in
 * the C server and jselect's. {@link Selector#select(java.util.function.Consumer)} hands over the ready
 * keys without the selected-key set's per-call iterator.
 */
public final class NioEchoServer implements Runnable {
    /** As jselect's EchoLoop and the C server: a read that fills it is followed by another. */
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private volatile boolean running = true;
    private long errors;

    private NioEchoServer(Selector selector, ServerSocketChannel listener) {
        this.selector = selector;
        this.listener = listener;
    }

    /**
     * Binds, listens and starts the server's thread.
     *
     * @param host the address to bind
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws IOException when the socket cannot be bound
     */
    public static RunningServer start(String host, int port) throws IOException {
        Selector selector = Selector.open();
        // IPv4, as the other servers (open() alone makes a dual-stack IPv6 socket).
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(host, port), 1024);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            selector.close();
            throw e;
        }
        NioEchoServer server = new NioEchoServer(selector, listener);
        Thread thread = new Thread(server, "nio-echo-server");
        thread.start();
        return RunningServer.of(((InetSocketAddress) listener.getLocalAddress()).getPort(), () -> {
            server.running = false;
            selector.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select(this::onReady);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("nio-echo-server: the selector failed", e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // shutting down
            }
            if (errors > 0) {
                System.err.println("nio-echo-server: " + errors + " connection errors");
            }
        }
    }

    private void onReady(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                accept();
            } else if (key.isWritable()) {
                flush(key);
            } else if (key.isReadable()) {
                echo(key);
            }
        } catch (IOException e) {
            // A client gone with a reply in flight (reset, broken pipe) ends that client only.
            errors++;
            closeQuietly(key);
        }
    }

    /**
     * Up to 64 per readiness, as jselect's and the C server: the selector reports the listener again while
     * more wait, but only once per pass over every ready connection, so one per readiness starves it.
     */
    private void accept() throws IOException {
        for (int budget = 64; budget > 0; budget--) {
            SocketChannel channel = listener.accept();
            if (channel == null) {
                return;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ);
        }
    }

    private void echo(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        int n;
        do {
            buffer.clear();
            n = channel.read(buffer);
            if (n < 0) {
                closeQuietly(key);
                return;
            }
            buffer.flip();
            channel.write(buffer);
            if (buffer.hasRemaining()) {
                ByteBuffer pending = ByteBuffer.allocateDirect(buffer.remaining());
                pending.put(buffer).flip();
                key.attach(pending);
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
        } while (n == BUFFER_SIZE);
    }

    private static void flush(SelectionKey key) throws IOException {
        ByteBuffer pending = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(pending);
        if (!pending.hasRemaining()) {
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
