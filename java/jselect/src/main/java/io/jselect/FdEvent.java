package io.jselect;

/**
 * One ready descriptor, as {@link Poll#poll} and {@link Epoll#poll} return it: Python's
 * {@code (fd, event)} pair.
 *
 * @param fd the descriptor
 * @param events the ready events, a mask of the {@code POLL*} or {@code EPOLL*} constants
 */
public record FdEvent(int fd, int events) {
}
