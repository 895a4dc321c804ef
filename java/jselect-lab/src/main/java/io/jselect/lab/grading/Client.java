package io.jselect.lab.grading;

import io.jselect.ConnectionResetException;
import io.jselect.ErrnoException;
import io.jselect.TimedOutException;
import io.jselect.demos.BytesRepr;
import io.jselect.socket.Sock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The grader's side of one connection: a blocking socket whose every call has a timeout, so no check can
 * hang on it; closing it (the watchdog does, when a check overruns) wakes a call blocked in it.
 */
final class Client implements AutoCloseable {
    final Sock sock;
    final String name;
    private final int localPort;

    private Client(Sock sock, String name) throws ErrnoException {
        this.sock = sock;
        this.name = name;
        this.localPort = ((InetSocketAddress) sock.getsockname()).getPort();
    }

    /**
     * Connects to the server.
     *
     * @param receiveBuffer SO_RCVBUF to set before connecting (a client that never reads then fills fast),
     *     0 for the default
     * @throws CheckFailed when the connection is refused or does not complete in 3 s
     */
    static Client connect(int port, String name, int receiveBuffer) throws CheckFailed, IOException {
        return connect(port, name, receiveBuffer, 0);
    }

    /**
     * Connects to the server.
     *
     * @param receiveBuffer SO_RCVBUF to set before connecting, 0 for the default
     * @param sendBuffer SO_SNDBUF to set before connecting (a flood that never runs dry), 0 for the default
     * @throws CheckFailed when the connection is refused or does not complete in 3 s
     */
    static Client connect(int port, String name, int receiveBuffer, int sendBuffer) throws CheckFailed, IOException {
        Sock s = Sock.create(Sock.AF_INET, Sock.SOCK_STREAM);
        try {
            if (receiveBuffer > 0) {
                s.setsockopt(Sock.SOL_SOCKET, Sock.SO_RCVBUF, receiveBuffer);
            }
            if (sendBuffer > 0) {
                s.setsockopt(Sock.SOL_SOCKET, Sock.SO_SNDBUF, sendBuffer);
            }
            s.settimeout(3.0);
            s.connect("127.0.0.1", port);
            s.setsockopt(Sock.IPPROTO_TCP, Sock.TCP_NODELAY, 1);
            return new Client(s, name);
        } catch (ErrnoException e) {
            s.close();
            throw new CheckFailed("client " + name + " could not connect to 127.0.0.1:" + port + ": " + e.getMessage()
                    + ". Is the server still accepting? (Its listening socket must stay in the set it waits on.)");
        }
    }

    /** {@code 127.0.0.1:PORT}, the address the server sees for this client. */
    String address() {
        return "127.0.0.1:" + localPort;
    }

    void send(byte[] data) throws CheckFailed, IOException {
        try {
            sock.settimeout(5.0);
            sock.sendall(data);
        } catch (TimedOutException e) {
            throw new CheckFailed("client " + name + " could not send " + data.length + " bytes in 5 s: the server is not "
                    + "reading from it (its receive buffer is full)");
        } catch (ConnectionResetException | io.jselect.BrokenPipeException e) {
            throw new CheckFailed("client " + name + ": the server closed the connection while the client was sending ("
                    + e.getMessage() + ")");
        }
    }

    void send(String text) throws CheckFailed, IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Receives exactly {@code n} bytes.
     *
     * @param seconds how long to wait for all of them
     * @param what what they are, for the message
     * @throws CheckFailed with what did come when they do not all come in time, or the server closes
     */
    byte[] receive(int n, double seconds, String what) throws CheckFailed, IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (got.size() < n) {
            double left = (deadline - System.nanoTime()) / 1e9;
            byte[] chunk;
            try {
                if (left <= 0) {
                    throw new TimedOutException("timed out");
                }
                sock.settimeout(left);
                chunk = sock.recv(n - got.size());
            } catch (TimedOutException e) {
                throw new CheckFailed("client " + name + " waited " + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s for " + what + " (" + n + " bytes) and got "
                        + describe(got.toByteArray()));
            } catch (ConnectionResetException e) {
                throw new CheckFailed("client " + name + " waited for " + what + ": the server reset the connection after "
                        + describe(got.toByteArray()));
            }
            if (chunk.length == 0) {
                throw new CheckFailed("client " + name + " waited for " + what + ": the server closed the connection after "
                        + describe(got.toByteArray()));
            }
            got.writeBytes(chunk);
        }
        return got.toByteArray();
    }

    /** Receives {@code expected} exactly, or fails saying what came instead. */
    void expect(byte[] expected, double seconds, String what) throws CheckFailed, IOException {
        byte[] got = receive(expected.length, seconds, what + " " + BytesRepr.of(expected));
        if (!java.util.Arrays.equals(got, expected)) {
            throw new CheckFailed("client " + name + " expected " + what + " " + BytesRepr.of(expected) + "\n  and got "
                    + BytesRepr.of(got));
        }
    }

    void expect(String expected, double seconds, String what) throws CheckFailed, IOException {
        expect(expected.getBytes(StandardCharsets.UTF_8), seconds, what);
    }

    /**
     * Whatever arrives within {@code seconds} (stops early at end of stream).
     *
     * @return the bytes; {@link #sawEnd()} tells whether the server closed
     */
    byte[] drain(double seconds) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        ended = false;
        for (;;) {
            double left = (deadline - System.nanoTime()) / 1e9;
            if (left <= 0) {
                return got.toByteArray();
            }
            try {
                sock.settimeout(left);
                byte[] chunk = sock.recv(65536);
                if (chunk.length == 0) {
                    ended = true;
                    return got.toByteArray();
                }
                got.writeBytes(chunk);
            } catch (TimedOutException e) {
                return got.toByteArray();
            } catch (ConnectionResetException e) {
                ended = true;
                return got.toByteArray();
            }
        }
    }

    private boolean ended;

    /**
     * What arrives first, waiting at most {@code seconds}: some bytes, or null on a timeout or at end of
     * stream (then {@link #sawEnd()} is true).
     */
    byte[] drainSome(double seconds) throws IOException {
        ended = false;
        try {
            sock.settimeout(Math.max(seconds, 0.001));
            byte[] chunk = sock.recv(65536);
            if (chunk.length == 0) {
                ended = true;
                return null;
            }
            return chunk;
        } catch (TimedOutException e) {
            return null;
        } catch (ConnectionResetException e) {
            ended = true;
            return null;
        }
    }

    /** Whether the last {@link #drain} ended because the server closed the connection. */
    boolean sawEnd() {
        return ended;
    }

    /** Closes with a reset (SO_LINGER 0): the server's next read or write on it fails with ECONNRESET. */
    void reset() {
        try {
            sock.setsockopt(Sock.SOL_SOCKET, Sock.SO_LINGER, Sock.linger(true, 0));
        } catch (ErrnoException ignored) {
            // closed already
        }
        sock.close();
    }

    static String describe(byte[] got) {
        return got.length == 0 ? "nothing" : got.length + " bytes: " + BytesRepr.of(got.length <= 80 ? got
                : java.util.Arrays.copyOf(got, 80)) + (got.length > 80 ? "..." : "");
    }

    @Override
    public void close() {
        sock.close();
    }
}
