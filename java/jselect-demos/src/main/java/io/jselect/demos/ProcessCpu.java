package io.jselect.demos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process has used, user plus system, all its threads (living and ended) together, as
 * {@code /proc/PID/stat} reports it: fields 14 and 15, {@code utime} and {@code stime}. The kernel
 * splits the precise run time of the whole thread group between the two and reports each truncated
 * to a clock tick, so the sum is exact to two ticks (20 ms): over a measured window of several
 * seconds that is a fraction of a percent.
 */
final class ProcessCpu {
    /** USER_HZ, the unit of those fields: 100 on every Linux the JVM runs on (the kernel's ABI, not CONFIG_HZ). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {
    }

    /**
     * Reads the CPU time of process {@code pid}.
     *
     * @param pid a process id; 0 means this process
     * @return user plus system time in nanoseconds, at clock-tick resolution
     * @throws IOException when the process does not exist (any more) or its stat cannot be read
     */
    static long nanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid == 0 ? "self" : Long.toString(pid), "stat"),
                StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may hold spaces and parentheses: count from the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[14 - 3]);
        long stime = Long.parseLong(fields[15 - 3]);
        return (utime + stime) * NANOS_PER_TICK;
    }

    /**
     * Reads the CPU time the whole machine has spent busy, every CPU together: user, nice, system, irq
     * and softirq from the {@code cpu} line of {@code /proc/stat} (not idle, iowait or steal). Minus the
     * server's and the client's own times, it shows what else ran during a measurement.
     *
     * @return busy time in nanoseconds, at clock-tick resolution
     * @throws IOException when {@code /proc/stat} cannot be read
     */
    static long machineBusyNanos() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7}) { // user nice system (idle iowait) irq softirq
                    busy += Long.parseLong(f[i]);
                }
                return busy * NANOS_PER_TICK;
            }
        }
        throw new IOException("/proc/stat has no cpu line");
    }
}
