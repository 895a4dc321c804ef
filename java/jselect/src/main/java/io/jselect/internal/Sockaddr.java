package io.jselect.internal;

import static io.jselect.socket.Sock.AF_INET;
import static io.jselect.socket.Sock.AF_INET6;
import static io.jselect.socket.Sock.AF_UNIX;

import io.jselect.socket.UnixAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un} written from and read into
 * {@link SocketAddress}es, at the offsets read from C ({@link Structs}); the buffer is in native order,
 * ports and addresses are in network order as the structs hold them.
 */
public final class Sockaddr {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Sockaddr() {
    }

    /**
     * Writes {@code address} at {@code offset} as the struct of {@code family}.
     *
     * @param address an {@code InetSocketAddress} (resolved) for AF_INET and AF_INET6, where an IPv4
     *     address on an AF_INET6 socket becomes its IPv4-mapped form; a {@link UnixAddress} or
     *     {@code UnixDomainSocketAddress} for AF_UNIX
     * @return the length of the struct written
     * @throws IllegalArgumentException when the address does not suit the family, is unresolved, or is
     *     an AF_UNIX path too long for {@code sun_path}
     */
    public static int encode(ByteBuffer b, int offset, int family, SocketAddress address) {
        switch (family) {
            case AF_INET:
            case AF_INET6:
                return encodeInet(b, offset, family, inet(address, family));
            case AF_UNIX:
                return encodeUnix(b, offset, unix(address));
            default:
                throw new IllegalArgumentException("unsupported address family " + family);
        }
    }

    private static InetSocketAddress inet(SocketAddress address, int family) {
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException(familyName(family) + " address must be an InetSocketAddress, got "
                    + (address == null ? "null" : address.getClass().getName()));
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        if (inet.isUnresolved()) {
            throw new IllegalArgumentException("address is unresolved: " + format(inet)
                    + " (pass the host as a String to have it resolved)");
        }
        if (family == AF_INET && inet.getAddress() instanceof Inet6Address) {
            throw new IllegalArgumentException("AF_INET socket cannot use the IPv6 address " + format(inet));
        }
        return inet;
    }

    private static int encodeInet(ByteBuffer b, int offset, int family, InetSocketAddress inet) {
        byte[] ip = inet.getAddress().getAddress();
        int size = family == AF_INET ? Structs.SOCKADDR_IN_SIZE : Structs.SOCKADDR_IN6_SIZE;
        zero(b, offset, size);
        b.putShort(offset + Structs.SOCKADDR_FAMILY, (short) family);
        if (family == AF_INET) {
            b.putShort(offset + Structs.SOCKADDR_IN_PORT, network((short) inet.getPort()));
            b.put(offset + Structs.SOCKADDR_IN_ADDR, ip);
            return size;
        }
        b.putShort(offset + Structs.SOCKADDR_IN6_PORT, network((short) inet.getPort()));
        if (ip.length == 4) { // ::ffff:a.b.c.d, so an AF_INET6 socket reaches IPv4 peers
            b.putShort(offset + Structs.SOCKADDR_IN6_ADDR + 10, (short) -1);
            b.put(offset + Structs.SOCKADDR_IN6_ADDR + 12, ip);
        } else {
            b.put(offset + Structs.SOCKADDR_IN6_ADDR, ip);
            b.putInt(offset + Structs.SOCKADDR_IN6_SCOPE_ID, ((Inet6Address) inet.getAddress()).getScopeId());
        }
        return size;
    }

    private static byte[] unix(SocketAddress address) {
        if (address instanceof UnixAddress) {
            return ((UnixAddress) address).bytes();
        }
        if (address instanceof UnixDomainSocketAddress) {
            return new UnixAddress(((UnixDomainSocketAddress) address).getPath().toString()).bytes();
        }
        throw new IllegalArgumentException("AF_UNIX address must be a UnixAddress, got "
                + (address == null ? "null" : address.getClass().getName()));
    }

