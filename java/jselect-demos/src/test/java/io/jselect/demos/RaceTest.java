package io.jselect.demos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The lock demo: with a lock the total is exact; without one, updates are lost. */
class RaceTest {
    @Test
    void theLockMakesTheTotalExactAndItsAbsenceLosesUpdates() throws Exception {
        Race.Result r = null;
        // Lost updates need threads to overlap; on a loaded machine one run may by chance not show any.
        for (int attempt = 0; attempt < 5; attempt++) {
            r = Race.run(4, 500_000);
            assertEquals(2_000_000, r.expected());
            assertEquals(r.expected(), r.withLock());
            assertTrue(r.withoutLock() <= r.expected());
            if (r.withoutLock() < r.expected()) {
                return;
            }
        }
        throw new AssertionError("no update was lost in 5 runs without a lock: " + r);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Race.run(0, 1));
    }
}
