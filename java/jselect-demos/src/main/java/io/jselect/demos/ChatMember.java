package io.jselect.demos;

import io.jselect.ErrnoException;
import io.jselect.socket.Sock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

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
    /**
     * Messages for this member by sender (null: the room's announcements), each shared with its other
     * recipients. Senders take turns, a message each: one member's flood waits in its own queue, and
     * another's line goes out after at most one message of it. Only each sender's order is kept, as a
     * chat room needs.
     */
    private final Map<Object, ArrayDeque<byte[]>> bySender = new HashMap<>();
    /** The senders with messages waiting, in the order of their turns ({@link #ROOM} for null). */
    private final ArrayDeque<Object> turns = new ArrayDeque<>();
    /** The sender of the room's announcements, in {@link #turns} (which takes no null). */
    private static final Object ROOM = new Object();
    /** The message being written, and how much of it went into {@link #flush}'s buffer already. */
    private byte[] current;
    private int currentOffset;
    /** Bytes put in the write buffer that the kernel did not take: they go first next time. */
    private byte[] carry;
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

    /** Queues {@code message} from {@code sender} (null for the room's announcements). */
    void queue(ChatMember sender, byte[] message) {
        Object key = sender == null ? ROOM : sender;
        ArrayDeque<byte[]> waiting = bySender.get(key);
        if (waiting == null) {
            waiting = new ArrayDeque<>();
            bySender.put(key, waiting);
            turns.add(key);
        }
        waiting.add(message);
        queued += message.length;
    }

    /** The next message in the senders' turns, or null when none is queued. */
    private byte[] nextMessage() {
        Object sender = turns.poll();
        if (sender == null) {
            return null;
        }
        ArrayDeque<byte[]> waiting = bySender.get(sender);
        byte[] message = waiting.poll();
        if (waiting.isEmpty()) {
            bySender.remove(sender);
        } else {
            turns.add(sender);
        }
        return message;
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
            if (carry != null) {
                scratch.put(carry);
                carry = null;
            }
            while (scratch.hasRemaining()) {
                if (current == null && (current = nextMessage()) == null) {
                    break;
                }
                int n = Math.min(current.length - currentOffset, scratch.remaining());
                scratch.put(current, currentOffset, n);
                currentOffset += n;
                if (currentOffset == current.length) {
                    current = null;
                    currentOffset = 0;
                }
            }
            scratch.flip();
            int n = sock.write(scratch);
            sent += n;
            queued -= n;
            if (scratch.hasRemaining()) {
                // The kernel's send buffer is full: keep what it did not take, in its order, and wait.
                carry = new byte[scratch.remaining()];
                scratch.get(carry);
                break;
            }
        }
        return sent;
    }

    /** Forgets everything queued and unread, and closes the socket. */
    void close() {
        bySender.clear();
        turns.clear();
        current = null;
        carry = null;
        queued = 0;
        unread = null;
        sock.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
