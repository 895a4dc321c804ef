package io.jselect.system;

import io.jselect.socket.Sock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A test's side of a connection: a blocking socket with a timeout, so no test can hang on it. */
final class Wire implements AutoCloseable {
    final Sock sock;

    Wire(int port) throws IOException {
        sock = Sock.createConnection("127.0.0.1", port, 10.0);
        sock.settimeout(10.0);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    void send(byte[] data) throws IOException {
        sock.sendall(data);
    }

    void send(String s) throws IOException {
        send(utf8(s));
    }

    /** Exactly {@code n} bytes; fails on end of stream or after the socket's timeout. */
    byte[] recvExactly(int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream(n);
        while (got.size() < n) {
            byte[] chunk = sock.recv(n - got.size());
            if (chunk.length == 0) {
                throw new IOException("end of stream after " + got.size() + " of " + n + " bytes");
            }
            got.writeBytes(chunk);
        }
        return got.toByteArray();
    }

    String recvString(int n) throws IOException {
        return new String(recvExactly(n), StandardCharsets.UTF_8);
    }

    /** True when the peer closed: the next recv returns end of stream (or a reset). */
    boolean closedByPeer() throws IOException {
        try {
            return sock.recv(1).length == 0;
        } catch (io.jselect.ConnectionResetException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        sock.close();
    }
}
