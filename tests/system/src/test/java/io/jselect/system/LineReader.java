package io.jselect.system;

import io.jselect.socket.Sock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Reads a chat member's socket on a thread of its own, 64 KB at a time, and hands each line, without its
 * newline, to a consumer on that thread: a reader faster than the room writes (a line is decoded only if it
 * is not {@code ignored}), so that what a test measures is the room, not the reader. Ends at end of stream,
 * an error (kept for {@link #failure()}), or {@link #close()}.
 */
final class LineReader implements AutoCloseable {
    private final Sock sock;
    private final Thread thread;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    LineReader(Sock sock, Consumer<String> onLine) {
        this(sock, null, () -> { }, onLine);
    }

    /**
     * @param ignored lines equal to these bytes are only counted, through {@code onIgnored}; null for none
     */
    LineReader(Sock sock, byte[] ignored, Runnable onIgnored, Consumer<String> onLine) {
        this.sock = sock;
        this.thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            ByteArrayOutputStream partial = new ByteArrayOutputStream();
            try {
                for (;;) {
                    buffer.clear();
                    int n = sock.recvInto(buffer);
                    if (n == 0) {
                        return;
                    }
                    byte[] data = buffer.array();
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (data[i] == '\n') {
                            byte[] bytes = data;
                            int from = start;
                            int to = i;
                            if (partial.size() > 0) { // the line began in an earlier read
                                partial.write(data, start, i - start);
                                bytes = partial.toByteArray();
                                from = 0;
                                to = bytes.length;
                                partial.reset();
                            }
                            if (ignored != null && Arrays.equals(bytes, from, to, ignored, 0, ignored.length)) {
                                onIgnored.run();
                            } else {
                                onLine.accept(new String(bytes, from, to - from, StandardCharsets.UTF_8));
                            }
                            start = i + 1;
                        }
                    }
                    partial.write(data, start, n - start);
                }
            } catch (Exception e) {
                if (sock.fileno() >= 0) {
                    failure.set(e);
                }
            }
        }, "line-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** What ended the reading other than end of stream or {@link #close()}, if anything. */
    Exception failure() {
        return failure.get();
    }

    /** Closes the socket (which ends the reading) and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        sock.close();
        thread.join(10_000);
    }
}
