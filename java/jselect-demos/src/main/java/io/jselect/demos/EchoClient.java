package io.jselect.demos;

import io.jselect.ConnectionResetException;
import io.jselect.ErrnoException;
import io.jselect.socket.Sock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson's interactive client: prints the greeting, then for each line typed sends its bytes (no
 * newline) and prints the reply, both as Python prints bytes ({@code b'abcresponse'}), so a transcript
 * matches the Python client's line for line. Unlike it: empty lines are skipped (the Python client sends
 * nothing and waits forever), a reply longer than one {@code recv(1024)} is printed whole, end of input
 * ends the client with status 0, and a dropped connection is reported as such.
 */
@Command(name = "echo-client", mixinStandardHelpOptions = true,
        description = "The lesson's interactive echo client: type lines, see the server's replies.")
public final class EchoClient implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8888", description = "server port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--mode", defaultValue = "seed", converter = Cli.ModeConverter.class,
            description = "seed (expect the greeting and the 'response' suffix) or echo (default ${DEFAULT-VALUE})")
    EchoServer.Mode mode;

    @Option(names = "--text", description = "print replies as text instead of Python's b'...' form")
    boolean text;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public EchoClient() {
        this(System.in, System.out, System.err);
    }

    EchoClient(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        try (Sock sock = Sock.createConnection(host, port)) {
            sock.setsockopt(Sock.IPPROTO_TCP, Sock.TCP_NODELAY, 1);
            if (mode.seed()) {
                byte[] greeting = sock.recv(1024);
                if (greeting.length == 0) {
                    return dropped();
                }
                print(greeting);
            }
            for (;;) {
                out.print(">>>");
                out.flush();
                byte[] line = readLine();
                if (line == null) {
                    return 0; // end of input
                }
                if (line.length == 0) {
                    continue; // nothing to send, so nothing would come back
                }
                sock.sendall(line);
                byte[] reply = readReply(sock, line.length);
                if (reply == null) {
                    return dropped();
                }
                print(reply);
            }
        } catch (ConnectionResetException e) {
            return dropped();
        } catch (IOException e) {
            err.println("echo-client: " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
    }

    private int dropped() {
        out.flush();
        err.println("echo-client: the server at " + host + ":" + port + " closed the connection");
        return 1;
    }

    private void print(byte[] data) {
        out.println(text ? new String(data, StandardCharsets.UTF_8) : BytesRepr.of(data));
        out.flush();
    }

    /** One line from the input without its newline (bytes as typed), or null at end of input. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return b == -1 && line.size() == 0 ? null : line.toByteArray();
    }

    /**
     * Reads the reply to a message of {@code sent} bytes: at least the message back, plus in seed mode
     * one {@code response} per 1024-byte chunk, plus whatever else is already there.
     *
     * @return the reply, or null when the server closed the connection
     */
    private byte[] readReply(Sock sock, int sent) throws ErrnoException {
        int expected = sent + (mode.seed() ? EchoServer.SUFFIX.length * ((sent + EchoServer.CHUNK - 1) / EchoServer.CHUNK) : 0);
        ByteArrayOutputStream reply = new ByteArrayOutputStream(expected);
        while (reply.size() < expected) {
            byte[] chunk = sock.recv(1024);
            if (chunk.length == 0) {
                return null;
            }
            reply.writeBytes(chunk);
        }
        // Should the server have answered in more chunks than the minimum, take what has arrived too.
        for (;;) {
            byte[] more;
            try {
                more = sock.recv(1024, Sock.MSG_DONTWAIT);
            } catch (io.jselect.BlockingIOException nothingMore) {
                break;
            }
            if (more.length == 0) {
                break;
            }
            reply.writeBytes(more);
        }
        return reply.toByteArray();
    }
}
