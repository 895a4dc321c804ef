package io.jselect.demos;

import io.jselect.BlockingIOException;
import io.jselect.Errno;
import io.jselect.ErrnoException;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Accepts a listener's connections, and lives through running out of descriptors (EMFILE, ENFILE) with
 * the reserved-descriptor technique of libev and nginx: it holds a spare descriptor; when accept fails for
 * want of one, it closes the spare, accepts the waiting connection into the freed slot, closes that
 * connection and reopens the spare. The client learns at once that it will not be served (end of stream)
 * instead of waiting in the listen queue, and the queue empties: a connection left in it keeps the listener
 * readable, so a level-triggered loop woke for it forever (100 % CPU), and an edge-triggered one, which must
 * accept until EAGAIN, never got there (issue 10).
 *
 * <p>Should the spare be lost (another thread or process took the freed slot before it was reopened: the
 * JVM itself reads its cgroup's memory limit from a file now and then), no connection is accepted before it is back; until then accepting
 * {@linkplain #paused() pauses}: the caller stops watching the listener and calls {@link #tryResume()} when
 * a descriptor may have been freed, and at least once a second.
 *
 * <p>One thread uses it: the server's loop, or its accepting thread.
 */
final class Acceptor implements AutoCloseable {
    private final Sock listener;
    private final ServerStats stats;
    private final Logger log;
    private final Episode outOfDescriptors;
    private final SpareOpener opener;
    private Sock spare;
    private boolean paused;

    /** Opens the spare descriptor. */
    @FunctionalInterface
    interface SpareOpener {
        Sock open() throws ErrnoException;
    }

    /**
     * @throws ErrnoException when the spare descriptor cannot be opened
     */
    Acceptor(Sock listener, ServerStats stats, Logger log) throws ErrnoException {
        this(listener, stats, log, Acceptor::openSpare);
    }

    /** With the spare opened by {@code opener}: a test lets "another thread" take the freed slot first. */
    Acceptor(Sock listener, ServerStats stats, Logger log, SpareOpener opener) throws ErrnoException {
        this.listener = listener;
        this.stats = stats;
        this.log = log;
        this.outOfDescriptors = new Episode(log, "out of descriptors", "connections closed at once");
        this.opener = opener;
        this.spare = opener.open();
    }

    /** The cheapest descriptor to hold: a socket, so that only the socket calls are needed on either backend. */
    private static Sock openSpare() throws ErrnoException {
        return Sock.create(Sock.AF_UNIX, Sock.SOCK_DGRAM);
    }

    /**
     * Accepts pending connections and hands each one to be served to {@code admit}; connections that
     * cannot get a descriptor are closed at once (and counted in {@link ServerStats#shed()}).
     *
     * @param budget at most this many connections, served or shed; on a blocking listener, 1 (it waits)
     * @param admit takes each accepted connection; it owns it from then on
     */
    void acceptPending(int budget, Consumer<Accepted> admit) {
        for (; budget > 0 && !paused && listener.fileno() >= 0; budget--) {
            if (spare == null && !reopenSpare()) {
                // The spare went to someone else (a thread that opened a file between its close and its
                // reopening: strace showed the JVM reading memory.limit_in_bytes). A connection taking the
                // next free slot would leave none to shed with.
                pause();
                return;
            }
            Accepted accepted;
            try {
                accepted = acceptOne();
            } catch (BlockingIOException nothingLeft) {
                return;
            }
            if (accepted != null) {
                outOfDescriptors.end();
                admit.accept(accepted);
            }
        }
    }

    /**
     * @return the connection, or null when none was kept (one was shed, or accept failed on it)
     * @throws BlockingIOException when none is pending
     */
    private Accepted acceptOne() throws BlockingIOException {
        try {
            return listener.accept();
        } catch (BlockingIOException nothingLeft) {
            throw nothingLeft;
        } catch (ErrnoException e) {
            if (isOutOfDescriptors(e)) {
                return acceptIntoSpare(e);
            }
            // ECONNABORTED and the like: that one connection is gone, the server goes on.
            failed(e);
            return null;
        }
    }

    /**
     * Out of descriptors: frees the spare's slot for the waiting connection, and sheds it unless a slot
     * freed up meanwhile.
     */
    private Accepted acceptIntoSpare(ErrnoException cause) throws BlockingIOException {
        spare.close();
        spare = null;
        Accepted accepted;
        try {
            accepted = listener.accept();
        } catch (BlockingIOException nothingLeft) {
            // None was waiting: the kernel wants a free descriptor before it looks at the queue.
            reopenSpare();
            throw nothingLeft;
        } catch (ErrnoException e) {
            reopenSpare();
            if (!isOutOfDescriptors(e)) {
                failed(e);
            } // else someone took the slot first; without a spare the next turn pauses
            return null;
        }
        if (reopenSpare()) {
            return accepted; // a descriptor was freed meanwhile: this connection can be served after all
        }
        outOfDescriptors.begin(cause.getMessage(), "closing new connections at once until some descriptors are free");
        accepted.socket().close();
        synchronized (stats) {
            stats.shed++;
        }
        outOfDescriptors.strike();
        reopenSpare(); // into the slot just freed
        return null;
    }

    private boolean reopenSpare() {
        try {
            spare = opener.open();
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private void pause() {
        paused = true;
        log.warn("no spare descriptor to close new connections with: not accepting until one is free");
    }

    /**
     * True while accepting is paused: out of descriptors without a spare. The caller stops watching the
     * listener (it stays readable) and calls {@link #tryResume()}.
     */
    boolean paused() {
        return paused;
    }

    /**
     * Ends a pause if a descriptor is free again (one system call).
     *
     * @return true when accepting goes on (watch the listener again)
     */
    boolean tryResume() {
        if (paused && reopenSpare()) {
            paused = false;
            log.warn("accepting again");
        }
        return !paused;
    }

    private void failed(ErrnoException e) {
        if (listener.fileno() < 0) {
            return; // closed by the server's stop, which is what woke a blocked accept
        }
        synchronized (stats) {
            stats.acceptErrors++;
        }
        log.warn("accept failed: {}", e.getMessage());
    }

    private static boolean isOutOfDescriptors(ErrnoException e) {
        return e.errno() == Errno.EMFILE || e.errno() == Errno.ENFILE;
    }

    /** Releases the spare, and logs the end of an episode still on. */
    @Override
    public void close() {
        outOfDescriptors.end();
        if (spare != null) {
            spare.close();
            spare = null;
        }
    }
}
