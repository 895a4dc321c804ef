package ex4;

import static io.jselect.selectors.BaseSelector.EVENT_READ;
import static io.jselect.selectors.BaseSelector.EVENT_WRITE;

import io.jselect.BlockingIOException;
import io.jselect.ErrnoException;
import io.jselect.lab.Lab;
import io.jselect.selectors.DefaultSelector;
import io.jselect.selectors.Ready;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exercise 4: the chat room on DefaultSelector.
 *
 * <p>The protocol: each line a client sends (up to and including {@code \n}) goes to every other client as
 * {@code NAME: LINE\n}, NAME being the sender's address as {@link #name} gives it ({@code 127.0.0.1:PORT});
 * when a client joins or leaves, the others get {@code * NAME joined\n} or {@code * NAME left\n}. A client
 * with more than {@link #MAX_QUEUED} bytes waiting for it in the server is disconnected as too slow (and
 * the others told it left): one client that never reads must neither stall the room nor grow the
 * server's memory without end.
 */
public final class ChatServer {
    static final int MAX_QUEUED = 64 * 1024;

    /** One member of the room: its socket, its name, its unfinished line and what it has yet to be sent. */
    static final class Member {
        final Sock sock;
        final String name;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        final ArrayDeque<ByteBuffer> outbox = new ArrayDeque<>();
        int queued;

        Member(Sock sock, String name) {
            this.sock = sock;
            this.name = name;
        }
    }

    private final Sock server;
    private final DefaultSelector<Member> sel = new DefaultSelector<>();
    private final Map<Sock, Member> members = new LinkedHashMap<>();

    ChatServer(Sock server) throws ErrnoException {
        this.server = server;
    }

    public static void main(String[] args) throws IOException {
        Sock server = Lab.listen("ex4", args);
        server.setblocking(false);
        new ChatServer(server).serve();
    }

    void serve() throws IOException {
        sel.register(server, EVENT_READ, null); // the listener's data is null; each member's is the Member
        for (;;) {
            for (Ready<Member> r : sel.select(1.0)) {
                Member m = r.key().data();
                if (m == null) {
                    accept();
                    continue;
                }
                if ((r.events() & EVENT_READ) != 0) {
                    read(m);
                }
                if ((r.events() & EVENT_WRITE) != 0 && members.containsKey(m.sock)) {
                    flush(m);
                }
            }
        }
    }

    /** A member's name: the address it connects from, {@code 127.0.0.1:PORT}. */
    static String name(Sock conn) throws ErrnoException {
        InetSocketAddress a = (InetSocketAddress) conn.getpeername();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
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
        // TODO exercise 4: a Member (named by name()), registered for EVENT_READ with itself as data, in
        //  members; tell the others "* NAME joined\n".
        throw new UnsupportedOperationException("TODO exercise 4: accept " + a.socket());
    }

    void read(Member m) {
        // TODO exercise 4: recv; end of stream or an error -> leave. TCP delivers bytes, not lines: add
        //  them to m.partial and broadcast each complete line as "NAME: LINE\n".
        throw new UnsupportedOperationException("TODO exercise 4: read");
    }

    /** Queues {@code text} for every member but {@code from}; drops members whose queue passes the bound. */
    void broadcast(Member from, String text) {
        // TODO exercise 4: for each other member: queue, flush, and if more than MAX_QUEUED is still
        //  waiting, leave(it). Iterate over a copy: leave() changes members.
        throw new UnsupportedOperationException("TODO exercise 4: broadcast");
    }

    void flush(Member m) {
        // TODO exercise 4: write what the kernel takes; watch EVENT_WRITE only while the outbox is not
        //  empty (sel.modify). An error -> leave.
        throw new UnsupportedOperationException("TODO exercise 4: flush");
    }

    void leave(Member m) {
        // TODO exercise 4: once only: out of members, unregister, close, tell the others "* NAME left\n".
        throw new UnsupportedOperationException("TODO exercise 4: leave");
    }
}
