package io.jselect.selectors;

import io.jselect.ErrnoException;

/**
 * A selector over epoll(7), the best mechanism on Linux: the cost of a wait does not grow with the
 * number of registrations. Python's {@code selectors.EpollSelector}; see {@link BaseSelector}.
 *
 * @param <D> the type of the data attached to registrations
 */
public final class EpollSelector<D> extends BaseSelector<D> {
    /**
     * Creates the selector.
     *
     * @throws ErrnoException when its descriptors cannot be created, e.g. EMFILE
     */
    public EpollSelector() throws ErrnoException {
        super(Mechanism.EPOLL);
    }
}
