package io.jselect.demos;

import static io.jselect.selectors.BaseSelector.EVENT_READ;
import static io.jselect.selectors.BaseSelector.EVENT_WRITE;

import io.jselect.BlockingIOException;
import io.jselect.ErrnoException;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The lesson's chat room on {@code DefaultSelector}: each line a client sends goes to every other
 * client as {@code <peer>: <line>}, and joins and leaves are announced. Writes never block: each client
 * has its own queue, and a client that lets it grow past a bound is disconnected as too slow, so one
 * stalled reader cannot hold up the room.
 */
public final class ChatServer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
    /** A line longer than this is cut here and sent as it is. */
    static final int MAX_LINE = 8192;
    /** Unsent bytes past which a client is dropped as too slow. */
    static final int MAX_QUEUED = 1 << 20;

    private final Sock listener;
    private final DefaultSelector<Member> sel = new DefaultSelector<>();
    private final Map<Sock, Member> members = new LinkedHashMap<>();
    private final ServerStats stats = new ServerStats();
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    private volatile boolean running = true;

    /** One participant: its socket, its partial line, and what it has yet to be sent. */
    private static final class Member {
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

    private ChatServer(Sock listener) throws ErrnoException {
        this.listener = listener;
        sel.register(listener, EVENT_READ, null);
    }

    /** Binds, listens and runs the room on a thread of its own. */
    public static EchoServer.Running start(String host, int port) throws IOException {
        Sock listener = Sock.createServer(host, port, 128, false);
        listener.setblocking(false);
        ChatServer server = new ChatServer(listener);
        InetSocketAddress address = (InetSocketAddress) listener.getsockname();
        Thread thread = new Thread(server, "chat-server");
        thread.start();
        return new ServerHandle(address, server.stats, () -> {
            server.running = false;
            server.sel.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (Ready<Member> ready : sel.select(1.0)) {
                    Member m = ready.key().data();
                    if (m == null) {
                        accept();
                        continue;
                    }
                    if ((ready.events() & EVENT_READ) != 0) {
                        read(m);
                    }
                    if ((ready.events() & EVENT_WRITE) != 0 && members.containsKey(m.sock)) {
                        flush(m);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("chat-server: the event loop failed; stopping", e);
        } finally {
            for (Member m : new ArrayList<>(members.values())) {
                leave(m, "server shutting down");
            }
            sel.close();
            listener.close();
        }
    }

    private void accept() {
        Accepted a;
        try {
            a = listener.accept();
        } catch (BlockingIOException gone) {
            return;
        } catch (ErrnoException e) {
            stats.acceptErrors++;
            LOG.warn("accept failed: {}", e.getMessage());
            return;
        }
        Member m = new Member(a.socket(), Peers.describe(a.address()));
        try {
            sel.register(m.sock, EVENT_READ, m);
        } catch (IOException | RuntimeException e) {
            m.sock.close();
            stats.acceptErrors++;
            return;
        }
        members.put(m.sock, m);
        stats.accepted++;
        stats.active++;
        LOG.info("{} joined ({} in the room)", m.name, members.size());
        broadcast(m, ("* " + m.name + " joined\n").getBytes(StandardCharsets.UTF_8));
    }

    private void read(Member m) {
        try {
            buffer.clear();
            int n = m.sock.read(buffer);
            if (n < 0) {
                leave(m, "left");
                return;
            }
            stats.bytesIn += n;
            byte[] data = buffer.array();
            for (int i = 0; i < n; i++) {
                m.partial.write(data[i]);
                if (data[i] == '\n' || m.partial.size() >= MAX_LINE) {
                    byte[] line = m.partial.toByteArray();
                    m.partial.reset();
                    stats.chunks++;
                    byte[] prefix = (m.name + ": ").getBytes(StandardCharsets.UTF_8);
                    byte[] message = new byte[prefix.length + line.length + (line[line.length - 1] == '\n' ? 0 : 1)];
                    System.arraycopy(prefix, 0, message, 0, prefix.length);
                    System.arraycopy(line, 0, message, prefix.length, line.length);
                    message[message.length - 1] = '\n';
                    broadcast(m, message);
                }
            }
        } catch (IOException | RuntimeException e) {
            stats.errors++;
            leave(m, e.getMessage());
        }
    }

    /** Queues {@code message} for everyone but {@code from}, sending at once where the queue is empty. */
    private void broadcast(Member from, byte[] message) {
        for (Member to : new ArrayList<>(members.values())) {
            if (to == from) {
                continue;
            }
            to.outbox.add(ByteBuffer.wrap(message));
            to.queued += message.length;
            if (to.queued > MAX_QUEUED) {
                stats.errors++;
                leave(to, "too slow: " + to.queued + " bytes waiting");
                continue;
            }
            flush(to);
        }
    }

    private void flush(Member m) {
        try {
            ByteBuffer head;
            while ((head = m.outbox.peek()) != null) {
                int n = m.sock.write(head);
                m.queued -= n;
                stats.bytesOut += n;
                if (head.hasRemaining()) {
                    break;
                }
                m.outbox.poll();
            }
            sel.modify(m.sock, m.outbox.isEmpty() ? EVENT_READ : EVENT_READ | EVENT_WRITE, m);
        } catch (IOException | RuntimeException e) {
            stats.errors++;
            leave(m, e.getMessage());
        }
    }

    private void leave(Member m, String why) {
        if (members.remove(m.sock) == null) {
            return;
        }
        try {
            sel.unregister(m.sock);
        } catch (RuntimeException e) {
            LOG.debug("unregister {}: {}", m.name, e.toString());
        }
        m.sock.close();
        stats.active--;
        LOG.info("{} {} ({} in the room)", m.name, why, members.size());
        broadcast(m, ("* " + m.name + " left\n").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code chat-server}. */
    @picocli.CommandLine.Command(name = "chat-server", mixinStandardHelpOptions = true,
            description = "A chat room on DefaultSelector: every line a client sends goes to every other client.")
    static final class Command implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "8889", description = "port (default ${DEFAULT-VALUE})")
        int port;

        @Override
        public Integer call() throws Exception {
            return ServerCommands.serve("chat-server", start(host, port), "DefaultSelector");
        }
    }

}
