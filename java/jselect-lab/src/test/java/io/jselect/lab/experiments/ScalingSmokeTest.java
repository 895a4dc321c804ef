package io.jselect.lab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.lab.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling experiment at small N and few operations: its files, not its timings. */
class ScalingSmokeTest {
    @TempDir
    Path out;

    @Test
    void writesOneRowPerMechanismAndNAndAChartOfTheStatedSize() throws Exception {
        assertEquals(0, Main.execute("scaling", "--out", out.toString(), "--fds", "10,100", "--ops", "200"));
        List<String[]> rows = CsvAssert.rows(out.resolve("scaling.csv"), "mechanism,fds,ops,seconds,ns_per_op");
        Set<String> seen = new TreeSet<>();
        for (String[] r : rows) {
            seen.add(r[0] + "@" + r[1]);
            assertEquals("200", r[2]);
            assertTrue(Double.parseDouble(r[3]) > 0, "seconds in " + String.join(",", r));
            assertTrue(Double.parseDouble(r[4]) > 0, "ns_per_op in " + String.join(",", r));
        }
        assertEquals(Set.of("select@10", "poll@10", "epoll@10", "select@100", "poll@100", "epoll@100"), seen);
        assertEquals(6, rows.size());
        CsvAssert.png(out.resolve("scaling.png"), ScalingCommand.WIDTH, ScalingCommand.HEIGHT);
    }

    @Test
    void socketPairsWithAnOddN() throws Exception {
        assertEquals(0, Main.execute("scaling", "--out", out.toString(), "--fds", "7", "--ops", "50",
                "--descriptors", "socketpair", "--mechanisms", "epoll,select"));
        assertEquals(2, CsvAssert.rows(out.resolve("scaling.csv"), ScalingCommand.CSV_HEADER).size());
    }

    @Test
    void badArgumentsAreOneLineNamingTheArgument() {
        assertEquals("scaling: --fds values must be at least 1, got 0", err("scaling", "--out", out.toString(), "--fds", "0"));
        assertEquals("scaling: mechanism must be select, poll or epoll, got 'kqueue'",
                err("scaling", "--out", out.toString(), "--mechanisms", "kqueue"));
        assertTrue(err("scaling", "--out", out.toString(), "--fds", "30000").startsWith(
                "scaling: --fds 30000 needs 30000 descriptors and this process may have "));
    }

    private static String err(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.execute(args));
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8).strip();
    }
}
