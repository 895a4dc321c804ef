package io.jselect.demos;

import io.jselect.ErrnoException;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
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
    private final ThreadFactory workers;
    private final Acceptor acceptor;
    /** Only the accepting thread uses it. */
    private final Episode outOfThreads = new Episode(LOG, "out of threads", "connections closed at once");
    private volatile Thread acceptorThread;
    private volatile boolean running = true;

    private ThreadedEchoServer(Sock listener, EchoServer.Config config, ThreadFactory workers) throws ErrnoException {
        this.listener = listener;
        this.config = config;
        this.workers = workers;
        this.acceptor = new Acceptor(listener, stats, LOG);
    }

    /** Binds, listens and starts the accepting thread; see {@link EchoServer#start}. */
    public static EchoServer.Running start(EchoServer.Config config) throws IOException {
        return start(config, Thread::new);
    }

    /**
     * As {@link #start(EchoServer.Config)}, with the connections' threads made by {@code workers}. A
     * thread that fails to start (as at a thread limit: {@code OutOfMemoryError: unable to create native
     * thread}) costs only its connection, which is closed and counted in {@link ServerStats#shed()}.
     *
     * @param workers makes the thread for each connection (named and made a daemon afterwards)
     */
    public static EchoServer.Running start(EchoServer.Config config, ThreadFactory workers) throws IOException {
        Sock listener = Sock.createServer(config.host(), config.port(), config.backlog(), false);
        try {
            ThreadedEchoServer server = new ThreadedEchoServer(listener, config, workers);
            InetSocketAddress address = (InetSocketAddress) listener.getsockname();
            Thread acceptor = new Thread(server::acceptLoop, "threaded-echo-server");
            server.acceptorThread = acceptor;
            acceptor.start();
            return new ServerHandle(address, server.stats, () -> server.stop(acceptor));
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    private void acceptLoop() {
        try {
            while (running) {
                if (acceptor.paused()) {
                    // Out of descriptors with no spare: wait for a client to leave (its thread unparks this
                    // one), or a second for descriptors freed elsewhere.
                    LockSupport.parkNanos(1_000_000_000L);
                    acceptor.tryResume();
                    continue;
                }
                acceptor.acceptPending(1, this::admit); // blocks until a connection comes
            }
        } finally {
            acceptor.close();
        }
    }

    private void admit(Accepted accepted) {
        String peer = Peers.describe(accepted.address());
        synchronized (stats) {
            if (stats.active >= config.maxClients()) {
                stats.refused++;
                accepted.socket().close();
                LOG.info("refused {}: {} clients already", peer, stats.active);
                return;
            }
            stats.accepted++;
            stats.active++;
        }
        Sock sock = accepted.socket();
        try {
            Thread worker = workers.newThread(() -> serve(sock, peer));
            worker.setName("echo-client-" + peer);
            worker.setDaemon(true);
            clients.put(sock, worker);
            worker.start();
        } catch (OutOfMemoryError | RuntimeException e) {
            // "unable to create native thread": a thread limit, or no memory for one more stack. Refuse this
            // one connection; those with a thread go on, and so does accepting.
            clients.remove(sock);
            sock.close();
            synchronized (stats) {
                stats.accepted--;
                stats.active--;
                stats.shed++;
            }
            outOfThreads.begin(e.toString(), "closing new connections at once until a thread can start");
            outOfThreads.strike();
            return;
        }
        outOfThreads.end();
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
            LockSupport.unpark(acceptorThread); // a descriptor is free: a paused acceptor may go on
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
