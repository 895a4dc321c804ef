package io.jselect.testing;

import io.jselect.ErrnoException;
import io.jselect.Os;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Real descriptors for tests: pipes and connected loopback TCP channels, all {@code AutoCloseable}. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A pipe from {@link Os#pipe()}; closing closes whichever ends are still open. */
    public static final class PipePair implements AutoCloseable {
        public final int r;
        public final int w;
        private boolean readClosed;
        private boolean writeClosed;

        public PipePair() throws ErrnoException {
            int[] fds = Os.pipe();
            r = fds[0];
            w = fds[1];
        }

        public void write(String s) throws ErrnoException {
            Os.write(w, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public void closeRead() throws ErrnoException {
            readClosed = true;
            Os.close(r);
        }

        public void closeWrite() throws ErrnoException {
            writeClosed = true;
            Os.close(w);
        }

        @Override
        public void close() throws ErrnoException {
            if (!readClosed) {
                closeRead();
            }
            if (!writeClosed) {
                closeWrite();
            }
        }
    }

    /** A connected pair of loopback TCP channels, blocking. */
    public static final class TcpPair implements AutoCloseable {
        public final SocketChannel client;
        public final SocketChannel server;

        public TcpPair() throws IOException {
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                client = SocketChannel.open(listener.getLocalAddress());
                server = listener.accept();
            }
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
        }
    }
}
