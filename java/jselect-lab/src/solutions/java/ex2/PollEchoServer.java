package ex2;

import io.jselect.BlockingIOException;
import io.jselect.ErrnoException;
import io.jselect.FdEvent;
import io.jselect.Poll;
import io.jselect.lab.Lab;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Exercise 2, reference solution: exercise 1's server on poll. Each socket is registered once, with the
 * events wanted now; the mask changes when a reply waits or reading pauses. Descriptors, not objects,
 * come back, so a map leads from the descriptor to the client.
 */
public final class PollEchoServer {
    static final byte[] GREETING = "hello".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_QUEUED = 64 * 1024;

    static final class Client {
        final Sock sock;
        final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        int queued;

        Client(Sock sock) {
            this.sock = sock;
        }
    }

    private final Sock server;
    private final Poll poll = Poll.create();
    private final Map<Integer, Client> clients = new HashMap<>();

    PollEchoServer(Sock server) {
        this.server = server;
    }

    public static void main(String[] args) throws IOException {
        Sock server = Lab.listen("ex2", args);
        server.setblocking(false);
        new PollEchoServer(server).serve();
    }

    void serve() throws IOException {
        poll.register(server, Poll.POLLIN);
        for (;;) {
            for (FdEvent e : poll.poll(1000.0)) {
                if (e.fd() == server.fileno()) {
                    accept();
                    continue;
                }
                Client c = clients.get(e.fd());
                if (c == null) {
                    continue;
                }
                // POLLHUP and POLLERR come whether asked or not: a read then finds the end or the error.
                if ((e.events() & (Poll.POLLIN | Poll.POLLHUP | Poll.POLLERR)) != 0) {
                    readFrom(c);
                }
                if ((e.events() & Poll.POLLOUT) != 0 && clients.get(e.fd()) == c) {
                    writeTo(c);
                }
            }
        }
    }

    void accept() {
        Accepted a;
        try {
            a = server.accept();
            a.socket().setblocking(false);
        } catch (BlockingIOException gone) {
            return;
        } catch (ErrnoException e) {
            System.err.println("accept: " + e.getMessage());
            return;
        }
        Client c = new Client(a.socket());
        clients.put(c.sock.fileno(), c);
        poll.register(c.sock, Poll.POLLIN);
        queue(c, GREETING);
    }

    void readFrom(Client c) {
        byte[] data;
        try {
            data = c.sock.recv(1024);
        } catch (BlockingIOException nothing) {
            return;
        } catch (ErrnoException e) {
            disconnect(c);
            return;
        }
        if (data.length == 0) {
            disconnect(c);
            return;
        }
        byte[] reply = Arrays.copyOf(data, data.length + SUFFIX.length);
        System.arraycopy(SUFFIX, 0, reply, data.length, SUFFIX.length);
        queue(c, reply);
    }

    void queue(Client c, byte[] reply) {
        c.queue.add(ByteBuffer.wrap(reply));
        c.queued += reply.length;
        writeTo(c);
    }

    void writeTo(Client c) {
        try {
            ByteBuffer head;
            while ((head = c.queue.peek()) != null) {
                c.queued -= c.sock.write(head);
                if (head.hasRemaining()) {
                    break;
                }
                c.queue.poll();
            }
        } catch (ErrnoException e) {
            disconnect(c);
            return;
        }
        int events = (c.queued > MAX_QUEUED ? 0 : Poll.POLLIN) | (c.queue.isEmpty() ? 0 : Poll.POLLOUT);
        poll.register(c.sock, events); // registering again replaces the mask
    }

    void disconnect(Client c) {
        clients.remove(c.sock.fileno());
        poll.unregister(c.sock);
        c.sock.close();
    }
}
