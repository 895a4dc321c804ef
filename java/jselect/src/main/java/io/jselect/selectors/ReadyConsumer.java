package io.jselect.selectors;

import java.io.IOException;

/**
 * Receives ready registrations from {@link BaseSelector#select(double, ReadyConsumer)}, the
 * zero-garbage path for event loops.
 *
 * @param <D> the attachment type
 */
@FunctionalInterface
public interface ReadyConsumer<D> {
    /**
     * Handles one ready registration. May register, modify and unregister, on this selector too.
     *
     * @param key the registration
     * @param events the ready events, a subset of {@code key.events()}
     * @throws IOException to stop the batch; {@code select} rethrows it
     */
    void accept(SelectorKey<D> key, int events) throws IOException;
}
