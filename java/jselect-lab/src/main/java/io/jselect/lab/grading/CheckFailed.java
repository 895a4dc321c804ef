package io.jselect.lab.grading;

/** A check failed; the message teaches: what was sent, what came back, what to look at. */
public final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckFailed(String message) {
        super(message, null, false, false);
    }
}
