package io.jselect.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the echo comparison (run-echo.sh) once, briefly, through the very script that makes the README's
 * table, so that it cannot rot: every server starts, listens, echoes two connections' ping-pong with
 * every byte verified, has its CPU time read, stops, and lands in the table. It times nothing.
 */
class EchoComparisonIT {
    private static final List<String> SERVERS = List.of("c", "jselect-epoll", "jselect-epoll-et", "jselect-poll",
            "jselect-select", "jselect-select-seed", "nio", "netty", "python-select");

    @Test
    void everyServerEchoesTwoConnectionsWithoutAnError() throws IOException, InterruptedException {
        Path out = Path.of("target", "echo-smoke");
        Path log = Path.of("target", "echo-smoke.log");
        Process script = new ProcessBuilder("bash", "run-echo.sh", "--no-build", "--rounds", "1", "--connections", "2",
                "--warmup", "0.5", "--duration", "1", "--max-minutes", "4", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!script.waitFor(5, TimeUnit.MINUTES)) {
            script.destroy();
            script.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("run-echo.sh did not finish:\n" + read(log));
        }
        assertEquals(0, script.exitValue(), read(log));

        List<String> runs = Files.readAllLines(out.resolve("runs.jsonl"), StandardCharsets.UTF_8);
        Set<String> served = new TreeSet<>();
        for (String run : runs) {
            String what = field(run, "server") + " " + field(run, "backend") + ": " + run;
            assertFalse(run.contains("\"failed\""), what);
            assertEquals("0", field(run, "errors"), what);
            assertEquals("2", field(run, "connected"), what);
            assertTrue(Long.parseLong(field(run, "roundTrips")) > 0, what);
            assertTrue(Double.parseDouble(field(run, "serverCpuUsPerRoundTrip")) > 0, what);
            served.add(field(run, "server"));
        }
        assertEquals(new TreeSet<>(SERVERS), served, read(log));
        String table = read(out.resolve("table.md"));
        assertTrue(table.contains("| 2 | C epoll (floor) |") && table.contains("| 2 | Netty epoll |"), table);
    }

    /** A field of one flat JSON line: a quoted string's contents, or a number. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"([^\"]*)\"|[-0-9.eE]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no \"" + name + "\" in " + json);
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file + ")";
    }
}
