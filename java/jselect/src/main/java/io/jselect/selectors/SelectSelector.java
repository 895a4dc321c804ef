package io.jselect.selectors;

import io.jselect.ErrnoException;

/**
 * A selector over select(2); unlike Python's, it works with descriptors past 1024,
 * because the core sizes its fd sets to the largest descriptor. Python's {@code selectors.SelectSelector}; see {@link BaseSelector}.
 *
 * @param <D> the type of the data attached to registrations
 */
public final class SelectSelector<D> extends BaseSelector<D> {
    /**
     * Creates the selector.
     *
     * @throws ErrnoException when its descriptors cannot be created, e.g. EMFILE
     */
    public SelectSelector() throws ErrnoException {
        super(Mechanism.SELECT);
    }
}
