package ex3;

import io.jselect.BlockingIOException;
import io.jselect.Epoll;
import io.jselect.ErrnoException;
import io.jselect.EventBuffer;
import io.jselect.lab.Lab;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Exercise 3: the echo server on edge-triggered epoll. The protocol and the checks are exercise 1's,
 * and three more: client sockets registered with EPOLLET; a 5000-byte message gets all its replies
 * without the client sending again (read until EAGAIN); and a client that never stops sending does not
 * starve the others (fairness).
 *
 * <p>Edge-triggered: epoll reports a socket when its state changes (data arrived, room to write
 * appeared), not while it stays so. So read a readable socket until recv would block
 * ({@link BlockingIOException}: EAGAIN), or the rest waits for an event that never comes. But reading one
 * client until EAGAIN never ends if it never stops sending: read at most {@link #BUDGET} chunks per turn,
 * and keep a client with data left on a ready list of your own, to come back to after the others.
 */
public final class EpollEchoServer {
    static final byte[] GREETING = "hello".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_QUEUED = 64 * 1024;
    /** Chunks read from one client per turn. */
    static final int BUDGET = 16;

    static final class Client {
        final Sock sock;
        final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        int queued;
        /** On the ready list: it may have data not read yet. */
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
            // With clients still to be read, only look for news (timeout 0); otherwise sleep until something happens.
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
                // TODO exercise 3: EPOLLOUT -> writeTo(c); EPOLLIN, EPOLLRDHUP, EPOLLHUP, EPOLLERR -> markReady(c).
                throw new UnsupportedOperationException("TODO exercise 3: handle event " + ev + " on " + fd);
            }
            // TODO exercise 3: one turn for each client on the ready list (readSome), each at most once per loop.
        }
    }

    /** Edge-triggered: one event may stand for several waiting connections, so accept until EAGAIN. */
    void acceptAll() {
        // TODO exercise 3: accept until BlockingIOException; for each: non-blocking, registered with
        //  EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, in the map, greeted.
        throw new UnsupportedOperationException("TODO exercise 3: acceptAll");
    }

    void markReady(Client c) {
        // TODO exercise 3: put c on the ready list, once, unless it is paused.
        throw new UnsupportedOperationException("TODO exercise 3: markReady");
    }

    /** Reads up to BUDGET chunks; a client with more left keeps its place on the ready list. */
    void readSome(Client c) {
        // TODO exercise 3: recv(1024) until BlockingIOException (all read), end of stream or an error
        //  (disconnect), or BUDGET chunks (then markReady again: no event will remind you). Queue each reply.
        //  Past MAX_QUEUED, pause: stop reading until writeTo has drained the queue.
        throw new UnsupportedOperationException("TODO exercise 3: readSome");
    }

    void queue(Client c, byte[] reply) {
        // TODO exercise 3: as in exercise 1.
        throw new UnsupportedOperationException("TODO exercise 3: queue");
    }

    void writeTo(Client c) {
        // TODO exercise 3: as in exercise 1 (EPOLLOUT's next edge says when there is room again). When a
        //  paused client's queue has drained to half of MAX_QUEUED, resume it and markReady it: what
        //  arrived while it was paused raised no new edge.
        throw new UnsupportedOperationException("TODO exercise 3: writeTo");
    }

    void disconnect(Client c) {
        // TODO exercise 3: out of the map, unregister, close. It may still be on the ready list: readSome
        //  must then do nothing (c.sock.fileno() is -1 once closed).
        throw new UnsupportedOperationException("TODO exercise 3: disconnect");
    }
}
