package io.jselect;

import io.jselect.internal.Backends;
import io.jselect.internal.Platform;
import java.util.List;

/**
 * Whether jselect can run here, and with which backend, in the spirit of Netty's
 * {@code Epoll.isAvailable()}.
 *
 * <p>{@code java -jar jselect.jar} (or {@code java -cp ... io.jselect.JSelect}) prints the platform it
 * detected ({@code linux-<arch>}, {@code -musl} on musl, and how the C library was told), the backend and
 * where it was loaded from, and checks a select, poll and epoll round trip on a pipe.
 */
public final class JSelect {
    private JSelect() {
    }

    /**
     * Tells whether a backend loaded, so every call can work.
     *
     * @return {@code true} when a backend loaded; {@code false} when none could (see
     *     {@link #unavailabilityCause()})
     */
    public static boolean isAvailable() {
        return Backends.current() != null;
    }

    /**
     * Returns why no backend could load.
     *
     * @return the error, whose message lists every attempt and why it failed; {@code null} when a
     *     backend loaded
     */
    public static Throwable unavailabilityCause() {
        return Backends.unavailabilityCause();
    }

    /**
     * Throws when no backend could load.
     *
     * @throws UnsatisfiedLinkError whose message lists every attempt and why it failed
     */
    public static void ensureAvailability() {
        if (!isAvailable()) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                    "jselect is unavailable: " + unavailabilityCause().getMessage());
            error.initCause(unavailabilityCause());
            throw error;
        }
    }

    /**
     * Returns the backend in use: {@code jni} (the compiled library) or {@code jna} (libc through JNA).
     * {@code -Djselect.backend=jni|jna} chooses; unset, JNI is preferred and JNA is the fallback.
     *
     * @return {@code "jni"} or {@code "jna"}
     * @throws UnsatisfiedLinkError when none could load
     */
    public static String backend() {
        ensureAvailability();
        return Backends.current().name();
    }

    /**
     * Returns where the backend was loaded from.
     *
     * @return for JNI, the library's path or how it was found ({@code java.library.path}, or the jar
     *     resource and the file it was extracted to); for JNA, its version ({@code JNA 5.19.1})
     * @throws UnsatisfiedLinkError when no backend could load
     */
    public static String loadedFrom() {
        ensureAvailability();
        return Backends.loadedFrom();
    }

    /**
     * Prints the platform and the backend and checks a round trip through select, poll and epoll; exits
     * 1 when jselect is unavailable or the check fails.
     *
     * @param args ignored
     * @throws Exception when a call of the check throws (the JVM prints it and exits 1)
     */
    public static void main(String[] args) throws Exception {
        if (!isAvailable()) {
            System.err.println("jselect platform: " + Platform.current());
            System.err.println("jselect unavailable: " + unavailabilityCause().getMessage());
            System.exit(1);
        }
        System.out.println("jselect platform: " + Platform.current());
        System.out.println("jselect backend: " + backend() + " (" + loadedFrom() + ")");
        int[] pipe = Os.pipe();
        try (Epoll epoll = Epoll.create()) {
            Os.write(pipe[1], new byte[] {'x'});
            boolean selectOk = Select.select(List.of(pipe[0]), List.of(), List.of(), 1.0).readable()
                    .equals(List.of(pipe[0]));
            Poll poll = Poll.create();
            poll.register(pipe[0], Poll.POLLIN);
            boolean pollOk = poll.poll(1000.0).equals(List.of(new FdEvent(pipe[0], Poll.POLLIN)));
            epoll.register(pipe[0], Epoll.EPOLLIN);
            boolean epollOk = epoll.poll(1.0).equals(List.of(new FdEvent(pipe[0], Epoll.EPOLLIN)));
            System.out.println("select: " + (selectOk ? "ok" : "FAILED") + ", poll: " + (pollOk ? "ok" : "FAILED")
                    + ", epoll: " + (epollOk ? "ok" : "FAILED"));
            if (!(selectOk && pollOk && epollOk)) {
                System.exit(1);
            }
        } finally {
            Os.close(pipe[0]);
            Os.close(pipe[1]);
        }
    }
}
