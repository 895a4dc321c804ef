package io.jselect.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Observes that a thread is blocked in a system call, from {@code /proc/self/task/<tid>/syscall}, rather
 * than sleeping and hoping it is.
 */
public final class Blocked {
    /**
     * System call numbers by name: x86_64's, or aarch64's (which has no select, poll or plain epoll_wait).
     * The kernel's numbering is the process's own: under qemu-user, an aarch64 JVM's calls reach the kernel
     * as the x86_64 calls the emulator makes for them, so /proc reports x86_64's numbers.
     */
    private static final Map<String, String> NUMBERS = System.getProperty("os.arch").equals("aarch64")
            && Emulator.NAME == null
            ? Map.of("pselect6", "72", "ppoll", "73", "epoll_pwait", "22", "epoll_pwait2", "441",
                    "recvfrom", "207", "sendto", "206")
            : Map.of("select", "23", "pselect6", "270", "poll", "7", "ppoll", "271", "epoll_wait", "232",
                    "epoll_pwait", "281", "epoll_pwait2", "441", "recvfrom", "45", "sendto", "44");

    /** The waits of select, poll and epoll, under every name the C library may use. */
    public static final Set<String> WAITS = Set.of("select", "pselect6", "poll", "ppoll", "epoll_wait", "epoll_pwait",
            "epoll_pwait2");

    private Blocked() {
    }

    /** The calling thread's kernel thread id, from /proc/thread-self. */
    public static int currentTid() throws IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /**
     * Waits until thread {@code tid} of this process sits in one of the named calls, seen twice 20 ms
     * apart (blocked there, not passing through).
     *
     * @throws AssertionError when it does not within 10 s
     */
    public static void awaitIn(int tid, Set<String> calls) throws IOException, InterruptedException {
        Set<String> numbers = calls.stream().map(NUMBERS::get).filter(n -> n != null).collect(Collectors.toSet());
        Path file = Path.of("/proc/self/task", Integer.toString(tid), "syscall");
        long deadline = System.nanoTime() + 10_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            last = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (numbers.contains(last.split(" ")[0])) {
                Thread.sleep(20);
                if (Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ")[0].equals(last.split(" ")[0])) {
                    return;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("thread " + tid + " never blocked in " + calls + "; last seen in: " + last);
    }
}
