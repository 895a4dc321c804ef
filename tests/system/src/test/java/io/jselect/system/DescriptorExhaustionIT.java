package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10: every server at its descriptor limit (a child with {@code prlimit --nofile=256}). Before,
 * {@code echo-server --mechanism epoll-et} livelocked for good (never served its clients again and kept
 * their descriptors after they left), {@code chat-server} and {@code threaded-echo-server} spun at 100 %
 * CPU writing a warning per failed accept, and the level-triggered mechanisms slept 50 ms per turn while a
 * connection waited that they could not accept. Now each sheds the excess connection (its client sees
 * end of stream at once), keeps serving the others at normal speed, logs the episode once with a count,
 * and serves again as soon as descriptors are free.
 *
 * <p>About 2 s per server kind, mostly the child JVM's start.
 */
class DescriptorExhaustionIT {
    static final int NOFILE = 256;
    /** Connections shed on purpose once the limit is reached. */
    static final int EXTRA = 20;

    /** A server as the command line starts it, and whether it speaks chat (or the echo seed protocol). */
    record Kind(String name, boolean chat, String... args) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every server the demos jar has, and every mechanism of {@code echo-server}. */
    static List<Kind> allKinds() {
        return List.of(
                new Kind("echo-server select", false, "echo-server", "--mechanism", "select"),
                new Kind("echo-server poll", false, "echo-server", "--mechanism", "poll"),
                new Kind("echo-server epoll", false, "echo-server", "--mechanism", "epoll"),
                new Kind("echo-server epoll-et", false, "echo-server", "--mechanism", "epoll-et"),
                new Kind("echo-server selectors", false, "echo-server", "--mechanism", "selectors"),
                new Kind("selectors-echo-server", false, "selectors-echo-server"),
                new Kind("threaded-echo-server", false, "threaded-echo-server"),
                new Kind("chat-server", true, "chat-server"));
    }

    static Stream<Kind> kinds() {
        List<Kind> all = allKinds();
        if ("jna".equals(System.getProperty("jselect.backend"))) {
            // The accept path is the same code on every mechanism; on JNA, one of each way of waiting
            // that differs in its calls: select(2), edge-triggered epoll, blocking accept, the chat room.
            return all.stream().filter(k -> List.of("echo-server select", "echo-server epoll-et", "threaded-echo-server",
                    "chat-server").contains(k.name));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void servesOnShedsTheExcessAndRecoversAtTheDescriptorLimit(Kind kind) throws Exception {
        List<String> args = new ArrayList<>(List.of(kind.args));
        args.addAll(List.of("--port", "0"));
        List<Probe.Connected> served = new ArrayList<>();
        try (Processes.ServerChild server = new Processes.ServerChild(Processes.demosCommand(
                List.of("prlimit", "--nofile=" + NOFILE + ":" + NOFILE, "--"), List.of(), args.toArray(String[]::new)))) {
            long descriptorsIdle = server.openDescriptors();
            Probe probe = new Probe(server.port, kind.chat);
            try {
                // Up to the limit: every connection is served until one is shed.
                Probe.Connected c;
                while ((c = probe.connect()).served()) {
                    served.add(c);
                    assertTrue(served.size() < NOFILE, "served " + served.size() + " connections under a limit of " + NOFILE);
                }
                int shed = 1;
                long ticksBefore = server.cpuTicks();
                long started = System.nanoTime();
                for (int i = 0; i < EXTRA; i++) {
                    assertFalse(probe.connect().served(), "a connection past the limit was served");
                    shed++;
                }
                // Served connections keep their normal speed (a 50 ms sleep per turn took 2 s for these).
                Probe.Connected first = served.get(0);
                long roundTrips = System.nanoTime();
                for (int i = 0; i < 40; i++) {
                    probe.roundTrip(first.wire(), "ping" + i);
                }
                double roundTripSeconds = (System.nanoTime() - roundTrips) / 1e9;
                assertTrue(roundTripSeconds < 1.0, "40 round trips at the limit took " + roundTripSeconds + " s");
                // No spinning: the server stays nearly idle while out of descriptors (one CPU is 100 ticks a second).
                long ticks = server.cpuTicks() - ticksBefore;
                double seconds = (System.nanoTime() - started) / 1e9;
                assertTrue(ticks < 50 * seconds + 20, ticks + " ticks of CPU in " + seconds + " s at the limit");

                // Descriptors free up: the server serves again at once (no connection shed once it has
                // seen the clients leave and closed their sockets).
                long descriptorsFull = server.openDescriptors();
                for (int i = 0; i < 10; i++) {
                    served.remove(served.size() - 1).wire().close();
                }
                probe.awaitLeaves(10);
                SeedProtocolTest.waitUntil(() -> descriptors(server) <= descriptorsFull - 10);
                Probe.Connected again = probe.connect();
                assertTrue(again.served(), "not served after 10 clients left");
                probe.roundTrip(again.wire(), "again");
                served.add(again);

                // Everyone leaves: the server returns to its idle descriptors (epoll-et kept them all).
                int leaving = served.size();
                for (Probe.Connected s : served) {
                    s.wire().close();
                }
                served.clear();
                probe.awaitLeaves(leaving);
                long observer = kind.chat ? 1 : 0;
                SeedProtocolTest.waitUntil(() -> descriptors(server) <= descriptorsIdle + observer);

                String log = server.stop();
                assertEquals(1, count(log, "out of descriptors ("), "the episode starts once:\n" + tail(log));
                assertEquals(1, count(log, "out of descriptors no more after "), "and ends once:\n" + tail(log));
                assertTrue(log.contains(": " + shed + " connections closed at once"), "with the count, " + shed + ":\n" + tail(log));
                assertEquals(0, count(log, "accept failed"), tail(log));
                assertTrue(log.contains("(0 refused, " + observer + " still open)"), tail(log));
                assertTrue(log.contains(" " + shed + " shed, "), "the summary counts " + shed + " shed:\n" + tail(log));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the server's log:\n" + tail(server.child.err()), e);
            } finally {
                for (Probe.Connected s : served) {
                    s.wire().close();
                }
                probe.close();
            }
        }
    }

    private static long descriptors(Processes.ServerChild server) {
        try {
            return server.openDescriptors();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** The last lines of a log, for a failure message (a spinning server writes megabytes). */
    static String tail(String log) {
        return log.length() <= 3000 ? log : "..." + log.substring(log.length() - 3000);
    }
}
