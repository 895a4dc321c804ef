package io.jselect;

import io.jselect.internal.NativeBuffer;
import io.jselect.internal.Structs;
import io.jselect.internal.Syscalls;

/**
 * A reusable buffer of epoll events for the zero-allocation path of {@link Epoll#poll(EventBuffer,
 * double)}: the kernel writes {@code struct epoll_event}s straight into native memory, and
 * {@link #fd(int)} and {@link #events(int)} read them without creating objects.
 *
 * <p>A buffer serves one {@code poll} at a time; give each polling thread its own.
 *
 * <pre>{@code
 * EventBuffer events = new EventBuffer(64);
 * for (;;) {
 *     int n = epoll.poll(events, 1.0);
 *     for (int i = 0; i < n; i++) {
 *         handle(events.fd(i), events.events(i));
 *     }
 * }
 * }</pre>
 */
public final class EventBuffer {
    final NativeBuffer memory;
    private final int capacity;
    private int count;

    /**
     * Allocates a buffer.
     *
     * @param capacity the most events one poll returns (epoll_wait's {@code maxevents}), {@code > 0}
     * @throws IllegalArgumentException when {@code capacity <= 0}
     */
    public EventBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be greater than 0, got " + capacity);
        }
        if (capacity > Integer.MAX_VALUE / 16) {
            throw new IllegalArgumentException("capacity is too large: " + capacity);
        }
        Syscalls.requireAvailable();
        this.capacity = capacity;
        this.memory = new NativeBuffer(capacity * Structs.EPOLL_EVENT_SIZE);
    }

    /**
     * Returns the most events one poll returns.
     *
     * @return the capacity given to the constructor, {@code > 0}
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns the number of events the last poll into this buffer returned.
     *
     * @return the count, {@code 0 <= count <= capacity()}; 0 before the first poll and after a timeout
     */
    public int count() {
        return count;
    }

    /**
     * Returns the descriptor of event {@code i}.
     *
     * @param i the index, {@code 0 <= i < count()}
     * @return the file descriptor the event is for
     * @throws IndexOutOfBoundsException outside that range
     */
    public int fd(int i) {
        return (int) data(i);
    }

    /**
     * Returns the ready events of event {@code i}, a mask of the {@code Epoll.EPOLL*} constants.
     *
     * @param i the index, {@code 0 <= i < count()}
     * @return the event mask, e.g. {@code EPOLLIN | EPOLLHUP}
     * @throws IndexOutOfBoundsException outside that range
     */
    public int events(int i) {
        return memory.buffer().getInt(offset(i) + Structs.EPOLL_EVENT_EVENTS);
    }

    long data(int i) {
        return memory.buffer().getLong(offset(i) + Structs.EPOLL_EVENT_DATA);
    }

    private int offset(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("event " + i + " of " + count);
        }
        return i * Structs.EPOLL_EVENT_SIZE;
    }

    void setCount(int count) {
        this.count = count;
    }

    /** Drops event {@code i}, moving the later ones down (order is kept). */
    void remove(int i) {
        java.nio.ByteBuffer buf = memory.buffer();
        for (int to = i * Structs.EPOLL_EVENT_SIZE, end = (count - 1) * Structs.EPOLL_EVENT_SIZE; to < end;
                to += Structs.EPOLL_EVENT_SIZE) {
            int from = to + Structs.EPOLL_EVENT_SIZE;
            buf.putInt(to + Structs.EPOLL_EVENT_EVENTS, buf.getInt(from + Structs.EPOLL_EVENT_EVENTS));
            buf.putLong(to + Structs.EPOLL_EVENT_DATA, buf.getLong(from + Structs.EPOLL_EVENT_DATA));
        }
        count--;
    }
}
