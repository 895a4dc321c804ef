package io.jselect.lab.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What {@code /proc} says about a process: resident memory and threads ({@code /proc/PID/status}), CPU
 * time ({@code /proc/PID/stat}), the descriptor limit ({@code /proc/self/limits}).
 */
public final class ProcFiles {
    /** USER_HZ, the unit of stat's time fields: 100 on every Linux the JVM runs on (the kernel's ABI). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcFiles() {
    }

    /**
     * One reading of {@code /proc/PID/status}.
     *
     * @param rssKib VmRSS: resident memory in KiB (anonymous, file-backed and shared pages together)
     * @param threads the number of threads
     */
    public record Status(long rssKib, int threads) {
    }

    /**
     * Reads a process's resident memory and thread count.
     *
     * @throws IOException when the process does not exist (any more)
     */
    public static Status status(long pid) throws IOException {
        long rss = -1;
        int threads = -1;
        for (String line : read(pid, "status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring(8).trim());
            }
        }
        if (rss < 0 || threads < 0) {
            throw new IOException("/proc/" + pid + "/status has no VmRSS or Threads line (a zombie?)");
        }
        return new Status(rss, threads);
    }

    /**
     * A process's CPU time, user plus system, all its threads: fields 14 and 15 of {@code /proc/PID/stat}.
     *
     * @return nanoseconds, at clock-tick (10 ms) resolution
     * @throws IOException when the process does not exist (any more)
     */
    public static long cpuNanos(long pid) throws IOException {
        String stat = read(pid, "stat");
        // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3])) * NANOS_PER_TICK;
    }

    /** The number of descriptors a process has open ({@code /proc/PID/fd}); -1 when it cannot be listed. */
    public static int openDescriptors(long pid) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This process's soft limit on open descriptors ({@code ulimit -n}); -1 when unknown. */
    public static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String read(long pid, String file) throws IOException {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException("process " + pid + " is gone", e);
        }
    }
}
