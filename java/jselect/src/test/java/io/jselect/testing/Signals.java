package io.jselect.testing;

import java.nio.file.Path;

/**
 * Real signals for the EINTR tests, through a test-only JNI library (tests/c/support): installs a
 * counting handler for SIGRTMIN+2 without SA_RESTART and sends that signal to one thread. Also dup(2),
 * which the library itself has no use for.
 */
public final class Signals {
    private static final int SIGNAL;

    static {
        String dir = System.getProperty("jselect.test.support");
        if (dir == null) {
            throw new IllegalStateException("jselect.test.support is not set (run the tests through Maven)");
        }
        System.load(Path.of(dir, "libjselect_testsupport.so").toAbsolutePath().toString());
        SIGNAL = install0();
        if (SIGNAL < 0) {
            throw new IllegalStateException("sigaction failed: errno " + -SIGNAL);
        }
    }

    private Signals() {
    }

    /** The calling thread's kernel thread id. */
    public static int currentTid() {
        return gettid0();
    }

    /** Sends the test signal to thread {@code tid} of this process. */
    public static void interrupt(int tid) {
        int rc = tgkill0(tid, SIGNAL);
        if (rc < 0) {
            throw new IllegalStateException("tgkill failed: errno " + -rc);
        }
    }

    /** The number of test signals handled so far. */
    public static int delivered() {
        return delivered0();
    }

    /**
     * Makes the handler of the next test signal close {@code fd}, in the thread it interrupts: after the
     * kernel returned EINTR and before that thread can make its call again.
     */
    public static void closeOnNextSignal(int fd) {
        closeOnNextSignal0(fd);
    }

    /** dup(2) with close-on-exec: a second descriptor for the same open file. */
    public static int dup(int fd) {
        int rc = dup0(fd);
        if (rc < 0) {
            throw new IllegalStateException("dup failed: errno " + -rc);
        }
        return rc;
    }

    private static native int dup0(int fd);

    private static native void closeOnNextSignal0(int fd);

    private static native int install0();

    private static native int gettid0();

    private static native int tgkill0(int tid, int sig);

    private static native int delivered0();
}
