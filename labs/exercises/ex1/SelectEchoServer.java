package ex1;

import io.jselect.BlockingIOException;
import io.jselect.ErrnoException;
import io.jselect.Select;
import io.jselect.SelectResult;
import io.jselect.lab.Lab;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exercise 1: the lesson's select echo server, with its bugs fixed.
 *
 * <p>The protocol: when a client connects, send it b"hello"; answer every chunk you read (at most 1024
 * bytes, the lesson's recv(1024)) with the chunk followed by b"response".
 *
 * <p>What the lesson's Python server got wrong, and what the grader checks (labs/README.md, exercise 1):
 * replies must leave in the order their chunks came (a queue, not pop()); a send must never block (make
 * client sockets non-blocking, send what the kernel takes, keep the rest); a client may leave with
 * replies still queued; every socket of a client that left must be closed.
 *
 * <p>Run it: {@code labs/grade 1}. By hand: {@code java -cp jselect-lab.jar:<classes> ex1.SelectEchoServer 8888}.
 */
public final class SelectEchoServer {
    static final byte[] GREETING = "hello".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);
    /** Past this many reply bytes waiting for a client, stop reading from it until it catches up. */
    static final int MAX_QUEUED = 64 * 1024;

    /** What the server keeps per client: its replies not yet sent, in order. */
    static final class Client {
        final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
        int queued;
    }

    private final Sock server;
    /** The lesson's inputs and outputs lists; sets, so that a socket is never in one twice. */
    private final Set<Sock> inputs = new LinkedHashSet<>();
    private final Set<Sock> outputs = new LinkedHashSet<>();
    private final Map<Sock, Client> clients = new HashMap<>();

    SelectEchoServer(Sock server) {
        this.server = server;
    }

    public static void main(String[] args) throws IOException {
        Sock server = Lab.listen("ex1", args); // prints "ex1 listening on 127.0.0.1:PORT": the grader waits for it
        server.setblocking(false);
        new SelectEchoServer(server).serve();
    }

    /** The lesson's loop: wait for readable and writable sockets, handle them, again. */
    void serve() throws IOException {
        inputs.add(server);
        for (;;) {
            SelectResult<Sock> ready = Select.select(inputs, outputs, List.of(), 1.0);
            for (Sock s : ready.readable()) {
                if (s == server) {
                    accept();
                } else if (clients.containsKey(s)) {
                    readFrom(s);
                }
            }
            for (Sock s : ready.writable()) {
                if (clients.containsKey(s)) { // it may have left while we were reading
                    writeTo(s);
                }
            }
        }
    }

    /** The listening socket is readable: a client is waiting to be accepted. */
    void accept() {
        Accepted a;
        try {
            a = server.accept();
        } catch (BlockingIOException gone) {
            return; // the client gave up between select and accept
        } catch (ErrnoException e) {
            System.err.println("accept: " + e.getMessage()); // e.g. out of descriptors: the server goes on
            return;
        }
        Sock conn = a.socket();
        // TODO exercise 1: make conn non-blocking, remember it (clients, inputs) and queue the greeting.
        throw new UnsupportedOperationException("TODO exercise 1: accept " + conn);
    }

    /** {@code s} is readable: read one chunk (at most 1024 bytes) and queue its reply. */
    void readFrom(Sock s) {
        // TODO exercise 1: s.recv(1024); an empty array means the client closed (disconnect it); an
        //  ErrnoException (e.g. ConnectionResetException) means it is gone too. Queue chunk + SUFFIX.
        throw new UnsupportedOperationException("TODO exercise 1: readFrom");
    }

    /** Queues a reply behind the others for {@code s} and sends what the kernel takes now. */
    void queue(Sock s, byte[] reply) {
        // TODO exercise 1: add it to the client's queue (first in, first out) and call writeTo.
        throw new UnsupportedOperationException("TODO exercise 1: queue");
    }

    /** Sends queued replies, in order, until the queue is empty or the kernel's buffer is full. */
    void writeTo(Sock s) {
        // TODO exercise 1: s.write(buffer) sends what the kernel takes now (maybe 0) and advances the
        //  buffer's position: keep a partly sent reply at the head of the queue. Watch s in outputs only
        //  while something is queued. Past MAX_QUEUED, stop reading s (remove it from inputs) until it
        //  drains. An ErrnoException here means the client is gone.
        throw new UnsupportedOperationException("TODO exercise 1: writeTo");
    }

    /** Forgets a client everywhere and closes its socket. */
    void disconnect(Sock s) {
        // TODO exercise 1: inputs, outputs, clients; then close.
        throw new UnsupportedOperationException("TODO exercise 1: disconnect");
    }
}
