package ex5;

import io.jselect.ErrnoException;
import io.jselect.lab.Lab;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Exercise 5: the echo service with a thread per connection and blocking sockets. The protocol and most
 * checks are exercise 1's; the grader also checks that each client gets a thread and that the thread ends
 * when its client leaves. Then measure it against your servers of exercises 1 to 3 with the
 * threads-vs-events experiment, and answer the questions of WRITEUP.md.
 */
public final class ThreadedEchoServer {
    static final byte[] GREETING = "hello".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SUFFIX = "response".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        Sock server = Lab.listen("ex5", args); // blocking: accept waits for the next client
        for (;;) {
            Accepted a;
            try {
                a = server.accept();
            } catch (ErrnoException e) {
                System.err.println("accept: " + e.getMessage());
                continue;
            }
            // TODO exercise 5: serve a.socket() on a new thread (a daemon, so that it never keeps the
            //  server alive), and go straight back to accept.
            serve(a.socket());
        }
    }

    /** One client, start to end, on its own thread: greet, then answer each chunk, until the client leaves. */
    static void serve(Sock conn) {
        // TODO exercise 5: sendall the greeting; recv(1024) until it returns an empty array (the client
        //  closed), answering each chunk with chunk + SUFFIX (sendall: blocking is fine, only this thread
        //  waits). A ErrnoException (reset, broken pipe) means the client is gone. Close conn in a finally.
        throw new UnsupportedOperationException("TODO exercise 5: serve " + conn);
    }
}
