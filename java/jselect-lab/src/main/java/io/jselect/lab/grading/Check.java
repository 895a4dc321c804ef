package io.jselect.lab.grading;

/**
 * One thing a grader checks.
 *
 * @param title what is checked, as the report lists it
 * @param points what it is worth
 * @param basic without it nothing else can be checked: when it fails the later checks are not attempted
 * @param timeoutSeconds the most it may take; past it, it fails and its connections are closed
 * @param body the check: returns normally when it passes, throws {@link CheckFailed} with a teaching
 *     message when it does not, {@link NotScored} when it cannot be checked here
 */
public record Check(String title, int points, boolean basic, double timeoutSeconds, Body body) {
    /** The check itself. */
    @FunctionalInterface
    public interface Body {
        void run(Target target) throws Exception;
    }

    /** This machine does not let the grader see what the check needs (e.g. /proc/PID/syscall). */
    public static final class NotScored extends Exception {
        private static final long serialVersionUID = 1L;

        public NotScored(String why) {
            super(why, null, false, false);
        }
    }

    static Check basic(String title, int points, Body body) {
        return new Check(title, points, true, 10, body);
    }

    static Check of(String title, int points, double timeoutSeconds, Body body) {
        return new Check(title, points, false, timeoutSeconds, body);
    }
}
