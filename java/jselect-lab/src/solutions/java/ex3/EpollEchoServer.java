package ex3;

import io.jselect.BlockingIOException;
import io.jselect.Epoll;
import io.jselect.ErrnoException;
import io.jselect.EventBuffer;
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
 * Exercise 3, reference solution: the echo server on edge-triggered epoll. Each socket is registered once,
 * for reading and writing, with EPOLLET: epoll says when something changes, not while it stays so. So a
 * readable client is read until recv would block (EAGAIN), but at most {@link #BUDGET} chunks per turn: a
 * client with data left goes on a ready list of our own and gets another turn after the others, since no
 * new event will come for the data already there.
 */
public final class EpollEchoServer {
    static final byte[] GREETING = "hello".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_QUEUED = 64 * 1024;
    /** Chunks read from one client per turn: enough to be cheap, few enough to be fair. */
    static final int BUDGET = 16;

    static final class Client {
        final Sock sock;
        final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        int queued;
        /** On the ready list: it may have data we have not read yet. */
        boolean ready;
        /** Not read from while its replies pile up. */
        boolean paused;

        Client(Sock sock) {
            this.sock = sock;
        }
    }

    private final Sock server;
    private final Epoll epoll = Epoll.create();
    private final EventBuffer events = new EventBuffer(256);
    private final Map<Integer, Client> clients = new HashMap<>();
    private final ArrayDeque<Client> readyList = new ArrayDeque<>();

    EpollEchoServer(Sock server) throws ErrnoException {
        this.server = server;
    }

    public static void main(String[] args) throws IOException {
        Sock server = Lab.listen("ex3", args);
        server.setblocking(false);
        new EpollEchoServer(server).serve();
    }

    void serve() throws IOException {
        epoll.register(server, Epoll.EPOLLIN | Epoll.EPOLLET);
        for (;;) {
            // With clients still to be read, only look for news; otherwise sleep until something happens.
            int n = epoll.poll(events, readyList.isEmpty() ? -1 : 0);
            for (int i = 0; i < n; i++) {
                int fd = events.fd(i);
                int ev = events.events(i);
                if (fd == server.fileno()) {
                    acceptAll();
                    continue;
                }
                Client c = clients.get(fd);
                if (c == null) {
                    continue;
                }
                if ((ev & Epoll.EPOLLOUT) != 0) {
                    writeTo(c);
                }
                if ((ev & (Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0
                        && clients.get(fd) == c) {
                    markReady(c);
                }
            }
            // One turn for each client that may have data: at most BUDGET chunks each.
            for (int turns = readyList.size(); turns > 0; turns--) {
                Client c = readyList.poll();
                c.ready = false;
                readSome(c);
            }
        }
    }

    /** Edge-triggered: one event may stand for many waiting connections, so accept until EAGAIN. */
    void acceptAll() {
        for (;;) {
            Accepted a;
            try {
                a = server.accept();
                a.socket().setblocking(false);
            } catch (BlockingIOException none) {
                return;
            } catch (ErrnoException e) {
                System.err.println("accept: " + e.getMessage());
                return;
            }
            Client c = new Client(a.socket());
            try {
                epoll.register(c.sock, Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP | Epoll.EPOLLET);
            } catch (ErrnoException e) {
                c.sock.close();
                continue;
            }
            clients.put(c.sock.fileno(), c);
            queue(c, GREETING);
        }
    }

    void markReady(Client c) {
        if (!c.ready && !c.paused) {
            c.ready = true;
            readyList.add(c);
        }
    }

    /** Reads up to BUDGET chunks; a client with more left keeps its place on the ready list. */
    void readSome(Client c) {
        if (c.sock.fileno() < 0) {
            return; // left after it was put on the ready list
        }
        for (int i = 0; i < BUDGET; i++) {
            if (c.queued > MAX_QUEUED) {
                c.paused = true; // resumed by writeTo once its replies drain
                return;
            }
            byte[] data;
            try {
                data = c.sock.recv(1024);
            } catch (BlockingIOException empty) {
                return; // EAGAIN: all read; the next edge will tell us about new data
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
            if (!clients.containsKey(c.sock.fileno())) {
                return; // the write failed: it is gone
            }
        }
        markReady(c); // budget spent, data may remain: after the others
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
                    return; // full: EPOLLOUT's next edge says when there is room
                }
                c.queue.poll();
            }
        } catch (ErrnoException e) {
            disconnect(c);
            return;
        }
        if (c.paused && c.queued <= MAX_QUEUED / 2) {
            c.paused = false;
            markReady(c); // what arrived while paused raised no new edge: read it now
        }
    }

    void disconnect(Client c) {
        clients.remove(c.sock.fileno());
        try {
            epoll.unregister(c.sock);
        } catch (ErrnoException | RuntimeException e) {
            // closing removes it from the interest list anyway
        }
        c.sock.close();
        c.queue.clear();
    }
}
