package io.jselect.internal;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Native memory each thread reuses for its socket calls, so that a call allocates none: room for one
 * {@code struct sockaddr_storage} and its {@code socklen_t}, one {@code struct pollfd} (the wait of a
 * socket with a timeout), one option value, and a data window through which heap arrays and heap
 * buffers are copied, once, to and from the kernel.
 */
public final class Scratch {
    /**
     * The most a stream call moves through the window: a larger heap transfer is cut to it (a short
     * count, which recv and send may return anyway). A larger datagram gets a buffer of its own, as
     * datagrams cannot be cut.
     */
    public static final int WINDOW_MAX = 64 * 1024;
    /** The largest option value, as Python's {@code getsockopt(level, name, buflen)} allows. */
    public static final int OPTION_MAX = 1024;

    private static final int ADDR = 0;
    private static final int ADDRLEN = align(Structs.SOCKADDR_STORAGE_SIZE);
    private static final int POLLFD = ADDRLEN + 8;
    private static final int OPTION = POLLFD + align(Structs.POLLFD_SIZE);
    private static final int OPTLEN = OPTION + OPTION_MAX;
    private static final int SIZE = OPTLEN + 8;

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    private final NativeBuffer meta = new NativeBuffer(SIZE);
    private NativeBuffer window;

    private Scratch() {
    }

    /** The calling thread's scratch memory. */
    public static Scratch get() {
        return CURRENT.get();
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    // ---------------------------------------------------------------------------------------- address

    /** The address of the sockaddr area. */
    public long addr() {
        return meta.address() + ADDR;
    }

    /** The address of the socklen_t after it. */
    public long addrlen() {
        return meta.address() + ADDRLEN;
    }

    /**
     * Writes a socket address in the sockaddr area; see {@link Sockaddr#encode}.
     *
     * @return its length
     */
    public int putAddress(int family, SocketAddress address) {
        return Sockaddr.encode(meta.buffer(), ADDR, family, address);
    }

    /** Sets the socklen_t to the room of the sockaddr area, before a call that fills it. */
    public void clearAddress() {
        meta.buffer().putInt(ADDRLEN, Structs.SOCKADDR_STORAGE_SIZE);
    }

    /** The address a call wrote in the sockaddr area, or {@code null} if it wrote none. */
    public SocketAddress address() {
        return Sockaddr.decode(meta.buffer(), ADDR, meta.buffer().getInt(ADDRLEN));
    }

    // ----------------------------------------------------------------------------------------- option

    /** The address of the option value area, {@link #OPTION_MAX} bytes. */
    public long option() {
        return meta.address() + OPTION;
    }

    /** The address of the option's socklen_t. */
    public long optlen() {
        return meta.address() + OPTLEN;
    }

    /**
     * Writes an option value.
     *
     * @return its length
     */
    public int putOption(byte[] value) {
        meta.buffer().put(OPTION, value);
        return value.length;
    }

    /**
     * Writes a C int option value, in native order.
     *
     * @return its length
     */
    public int putOption(int value) {
        meta.buffer().putInt(OPTION, value);
        return Integer.BYTES;
    }

    /** Zeroes the first {@code room} bytes of the option area and sets its socklen_t to {@code room}. */
    public void clearOption(int room) {
        ByteBuffer b = meta.buffer();
        for (int i = 0; i < room; i++) {
            b.put(OPTION + i, (byte) 0);
        }
        b.putInt(OPTLEN, room);
    }

    /** The option value a call wrote: as many bytes as its socklen_t says. */
    public byte[] optionBytes() {
        byte[] value = new byte[Math.min(meta.buffer().getInt(OPTLEN), OPTION_MAX)];
        meta.buffer().get(OPTION, value);
        return value;
    }

    /** The option value as a C int, in native order. */
    public int optionInt() {
        return meta.buffer().getInt(OPTION);
    }

    // ----------------------------------------------------------------------------------------- pollfd

    /**
     * Fills the pollfd area for one descriptor.
     *
     * @return its address
     */
    public long pollfd(int fd, int events) {
        ByteBuffer b = meta.buffer();
        b.putInt(POLLFD + Structs.POLLFD_FD, fd);
        b.putShort(POLLFD + Structs.POLLFD_EVENTS, (short) events);
        b.putShort(POLLFD + Structs.POLLFD_REVENTS, (short) 0);
        return meta.address() + POLLFD;
    }

    // ----------------------------------------------------------------------------------------- window

    /**
     * Native memory for {@code n} bytes of data: this thread's window, grown as needed, or for more than
     * {@link #WINDOW_MAX} a buffer of its own, which the caller keeps reachable through the call.
     */
    public NativeBuffer window(int n) {
        if (n > WINDOW_MAX) {
            return new NativeBuffer(n);
        }
        if (window == null || window.size() < n) {
            window = new NativeBuffer(Math.min(WINDOW_MAX, Math.max(4096, Integer.highestOneBit(n - 1) << 1)));
        }
        return window;
    }
}
