package ex5;

import io.jselect.ErrnoException;
import io.jselect.lab.Lab;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Exercise 5, reference solution: the echo service with a thread per connection and blocking sockets.
 * Each client's thread reads, answers, and ends when its client leaves; a slow client blocks only its own
 * thread. Simple to write; each connection costs a thread, its stack and the scheduler's attention.
 */
public final class ThreadedEchoServer {
    static final byte[] GREETING = "hello".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        Sock server = Lab.listen("ex5", args);
        for (;;) {
            Accepted a;
            try {
                a = server.accept();
            } catch (ErrnoException e) {
                System.err.println("accept: " + e.getMessage());
                continue;
            }
            Thread t = new Thread(() -> serve(a.socket()), "client-" + a.address());
            t.setDaemon(true);
            t.start();
        }
    }

    static void serve(Sock conn) {
        try {
            conn.sendall(GREETING);
            for (;;) {
                byte[] data = conn.recv(1024);
                if (data.length == 0) {
                    return; // the client closed
                }
                byte[] reply = Arrays.copyOf(data, data.length + SUFFIX.length);
                System.arraycopy(SUFFIX, 0, reply, data.length, SUFFIX.length);
                conn.sendall(reply); // blocks while the client does not read: only this thread waits
            }
        } catch (ErrnoException e) {
            // reset or broken pipe: the client is gone
        } finally {
            conn.close();
        }
    }
}
