package io.jselect.demos;

import io.jselect.FileNo;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One client of a server: its socket and the replies not yet sent, in order (the lesson's message
 * queue, first in first out). Implements {@link FileNo}, so the select loop hands the connection
 * itself to {@code select}, as the lesson hands it the socket.
 */
final class Connection implements FileNo {
    final Sock sock;
    final String peer;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private int pendingBytes;
    /** False while backpressure has stopped reading from this client. */
    boolean reading = true;

    Connection(Sock sock, String peer) {
        this.sock = sock;
        this.peer = peer;
    }

    @Override
    public int fileno() {
        return sock.fileno();
    }

    /** Bytes queued for this client and not yet accepted by the kernel. */
    int pendingBytes() {
        return pendingBytes;
    }

    boolean hasPending() {
        return pendingBytes > 0;
    }

    /**
     * Sends {@code reply} now if nothing is queued before it, and queues whatever the kernel did not
     * take (a copy: {@code reply} is the caller's reusable buffer).
     *
     * @return the bytes the kernel took
     */
    int send(ByteBuffer reply) throws IOException {
        int sent = 0;
        if (pending.isEmpty()) {
            sent = sock.write(reply);
        }
        if (reply.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(reply.remaining());
            copy.put(reply).flip();
            pending.add(copy);
            pendingBytes += copy.remaining();
        }
        return sent;
    }

    /**
     * Sends queued replies until the queue is empty or the kernel's buffer is full.
     *
     * @return the bytes the kernel took
     */
    int flush() throws IOException {
        int sent = 0;
        ByteBuffer head;
        while ((head = pending.peek()) != null) {
            int n = sock.write(head);
            sent += n;
            pendingBytes -= n;
            if (head.hasRemaining()) {
                break; // the kernel's send buffer is full: wait until writable
            }
            pending.poll();
        }
        return sent;
    }

    void close() {
        pending.clear();
        pendingBytes = 0;
        sock.close();
    }

    @Override
    public String toString() {
        return peer;
    }
}
