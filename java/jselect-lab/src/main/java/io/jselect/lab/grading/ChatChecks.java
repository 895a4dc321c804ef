package io.jselect.lab.grading;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Exercise 4, the chat room. The protocol: each line a client sends (up to and including {@code \n}) goes
 * to every other client as {@code ADDRESS: LINE}, where ADDRESS is the sender's {@code 127.0.0.1:PORT};
 * the others are told {@code * ADDRESS joined} and {@code * ADDRESS left}; a client with more than
 * {@value #BOUND} bytes waiting for it in the server is disconnected as too slow.
 */
final class ChatChecks {
    static final int BOUND = 64 * 1024;

    private ChatChecks() {
    }

    static List<Check> all(Exercise e) {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.basic("sends a line to every other client", 15, ChatChecks::broadcast));
        checks.add(Check.of("does not send a line back to its sender", 10, 10, ChatChecks::notToTheSender));
        checks.add(Check.of("announces joins and leaves", 10, 10, ChatChecks::joinsAndLeaves));
        checks.add(Check.of("puts a line sent in pieces together", 10, 10, ChatChecks::pieces));
        checks.add(Check.of("splits several lines sent at once", 10, 10, ChatChecks::severalLines));
        checks.add(Check.of("a client that never reads does not stall the others", 20, 40, ChatChecks::neverReaderDoesNotStall));
        checks.add(Check.of("disconnects a client with more than 64 KiB waiting (bounded queues)", 15, 40,
                ChatChecks::boundedQueues));
        checks.add(Check.of("survives a client that leaves in the middle of a line", 10, 10, ChatChecks::leavesMidLine));
        checks.add(Check.of("waits in " + e.waitSyscallName(), 10, 10, EchoChecks::waitsInTheRightCall));
        return checks;
    }

    /** A client's incoming lines. */
    private static final class Lines {
        final Client client;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        final List<String> seen = new ArrayList<>();
        private final List<String> unread = new ArrayList<>();

        Lines(Client client) {
            this.client = client;
        }

        /** The next line (without {@code \n}), or null if none comes in {@code seconds}. */
        String next(double seconds) throws IOException {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (unread.isEmpty()) {
                double left = (deadline - System.nanoTime()) / 1e9;
                if (left <= 0) {
                    return null;
                }
                byte[] got = client.drainSome(left);
                if (got == null) {
                    return null;
                }
                for (byte x : got) {
                    if (x == '\n') {
                        String line = partial.toString(StandardCharsets.UTF_8);
                        partial.reset();
                        unread.add(line);
                        seen.add(line);
                    } else {
                        partial.write(x);
                    }
                }
            }
            return unread.remove(0);
        }

        /** Reads lines until {@code expected} comes; fails saying what came instead. */
        void await(String expected, double seconds, String context) throws CheckFailed, IOException {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            int from = seen.size();
            for (;;) {
                String line = next(Math.max(0, (deadline - System.nanoTime()) / 1e9));
                if (line == null) {
                    List<String> got = seen.subList(from, seen.size());
                    throw new CheckFailed(context + "\n  expected client " + client.name + " to receive the line \""
                            + expected + "\"\n  it received " + (got.isEmpty() ? "nothing" : "the lines " + quote(got))
                            + (partial.size() > 0 ? " and an unfinished line \"" + partial.toString(StandardCharsets.UTF_8)
                            + "\"" : "") + " in " + seconds + " s");
                }
                if (line.equals(expected)) {
                    return;
                }
            }
        }
    }

    static void broadcast(Target t) throws Exception {
        Lines a = new Lines(t.connect("A"));
        Lines b = new Lines(t.connect("B"));
        Lines c = new Lines(t.connect("C"));
        Thread.sleep(200); // let the server accept all three before A speaks
        a.client.send("hello all\n");
        String context = "client A (" + a.client.address() + ") sent \"hello all\\n\"; B and C were connected";
        String expected = a.client.address() + ": hello all";
        b.await(expected, 3, context);
        c.await(expected, 3, context + "\n  (B got it)");
    }

    static void notToTheSender(Target t) throws Exception {
        Lines a = new Lines(t.connect("A"));
        Lines b = new Lines(t.connect("B"));
        Thread.sleep(200);
        a.client.send("only for the others\n");
        b.await(a.client.address() + ": only for the others", 3, "client A sent \"only for the others\\n\"");
        for (String line; (line = a.next(0.5)) != null;) {
            if (line.contains("only for the others")) {
                throw new CheckFailed("client A sent \"only for the others\\n\" and received it back: \"" + line
                        + "\"\n  look at: when you broadcast, skip the client the line came from");
            }
        }
    }

    static void joinsAndLeaves(Target t) throws Exception {
        Lines a = new Lines(t.connect("A"));
        Thread.sleep(200);
        Client d = t.connect("D");
        String who = d.address();
        a.await("* " + who + " joined", 3, "client D connected from " + who);
        d.close();
        a.await("* " + who + " left", 3, "client D (" + who + ") closed its connection");
    }

    static void pieces(Target t) throws Exception {
        Lines a = new Lines(t.connect("A"));
        Lines b = new Lines(t.connect("B"));
        Thread.sleep(200);
        for (String piece : new String[] {"hel", "lo wor", "ld\n"}) {
            a.client.send(piece);
            Thread.sleep(200);
        }
        String expected = a.client.address() + ": hello world";
        String context = "client A sent \"hel\", \"lo wor\" and \"ld\\n\", 200 ms apart: one line in three pieces";
        b.await(expected, 3, context);
        List<String> got = b.seen.stream().filter(l -> l.startsWith(a.client.address())).toList();
        if (got.size() != 1) {
            throw new CheckFailed(context + "\n  client B received " + quote(got) + "\n  look at: TCP delivers bytes, "
                    + "not lines: keep each client's unfinished line and send only whole lines");
        }
    }

    static void severalLines(Target t) throws Exception {
        Lines a = new Lines(t.connect("A"));
        Lines b = new Lines(t.connect("B"));
        Thread.sleep(200);
        a.client.send("one\ntwo\nthree\n");
        String context = "client A sent \"one\\ntwo\\nthree\\n\" in one send";
        for (String word : new String[] {"one", "two", "three"}) {
            b.await(a.client.address() + ": " + word, 3, context);
        }
    }

    /** Client A floods lines; client Z never reads; client B must receive every one of A's lines, in order. */
    static void neverReaderDoesNotStall(Target t) throws Exception {
        Client z = t.connect("Z", 4096);
        int lines = floodLines();
        Flood flood = flood(t, lines);
        if (flood.failure != null) {
            throw new CheckFailed("client Z (" + z.address() + ") connected and never read; client A sent " + lines
                    + " lines of 1000 bytes; client B read all the time.\n  " + flood.failure + "\n  look at: is the server blocked "
                    + "sending to Z? One client that does not read must not stop the room: non-blocking sockets, a "
                    + "queue per client, and a send only when that client is writable");
        }
    }

    static void boundedQueues(Target t) throws Exception {
        Client z = t.connect("Z", 4096);
        int lines = floodLines();
        Flood flood = flood(t, lines);
        if (flood.failure != null) {
            throw new CheckFailed("client Z never read, A sent " + lines + " lines of 1000 bytes, B read: " + flood.failure);
        }
        String left = "* " + z.address() + " left";
        if (flood.b.seen.contains(left)) {
            return;
        }
        try {
            flood.b.await(left, 3, "");
        } catch (CheckFailed notYet) {
            throw new CheckFailed("client Z (" + z.address() + ") connected and never read; client A then sent " + lines
                    + " KB of lines, and client B never received \"" + left + "\"\n  so what the kernel could not hold "
                    + "for Z (its buffers take up to " + (2 * tcpSendBufferMax() >> 20) + " MB here) is piling up in your "
                    + "server: a client that never reads grows its memory without end\n"
                    + "  look at: bound each client's queue: past 64 KiB waiting, disconnect that client as too slow "
                    + "and tell the others it left");
        }
    }

    static void leavesMidLine(Target t) throws Exception {
        Lines a = new Lines(t.connect("A"));
        Lines b = new Lines(t.connect("B"));
        Client e = t.connect("E");
        Thread.sleep(200);
        e.send("half a li");
        Thread.sleep(100);
        e.reset();
        Thread.sleep(300);
        if (!t.server().isAlive()) {
            throw new CheckFailed("client E sent \"half a li\" and reset the connection; your server then exited"
                    + t.server().lastWords() + "\n  look at: a client can leave at any moment, in the middle of a "
                    + "line; forget its unfinished line, unregister and close it, and go on");
        }
        a.client.send("still here?\n");
        b.await(a.client.address() + ": still here?", 3, "client E sent half a line and reset the connection; then A "
                + "sent \"still here?\\n\"");
    }

    /**
     * Enough lines of 1000 bytes that what A sends cannot all sit in kernel buffers on the way to Z (the
     * server's send buffer grows up to tcp_wmem's maximum): twice that, and a megabyte more.
     */
    private static int floodLines() {
        return (int) Math.min(16_000, (2L * tcpSendBufferMax() + (1 << 20)) / 1000);
    }

    private static long tcpSendBufferMax() {
        return Target.tcpSendBufferMax();
    }

    /** The outcome of a flood: B's lines, and what went wrong if anything did. */
    private static final class Flood {
        Lines b;
        String failure;
    }

    /** A sends {@code count} numbered lines of 1000 bytes; B must receive them all, in order, without a stall of 3 s. */
    private static Flood flood(Target t, int count) throws Exception {
        Client a = t.connect("A");
        Flood result = new Flood();
        result.b = new Lines(t.connect("B"));
        Thread.sleep(200);
        String prefix = a.address() + ": ";
        AtomicReference<String> sendFailure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    byte[] line = new byte[1000];
                    Arrays.fill(line, (byte) 'x');
                    byte[] number = String.format("L%05d ", i).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(number, 0, line, 0, number.length);
                    line[999] = '\n';
                    a.send(line);
                }
            } catch (CheckFailed | IOException e) {
                sendFailure.set(e.getMessage());
            }
        }, "grader-chat-flood");
        sender.setDaemon(true);
        sender.start();
        int next = 0;
        while (next < count) {
            String line = result.b.next(3);
            if (line == null) {
                result.failure = "client B received " + next + " of A's " + count + " lines, then nothing for 3 s"
                        + (sendFailure.get() == null ? "" : "; A could not send: " + sendFailure.get());
                break;
            }
            if (!line.startsWith(prefix)) {
                continue; // joins and leaves
            }
            String expected = String.format("L%05d ", next);
            if (!line.startsWith(prefix + expected)) {
                result.failure = "client B expected A's line " + expected.trim() + " and received \""
                        + line.substring(0, Math.min(line.length(), 60)) + "...\"";
                break;
            }
            next++;
        }
        sender.join(5000);
        return result;
    }

    private static String quote(List<String> lines) {
        StringBuilder s = new StringBuilder();
        for (String l : lines.subList(0, Math.min(lines.size(), 6))) {
            s.append(s.length() == 0 ? "" : ", ").append('"').append(l.length() > 70 ? l.substring(0, 70) + "..." : l).append('"');
        }
        return s + (lines.size() > 6 ? " (and " + (lines.size() - 6) + " more)" : "");
    }
}
