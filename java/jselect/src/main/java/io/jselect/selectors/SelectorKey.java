package io.jselect.selectors;

/**
 * A registration, as {@link BaseSelector#register} returns it: Python's {@code selectors.SelectorKey}.
 * Immutable; {@link BaseSelector#modify} returns a new key.
 *
 * @param fileobj the object registered, as given
 * @param fd its descriptor at registration
 * @param events the events waited for, a mask of {@link BaseSelector#EVENT_READ} and
 *     {@link BaseSelector#EVENT_WRITE}
 * @param data the caller's attachment, possibly {@code null}
 * @param <D> the attachment type
 */
public record SelectorKey<D>(Object fileobj, int fd, int events, D data) {
}
