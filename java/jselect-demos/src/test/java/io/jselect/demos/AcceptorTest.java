package io.jselect.demos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.Errno;
import io.jselect.ErrnoException;
import io.jselect.socket.Accepted;
import io.jselect.socket.Sock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The {@link Acceptor} at a real descriptor limit, in a child JVM ({@code prlimit --nofile=64}): it sheds
 * with its spare, and when the spare cannot be reopened (as when another thread takes the freed slot) it
 * pauses instead of spinning, and resumes once a descriptor is free. The servers' tests cannot make the
 * spare be lost; this one makes reopening it fail.
 */
class AcceptorTest {
    @Test
    void shedsPausesWithoutItsSpareAndResumes() throws Exception {
        Path out = Files.createTempFile("acceptor-", ".out");
        try {
            Process child = new ProcessBuilder("prlimit", "--nofile=64:64", "--",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AcceptorTest.class.getName())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
            String output = Files.readString(out);
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("all checks passed"), output);
            // Logged once per episode (two, the second without a pause), never per connection.
            for (Map.Entry<String, Integer> line : Map.of("out of descriptors (", 2, "out of descriptors no more after ", 2,
                    "no spare descriptor to close new connections with", 1, "accepting again", 1).entrySet()) {
                assertEquals(line.getValue(), output.split(java.util.regex.Pattern.quote(line.getKey()), -1).length - 1,
                        line.getKey() + " in\n" + output);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The child: every check fails it with a message. */
    public static void main(String[] args) throws Exception {
        Sock listener = Sock.createServer("127.0.0.1", 0, 16, false);
        listener.setblocking(false);
        List<Sock> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(Sock.create());
        }
        // While a thief is about, it takes every descriptor freed before the acceptor can reopen its spare.
        AtomicBoolean thief = new AtomicBoolean();
        List<Sock> stolen = new ArrayList<>();
        ServerStats stats = new ServerStats();
        Acceptor acceptor = new Acceptor(listener, stats, LoggerFactory.getLogger(AcceptorTest.class), () -> {
            if (thief.get()) {
                try {
                    stolen.add(Sock.create(Sock.AF_UNIX, Sock.SOCK_DGRAM));
                } catch (ErrnoException none) {
                    // nothing to steal
                }
            }
            return Sock.create(Sock.AF_UNIX, Sock.SOCK_DGRAM);
        });
        // Classes load from directories here (not from the one open jar a server runs from): load now
        // those needed later, when no descriptor is left to open a class file with.
        ErrnoException.of("warm-up", Errno.EMFILE, "Too many open files");
        try (Sock warm = Sock.create()) {
            warm.connect(listener.getsockname());
            List<Accepted> warmed = new ArrayList<>();
            acceptor.acceptPending(16, warmed::add);
            check(warmed.size() == 1, "warming up: " + warmed.size() + " accepted");
            warmed.get(0).socket().close();
        }
        new Episode(LoggerFactory.getLogger(AcceptorTest.class), "warm-up", "strikes").end();
        List<Sock> fillers = new ArrayList<>();
        try {
            for (;;) {
                fillers.add(Sock.create(Sock.AF_UNIX, Sock.SOCK_DGRAM));
            }
        } catch (ErrnoException full) {
            check(full.errno() == Errno.EMFILE, "filling up ended with " + full);
        }
        List<Accepted> admitted = new ArrayList<>();

        // Out of descriptors, with the spare: the connection is shed, and the thief takes the slot it
        // freed. Asking for the next connection fails with EMFILE again (the kernel wants a descriptor before
        // it looks at the queue), and with no spare left to shed with, accepting pauses.
        clients.get(0).connect(listener.getsockname());
        thief.set(true);
        acceptor.acceptPending(16, admitted::add);
        check(stats.shed() == 1 && admitted.isEmpty() && stolen.size() == 1, "shed with the spare: " + stats.shed());
        check(clients.get(0).recv(1).length == 0, "the shed client sees end of stream");
        check(acceptor.paused(), "not paused without a spare");

        // Paused: a new connection waits, and no resuming while no descriptor is free.
        clients.get(1).connect(listener.getsockname());
        acceptor.acceptPending(16, admitted::add);
        check(stats.shed() == 1 && admitted.isEmpty(), "accepted while paused");
        check(!acceptor.tryResume(), "resumed with no descriptor free");

        // Descriptors free up: resume (the spare back) and accept the connection that waited.
        thief.set(false);
        fillers.remove(0).close();
        fillers.remove(0).close();
        check(acceptor.tryResume() && !acceptor.paused(), "did not resume with descriptors free");
        acceptor.acceptPending(16, admitted::add);
        check(admitted.size() == 1 && stats.shed() == 1, "the waiting connection was not accepted: " + admitted.size());

        // Full again, with the spare. A thief takes the slot while the spare is out for a look at an empty
        // queue (the kernel wants a descriptor before it looks), and gives it back a moment later: the next
        // connection must not get that slot, the spare must.
        thief.set(true);
        acceptor.acceptPending(16, admitted::add);
        thief.set(false);
        check(stolen.size() == 2 && !acceptor.paused(), "the thief did not take the spare's slot: " + stolen.size());
        stolen.remove(1).close();
        clients.get(2).connect(listener.getsockname());
        acceptor.acceptPending(16, admitted::add);
        check(admitted.size() == 1 && stats.shed() == 2, "a connection took the spare's slot: " + admitted.size() + " accepted");
        acceptor.close();
        System.out.println("all checks passed");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.out.println("FAILED: " + what);
            System.exit(1);
        }
    }
}
