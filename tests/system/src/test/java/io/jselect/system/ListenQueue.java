package io.jselect.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's count of connections a listen queue had no room for: {@code TcpExt: ListenOverflows} (the
 * accept queue was full) and {@code ListenDrops} (every drop at a listener, overflows included), from
 * {@code /proc/net/netstat}. They count for the whole network namespace: run under {@code netns-run} (as the
 * build does) they are this build's alone.
 */
record ListenQueue(long overflows, long drops) {
    static ListenQueue now() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                List<String> names = List.of(lines.get(i).trim().split("\\s+"));
                String[] values = lines.get(i + 1).trim().split("\\s+");
                return new ListenQueue(Long.parseLong(values[names.indexOf("ListenOverflows")]),
                        Long.parseLong(values[names.indexOf("ListenDrops")]));
            }
        }
        throw new IllegalStateException("no TcpExt lines in /proc/net/netstat");
    }

    ListenQueue since(ListenQueue before) {
        return new ListenQueue(overflows - before.overflows, drops - before.drops);
    }
}
