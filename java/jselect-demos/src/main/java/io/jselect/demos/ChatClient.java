package io.jselect.demos;

import io.jselect.Os;
import io.jselect.Select;
import io.jselect.SelectResult;
import io.jselect.socket.Sock;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chat room's client: one {@code select} over standard input and the socket, so lines from the
 * room appear while you type. Standard input is read raw from descriptor 0 (a buffered stream could
 * hold data select cannot see); select rather than epoll, so a file redirected to stdin works too.
 */
@Command(name = "chat-client", mixinStandardHelpOptions = true,
        description = "Join the chat room: lines you type go to everyone; everyone's lines appear as they come.")
public final class ChatClient implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8889", description = "server port (default ${DEFAULT-VALUE})")
    int port;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        try (Sock sock = Sock.createConnection(host, port)) {
            List<Object> inputs = List.of(FileDescriptor.in, sock);
            boolean stdinOpen = true;
            for (;;) {
                SelectResult<Object> ready = Select.select(stdinOpen ? inputs : List.of(sock), List.of(), List.of());
                for (Object source : ready.readable()) {
                    if (source == sock) {
                        byte[] data = sock.recv(4096);
                        if (data.length == 0) {
                            out.flush();
                            System.err.println("chat-client: the server at " + host + ":" + port + " closed the connection");
                            return stdinOpen ? 1 : 0;
                        }
                        out.write(data);
                        out.flush();
                    } else {
                        byte[] typed = Os.read(0, 4096);
                        if (typed.length == 0) {
                            stdinOpen = false; // end of input: say so, and keep listening until the server closes
                            sock.shutdown(Sock.SHUT_WR);
                        } else {
                            sock.sendall(typed);
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("chat-client: " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
    }
}
