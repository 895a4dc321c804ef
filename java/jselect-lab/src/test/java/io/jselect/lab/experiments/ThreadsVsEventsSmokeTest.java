package io.jselect.lab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.lab.Main;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The threads-versus-events experiment with few connections and a short window: its files and what /proc told. */
class ThreadsVsEventsSmokeTest {
    @TempDir
    Path out;

    @Test
    void everyServerAtEveryNIntoTheCsvAndAChartOfTheStatedSize() throws Exception {
        assertEquals(0, Main.execute("threads-vs-events", "--out", out.toString(), "--connections", "10,30", "--active", "2",
                "--warmup", "0", "--duration", "0.5"));
        List<String[]> rows = CsvAssert.rows(out.resolve("threads-vs-events.csv"), ThreadsVsEventsCommand.CSV_HEADER);
        assertEquals(8, rows.size(), "4 servers x 2 values of N");
        Map<String, String[]> byKey = new HashMap<>();
        for (String[] r : rows) {
            byKey.put(r[0] + "@" + r[1], r);
            assertEquals("0", r[9], "errors in " + String.join(",", r));
            assertEquals(Integer.parseInt(r[1]), Integer.parseInt(r[2]) + Integer.parseInt(r[3]), "active + idle = N");
            assertTrue(Long.parseLong(r[4]) > 10_000, "a JVM's resident memory is more than 10 MB: " + String.join(",", r));
        }
        for (String server : List.of("threads", "select", "poll", "epoll")) {
            for (String n : List.of("10", "30")) {
                assertTrue(byKey.containsKey(server + "@" + n), server + " at " + n);
            }
        }
        // What the experiment is about, read from /proc: a thread per connection, one loop for all.
        int threadsAt30 = Integer.parseInt(byKey.get("threads@30")[5]);
        int epollAt30 = Integer.parseInt(byKey.get("epoll@30")[5]);
        assertTrue(threadsAt30 >= epollAt30 + 30, "threads server " + threadsAt30 + " threads, epoll server " + epollAt30);
        assertEquals(byKey.get("epoll@10")[5], byKey.get("epoll@30")[5], "the epoll server's threads do not grow with N");
        CsvAssert.png(out.resolve("threads-vs-events.png"), ThreadsVsEventsCommand.WIDTH, ThreadsVsEventsCommand.HEIGHT);
    }
}
