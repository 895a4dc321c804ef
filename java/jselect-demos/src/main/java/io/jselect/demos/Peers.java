package io.jselect.demos;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Peer addresses as people read them: {@code 127.0.0.1:54321}, {@code [::1]:54321}. */
final class Peers {
    private Peers() {
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
