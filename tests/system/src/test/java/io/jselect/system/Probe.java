package io.jselect.system;

import io.jselect.Select;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.util.List;

/**
 * A test's view of a demos server from outside, whatever kind it is: connect and learn whether the
 * server serves the connection or closed it at once, and do a round trip on a served one. Echo servers
 * (seed mode) greet a served connection with {@code hello}; the chat room announces it to an observer
 * member.
 */
final class Probe implements AutoCloseable {
    /** How long a new connection may take to be served or closed before the server counts as stuck. */
    static final double VERDICT_SECONDS = 5.0;

    private final int port;
    private final boolean chat;
    /** The chat room's first member, which sees every join. */
    private final Wire observer;

    Probe(int port, boolean chat) throws IOException {
        this.port = port;
        this.chat = chat;
        this.observer = chat ? new Wire(port) : null;
    }

    /** A connection and what became of it. */
    record Connected(Wire wire, boolean served) {
    }

    /**
     * Connects and waits until the server either serves the connection or closes it.
     *
     * @throws AssertionError when neither happens within {@link #VERDICT_SECONDS}
     */
    Connected connect() throws IOException {
        Wire w = new Wire(port);
        try {
            if (!chat) {
                w.sock.settimeout(VERDICT_SECONDS);
                byte[] greeting;
                try {
                    greeting = w.sock.recv(5);
                } catch (io.jselect.TimedOutException stuck) {
                    throw new AssertionError("a new connection was neither served nor closed within " + VERDICT_SECONDS + " s");
                } catch (io.jselect.ConnectionResetException reset) {
                    greeting = new byte[0];
                }
                w.sock.settimeout(10.0);
                if (greeting.length == 0) {
                    w.close();
                    return new Connected(null, false);
                }
                // "hello" may come in pieces
                byte[] rest = greeting.length < 5 ? w.recvExactly(5 - greeting.length) : new byte[0];
                if (!("hello".equals(new String(greeting) + new String(rest)))) {
                    throw new AssertionError("greeting: " + new String(greeting) + new String(rest));
                }
                return new Connected(w, true);
            }
            String me = "* " + Peers.describe(w.sock.getsockname()) + " joined";
            var ready = Select.select(List.of(observer.sock, w.sock), List.of(), List.of(), VERDICT_SECONDS);
            if (ready.readable().contains(w.sock) && w.closedByPeer()) {
                w.close();
                return new Connected(null, false);
            }
            if (!ready.readable().contains(observer.sock)) {
                throw new AssertionError("a new member was neither announced nor closed within " + VERDICT_SECONDS + " s");
            }
            String line = ChatIT.line(observer);
            if (!line.equals(me)) {
                throw new AssertionError("expected '" + me + "', the observer read '" + line + "'");
            }
            return new Connected(w, true);
        } catch (IOException | RuntimeException | Error e) {
            w.close();
            throw e;
        }
    }

    /** One round trip through a served connection: a reply (echo) or the line reaching the observer (chat). */
    void roundTrip(Wire w, String text) throws IOException {
        if (!chat) {
            w.send(text);
            String reply = w.recvString(text.length() + 8);
            if (!reply.equals(text + "response")) {
                throw new AssertionError("reply: " + reply);
            }
            return;
        }
        w.send(text + "\n");
        String line;
        do {
            line = ChatIT.line(observer); // past any announcements still coming
        } while (line.startsWith("* "));
        if (!line.endsWith(": " + text)) {
            throw new AssertionError("the observer read '" + line + "'");
        }
    }

    /** Chat: the lines announcing that members left, as many as {@code n}. */
    void awaitLeaves(int n) throws IOException {
        for (int seen = 0; chat && seen < n;) {
            if (ChatIT.line(observer).endsWith(" left")) {
                seen++;
            }
        }
    }

    @Override
    public void close() {
        if (observer != null) {
            observer.close();
        }
    }

    /** Peer addresses as the servers print them. */
    static final class Peers {
        private Peers() {
        }

        static String describe(java.net.SocketAddress address) {
            java.net.InetSocketAddress inet = (java.net.InetSocketAddress) address;
            String host = inet.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
    }
}
