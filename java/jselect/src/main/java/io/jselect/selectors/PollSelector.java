package io.jselect.selectors;

import io.jselect.ErrnoException;

/**
 * A selector over poll(2): no limit on descriptor numbers, a cost per wait that grows with the
 * number of registrations. Python's {@code selectors.PollSelector}; see {@link BaseSelector}.
 *
 * @param <D> the type of the data attached to registrations
 */
public final class PollSelector<D> extends BaseSelector<D> {
    /**
     * Creates the selector.
     *
     * @throws ErrnoException when its descriptors cannot be created, e.g. EMFILE
     */
    public PollSelector() throws ErrnoException {
        super(Mechanism.POLL);
    }
}
