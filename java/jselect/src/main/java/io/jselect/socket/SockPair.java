package io.jselect.socket;

/**
 * What {@link Sock#socketpair()} returns: two connected sockets, Python's {@code (a, b)} pair. Closing
 * it closes both.
 *
 * @param first one end
 * @param second the other end
 */
public record SockPair(Sock first, Sock second) implements AutoCloseable {
    /** Closes both sockets. */
    @Override
    public void close() {
        first.close();
        second.close();
    }
}
