package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jselect.socket.Sock;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's selectors echo server works as its Python original does. */
class SelectorsEchoTwinTest {
    @Test
    void echoes() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        SelectorsEchoTwin twin = new SelectorsEchoTwin();
        Sock listener = Sock.create();
        try {
            listener.bind("127.0.0.1", 0);
            listener.listen(100); // before the clients connect; serve() listening again is harmless
            int port = ((InetSocketAddress) listener.getsockname()).getPort();
            Future<?> server = pool.submit(() -> {
                twin.serve(listener);
                return null;
            });
            try (Wire a = new Wire(port); Wire b = new Wire(port)) {
                a.send("one");
                b.send("two");
                assertEquals("two", b.recvString(3));
                assertEquals("one", a.recvString(3));
            }
            twin.sel.close(); // wakes the select; the loop sees the selector closed and returns
            try {
                server.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException closedUnderIt) {
                // a select that began after close() reports the selector closed: also a way to stop
            }
        } finally {
            twin.sel.close();
            listener.close();
            pool.shutdownNow();
        }
    }
}
