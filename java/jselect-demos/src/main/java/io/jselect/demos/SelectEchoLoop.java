package io.jselect.demos;

import io.jselect.ErrnoException;
import io.jselect.FileNo;
import io.jselect.Select;
import io.jselect.SelectResult;
import io.jselect.socket.Sock;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lesson's loop: {@code inputs} and {@code outputs} lists and {@code select(inputs, outputs, [], 1)}.
 * A reply is sent at once when nothing is queued before it; only what the kernel does not take waits
 * for {@code outputs}. A pipe in {@code inputs} lets another thread stop the loop.
 */
final class SelectEchoLoop extends EchoLoop {
    private final Set<FileNo> inputs = new LinkedHashSet<>();
    private final Set<FileNo> outputs = new LinkedHashSet<>();
    private final WakePipe waker = new WakePipe();

    SelectEchoLoop(Sock listener, EchoServer.Config config) throws ErrnoException {
        super(listener, config);
        inputs.add(listener);
        inputs.add(waker);
    }

    @Override
    void waitAndHandle() throws IOException {
        SelectResult<FileNo> ready = Select.select(inputs, outputs, List.of(), waitSeconds(1.0));
        for (FileNo s : ready.readable()) {
            if (isListener(s)) {
                onAcceptable();
            } else if (s == waker) {
                waker.drain();
            } else {
                onReadable((Connection) s);
            }
        }
        for (FileNo s : ready.writable()) {
            Connection c = (Connection) s;
            if (c.fileno() >= 0) { // not dropped while handling the readable ones
                onWritable(c);
            }
        }
    }

    @Override
    void watch(Connection c, boolean read, boolean write) {
        if (read) {
            inputs.add(c);
        } else {
            inputs.remove(c);
        }
        if (write) {
            outputs.add(c); // a set: one entry however many replies wait
        } else {
            outputs.remove(c);
        }
    }

    @Override
    void watchListener(boolean watch) {
        if (watch) {
            inputs.add(listener);
        } else {
            inputs.remove(listener);
        }
    }

    @Override
    void wake() {
        waker.wake();
    }

    @Override
    void closeMechanism() {
        waker.close();
    }
}
