package io.jselect.lab;

import io.jselect.socket.Sock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * What an exercise's server needs from the lab beyond jselect: a listening socket, announced the way the
 * graders and the experiments expect.
 */
public final class Lab {
    private Lab() {
    }

    /**
     * Creates the server's listening socket on 127.0.0.1 (SO_REUSEADDR on, backlog 1024, blocking) and
     * prints {@code NAME listening on 127.0.0.1:PORT} on stdout: the grader waits for that line.
     *
     * @param name the server's name, for the line
     * @param args the program's arguments: {@code args[0]} is the port, 8888 when absent, 0 for any free one
     * @return the listening socket
     * @throws IllegalArgumentException when {@code args[0]} is not a port number
     * @throws IOException when the port is taken or the socket cannot be made
     */
    public static Sock listen(String name, String[] args) throws IOException {
        int port = 8888;
        if (args.length > 0) {
            try {
                port = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port must be a number from 0 to 65535, got '" + args[0] + "'");
            }
        }
        Sock listener = Sock.createServer("127.0.0.1", port, 1024, false);
        int actual = ((InetSocketAddress) listener.getsockname()).getPort();
        System.out.println(name + " listening on 127.0.0.1:" + actual);
        System.out.flush();
        exitWithParent();
        return listener;
    }

    /**
     * Started by a grader or an experiment, a server exits when its parent does: the parent holds the write
     * end of its stdin, which then reads end of file. (A server run by hand is left alone.)
     */
    public static void exitWithParent() {
        if (System.getenv(ChildServer.PARENT_ENV) == null) {
            return;
        }
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // nothing is ever sent; only the end matters
                }
            } catch (IOException ignored) {
                // the same: the parent is gone
            }
            Runtime.getRuntime().halt(0);
        }, "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
    }
}
