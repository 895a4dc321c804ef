package io.jselect.demos;

import io.jselect.ErrnoException;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The echo protocol and the client bookkeeping, shared by every mechanism; a subclass only waits and
 * says what to watch ({@link #watch}). One thread runs it all, so nothing here is locked.
 */
abstract class EchoLoop implements Runnable {
    static final Logger LOG = LoggerFactory.getLogger(EchoServer.class);

    final Sock listener;
    final EchoServer.Config config;
    final ServerStats stats = new ServerStats();
    /** The buffer every read goes into and every reply is built in; direct, so the kernel copies once. */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Set<Connection> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Acceptor acceptor;
    /** Connections accepted and not yet set up, oldest first. */
    private final ArrayDeque<Accepted> unadmitted = new ArrayDeque<>();
    volatile boolean running = true;
    private Thread thread;

    EchoLoop(Sock listener, EchoServer.Config config) throws ErrnoException {
        this.listener = listener;
        this.config = config;
        this.acceptor = new Acceptor(listener, stats, LOG);
    }

    /**
     * Waits once (at most a second, as in the lesson, or until something happens; see
     * {@link #waitSeconds}) and handles what is ready; {@link #wake()} ends the wait.
     */
    abstract void waitAndHandle() throws IOException;

    /** Watch {@code c} for reading and/or writing from now on (both false: stop watching it). */
    abstract void watch(Connection c, boolean read, boolean write) throws IOException;

    /**
     * Watch the listener from now on, or stop watching it (while accepting is paused: it stays readable).
     * An edge-triggered mechanism must report a connection that waits when watching starts again.
     */
    abstract void watchListener(boolean watch) throws IOException;

    /** Makes {@link #waitAndHandle()} return at once (from another thread). */
    abstract void wake();

    /** Releases the mechanism's own resources (after the loop has stopped). */
    abstract void closeMechanism();

    /** Edge-triggered mechanisms must drain sockets until they would block. */
    boolean edgeTriggered() {
        return false;
    }

    EchoServer.Running startThread(String name) {
        thread = new Thread(this, name);
        thread.start();
        InetSocketAddress address;
        try {
            address = (InetSocketAddress) listener.getsockname();
        } catch (ErrnoException e) {
            close();
            throw new IllegalStateException("getsockname on the listener failed", e);
        }
        return new ServerHandle(address, stats, this::close);
    }

    void close() {
        running = false;
        wake();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public final void run() {
        try {
            while (running) {
                waitAndHandle();
                admitAccepted();
                if (acceptor.paused() && acceptor.tryResume()) {
                    watchListener(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("echo-server: the event loop failed; stopping", e);
        } finally {
            for (Connection c : new ArrayList<>(open)) {
                drop(c, "server shutting down");
            }
            for (Accepted a : unadmitted) {
                a.socket().close();
            }
            listener.close();
            acceptor.close();
            closeMechanism();
        }
    }

    /**
     * Connections set up (greeted, watched) per turn of the loop, at most; the rest of those accepted wait
     * in {@link #unadmitted} for the next turns. Accepting and setting up were one step, 64 per readiness
     * of the listener, and a fresh server (its code not yet compiled) then set up so slowly that 10 000
     * clients connecting at once overflowed its listen queue thousands of times (issue 10). The listen
     * queue is now emptied at every readiness (accept(2) is cheap), and the setting up goes at this pace,
     * which keeps serving the connections already there: with one connection accepted per turn, the server
     * accepted 20 a second while 8 000 ping-ponged (issue 7's echo comparison).
     */
    static final int ADMITS_PER_TURN = 64;

    /**
     * The listener is readable: accept everything pending (the listen queue holds at most a backlog's worth,
     * plus what arrives meanwhile) for the turns to come to set up; when edge-triggered, until accept says
     * there is none (no new edge comes for connections left waiting). Out of descriptors, the excess is shed
     * (see {@link Acceptor}).
     */
    final void onAcceptable() throws IOException {
        acceptor.acceptPending(edgeTriggered() ? Integer.MAX_VALUE : config.backlog() + 1, unadmitted::add);
        if (acceptor.paused()) {
            watchListener(false);
        }
    }

    /**
     * How long the next wait may last: {@code idle} seconds (negative: until something happens), but not at
     * all while accepted connections wait to be set up, and at most a second while accepting is paused.
     */
    final double waitSeconds(double idle) {
        if (!unadmitted.isEmpty()) {
            return 0;
        }
        return acceptor.paused() && (idle < 0 || idle > 1.0) ? 1.0 : idle;
    }

    /** Sets up the next {@link #ADMITS_PER_TURN} accepted connections. */
    private void admitAccepted() {
        Accepted accepted;
        for (int i = 0; i < ADMITS_PER_TURN && (accepted = unadmitted.poll()) != null; i++) {
            admit(accepted);
        }
    }

    private void admit(Accepted accepted) {
        Connection c = new Connection(accepted.socket(), Peers.describe(accepted.address()));
        if (stats.active >= config.maxClients()) {
            stats.refused++;
            LOG.info("refused {}: {} clients already", c.peer, stats.active);
            c.close();
            return;
        }
        stats.accepted++;
        stats.active++;
        open.add(c);
        LOG.info("connected {} ({} clients)", c.peer, stats.active);
        try {
            c.sock.setsockopt(Sock.IPPROTO_TCP, Sock.TCP_NODELAY, 1);
            if (config.mode().seed()) {
                buffer.clear();
                buffer.put(EchoServer.GREETING).flip();
                stats.bytesOut += c.send(buffer);
            }
            watch(c, true, c.hasPending());
        } catch (IOException | RuntimeException e) {
            fail(c, e);
        }
    }

    /** {@code c} is readable (or hung up, or in error): read a chunk and answer it. */
    final void onReadable(Connection c) {
        try {
            do {
                if (!c.reading) {
                    return;
                }
                buffer.clear();
                boolean seed = config.mode().seed();
                if (seed) {
                    buffer.limit(EchoServer.CHUNK);
                }
                int n = c.sock.read(buffer);
                if (n < 0) {
                    drop(c, "closed by the client");
                    return;
                }
                if (n == 0) {
                    return; // would block: all read
                }
                stats.bytesIn += n;
                stats.chunks++;
                if (seed) {
                    buffer.limit(n + EchoServer.SUFFIX.length).put(n, EchoServer.SUFFIX).position(0);
                } else {
                    buffer.flip();
                }
                stats.bytesOut += c.send(buffer);
                if (c.hasPending()) {
                    stats.maxPendingBytes = Math.max(stats.maxPendingBytes, c.pendingBytes());
                    if (c.pendingBytes() > config.maxQueuedBytes()) {
                        c.reading = false; // backpressure: the client must read before it may write more
                    }
                    watch(c, c.reading, true);
                }
            } while (edgeTriggered());
        } catch (IOException | RuntimeException e) {
            fail(c, e);
        }
    }

    /** {@code c} is writable: send what is queued; once drained, read again if reading had stopped. */
    final void onWritable(Connection c) {
        try {
            stats.bytesOut += c.flush();
            if (c.hasPending()) {
                if (!c.reading && c.pendingBytes() <= config.maxQueuedBytes() / 2) {
                    c.reading = true;
                    watch(c, true, true);
                }
                return;
            }
            boolean resumed = !c.reading;
            c.reading = true;
            watch(c, true, false);
            if (resumed && edgeTriggered()) {
                onReadable(c); // bytes that arrived while paused raised no new edge
            }
        } catch (IOException | RuntimeException e) {
            fail(c, e);
        }
    }

    private void fail(Connection c, Exception e) {
        stats.errors++;
        drop(c, e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** Forgets and closes {@code c}; idempotent. */
    final void drop(Connection c, String why) {
        if (c.fileno() < 0) {
            return;
        }
        try {
            watch(c, false, false);
        } catch (IOException | RuntimeException e) {
            LOG.debug("unwatching {} failed: {}", c.peer, e.toString());
        }
        c.close();
        open.remove(c);
        stats.active--;
        LOG.info("disconnected {}: {} ({} clients)", c.peer, why, stats.active);
    }

    final boolean isListener(Object o) {
        return o == listener;
    }
}
