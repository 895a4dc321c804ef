package io.jselect.selectors;

/**
 * One ready registration, as {@link BaseSelector#select} returns it: Python's {@code (key, events)}.
 *
 * @param key the registration
 * @param events the ready events, always a subset of {@code key.events()}
 * @param <D> the attachment type
 */
public record Ready<D>(SelectorKey<D> key, int events) {
}
