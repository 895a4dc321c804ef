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

    /** Returns the path or name, abstract names with their leading {@code "\0"}; {@code ""} when unnamed. */
    public String path() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /** Returns a copy of the name's bytes, as {@link #of(byte[])} takes them. */
    public byte[] bytes() {
        return name.clone();
    }

    /** Returns {@code true} for a name in the abstract namespace. */
    public boolean isAbstract() {
        return name.length > 0 && name[0] == 0;
    }

    /** Returns {@code true} for the empty address of an unnamed socket. */
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
