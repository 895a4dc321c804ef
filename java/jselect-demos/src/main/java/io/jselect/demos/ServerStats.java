package io.jselect.demos;

/**
 * A server's counters. Written by the server's one thread only and read by others without locks, so a
 * reading taken while it runs is approximate; after {@code close()} (which joins the thread) it is exact.
 */
public final class ServerStats {
    long accepted;
    long refused;
    long active;
    long bytesIn;
    long bytesOut;
    long chunks;
    long errors;
    long acceptErrors;
    long shed;
    long maxPendingBytes;
    private final long startNanos = System.nanoTime();

    public long accepted() {
        return accepted;
    }

    public long refused() {
        return refused;
    }

    /** Connections open now. */
    public long active() {
        return active;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    /** Chunks received (each is answered with one reply). */
    public long chunks() {
        return chunks;
    }

    /** Connections dropped because of an error on them. */
    public long errors() {
        return errors;
    }

    /** Failed accepts (the server kept running). */
    public long acceptErrors() {
        return acceptErrors;
    }

    /**
     * Connections closed at once, unserved, because the server was out of descriptors (or, in the threaded
     * server, could not start a thread): counted here, not in {@link #accepted()}.
     */
    public long shed() {
        return shed;
    }

    /** The most reply bytes ever queued for one client: bounded by the server's max-queue plus one reply. */
    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    /** One line for the end of a run. */
    public String summary() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format("%d connections (%d refused, %d still open), %d chunks, %d bytes in, %d bytes out, "
                + "%d connection errors, %d accept errors, %d shed, %.1f s", accepted, refused, active, chunks, bytesIn,
                bytesOut, errors, acceptErrors, shed, seconds);
    }

    @Override
    public String toString() {
        return summary();
    }
}
