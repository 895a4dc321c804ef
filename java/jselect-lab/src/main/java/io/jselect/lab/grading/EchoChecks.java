package io.jselect.lab.grading;

import io.jselect.ErrnoException;
import io.jselect.TimedOutException;
import io.jselect.demos.BytesRepr;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The checks of the echo servers (exercises 1, 2, 3 and 5), in the lesson's protocol: on connect the
 * server sends {@code hello}; each chunk it reads (at most 1024 bytes, the lesson's {@code recv(1024)})
 * comes back as one reply, the chunk followed by {@code response}. Each check is one of the lesson's bugs
 * or one of the things the exercise asks for.
 */
final class EchoChecks {
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);

    private EchoChecks() {
    }

    static List<Check> all(Exercise e) {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.basic("greets a new client with b'hello'", 10, EchoChecks::greeting));
        checks.add(Check.basic("answers b'abc' with b'abcresponse'", 10, EchoChecks::roundTrip));
        checks.add(Check.of("serves a second client while the first one is idle", 10, 15, EchoChecks::twoClients));
        checks.add(Check.of(e == Exercise.EX3 ? "reads until EAGAIN: a 5000-byte message gets all its replies"
                : "answers a 5000-byte message chunk by chunk, in order", 15, 15, t -> longMessage(t, e)));
        checks.add(Check.of("answers 100 messages sent without waiting, in order, once each", 10, 15, EchoChecks::pipelined));
        checks.add(Check.of("keeps serving others while a client sends a lot and reads nothing", 15, 40,
                t -> clientThatDoesNotRead(t, e)));
        checks.add(Check.of("survives clients that leave with replies pending", 10, 20, EchoChecks::clientsLeave));
        checks.add(Check.of("closes the socket of every client that leaves", 10, 20, EchoChecks::closesSockets));
        if (e == Exercise.EX5) {
            checks.add(Check.of("starts a thread for each client", 10, 15, ThreadChecks::threadPerClient));
            checks.add(Check.of("ends a client's thread when the client leaves", 10, 15, ThreadChecks::threadsEnd));
        } else {
            checks.add(Check.of("waits in " + e.waitSyscallName(), 10, 10, EchoChecks::waitsInTheRightCall));
        }
        if (e == Exercise.EX3) {
            checks.add(Check.of("registers client sockets edge-triggered (EPOLLET)", 10, 10, EdgeTriggeredChecks::registeredEdgeTriggered));
            checks.add(Check.of("is fair: a client that never stops sending does not starve another", 15, 30,
                    EdgeTriggeredChecks::fairness));
        }
        return checks;
    }

    static void greeting(Target t) throws Exception {
        Client a = t.connect("A");
        byte[] got = a.drain(0.5);
        if (got.length < 5 && !a.sawEnd()) {
            got = concat(got, a.drain(2.5));
        }
        if (!Arrays.equals(got, "hello".getBytes(StandardCharsets.US_ASCII))) {
            throw new CheckFailed("client A connected and expected the greeting b'hello' (5 bytes, nothing more)\n"
                    + "  and got " + Client.describe(got) + (a.sawEnd() ? ", then the server closed the connection" : "")
                    + (got.length == 0 ? "\n  look at: after accept, send b\"hello\" to the new client (the lesson's "
                    + "conn.sendall(b\"hello\")), or queue it and send it when the client is writable" : ""));
        }
    }

    static void roundTrip(Target t) throws Exception {
        Client a = t.greeted("A");
        a.send("abc");
        a.expect("abcresponse", 3, "the reply to b'abc':");
    }

    static void twoClients(Target t) throws Exception {
        Client a = t.greeted("A");
        Client b;
        try {
            b = t.greeted("B");
        } catch (CheckFailed f) {
            throw new CheckFailed(f.getMessage() + "\n  while client A was connected and had sent nothing.\n  look at: "
                    + "nothing may block on one client: call recv only on a socket the kernel said is readable, "
                    + "and go back to waiting on all of them");
        }
        b.send("from B");
        try {
            b.expect("from Bresponse", 3, "the reply to b'from B':");
        } catch (CheckFailed f) {
            throw new CheckFailed(f.getMessage() + "\n  while client A was connected and idle.\n  look at: is the server "
                    + "waiting in a recv on A? Wait on every client at once and read only from those that are ready");
        }
        a.send("from A");
        a.expect("from Aresponse", 3, "the reply to b'from A':");
    }

    /** 5000 bytes: 1000 'A's, then 1000 'B's, ... 'E's: a reply's first letter tells which part it answers. */
    static byte[] fiveKilobytes() {
        byte[] message = new byte[5000];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) ('A' + i / 1000);
        }
        return message;
    }

    static void longMessage(Target t, Exercise e) throws Exception {
        Client a = t.greeted("A");
        byte[] message = fiveKilobytes();
        a.send(message);
        ByteArrayOutputStream got = receiveData(a, message.length, 5);
        got.writeBytes(a.drain(0.2)); // anything extra: a duplicate reply
        byte[] replies = got.toByteArray();
        List<byte[]> chunks = chunks(replies);
        byte[] data = strip(replies);
        String sent = "  sent:     one message of 5000 bytes, b'AAA...' then B, C, D, E (1000 of each), in one sendall\n";
        if (data.length < message.length) {
            throw new CheckFailed(sent + "  expected: 5000 bytes back, in replies of at most 1024 bytes, each followed by "
                    + "b'response'\n  got:      " + data.length + " of the 5000 bytes in " + chunks.size()
                    + " replies, then nothing more" + (a.sawEnd() ? " (the server closed the connection)" : "")
                    + "\n  look at: " + (e == Exercise.EX3
                    ? "with EPOLLET, epoll reports a socket once, when data arrives, not while data remains. Read "
                    + "until the socket is empty (read returns 0: EAGAIN) before waiting again, or the rest of the "
                    + "message waits for the client's next send, which may never come: the starvation trap"
                    : "every chunk read must be answered; is a queued reply lost, or a client dropped from outputs "
                    + "while its queue is not empty?"));
        }
        for (byte[] chunk : chunks) {
            if (chunk.length > 1024) {
                throw new CheckFailed(sent + "  expected: replies of at most 1024 bytes + b'response': the lesson's server "
                        + "reads with recv(1024) and answers each read\n  got:      a reply of " + chunk.length
                        + " bytes before its b'response'");
            }
        }
        if (!Arrays.equals(data, message)) {
            StringBuilder order = new StringBuilder();
            for (byte[] chunk : chunks) {
                order.append(order.length() == 0 ? "" : ", ").append(chunk.length == 0 ? "(empty)"
                        : chunk.length + " x " + (char) chunk[0]);
            }
            throw new CheckFailed(sent + "  expected: the parts back in the order sent (A..., B..., C..., D..., E...)\n"
                    + "  got:      " + (data.length > message.length ? (data.length - message.length) + " bytes too many; " : "")
                    + "replies " + order + "\n  look at: a client's replies must leave in the order its chunks came "
                    + "(first in, first out: a queue, ArrayDeque.poll, not a stack, pop); each reply sent once");
        }
    }

    static void pipelined(Target t) throws Exception {
        Client a = t.greeted("A");
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            byte[] m = String.format("<M%03d>", i).getBytes(StandardCharsets.US_ASCII);
            a.send(m); // one send each; the kernel may merge them into fewer chunks
            sent.writeBytes(m);
        }
        byte[] expected = sent.toByteArray();
        ByteArrayOutputStream got = receiveData(a, expected.length, 5);
        got.writeBytes(a.drain(0.2));
        byte[] data = strip(got.toByteArray());
        if (!Arrays.equals(data, expected)) {
            throw new CheckFailed("  sent:     100 messages b'<M000>' ... b'<M099>', one send each, without waiting for replies\n"
                    + "  expected: every byte back once, in order (the kernel may merge messages into fewer chunks)\n"
                    + "  got:      " + describeDifference(data, expected) + (a.sawEnd() ? "; the server closed the connection" : "")
                    + "\n  look at: a client with several replies waiting must be in outputs once, not once per "
                    + "read (the lesson appended it each time); replies leave first in, first out");
        }
    }

    /**
     * Client A sends up to 4 MB and reads nothing; then client B must be greeted and answered; then A
     * reads and must get every byte back, in order.
     */
    static void clientThatDoesNotRead(Target t, Exercise e) throws Exception {
        Client a = t.greeted("A");
        Client b = t.connect("B");
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) ('0' + i % 10);
        }
        AtomicLong sentByA = new AtomicLong();
        // More than the kernel can hold of A's replies on their way (the server's send buffer grows up to
        // tcp_wmem's maximum), or a server that blocks in a send to A would never be caught blocking.
        long limit = 2 * Target.tcpSendBufferMax() + (1 << 20);
        // A sends until the kernel stops taking its bytes for a second (the server stopped reading A), or the limit:
        // the block over and over, from where the last send stopped, so byte i of the stream is block[i % size].
        ByteBuffer stream = ByteBuffer.wrap(block);
        while (sentByA.get() < limit) {
            try {
                a.sock.settimeout(1.0);
                if (!stream.hasRemaining()) {
                    stream.rewind();
                }
                sentByA.addAndGet(a.sock.send(stream));
            } catch (TimedOutException full) {
                break;
            } catch (ErrnoException gone) {
                throw new CheckFailed("client A sent " + sentByA.get() + " bytes without reading, and then the server "
                        + "dropped it (" + gone.getMessage() + ")\n  look at: a client that is slow to read is not an "
                        + "error; keep its replies queued (or stop reading from it until they drain)");
            }
        }
        String context = "client A had sent " + sentByA.get() + " bytes and read none of its replies";
        try {
            b.expect("hello", 3, "the greeting");
            b.send("ping");
            b.expect("pingresponse", 3, "the reply to b'ping':");
        } catch (CheckFailed f) {
            throw new CheckFailed(f.getMessage() + "\n  while " + context + ".\n  look at: " + (e == Exercise.EX5
                    ? "B has a thread of its own: is the acceptor blocked, or a lock held while sending?"
                    : "is the server stuck in a send to A? A blocking send (sendall) waits until A reads, and A does "
                    + "not. Make each client socket non-blocking (setblocking(false)), send what the kernel takes "
                    + "(write returns how many bytes), keep the rest queued for A, and wait for A to be writable"));
        }
        // Now A reads everything: all it sent must come back, in order.
        long expected = sentByA.get();
        ByteArrayOutputStream got = receiveData(a, (int) expected, 20);
        byte[] data = strip(got.toByteArray());
        byte[] sent = new byte[(int) expected];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = block[i % block.length];
        }
        if (!Arrays.equals(data, sent)) {
            throw new CheckFailed("  sent:     " + expected + " bytes from client A (b'0123456789...') before reading; "
                    + "then A read\n  expected: all " + expected + " bytes back, in order, each chunk followed by "
                    + "b'response'\n  got:      " + describeDifference(data, sent) + (a.sawEnd()
                    ? "; then the server closed the connection" : "; then nothing for 2 s")
                    + "\n  look at: when the kernel takes only part of a reply, the rest must be sent first, next time "
                    + "A is writable (keep the buffer's position); " + (e == Exercise.EX3
                    ? "with EPOLLET, a client whose reading you paused has no new edge when you resume: read what "
                    + "waited in its buffer at once" : "a client whose reading you paused must be read again once its "
                    + "queue drains"));
        }
    }

    /**
     * Three clients leave with replies pending: one sends three chunks' worth and closes at once (the
     * lesson's crash), one sends 256 KB without reading and closes, one does the same and resets.
     */
    static void clientsLeave(Target t) throws Exception {
        for (int variant = 0; variant < 3; variant++) {
            boolean reset = variant == 2;
            Client c = t.greeted(new String[] {"C", "D", "E"}[variant]);
            long sent = 0;
            byte[] block = new byte[variant == 0 ? 3000 : 16 * 1024];
            Arrays.fill(block, (byte) 'X');
            long limit = variant == 0 ? block.length : 256 * 1024;
            while (sent < limit) {
                try {
                    c.sock.settimeout(0.5);
                    sent += c.sock.send(block);
                } catch (TimedOutException full) {
                    break;
                }
            }
            if (reset) {
                c.reset();
            } else {
                c.close();
            }
            String left = "client " + c.name + " sent " + sent + " bytes, read none of the replies, and "
                    + (reset ? "reset the connection (RST)" : "closed the connection");
            String lookAt = "\n  look at: when recv returns end of stream (or fails with ConnectionResetException), "
                    + "remove the client from inputs and outputs, forget its queue and close its socket; a writable "
                    + "list from the same round may still name it: skip clients that have left";
            Thread.sleep(300);
            if (!t.server().isAlive()) {
                throw new CheckFailed(left + ";\n  your server then exited" + t.server().lastWords() + lookAt);
            }
            try {
                Client d = t.greeted("F");
                d.send("still there?");
                d.expect("still there?response", 3, "the reply:");
            } catch (CheckFailed f) {
                throw new CheckFailed(left + ";\n  then a new client: " + f.getMessage() + lookAt);
            }
        }
    }

    static void closesSockets(Target t) throws Exception {
        t.greeted("A").close(); // warm-up: whatever the server opens lazily is open now
        Thread.sleep(200);
        int before = t.openDescriptors();
        for (int i = 0; i < 200; i++) {
            // Greeted first: the server has accepted it, so its descriptor counts. Without that a server
            // that fell behind held nothing yet when counted, and one that never closes passed.
            Client c = t.greeted("cycle");
            if (i % 2 == 0) {
                c.reset();
            } else {
                c.close();
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        int after = t.openDescriptors();
        while (after > before + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = t.openDescriptors();
        }
        if (after > before + 2) {
            throw new CheckFailed("200 clients connected and left (half closed normally, half reset); your server held "
                    + before + " descriptors before and " + after + " after\n  look at: close a client's socket when "
                    + "it leaves (the lesson's server never did: each client cost a descriptor for good, and at the "
                    + "limit accept fails with EMFILE)");
        }
    }

    static void waitsInTheRightCall(Target t) throws Exception {
        Client a = t.exercise() == Exercise.EX4 ? t.connect("A") : t.greeted("A");
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<Integer> now = t.syscalls();
            seen.addAll(now);
            for (int n : now) {
                if (t.exercise().waitSyscalls().contains(n)) {
                    a.close();
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new CheckFailed("while a client was connected and idle, your server's threads were waiting in: "
                + Target.syscallNames(seen) + "\n  expected: " + t.exercise().waitSyscallName()
                + "\n  look at: exercise " + t.exercise().number() + " is about that mechanism; a server that "
                + "sleeps and polls sockets in a loop burns CPU and answers late");
    }

    /**
     * Receives replies until they hold {@code dataBytes} bytes of data (b'response's not counted), or
     * nothing comes for 2 s, or the server closes, or {@code seconds} pass.
     */
    static ByteArrayOutputStream receiveData(Client c, int dataBytes, double seconds) throws java.io.IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            byte[] more = c.drainSome(Math.min(2.0, (deadline - System.nanoTime()) / 1e9));
            if (more == null) {
                break;
            }
            got.writeBytes(more);
            // Data is never more than what came: strip (a copy) only once enough may be there.
            if (got.size() >= dataBytes && strip(got.toByteArray()).length >= dataBytes) {
                break;
            }
        }
        return got;
    }

    /** The data of a reply stream: every b'response' removed (the checks send no lowercase letters). */
    static byte[] strip(byte[] replies) {
        ByteArrayOutputStream data = new ByteArrayOutputStream(replies.length);
        for (byte[] chunk : chunks(replies)) {
            data.writeBytes(chunk);
        }
        return data.toByteArray();
    }

    /** The chunks of a reply stream: what precedes each b'response', and a last unfinished one if any. */
    static List<byte[]> chunks(byte[] replies) {
        List<byte[]> chunks = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + SUFFIX.length <= replies.length; i++) {
            if (Arrays.equals(replies, i, i + SUFFIX.length, SUFFIX, 0, SUFFIX.length)) {
                chunks.add(Arrays.copyOfRange(replies, start, i));
                i += SUFFIX.length - 1;
                start = i + 1;
            }
        }
        if (start < replies.length) {
            chunks.add(Arrays.copyOfRange(replies, start, replies.length));
        }
        return chunks;
    }

    /** Where two byte strings part: "N of M bytes, the first difference at byte K: got ..., expected ...". */
    static String describeDifference(byte[] got, byte[] expected) {
        int i = Arrays.mismatch(got, expected);
        if (i < 0) {
            return "the same bytes";
        }
        if (i == got.length) {
            return got.length + " of the " + expected.length + " bytes (all correct as far as they go)";
        }
        return got.length + " bytes (" + expected.length + " expected), the first wrong one at byte " + i + ": got "
                + BytesRepr.of(Arrays.copyOfRange(got, i, Math.min(got.length, i + 24))) + ", expected "
                + BytesRepr.of(Arrays.copyOfRange(expected, i, Math.min(expected.length, i + 24)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
