package ex1;

import io.jselect.BlockingIOException;
import io.jselect.ErrnoException;
import io.jselect.Select;
import io.jselect.SelectResult;
import io.jselect.lab.Lab;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exercise 1, reference solution: the lesson's select echo server with its bugs fixed. Replies leave
 * first in, first out; sockets are non-blocking and a reply the kernel takes only part of keeps its
 * rest queued; a client that leaves is forgotten everywhere and closed; a client whose replies pile up
 * is not read from until they drain.
 */
public final class SelectEchoServer {
    static final byte[] GREETING = "hello".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);
    /** Past this many reply bytes waiting for a client, stop reading from it until it catches up. */
    static final int MAX_QUEUED = 64 * 1024;

    /** What the server keeps per client: its replies not yet sent, in order. */
    static final class Client {
        final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        int queued;
    }

    private final Sock server;
    private final Set<Sock> inputs = new LinkedHashSet<>();
    private final Set<Sock> outputs = new LinkedHashSet<>();
    private final Map<Sock, Client> clients = new HashMap<>();

    SelectEchoServer(Sock server) {
        this.server = server;
    }

    public static void main(String[] args) throws IOException {
        Sock server = Lab.listen("ex1", args);
        server.setblocking(false);
        new SelectEchoServer(server).serve();
    }

    void serve() throws IOException {
        inputs.add(server);
        for (;;) {
            SelectResult<Sock> ready = Select.select(inputs, outputs, List.of(), 1.0);
            for (Sock s : ready.readable()) {
                if (s == server) {
                    accept();
                } else if (clients.containsKey(s)) {
                    readFrom(s);
                }
            }
            for (Sock s : ready.writable()) {
                if (clients.containsKey(s)) { // it may have left while we were reading
                    writeTo(s);
                }
            }
        }
    }

    void accept() {
        Accepted a;
        try {
            a = server.accept();
        } catch (BlockingIOException gone) {
            return; // the client gave up between select and accept
        } catch (ErrnoException e) {
            System.err.println("accept: " + e.getMessage()); // e.g. EMFILE: that client is lost, the server goes on
            return;
        }
        Sock conn = a.socket();
        try {
            conn.setblocking(false);
        } catch (ErrnoException e) {
            conn.close();
            return;
        }
        clients.put(conn, new Client());
        inputs.add(conn);
        queue(conn, GREETING);
    }

    void readFrom(Sock s) {
        byte[] data;
        try {
            data = s.recv(1024);
        } catch (BlockingIOException nothing) {
            return;
        } catch (ErrnoException e) { // ECONNRESET: the client is gone
            disconnect(s);
            return;
        }
        if (data.length == 0) {
            disconnect(s);
            return;
        }
        byte[] reply = Arrays.copyOf(data, data.length + SUFFIX.length);
        System.arraycopy(SUFFIX, 0, reply, data.length, SUFFIX.length);
        queue(s, reply);
    }

    /** Queues a reply behind the others and sends what the kernel takes now. */
    void queue(Sock s, byte[] reply) {
        Client c = clients.get(s);
        c.queue.add(ByteBuffer.wrap(reply));
        c.queued += reply.length;
        writeTo(s);
    }

    /** Sends queued replies, in order, until the queue is empty or the kernel's buffer is full. */
    void writeTo(Sock s) {
        Client c = clients.get(s);
        try {
            ByteBuffer head;
            while ((head = c.queue.peek()) != null) {
                c.queued -= s.write(head); // non-blocking: what the kernel took, maybe 0
                if (head.hasRemaining()) {
                    break; // full: the rest waits until select says s is writable
                }
                c.queue.poll();
            }
        } catch (ErrnoException e) { // EPIPE, ECONNRESET
            disconnect(s);
            return;
        }
        if (c.queue.isEmpty()) {
            outputs.remove(s);
        } else {
            outputs.add(s);
        }
        if (c.queued > MAX_QUEUED) {
            inputs.remove(s); // backpressure: read more only once it has read its replies
        } else {
            inputs.add(s);
        }
    }

    void disconnect(Sock s) {
        inputs.remove(s);
        outputs.remove(s);
        clients.remove(s);
        s.close();
    }
}
