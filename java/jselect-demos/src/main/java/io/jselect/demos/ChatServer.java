package io.jselect.demos;

import static io.jselect.selectors.BaseSelector.EVENT_READ;
import static io.jselect.selectors.BaseSelector.EVENT_WRITE;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The lesson's chat room on {@code DefaultSelector}: each line a client sends goes to every other
 * client as {@code <peer>: <line>}, and joins and leaves are announced. Writes never block: each member
 * has its own queue.
 *
 * <p>Each turn of the loop does a bounded amount of work per member: it takes at most
 * {@link #LINES_PER_TURN} of a member's lines, sent on as one message (the rest waits for the next turns,
 * and the member is not read meanwhile, so the kernel holds its sender back), then writes each member's
 * queue in as few calls as the kernel takes. Sending only queues; members found gone (a failed read or
 * write) are only marked, and leave together after the turn's work, announced in one message. So one
 * member's flood cannot stall the others (1 MB of bare newlines did for 3.6 s), and a mass disconnect is a
 * loop, not a recursion (leave, announce, write, fail, leave, ... overflowed the stack at 2 000 members
 * resetting at once; issue 10).
 *
 * <p>Each member's queue is kept by sender, and the senders take turns a message each, so another
 * member's line goes out after at most one message of a flood, not after all of it. Readers set the pace
 * of floods: while a member has more than {@link #CONGESTED} bytes queued, the lines left over from those
 * who sent more than a turn's worth wait, so a flood goes out as fast as the room reads it instead of
 * piling up; others' lines still go. A member that takes none of its queue for {@link #STALL_SECONDS}, or
 * lets it pass {@link #MAX_QUEUED}, is disconnected as too slow: a reader that has stopped holds up the
 * floods for that long, once.
 */
public final class ChatServer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
    /** A line longer than this is cut here and sent as it is. */
    static final int MAX_LINE = 8192;
    /** Unsent bytes past which a member is dropped as too slow at once. */
    static final int MAX_QUEUED = 1 << 20;
    /** Unsent bytes of one member past which the room stops taking lines until it has read some. */
    static final int CONGESTED = MAX_QUEUED / 4;
    /** How long a congested member may take nothing before it is dropped as too slow. */
    static final double STALL_SECONDS = 1.0;
    /**
     * Lines taken from one member per turn of the loop: each turn costs at most this many lines times the
     * members, and a member's burst goes through in a few turns while another's line waits at most one.
     */
    static final int LINES_PER_TURN = 64;
    /** Connections accepted per readiness of the listener, as the echo server's {@link EchoLoop#ADMITS_PER_TURN}. */
    static final int ACCEPTS_PER_TURN = 64;

    private final Sock listener;
    private final Acceptor acceptor;
    private final DefaultSelector<ChatMember> sel = new DefaultSelector<>();
    private final Map<Sock, ChatMember> members = new LinkedHashMap<>();
    private final ServerStats stats = new ServerStats();
    /** Every read lands here. */
    private final ByteBuffer inbound = ByteBuffer.allocate(16 * 1024);
    /** Every write is gathered here from a member's queue; direct, so the kernel copies once. */
    private final ByteBuffer outbound = ByteBuffer.allocateDirect(64 * 1024);
    /** A member's lines of one turn, gathered into one message. */
    private final ByteArrayOutputStream outgoing = new ByteArrayOutputStream();
    /** Connections accepted in this turn, to join together. */
    private final List<Accepted> accepted = new ArrayList<>();
    /** Members with bytes read but not yet taken as lines, in the order they came. */
    private List<ChatMember> backlogged = new ArrayList<>();
    /** Members with queued bytes to write at the end of the turn. */
    private List<ChatMember> unflushed = new ArrayList<>();
    /** Members with more than {@link #CONGESTED} bytes queued. */
    private final List<ChatMember> congested = new ArrayList<>();
    /** Members found gone, to leave at the end of the turn. */
    private final ArrayDeque<ChatMember> leaving = new ArrayDeque<>();
    private volatile boolean running = true;

    private ChatServer(Sock listener) throws ErrnoException {
        this.listener = listener;
        this.acceptor = new Acceptor(listener, stats, LOG);
        sel.register(listener, EVENT_READ, null);
    }

    /** Binds, listens (with the system's largest backlog) and runs the room on a thread of its own. */
    public static EchoServer.Running start(String host, int port) throws IOException {
        return start(host, port, ListenBacklog.systemMax());
    }

    /** Binds, listens with {@code backlog} and runs the room on a thread of its own. */
    public static EchoServer.Running start(String host, int port, int backlog) throws IOException {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        }
        Sock listener = Sock.createServer(host, port, backlog, false);
        ChatServer server;
        InetSocketAddress address;
        try {
            listener.setblocking(false);
            server = new ChatServer(listener);
            address = (InetSocketAddress) listener.getsockname();
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
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
                // Congested: wait for readers, checking for stalled ones. Lines left over: take them at once.
                double timeout = !congested.isEmpty() ? 0.1 : backlogged.isEmpty() ? 1.0 : 0.0;
                List<Ready<ChatMember>> ready = sel.select(timeout);
                takeBacklog();
                for (Ready<ChatMember> r : ready) {
                    ChatMember m = r.key().data();
                    if (m == null) {
                        acceptor.acceptPending(ACCEPTS_PER_TURN, accepted::add);
                        joinAll();
                        if (acceptor.paused()) {
                            sel.unregister(listener); // it stays readable; tryResume below brings it back
                        }
                        continue;
                    }
                    if (m.gone()) {
                        continue;
                    }
                    if ((r.events() & EVENT_READ) != 0 && m.unread == null) {
                        read(m);
                    }
                    if ((r.events() & EVENT_WRITE) != 0) {
                        toFlush(m);
                    }
                }
                settle();
                dropStalled();
                settle();
                if (acceptor.paused() && acceptor.tryResume()) {
                    sel.register(listener, EVENT_READ, null);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("chat-server: the event loop failed; stopping", e);
        } finally {
            for (ChatMember m : members.values()) {
                m.close();
            }
            members.clear();
            sel.close();
            listener.close();
            acceptor.close();
        }
    }

    /**
     * The connections just accepted join the room: those already there get one message announcing them
     * all, and each newcomer the announcements of those after it.
     */
    private void joinAll() {
        List<ChatMember> joined = new ArrayList<>(accepted.size());
        for (Accepted a : accepted) {
            ChatMember m = new ChatMember(a.socket(), Peers.describe(a.address()));
            try {
                sel.register(m.sock, EVENT_READ, m);
                m.interest = EVENT_READ;
            } catch (IOException | RuntimeException e) {
                m.close();
                stats.acceptErrors++;
                continue;
            }
            joined.add(m);
        }
        accepted.clear();
        if (joined.isEmpty()) {
            return;
        }
        ByteArrayOutputStream announcements = new ByteArrayOutputStream();
        int[] ends = new int[joined.size()];
        for (int i = 0; i < joined.size(); i++) {
            announcements.writeBytes(("* " + joined.get(i).name + " joined\n").getBytes(StandardCharsets.UTF_8));
            ends[i] = announcements.size();
        }
        byte[] all = announcements.toByteArray();
        broadcast(null, all);
        for (int i = 0; i < joined.size(); i++) {
            ChatMember m = joined.get(i);
            members.put(m.sock, m);
            stats.accepted++;
            stats.active++;
            LOG.info("{} joined ({} in the room)", m.name, members.size());
            if (ends[i] < all.length) {
                enqueue(m, null, Arrays.copyOfRange(all, ends[i], all.length));
            }
        }
    }

    /** {@code m} is readable: reads a chunk, takes a turn's lines of it, and keeps the rest for later turns. */
    private void read(ChatMember m) {
        try {
            inbound.clear();
            int n = m.sock.read(inbound);
            if (n < 0) {
                depart(m, "left");
                return;
            }
            stats.bytesIn += n;
            inbound.flip();
            take(m, inbound);
            if (inbound.hasRemaining()) {
                m.unread = ByteBuffer.allocate(inbound.remaining()).put(inbound).flip();
                backlogged.add(m);
                updateInterest(m); // not read again until this is taken
            }
        } catch (IOException | RuntimeException e) {
            stats.errors++;
            depart(m, String.valueOf(e.getMessage()));
        }
    }

    /**
     * The next lines of those who sent more than a turn's worth, in the order they came; none while a member
     * is congested (those are the senders that congest it).
     */
    private void takeBacklog() {
        List<ChatMember> carried = backlogged;
        backlogged = new ArrayList<>();
        for (ChatMember m : carried) {
            if (m.gone()) {
                continue;
            }
            if (congested.isEmpty()) {
                take(m, m.unread);
            }
            if (m.unread.hasRemaining()) {
                backlogged.add(m);
                continue;
            }
            m.unread = null;
            try {
                updateInterest(m);
            } catch (IOException | RuntimeException e) {
                stats.errors++;
                depart(m, String.valueOf(e.getMessage()));
            }
        }
    }

    /**
     * Takes up to {@link #LINES_PER_TURN} lines of {@code m}'s from {@code in} and sends them to the room
     * as one message.
     */
    private void take(ChatMember m, ByteBuffer in) {
        byte[] data = in.array();
        int lines = 0;
        outgoing.reset();
        while (in.hasRemaining() && lines < LINES_PER_TURN) {
            int from = in.position();
            int room = MAX_LINE - m.partial.size();
            int end = Math.min(in.limit(), from + room);
            int i = from;
            while (i < end && data[i] != '\n') {
                i++;
            }
            boolean newline = i < end;
            int upTo = newline ? i + 1 : i;
            in.position(upTo);
            if (!newline && upTo - from < room) {
                m.partial.write(data, from, upTo - from); // the line goes on in the next read
                continue;
            }
            lines++;
            outgoing.writeBytes(m.prefix);
            if (m.partial.size() > 0) {
                outgoing.writeBytes(m.partial.toByteArray());
                m.partial.reset();
            }
            outgoing.write(data, from, upTo - from);
            if (!newline) {
                outgoing.write('\n'); // a line cut at MAX_LINE
            }
        }
        if (lines > 0) {
            stats.chunks += lines;
            broadcast(m, outgoing.toByteArray());
        }
    }

    /** Queues {@code message} for everyone but {@code from} (null: for everyone); it is written at the end of the turn. */
    private void broadcast(ChatMember from, byte[] message) {
        for (ChatMember to : members.values()) {
            if (to != from && !to.gone()) {
                enqueue(to, from, message);
            }
        }
    }

    private void enqueue(ChatMember to, ChatMember from, byte[] message) {
        to.queue(from, message);
        if (to.queued() > MAX_QUEUED) {
            stats.errors++;
            depart(to, "too slow: " + to.queued() + " bytes waiting");
            return;
        }
        if (!to.congested && to.queued() > CONGESTED) {
            to.congested = true;
            to.progressNanos = System.nanoTime();
            congested.add(to);
        }
        if (!to.toFlush) {
            to.toFlush = true;
            unflushed.add(to);
        }
    }

    private void toFlush(ChatMember m) {
        if (!m.toFlush) {
            m.toFlush = true;
            unflushed.add(m);
        }
    }

    /** Marks {@code m} to leave at the end of the turn; nothing is sent to it from now on. */
    private void depart(ChatMember m, String why) {
        if (!m.gone()) {
            m.goneBecause = why;
            leaving.add(m);
        }
    }

    /** The turn's end: members leave, announcements go out, queues are written, until nothing is left to do. */
    private void settle() {
        while (!leaving.isEmpty() || !unflushed.isEmpty()) {
            leaveAll();
            List<ChatMember> writing = unflushed;
            unflushed = new ArrayList<>();
            for (ChatMember w : writing) {
                w.toFlush = false;
                if (!w.gone()) {
                    flush(w); // a failure only marks w to leave, in the next round of this loop
                }
            }
        }
    }

    /** Writes {@code m}'s queue; watches for writability while some is left. */
    private void flush(ChatMember m) {
        try {
            long sent = m.flush(outbound);
            stats.bytesOut += sent;
            if (m.congested) {
                if (m.queued() <= CONGESTED) {
                    m.congested = false;
                    congested.remove(m);
                } else if (sent > 0) {
                    m.progressNanos = System.nanoTime();
                }
            }
            updateInterest(m);
        } catch (IOException | RuntimeException e) {
            stats.errors++;
            depart(m, String.valueOf(e.getMessage()));
        }
    }

    /** Congested members that have taken nothing for {@link #STALL_SECONDS} are dropped. */
    private void dropStalled() {
        long now = System.nanoTime();
        for (ChatMember m : congested) {
            if (now - m.progressNanos > (long) (STALL_SECONDS * 1e9)) {
                stats.errors++;
                depart(m, "too slow: " + m.queued() + " bytes waiting, none taken for " + STALL_SECONDS + " s");
            }
        }
    }

    /** Registers {@code m} for reading unless it has lines left over, and for writing while it has a queue. */
    private void updateInterest(ChatMember m) throws ErrnoException {
        int want = (m.unread == null ? EVENT_READ : 0) | (m.queued() > 0 ? EVENT_WRITE : 0);
        if (want == m.interest) {
            return;
        }
        if (want == 0) {
            sel.unregister(m.sock);
        } else if (m.interest == 0) {
            sel.register(m.sock, want, m);
        } else {
            sel.modify(m.sock, want, m);
        }
        m.interest = want;
    }

    /** Those marked to leave leave; the others get one message announcing them all. */
    private void leaveAll() {
        if (leaving.isEmpty()) {
            return;
        }
        ByteArrayOutputStream announcements = new ByteArrayOutputStream();
        ChatMember m;
        while ((m = leaving.poll()) != null) {
            members.remove(m.sock);
            if (m.congested) {
                congested.remove(m);
            }
            if (m.interest != 0) {
                try {
                    sel.unregister(m.sock);
                } catch (RuntimeException e) {
                    LOG.debug("unregister {}: {}", m.name, e.toString());
                }
            }
            m.close();
            stats.active--;
            LOG.info("{} {} ({} in the room)", m.name, m.goneBecause, members.size());
            announcements.writeBytes(("* " + m.name + " left\n").getBytes(StandardCharsets.UTF_8));
        }
        broadcast(null, announcements.toByteArray()); // may mark others to leave: they leave in the next round
    }

    /** {@code chat-server}. */
    @picocli.CommandLine.Command(name = "chat-server", mixinStandardHelpOptions = true,
            description = "A chat room on DefaultSelector: every line a client sends goes to every other client.")
    static final class Command implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "8889", description = "port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--backlog", description = "listen(2) backlog (default: the system's largest, net.core.somaxconn)")
        Integer backlog;

        @Override
        public Integer call() throws Exception {
            return ServerCommands.serve("chat-server", start(host, port, backlog == null ? ListenBacklog.systemMax() : backlog),
                    "DefaultSelector");
        }
    }
}
