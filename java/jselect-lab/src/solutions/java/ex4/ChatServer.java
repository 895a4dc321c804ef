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
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exercise 4, reference solution: the chat room on DefaultSelector. Each member has its own queue of
 * bytes to send; the selector watches a member for writing only while that queue is not empty. A member
 * with more than {@link #MAX_QUEUED} bytes waiting is disconnected as too slow, so one client that never
 * reads costs the server at most that much and stalls no one.
 */
public final class ChatServer {
    static final int MAX_QUEUED = 64 * 1024;

    /** One member of the room. */
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
        sel.register(server, EVENT_READ, null);
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

    static String name(Sock conn) throws ErrnoException {
        InetSocketAddress a = (InetSocketAddress) conn.getpeername();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    void accept() {
        Member m;
        try {
            Accepted a = server.accept();
            a.socket().setblocking(false);
            m = new Member(a.socket(), name(a.socket()));
            sel.register(m.sock, EVENT_READ, m);
        } catch (BlockingIOException gone) {
            return;
        } catch (ErrnoException e) {
            System.err.println("accept: " + e.getMessage());
            return;
        }
        members.put(m.sock, m);
        broadcast(m, "* " + m.name + " joined\n");
    }

    void read(Member m) {
        byte[] data;
        try {
            data = m.sock.recv(4096);
        } catch (BlockingIOException nothing) {
            return;
        } catch (ErrnoException e) {
            leave(m);
            return;
        }
        if (data.length == 0) {
            leave(m);
            return;
        }
        for (byte b : data) {
            if (b == '\n') {
                String line = m.partial.toString(StandardCharsets.UTF_8);
                m.partial.reset();
                broadcast(m, m.name + ": " + line + "\n");
            } else {
                m.partial.write(b);
            }
        }
    }

    /** Queues {@code text} for every member but {@code from}; drops members whose queue passes the bound. */
    void broadcast(Member from, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (Member to : new ArrayList<>(members.values())) {
            if (to == from || !members.containsKey(to.sock)) {
                continue;
            }
            to.outbox.add(ByteBuffer.wrap(bytes));
            to.queued += bytes.length;
            flush(to);
            if (members.containsKey(to.sock) && to.queued > MAX_QUEUED) {
                leave(to); // too slow: it never reads, and the room does not wait for it
            }
        }
    }

    void flush(Member m) {
        try {
            ByteBuffer head;
            while ((head = m.outbox.peek()) != null) {
                m.queued -= m.sock.write(head);
                if (head.hasRemaining()) {
                    break;
                }
                m.outbox.poll();
            }
            sel.modify(m.sock, m.outbox.isEmpty() ? EVENT_READ : EVENT_READ | EVENT_WRITE, m);
        } catch (ErrnoException e) {
            leave(m);
        }
    }

    void leave(Member m) {
        if (members.remove(m.sock) == null) {
            return;
        }
        sel.unregister(m.sock);
        m.sock.close();
        broadcast(m, "* " + m.name + " left\n");
    }
}
