package io.jselect.demos;

import io.jselect.ErrnoException;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same service as {@link EchoServer} with a thread per connection and blocking sockets: the
 * lesson's "threads" side of the threads-versus-multiplexing comparison. Simple to read; each client
 * costs a thread and its stack, and a slow client blocks only its own thread.
 */
public final class ThreadedEchoServer {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadedEchoServer.class);

    private final Sock listener;
    private final EchoServer.Config config;
    private final ServerStats stats = new ServerStats();
    /** Every open client and the thread serving it: stop() closes the one and joins the other. */
    private final Map<Sock, Thread> clients = Collections.synchronizedMap(new IdentityHashMap<>());
    private volatile boolean running = true;

    private ThreadedEchoServer(Sock listener, EchoServer.Config config) {
        this.listener = listener;
        this.config = config;
    }

    /** Binds, listens and starts the accepting thread; see {@link EchoServer#start}. */
    public static EchoServer.Running start(EchoServer.Config config) throws IOException {
        Sock listener = Sock.createServer(config.host(), config.port(), config.backlog(), false);
        ThreadedEchoServer server = new ThreadedEchoServer(listener, config);
        InetSocketAddress address = (InetSocketAddress) listener.getsockname();
        Thread acceptor = new Thread(server::acceptLoop, "threaded-echo-server");
        acceptor.start();
        return new ServerHandle(address, server.stats, () -> server.stop(acceptor));
    }

    private void acceptLoop() {
        while (running) {
            Accepted accepted;
            try {
                accepted = listener.accept();
            } catch (ErrnoException e) {
                if (running) {
                    synchronized (stats) {
                        stats.acceptErrors++;
                    }
                    LOG.warn("accept failed: {}", e.getMessage());
                }
                continue;
            }
            String peer = Peers.describe(accepted.address());
            synchronized (stats) {
                if (stats.active >= config.maxClients()) {
                    stats.refused++;
                    accepted.socket().close();
                    LOG.info("refused {}: {} clients already", peer, stats.active);
                    continue;
                }
                stats.accepted++;
                stats.active++;
            }
            Thread worker = new Thread(() -> serve(accepted.socket(), peer), "echo-client-" + peer);
            worker.setDaemon(true);
            clients.put(accepted.socket(), worker);
            worker.start();
        }
    }

    private void serve(Sock sock, String peer) {
        LOG.info("connected {}", peer);
        String why = "closed by the client";
        try {
            boolean seed = config.mode().seed();
            if (seed) {
                sock.sendall(EchoServer.GREETING);
            }
            byte[] buffer = new byte[seed ? EchoServer.CHUNK + EchoServer.SUFFIX.length : 64 * 1024];
            java.nio.ByteBuffer view = java.nio.ByteBuffer.wrap(buffer);
            for (;;) {
                view.clear().limit(seed ? EchoServer.CHUNK : buffer.length);
                int n = sock.recvInto(view);
                if (n == 0) {
                    break;
                }
                if (seed) {
                    System.arraycopy(EchoServer.SUFFIX, 0, buffer, n, EchoServer.SUFFIX.length);
                }
                int length = n + (seed ? EchoServer.SUFFIX.length : 0);
                // Counted before the reply goes out, as the multiplexed servers do: once a client has its
                // reply, the chunk is in the counters.
                synchronized (stats) {
                    stats.chunks++;
                    stats.bytesIn += n;
                }
                sock.sendall(java.nio.ByteBuffer.wrap(buffer, 0, length));
                synchronized (stats) {
                    stats.bytesOut += length;
                }
            }
        } catch (IOException | RuntimeException e) {
            why = running ? e.getMessage() : "server shutting down";
            if (running) {
                synchronized (stats) {
                    stats.errors++;
                }
            }
        } finally {
            sock.close();
            clients.remove(sock);
            long active;
            synchronized (stats) {
                active = --stats.active;
            }
            LOG.info("disconnected {}: {} ({} clients)", peer, why, active);
        }
    }

    private void stop(Thread acceptor) {
        running = false;
        listener.close(); // wakes the blocked accept
        try {
            acceptor.join(10_000); // first, so that no client is added after the snapshot below
            Map<Sock, Thread> open;
            synchronized (clients) {
                open = new IdentityHashMap<>(clients);
            }
            for (Sock s : open.keySet()) {
                s.close(); // wakes its thread's blocked recv
            }
            // Joined so that the counters are final once close() returns.
            for (Thread worker : open.values()) {
                worker.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
