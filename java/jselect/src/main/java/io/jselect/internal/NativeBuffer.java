package io.jselect.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory for structures the kernel reads or fills ({@code struct pollfd},
 * {@code struct epoll_event}): a direct buffer in native byte order, and its address for the backend.
 * Freed by the garbage collector with the buffer.
 */
public final class NativeBuffer {
    private final ByteBuffer buffer;
    private final long address;

    /**
     * Allocates zeroed memory.
     *
     * @param bytes the size, {@code > 0}
     */
    public NativeBuffer(int bytes) {
        buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        address = Syscalls.backend().address(buffer);
    }

    /** The buffer, for absolute gets and puts. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The address of the first byte; valid while this object is reachable. */
    public long address() {
        return address;
    }

    /** The size in bytes. */
    public int size() {
        return buffer.capacity();
    }
}
