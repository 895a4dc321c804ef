package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: {@code threaded-echo-server} at a thread limit. {@code OutOfMemoryError: unable to create native
 * thread} escaped its accept loop, which died for good: no client was served again, and the summary showed
 * a connection "still open". Now the connection whose thread cannot start is closed and counted, and
 * accepting goes on.
 *
 * <p>The limit is RLIMIT_NPROC, which counts every thread of the user, so the child runs as a user of its
 * own: as root (whom the limit does not bind), under an otherwise unused uid; otherwise in a user
 * namespace, where the count is the namespace's own. About 2 s.
 */
class ThreadExhaustionIT {
    /** Threads the child may have: the JVM's own (about 20 with the options below) and some for clients. */
    static final int NPROC = 64;

    @Test
    void aConnectionWhoseThreadCannotStartIsClosedAndAcceptingGoesOn() throws Exception {
        List<String> jvm = List.of(
                // A fixed set of JVM threads, started at once: none of them later competes for a freed slot.
                "-XX:+UseSerialGC", "-XX:CICompilerCount=2", "-XX:-UseDynamicNumberOfCompilerThreads");
        List<Probe.Connected> served = new ArrayList<>();
        try (Processes.ServerChild server = new Processes.ServerChild(Processes.demosCommand(threadLimit(NPROC), jvm,
                "threaded-echo-server", "--port", "0"));
                Probe probe = new Probe(server.port, false)) {
            try {
                assertTrue(server.child.err().contains("backend " + System.getProperty("jselect.backend", "jni") + ")"),
                        server.child.err());
                Probe.Connected c;
                while ((c = probe.connect()).served()) {
                    served.add(c);
                    assertTrue(served.size() < NPROC, "served " + served.size() + " connections under a limit of " + NPROC + " threads");
                }
                int shed = 1;
                for (int i = 0; i < 5; i++) {
                    assertFalse(probe.connect().served(), "a connection was served with no thread to serve it");
                    shed++;
                }
                for (Probe.Connected s : served) {
                    probe.roundTrip(s.wire(), "still");
                }
                // Threads end as clients leave: their connections are served again.
                long threadsFull = threads(server);
                for (int i = 0; i < 3; i++) {
                    served.remove(served.size() - 1).wire().close();
                }
                SeedProtocolTest.waitUntil(() -> threadsOf(server) <= threadsFull - 3);
                Probe.Connected again = probe.connect();
                assertTrue(again.served(), "not served after 3 clients left");
                probe.roundTrip(again.wire(), "again");
                served.add(again);
                for (Probe.Connected s : served) {
                    s.wire().close();
                }
                served.clear();
                // Stopped once every client has gone, so that the JVM has threads for its shutdown.
                SeedProtocolTest.waitUntil(() -> count(server, " - disconnected ") == count(server, " - connected "));
                String log = server.stop();
                assertEquals(1, DescriptorExhaustionIT.count(log, "out of threads ("), DescriptorExhaustionIT.tail(log));
                assertEquals(1, DescriptorExhaustionIT.count(log, "out of threads no more after "), DescriptorExhaustionIT.tail(log));
                assertTrue(log.contains(": " + shed + " connections closed at once"), DescriptorExhaustionIT.tail(log));
                assertTrue(log.contains("(0 refused, 0 still open)"), DescriptorExhaustionIT.tail(log));
                assertTrue(log.contains(" " + shed + " shed, "), DescriptorExhaustionIT.tail(log));
            } finally {
                for (Probe.Connected s : served) {
                    s.wire().close();
                }
            }
        }
    }

    private static int count(Processes.ServerChild server, String needle) {
        return DescriptorExhaustionIT.count(server.child.err(), needle);
    }

    /**
     * The command that runs the rest under a limit of {@code n} threads for a user of its own (see the
     * class comment).
     */
    static List<String> threadLimit(int n) throws IOException {
        List<String> limit = List.of("prlimit", "--nproc=" + n + ":" + n, "--");
        List<String> command = new ArrayList<>();
        if (Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"))) {
            int uid = unusedUid();
            command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
        } else {
            command.addAll(List.of("unshare", "--user", "--map-root-user"));
        }
        command.addAll(limit);
        return command;
    }

    /** A uid no process runs as, so that the limit counts the child's threads only. */
    private static int unusedUid() throws IOException {
        java.util.Set<String> used = new java.util.HashSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                try {
                    for (String line : Files.readAllLines(p.resolve("status"))) {
                        if (line.startsWith("Uid:")) {
                            used.add(line.split("\\s+")[1]);
                        }
                    }
                } catch (IOException | RuntimeException notAProcess) {
                    // gone, or not a process directory
                }
            }
        }
        for (int uid = 54_321; ; uid++) {
            if (!used.contains(String.valueOf(uid))) {
                return uid;
            }
        }
    }

    static long threads(Processes.ServerChild server) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(server.pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no Threads: line");
    }

    private static long threadsOf(Processes.ServerChild server) {
        try {
            return threads(server);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
