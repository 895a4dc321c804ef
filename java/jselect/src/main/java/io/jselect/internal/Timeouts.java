package io.jselect.internal;

import java.time.Duration;

/**
 * Timeout policy, shared by every call that waits. Internally a timeout is a count of nanoseconds,
 * {@link #BLOCK} (-1) to wait without limit. Conversions round up, so a wait is never shorter than
 * asked: 0.1 ms becomes 1 ms for epoll_wait, and 1 ns becomes 1 µs for select.
 */
public final class Timeouts {
    /** Wait without limit. */
    public static final long BLOCK = -1;
    /**
     * Longer timeouts (about 73 years) are treated as {@link #BLOCK}: the deadline arithmetic on
     * {@link System#nanoTime()} must not overflow.
     */
    static final long MAX_NANOS = Long.MAX_VALUE / 4;

    private Timeouts() {
    }

    /**
     * Converts a timeout in seconds, as select, epoll and the selectors take it.
     *
     * @param seconds {@code null} or {@code +Infinity} to block
     * @param negativeBlocks {@code true} where Python treats a negative timeout as "block" (epoll,
     *     poll); {@code false} where it is an error (select)
     * @return nanoseconds, or {@link #BLOCK}
     * @throws IllegalArgumentException for NaN, and for a negative timeout unless it blocks
     */
    public static long fromSeconds(Double seconds, boolean negativeBlocks) {
        return seconds == null ? BLOCK : fromScaled(seconds, 1e9, negativeBlocks);
    }

    /** As {@link #fromSeconds(Double, boolean)}, without boxing, for the zero-allocation paths. */
    public static long fromSeconds(double seconds, boolean negativeBlocks) {
        return seconds == 0 ? 0 : fromScaled(seconds, 1e9, negativeBlocks);
    }

    /** Converts a timeout in milliseconds, as poll takes it; otherwise as {@link #fromSeconds}. */
    public static long fromMillis(Double millis, boolean negativeBlocks) {
        return millis == null ? BLOCK : fromScaled(millis, 1e6, negativeBlocks);
    }

    /**
     * Converts a {@link Duration}.
     *
     * @param timeout {@code null} to block
     * @throws IllegalArgumentException for a negative duration unless it blocks
     */
    public static long fromDuration(Duration timeout, boolean negativeBlocks) {
        if (timeout == null) {
            return BLOCK;
        }
        if (timeout.isNegative()) {
            if (negativeBlocks) {
                return BLOCK;
            }
            throw new IllegalArgumentException("timeout must be non-negative, got " + timeout);
        }
        try {
            long nanos = timeout.toNanos();
            return nanos > MAX_NANOS ? BLOCK : nanos;
        } catch (ArithmeticException overflow) {
            return BLOCK;
        }
    }

    private static long fromScaled(double value, double nanosPerUnit, boolean negativeBlocks) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("timeout must be non-negative, got NaN (not a number)");
        }
        if (value < 0) {
            if (negativeBlocks) {
                return BLOCK;
            }
            throw new IllegalArgumentException("timeout must be non-negative, got " + value);
        }
        double nanos = Math.ceil(value * nanosPerUnit);
        return nanos > MAX_NANOS ? BLOCK : (long) nanos;
    }

    /** Nanoseconds to whole microseconds, rounded up; {@link #BLOCK} stays -1. */
    static long toMicros(long nanos) {
        return nanos < 0 ? -1 : (nanos + 999) / 1000;
    }

    /** Nanoseconds to whole milliseconds, rounded up and capped at {@code Integer.MAX_VALUE}. */
    static int toMillis(long nanos) {
        if (nanos < 0) {
            return -1;
        }
        long millis = (nanos + 999_999) / 1_000_000;
        return millis > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) millis;
    }
}
