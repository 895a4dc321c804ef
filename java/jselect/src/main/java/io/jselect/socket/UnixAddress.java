package io.jselect.socket;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An {@code AF_UNIX} socket address, as Python writes it: a filesystem path such as
 * {@code "/run/app.sock"}, a name in Linux's abstract namespace starting with {@code "\0"} (no file,
 * gone with the last socket bound to it), or {@code ""} for an unnamed socket (a socketpair end, an
 * unbound client; binding to it autobinds an abstract name).
 *
 * <pre>{@code
 * srv.bind(new UnixAddress("/tmp/echo.sock"));
 * srv.bind(new UnixAddress("\0echo"));      // abstract
 * }</pre>
 */
public final class UnixAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;

    /** The name as the kernel sees it: UTF-8, abstract names with their leading 0 byte. */
    private final byte[] name;

    /**
     * Creates the address.
     *
     * @param path a filesystem path, {@code "\0name"} for an abstract name, or {@code ""}; encoded as
     *     UTF-8
     * @throws IllegalArgumentException when {@code path} is null, or is a filesystem path with a NUL
     *     character in it
     */
    public UnixAddress(String path) {
        this(path == null ? null : path.getBytes(StandardCharsets.UTF_8));
    }

    private UnixAddress(byte[] name) {
        if (name == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        if (name.length > 0 && name[0] != 0) {
            for (byte b : name) {
                if (b == 0) {
                    throw new IllegalArgumentException("embedded null character in path");
                }
            }
        }
        this.name = name;
    }

    /**
     * Creates the address from the bytes of a name, for abstract names that are not UTF-8 text.
     *
     * @param name a filesystem path, or a name starting with a 0 byte for the abstract namespace; copied
     * @return the address
     * @throws IllegalArgumentException when {@code name} is null, or is a filesystem path with a 0 byte
     *     in it
     */
    public static UnixAddress of(byte[] name) {
        return new UnixAddress(name == null ? null : name.clone());
    }

    /**
     * Returns the address as Python writes it.
     *
     * @return the path, or an abstract name with its leading {@code "\0"}; {@code ""} when unnamed
     *     (bytes that are not UTF-8 read as U+FFFD; {@link #bytes()} has them exactly)
     */
    public String path() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /**
     * Returns the address's bytes.
     *
     * @return a copy of the name's bytes, as {@link #of(byte[])} takes them; empty when unnamed
     */
    public byte[] bytes() {
        return name.clone();
    }

    /**
     * Tells whether the name is in Linux's abstract namespace.
     *
     * @return {@code true} when the name starts with a 0 byte
     */
    public boolean isAbstract() {
        return name.length > 0 && name[0] == 0;
    }

    /**
     * Tells whether this is the empty address of an unnamed socket.
     *
     * @return {@code true} when the name is empty
     */
    public boolean isUnnamed() {
        return name.length == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UnixAddress && Arrays.equals(name, ((UnixAddress) other).name);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name);
    }

    /** The path; an abstract name as {@code @name}, as ss(8) shows it; {@code ""} when unnamed. */
    @Override
    public String toString() {
        return isAbstract() ? "@" + path().substring(1) : path();
    }
}
