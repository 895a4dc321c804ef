package io.jselect.demos;

import java.util.Locale;
import org.slf4j.Logger;

/**
 * A condition that strikes many times in a row, such as running out of descriptors or threads, logged
 * once when it starts and once when it ends with how many times it struck. A line per strike is what
 * made the servers write 47-79 MB of log a second at EMFILE (issue 10).
 *
 * <p>One thread uses it (the server's loop, or its accepting thread).
 */
final class Episode {
    private final Logger log;
    private final String condition;
    private final String strikes;
    private boolean on;
    private long count;
    private long startNanos;

    /**
     * @param condition what happened, e.g. {@code out of descriptors}
     * @param strikes what each strike costs, plural, e.g. {@code connections closed at once}
     */
    Episode(Logger log, String condition, String strikes) {
        this.log = log;
        this.condition = condition;
        this.strikes = strikes;
    }

    /** Starts the episode if it is not on (logging {@code cause} and {@code meanwhile}); idempotent. */
    void begin(String cause, String meanwhile) {
        if (!on) {
            on = true;
            count = 0;
            startNanos = System.nanoTime();
            log.warn("{} ({}): {}", condition, cause, meanwhile);
        }
    }

    /** One more strike of the episode that is on. */
    void strike() {
        count++;
    }

    /** Ends the episode, if one is on, with one line saying how long it lasted and how many strikes it had. */
    void end() {
        if (on) {
            on = false;
            log.warn("{} no more after {} s: {} {}", condition,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startNanos) / 1e9), count, strikes);
        }
    }

    boolean on() {
        return on;
    }
}
