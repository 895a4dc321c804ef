package io.jselect.lab.grading;

import io.jselect.Epoll;
import io.jselect.ErrnoException;
import io.jselect.TimedOutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Exercise 3's own checks: edge-triggered registrations, and fairness under a client that never stops. */
final class EdgeTriggeredChecks {
    private EdgeTriggeredChecks() {
    }

    static void registeredEdgeTriggered(Target t) throws Exception {
        Client a = t.greeted("A");
        Client b = t.greeted("B");
        Map<Long, Integer> registrations = t.epollRegistrations();
        for (Client c : new Client[] {a, b}) {
            long inode = t.serverSocketInode(c);
            Integer events = registrations.get(inode);
            if (events == null) {
                throw new CheckFailed("client " + c.name + " (" + c.address() + ") is connected, but your server's socket "
                        + "for it is registered with no epoll instance (read from /proc/" + t.pid() + "/fdinfo)\n"
                        + "  look at: register each accepted socket with the Epoll you wait on");
            }
            if ((events & Epoll.EPOLLET) == 0) {
                throw new CheckFailed("your server's socket for client " + c.name + " is registered with events 0x"
                        + Integer.toHexString(events) + " (from /proc/" + t.pid() + "/fdinfo): no EPOLLET (0x80000000)\n"
                        + "  look at: exercise 3 is edge-triggered: register client sockets with EPOLLIN | EPOLLET "
                        + "(and EPOLLOUT when you want to know they are writable)");
            }
        }
    }

    /**
     * Client F sends without pause (and reads its replies as fast as they come, so the server is never
     * held back by F's queue); meanwhile client B must get five round trips through.
     */
    static void fairness(Target t) throws Exception {
        Client b = t.greeted("B");
        // A big send buffer, so that F's data never runs dry on the server's side between two of F's sends.
        Client f = t.connect("F", 0, 4 << 20);
        f.expect("hello", 3, "the greeting");
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'F');
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        f.sock.settimeout(0.5);
        Thread sender = new Thread(() -> {
            while (!stop.get()) {
                try {
                    sent.addAndGet(f.sock.send(block));
                } catch (TimedOutException full) {
                    // the server is behind: keep trying, that is the point
                } catch (ErrnoException gone) {
                    return;
                }
            }
        }, "grader-flood-send");
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    if (f.sock.recv(256 * 1024).length == 0) {
                        return;
                    }
                } catch (TimedOutException nothing) {
                    // keep reading
                } catch (ErrnoException gone) {
                    return;
                }
            }
        }, "grader-flood-read");
        sender.setDaemon(true);
        reader.setDaemon(true);
        sender.start();
        reader.start();
        int done = 0;
        try {
            // Let F flood for a while first: until the server's hot path is compiled, the JIT's threads take
            // CPU from F's sender, F runs dry now and then, and even an unfair server gets to B.
            long start = System.nanoTime();
            while (sent.get() < (256L << 20) && System.nanoTime() - start < 2_000_000_000L) {
                Thread.sleep(10);
            }
            long deadline = System.nanoTime() + 4_000_000_000L;
            for (; done < 5; done++) {
                byte[] ping = ("ping" + done).getBytes(StandardCharsets.US_ASCII);
                b.send(ping);
                double left = (deadline - System.nanoTime()) / 1e9;
                b.expect(EchoChecks.concat(ping, EchoChecks.SUFFIX), Math.max(0.001, left), "the reply:");
            }
        } catch (CheckFailed f2) {
            throw new CheckFailed("while client F sent without pause (" + sent.get() + " bytes so far) and read its "
                    + "replies, client B got " + done + " of 5 round trips through in 4 s:\n  " + f2.getMessage()
                    + "\n  look at: reading F until EAGAIN never ends when F never runs dry. Read at most a budget "
                    + "per turn (say 16 chunks); if F still has data, keep it on a ready list of your own and come "
                    + "back to it after the others: with EPOLLET no new event will remind you");
        } finally {
            stop.set(true);
            f.close();
            sender.join(2000);
            reader.join(2000);
        }
    }
}
