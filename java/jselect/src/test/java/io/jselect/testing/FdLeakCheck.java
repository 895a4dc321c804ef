package io.jselect.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves descriptors open: the pipes, sockets, eventfds and epoll instances
 * (the kinds tests create) open after the class must be exactly those open before it. Files such as
 * jars, which the JVM opens lazily as it loads classes, are not counted. Registered for every test
 * class through the service loader (see junit-platform.properties).
 */
public final class FdLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);

    static {
        // The JDK keeps a few descriptors for the life of the VM, opened on first use of NIO (the file
        // dispatcher's spare socket, for one): open them now, not inside the first class that happens
        // to touch NIO. Loading jselect's backend is one such first use.
        try {
            io.jselect.JSelect.isAvailable();
            java.nio.channels.FileChannel.open(Path.of("/dev/null")).close();
            java.nio.channels.Selector.open().close();
            java.nio.channels.SocketChannel.open().close();
            java.nio.channels.DatagramChannel.open().close();
            java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
            pipe.source().close();
            pipe.sink().close();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", openDescriptors());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Map<Integer, String> before = context.getStore(NS).get("before", Map.class);
        Map<Integer, String> leaked = Map.of();
        // Descriptors owned by objects a test dropped are closed by cleaners; give them a moment.
        for (int attempt = 0; attempt < 20; attempt++) {
            leaked = new TreeMap<>(openDescriptors());
            leaked.keySet().removeAll(before.keySet());
            if (leaked.isEmpty()) {
                return;
            }
            System.gc();
            Thread.sleep(100);
        }
        throw new AssertionError(context.getDisplayName() + " leaked descriptors: " + leaked);
    }

    /** The open pipes, sockets and anonymous inodes (eventfd, epoll) of this process. */
    public static Map<Integer, String> openDescriptors() {
        Map<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            entries.forEach(entry -> {
                try {
                    String target = Files.readSymbolicLink(entry).toString();
                    if (target.startsWith("pipe:") || target.startsWith("socket:")
                            || target.startsWith("anon_inode:")) {
                        fds.put(Integer.parseInt(entry.getFileName().toString()), target);
                    }
                } catch (IOException gone) {
                    // closed while listing, or the directory's own descriptor
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return fds;
    }

    /** The number of all open descriptors of this process. */
    public static int countAll() {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            return (int) entries.count() - 1; // minus the listing's own descriptor
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
    }
}
