package io.jselect.socket;

import java.net.SocketAddress;

/**
 * What {@link Sock#recvfrom(int)} returns: Python's {@code (bytes, address)} pair.
 *
 * @param data the bytes received, empty for an empty datagram or at end of stream
 * @param address the sender: an {@code InetSocketAddress} or a {@link UnixAddress}; {@code null} on a
 *     connected stream socket, where the kernel reports none (Python's {@code None})
 */
public record Received(byte[] data, SocketAddress address) {
    @Override
    public String toString() {
        return "Received[" + data.length + " bytes from " + address + "]";
    }
}
