package io.jselect.system;

import static io.jselect.selectors.BaseSelector.EVENT_READ;

import io.jselect.selectors.DefaultSelector;
import io.jselect.selectors.Ready;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.io.IOException;

/**
 * The README's Java twin of Python's selectors echo server (python/selectors_server.py), compiled and
 * tested (SelectorsEchoTwinTest) so the README cannot drift from working code. Only the port is a
 * parameter here, and the loop stops when the selector is closed.
 */
final class SelectorsEchoTwin {
    interface Callback {
        void call(Sock sock, int mask) throws IOException;
    }

    final DefaultSelector<Callback> sel = new DefaultSelector<>();

    SelectorsEchoTwin() throws IOException {
    }

    void accept(Sock sock, int mask) throws IOException {
        Accepted a = sock.accept();
        System.out.println("accepted " + a.socket() + " from " + a.address());
        a.socket().setblocking(false);
        sel.register(a.socket(), EVENT_READ, this::read);
    }

    void read(Sock conn, int mask) throws IOException {
        byte[] data = conn.recv(1024);
        if (data.length > 0) {
            System.out.println("echoing " + data.length + " bytes to " + conn);
            conn.send(data);
        } else {
            System.out.println("closing " + conn);
            sel.unregister(conn);
            conn.close();
        }
    }

    void serve(Sock sock) throws IOException {
        sock.listen(100);
        sock.setblocking(false);
        sel.register(sock, EVENT_READ, this::accept);
        while (!sel.isClosed()) {
            for (Ready<Callback> r : sel.select()) {
                Callback callback = r.key().data();
                callback.call((Sock) r.key().fileobj(), r.events());
            }
        }
    }
}
