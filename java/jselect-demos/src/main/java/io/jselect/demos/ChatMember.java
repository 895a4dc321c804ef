package io.jselect.demos;

import io.jselect.ErrnoException;
import io.jselect.socket.Sock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One participant of the {@link ChatServer}: its socket, what it sent that was not yet taken as lines, and
 * the messages it has yet to be sent. Only the room's thread touches it.
 */
final class ChatMember {
    final Sock sock;
    final String name;
    /** {@code name + ": "}, what each of its lines is sent with. */
    final byte[] prefix;
    /** The line so far: bytes after the last newline, not yet a whole line. */
    final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    /** Bytes read but not taken as lines yet (a turn takes only so many); null when none. */
    ByteBuffer unread;
    /** Messages for this member, each shared with its other recipients; the first is sent from {@link #sentOfHead}. */
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private int sentOfHead;
    private long queued;
    /** In the room's list of members to write to at the end of the turn. */
    boolean toFlush;
    /** In the room's list of congested members (see {@link ChatServer#CONGESTED}). */
    boolean congested;
    /** When a congested member last took some of its queue, or became congested. */
    long progressNanos;
    /** The events it is registered for; 0 when not registered. */
    int interest;
    /** Non-null once the member is to leave: why. */
    String goneBecause;

    ChatMember(Sock sock, String name) {
        this.sock = sock;
        this.name = name;
        this.prefix = (name + ": ").getBytes(StandardCharsets.UTF_8);
    }

    boolean gone() {
        return goneBecause != null;
    }

    /** Bytes queued for this member and not yet taken by the kernel. */
    long queued() {
        return queued;
    }

    void queue(byte[] message) {
        outbox.add(message);
        queued += message.length;
    }

    /**
     * Writes the queue through {@code scratch}, in as few writes as the kernel takes.
     *
     * @return the bytes the kernel took
     */
    long flush(ByteBuffer scratch) throws ErrnoException {
        long sent = 0;
        while (queued > 0) {
            scratch.clear();
            gather(scratch);
            scratch.flip();
            int n = sock.write(scratch);
            sent += n;
            consume(n);
            if (scratch.hasRemaining()) {
                break; // the kernel's send buffer is full: wait until writable
            }
        }
        return sent;
    }

    /** Copies the head of the queue into {@code scratch}, as much as fits; the queue is unchanged. */
    private void gather(ByteBuffer scratch) {
        int skip = sentOfHead;
        for (byte[] message : outbox) {
            scratch.put(message, skip, Math.min(message.length - skip, scratch.remaining()));
            skip = 0;
            if (!scratch.hasRemaining()) {
                return;
            }
        }
    }

    /** Drops the first {@code n} queued bytes, which the kernel took. */
    private void consume(int n) {
        queued -= n;
        int left = n;
        while (left > 0) {
            int rest = outbox.peek().length - sentOfHead;
            if (left < rest) {
                sentOfHead += left;
                return;
            }
            left -= rest;
            outbox.poll();
            sentOfHead = 0;
        }
    }

    /** Forgets everything queued and unread, and closes the socket. */
    void close() {
        outbox.clear();
        queued = 0;
        sentOfHead = 0;
        unread = null;
        sock.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
