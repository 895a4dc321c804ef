package io.jselect.socket;

import java.net.SocketAddress;

/**
 * What {@link Sock#accept()} returns: Python's {@code (conn, address)} pair. Closing it closes the
 * socket, so it can head a try-with-resources block.
 *
 * @param socket the new connected socket, owned by the caller
 * @param address the peer's address: an {@code InetSocketAddress}, or a {@link UnixAddress} (usually
 *     unnamed, {@code ""}, as AF_UNIX clients seldom bind)
 */
public record Accepted(Sock socket, SocketAddress address) implements AutoCloseable {
    /** Closes {@link #socket()}. */
    @Override
    public void close() {
        socket.close();
    }
}
