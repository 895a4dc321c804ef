package io.jselect.demos;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The listen backlog the servers ask for unless told otherwise: the most the system allows. */
final class ListenBacklog {
    /** Linux's {@code SOMAXCONN} since 5.4, for when {@code /proc} cannot say. */
    static final int SOMAXCONN = 4096;
    private static final Path SYSCTL = Path.of("/proc/sys/net/core/somaxconn");

    private ListenBacklog() {
    }

    /**
     * {@code net.core.somaxconn}, the cap the kernel puts on any listen(2) backlog (a larger one is cut
     * to it), or {@link #SOMAXCONN} when it cannot be read. A queue of 1024 overflowed 1 037 times when
     * 10 000 clients connected at once to a server still warming up (issue 10).
     */
    static int systemMax() {
        // One read into a large buffer: Files.readString sees a size of 0, reads one byte, then reads on
        // from offset 1, where a sysctl file gives only the rest ("4096" became "4").
        try (BufferedReader in = Files.newBufferedReader(SYSCTL)) {
            String line = in.readLine();
            int value = line == null ? 0 : Integer.parseInt(line.trim());
            return value > 0 ? value : SOMAXCONN;
        } catch (IOException | NumberFormatException | SecurityException e) {
            return SOMAXCONN;
        }
    }
}
