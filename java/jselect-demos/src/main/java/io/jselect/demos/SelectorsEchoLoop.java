package io.jselect.demos;

import static io.jselect.selectors.BaseSelector.EVENT_READ;
import static io.jselect.selectors.BaseSelector.EVENT_WRITE;

import io.jselect.ErrnoException;
import io.jselect.selectors.DefaultSelector;
import io.jselect.selectors.Ready;
import io.jselect.socket.Sock;
import java.io.IOException;

/**
 * The lesson's second version: the same service on {@code DefaultSelector}, each registration carrying
 * its callback as data, and the loop calling {@code key.data(fileobj, mask)}, as Python's
 * {@code callback = key.data; callback(key.fileobj, mask)}.
 */
final class SelectorsEchoLoop extends EchoLoop {
    /** A registration's data: what to do when its file object is ready. */
    @FunctionalInterface
    interface Callback {
        void call(Object fileobj, int mask) throws IOException;
    }

    private final DefaultSelector<Callback> sel = new DefaultSelector<>();
    private final Callback serve = (fileobj, mask) -> {
        Connection c = (Connection) fileobj;
        if ((mask & EVENT_READ) != 0) {
            onReadable(c);
        }
        if ((mask & EVENT_WRITE) != 0 && c.fileno() >= 0) {
            onWritable(c);
        }
    };

    SelectorsEchoLoop(Sock listener, EchoServer.Config config) throws ErrnoException {
        super(listener, config);
        watchListener(true);
    }

    @Override
    void waitAndHandle() throws IOException {
        for (Ready<Callback> ready : sel.select(waitSeconds(1.0))) {
            Callback callback = ready.key().data();
            callback.call(ready.key().fileobj(), ready.events());
        }
    }

    @Override
    void watch(Connection c, boolean read, boolean write) throws ErrnoException {
        int events = (read ? EVENT_READ : 0) | (write ? EVENT_WRITE : 0);
        boolean registered = sel.getMap().containsKey(c);
        if (events == 0) {
            if (registered) {
                sel.unregister(c);
            }
        } else if (registered) {
            sel.modify(c, events, serve);
        } else {
            sel.register(c, events, serve);
        }
    }

    @Override
    void watchListener(boolean watch) throws ErrnoException {
        if (watch) {
            sel.register(listener, EVENT_READ, (fileobj, mask) -> onAcceptable());
        } else {
            sel.unregister(listener);
        }
    }

    @Override
    void wake() {
        sel.wakeup();
    }

    @Override
    void closeMechanism() {
        sel.close();
    }
}
