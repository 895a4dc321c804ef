package io.jselect;

import java.util.List;

/**
 * The result of {@link Select#select}: Python's {@code (rlist, wlist, xlist)} triple. Each list holds
 * the caller's own objects that are ready, in argument order, duplicates kept. The lists are
 * unmodifiable.
 *
 * @param readable the ready subset of the inputs
 * @param writable the ready subset of the outputs
 * @param exceptional the ready subset of the errors (exceptional conditions, such as TCP urgent data)
 * @param <T> the element type of the argument lists
 */
public record SelectResult<T>(List<T> readable, List<T> writable, List<T> exceptional) {
    /**
     * Copies the lists, so a result never changes after it is returned.
     *
     * @param readable the ready subset of the inputs, not {@code null}
     * @param writable the ready subset of the outputs, not {@code null}
     * @param exceptional the ready subset of the errors, not {@code null}
     * @throws NullPointerException when a list, or an element of one, is {@code null}
     */
    public SelectResult {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
        exceptional = List.copyOf(exceptional);
    }

    /**
     * Tells whether nothing is ready, as after a timeout.
     *
     * @return {@code true} when all three lists are empty
     */
    public boolean isEmpty() {
        return readable.isEmpty() && writable.isEmpty() && exceptional.isEmpty();
    }
}
