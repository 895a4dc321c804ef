package io.jselect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Timeout policy: conversions round up, so no wait is shorter than asked. */
class TimeoutsTest {
    @Property
    void secondsRoundUpToNanoseconds(@ForAll @DoubleRange(min = 0, max = 1e6) double seconds) {
        long nanos = Timeouts.fromSeconds(seconds, false);
        assertTrue(nanos >= seconds * 1e9 - 1e-3 * Math.max(1, seconds * 1e9) * 1e-12, seconds + " -> " + nanos);
        assertTrue(nanos / 1e9 >= seconds * (1 - 1e-15), seconds + " -> " + nanos);
        if (seconds > 0) {
            assertTrue(nanos > 0, "a positive timeout never becomes a poll: " + seconds);
        }
    }

    @Property
    void unitsRoundUp(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long nanos) {
        assertTrue(Timeouts.toMicros(nanos) * 1000 >= nanos);
        assertTrue(Timeouts.toMicros(nanos) * 1000 - nanos < 1000);
        int millis = Timeouts.toMillis(nanos);
        if (millis < Integer.MAX_VALUE) {
            assertTrue(millis * 1_000_000L >= nanos);
            assertTrue(millis * 1_000_000L - nanos < 1_000_000);
        }
    }

    @Test
    void examples() {
        assertEquals(Timeouts.BLOCK, Timeouts.fromSeconds((Double) null, false));
        assertEquals(0, Timeouts.fromSeconds(0.0, false));
        assertEquals(1, Timeouts.fromSeconds(1e-12, false));
        assertEquals(100_000_000L, Timeouts.fromSeconds(0.1, false));
        assertEquals(1_500_000L, Timeouts.fromMillis(1.5, false));
        assertEquals(1, Timeouts.toMillis(1));
        assertEquals(1, Timeouts.toMicros(1));
        assertEquals(-1, Timeouts.toMillis(Timeouts.BLOCK));
        assertEquals(Integer.MAX_VALUE, Timeouts.toMillis(Long.MAX_VALUE / 4));
        assertEquals(Timeouts.BLOCK, Timeouts.fromSeconds(Double.POSITIVE_INFINITY, false));
        assertEquals(Timeouts.BLOCK, Timeouts.fromSeconds(1e300, false));
        assertEquals(Timeouts.BLOCK, Timeouts.fromSeconds(-1.0, true));
        assertEquals(Timeouts.BLOCK, Timeouts.fromDuration(null, false));
        assertEquals(Timeouts.BLOCK, Timeouts.fromDuration(Duration.ofSeconds(Long.MAX_VALUE), false));
        assertEquals(5_000_000L, Timeouts.fromDuration(Duration.ofMillis(5), false));
    }

    @Test
    void negativeAndNanAreRejectedWhereTheyDoNotBlock() {
        assertEquals("timeout must be non-negative, got -0.5",
                assertThrows(IllegalArgumentException.class, () -> Timeouts.fromSeconds(-0.5, false)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timeouts.fromSeconds(Double.NaN, true))
                .getMessage().contains("NaN"));
        assertThrows(IllegalArgumentException.class, () -> Timeouts.fromDuration(Duration.ofNanos(-1), false));
        assertEquals(Timeouts.BLOCK, Timeouts.fromDuration(Duration.ofNanos(-1), true));
    }
}