    private static int encodeUnix(ByteBuffer b, int offset, byte[] name) {
        int room = Structs.SOCKADDR_UN_SIZE - Structs.SOCKADDR_UN_PATH;
        boolean isAbstract = name.length > 0 && name[0] == 0;
        // A filesystem path needs its terminating NUL inside sun_path; an abstract name is counted by
        // the address length alone and may use all of it.
        if (name.length > (isAbstract ? room : room - 1)) {
            throw new IllegalArgumentException("AF_UNIX path too long: " + name.length + " bytes, at most "
                    + (isAbstract ? room : room - 1));
        }
        zero(b, offset, Structs.SOCKADDR_UN_SIZE);
        b.putShort(offset + Structs.SOCKADDR_FAMILY, (short) AF_UNIX);
        b.put(offset + Structs.SOCKADDR_UN_PATH, name);
        return Structs.SOCKADDR_UN_PATH + name.length + (isAbstract || name.length == 0 ? 0 : 1);
    }

    /**
     * Reads the address the kernel wrote at {@code offset}.
     *
     * @param length the address length the kernel reported
     * @return an {@code InetSocketAddress} or a {@link UnixAddress}; {@code null} when {@code length} is 0
     *     (recvfrom on a connected stream socket)
     * @throws IllegalArgumentException for a family other than AF_INET, AF_INET6 and AF_UNIX
     */
    public static SocketAddress decode(ByteBuffer b, int offset, int length) {
        if (length < Structs.SOCKADDR_FAMILY + 2) {
            return null;
        }
        int family = b.getShort(offset + Structs.SOCKADDR_FAMILY) & 0xFFFF;
        try {
            switch (family) {
                case AF_INET: {
                    byte[] ip = new byte[4];
                    b.get(offset + Structs.SOCKADDR_IN_ADDR, ip);
                    int port = network(b.getShort(offset + Structs.SOCKADDR_IN_PORT)) & 0xFFFF;
                    return new InetSocketAddress(InetAddress.getByAddress(ip), port);
                }
                case AF_INET6: {
                    byte[] ip = new byte[16];
                    b.get(offset + Structs.SOCKADDR_IN6_ADDR, ip);
                    int port = network(b.getShort(offset + Structs.SOCKADDR_IN6_PORT)) & 0xFFFF;
                    int scope = b.getInt(offset + Structs.SOCKADDR_IN6_SCOPE_ID);
                    // Inet6Address keeps a mapped ::ffff:a.b.c.d as IPv6, as the socket sees it; scope -1
                    // means none, where 0 would print as "%0".
                    return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope == 0 ? -1 : scope), port);
                }
                case AF_UNIX: {
                    int n = Math.max(0, Math.min(length, Structs.SOCKADDR_UN_SIZE) - Structs.SOCKADDR_UN_PATH);
                    byte[] name = new byte[n];
                    b.get(offset + Structs.SOCKADDR_UN_PATH, name);
                    if (n > 0 && name[0] != 0) { // a path: the kernel may count its NUL, and padding past it
                        int end = 0;
                        while (end < n && name[end] != 0) {
                            end++;
                        }
                        name = java.util.Arrays.copyOf(name, end);
                    }
                    return UnixAddress.of(name);
                }
                default:
                    throw new IllegalArgumentException("unsupported address family " + family);
            }
        } catch (UnknownHostException impossible) { // only for a byte array of the wrong length
            throw new AssertionError(impossible);
        }
    }

    /**
     * Formats an address for messages: {@code 127.0.0.1:80}, {@code [::1]:80}, an AF_UNIX path.
     *
     * @param address the address; {@code null} formats as {@code None}, as Python shows it
     */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            InetAddress ip = inet.getAddress();
            String host = ip == null ? inet.getHostString() : ip.getHostAddress();
            return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address == null ? "None" : address.toString();
    }

    /** The name of an address family, or its number. */
    public static String familyName(int family) {
        switch (family) {
            case AF_INET: return "AF_INET";
            case AF_INET6: return "AF_INET6";
            case AF_UNIX: return "AF_UNIX";
            default: return String.valueOf(family);
        }
    }

    /** The wildcard address of a family: 0.0.0.0 or ::. */
    public static InetAddress any(int family) {
        try {
            return InetAddress.getByAddress(new byte[family == AF_INET6 ? 16 : 4]);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static short network(short value) {
        return LITTLE_ENDIAN ? Short.reverseBytes(value) : value;
    }

    private static void zero(ByteBuffer b, int offset, int length) {
        for (int i = 0; i < length; i++) {
            b.put(offset + i, (byte) 0);
        }
    }
}
