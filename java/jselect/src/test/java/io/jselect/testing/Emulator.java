package io.jselect.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether the suite runs under an emulator: {@code jselect.test.emulator} names it (qemu-aarch64 in the
 * aarch64 run, see the README's "Platforms"), and is unset on the machine itself.
 */
public final class Emulator {
    /** The emulator's name, or {@code null} on the machine itself. */
    public static final String NAME = System.getProperty("jselect.test.emulator");

    private Emulator() {
    }

    /**
     * Skips the calling test (JUnit reports it skipped, with the reason) under qemu-user when select(2)
     * is to see descriptors past FD_SETSIZE: qemu-user copies the sets into the host's fixed 1024-bit
     * fd_set, and the host's fortified FD_SET aborts the emulator, JVM and all. The same test runs on
     * the machine itself in every other run of the suite.
     *
     * @param usesSelect whether this test's mechanism is select
     */
    public static void assumeSelectPastFdSetsize(boolean usesSelect) {
        assumeTrue(NAME == null || !usesSelect,
                NAME + " aborts on select(2) with descriptors past FD_SETSIZE (qemu-user's fd_set copy)");
    }
}
