package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jselect.demos.EchoLoad;
import io.jselect.demos.EchoServer;
import io.jselect.demos.ServerStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many clients at once, every byte checked by the load client. */
class LoadTest {
    static EchoLoad.Result load(int port, int connections, long messages, boolean seed) throws Exception {
        EchoLoad load = new EchoLoad();
        picocli.CommandLine cli = new picocli.CommandLine(load);
        cli.parseArgs("--port", String.valueOf(port), "--connections", String.valueOf(connections),
                "--messages", String.valueOf(messages), "--warmup", "0", "--quiet", "--max-seconds", "120",
                "--greeting", seed ? "hello" : "", "--suffix", seed ? "response" : "");
        return load.run();
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void twoHundredClientsTimesAHundredMessages(Servers kind) throws Exception {
        ServerStats stats;
        try (EchoServer.Running server = kind.start(EchoServer.Mode.SEED)) {
            stats = server.stats();
            EchoLoad.Result r = load(server.port(), 200, 100, true);
            assertEquals(0, r.errors(), r.json());
            assertEquals(200, r.connected(), r.json());
            assertEquals(200L * (5 + 100 * (64 + 8)), r.verifiedBytes(), "every byte came back and was checked: " + r.json());
        }
        // Read once the server has stopped: its counters are exact only then (ServerStats says why).
        assertEquals(200L * 100, stats.chunks(), stats.summary());
    }

    /**
     * {@code --idle}: idle connections are answered once and then held, silent, beside the active ones;
     * the server sees them all and answers only the active ones' round trips.
     */
    @ParameterizedTest
    @EnumSource(value = Servers.class, names = {"EPOLL", "THREADED"})
    void idleConnectionsAreHeldBesideTheActiveOnes(Servers kind) throws Exception {
        for (boolean seed : new boolean[] {true, false}) {
            ServerStats stats;
            EchoLoad.Result r;
            try (EchoServer.Running server = kind.start(seed ? EchoServer.Mode.SEED : EchoServer.Mode.ECHO)) {
                stats = server.stats();
                EchoLoad load = new EchoLoad();
                new picocli.CommandLine(load).parseArgs("--port", String.valueOf(server.port()), "--connections", "3",
                        "--idle", "40", "--messages", "50", "--warmup", "0", "--quiet", "--max-seconds", "60",
                        "--greeting", seed ? "hello" : "", "--suffix", seed ? "response" : "");
                r = load.run();
                assertEquals(0, r.errors(), r.json());
                assertEquals(3, r.connected(), r.json());
                assertEquals(40, r.idleHeld(), "every idle connection answered once and still open: " + r.json());
                // Idle ones: the greeting (seed) or one message (echo), verified; active ones: 50 round trips.
                long expected = seed ? 3L * (5 + 50 * 72) + 40 * 5 : 3L * 50 * 64 + 40 * 64;
                assertEquals(expected, r.verifiedBytes(), "only the active connections ping-pong: " + r.json());
            }
            // Seed mode: idle connections are greeted and never send; echo mode: each makes one round trip.
            assertEquals(43, stats.accepted(), stats.summary());
            assertEquals(3L * 50 + (seed ? 0 : 40), stats.chunks(), stats.summary());
        }
    }

    /** Past FD_SETSIZE: select works here (Python's refuses descriptors past 1024), and so does epoll. */
    @ParameterizedTest
    @EnumSource(value = Servers.class, names = {"SELECT", "EPOLL"})
    void fifteenHundredSimultaneousClients(Servers kind) throws Exception {
        try (EchoServer.Running server = kind.start(EchoServer.Mode.ECHO)) {
            EchoLoad.Result r = load(server.port(), 1500, 5, false);
            assertEquals(0, r.errors(), r.json());
            assertEquals(1500, r.connected(), r.json());
            assertEquals(1500L * 5 * 64, r.verifiedBytes(), r.json());
        }
    }
}
