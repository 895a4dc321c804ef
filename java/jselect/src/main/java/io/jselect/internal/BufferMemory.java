package io.jselect.internal;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Where the bytes of a caller's {@code ByteBuffer} meet the kernel. A plain direct buffer
 * ({@code allocateDirect}, a mapped file, JNI's {@code NewDirectByteBuffer}) goes to the kernel as it is,
 * with no copy: its memory lives as long as the buffer object, which the call keeps reachable. Every other
 * buffer is copied once through the thread's {@link Scratch} window: heap buffers, and direct buffers over
 * foreign memory ({@code MemorySegment.asByteBuffer()}, JDK 22+, and JDK 17's incubating API), whose arena
 * may free that memory at any moment while the buffer object lives on: before the call, or from another
 * thread during it (issue 10: a receive then wrote into freed memory and killed the JVM, a send sent
 * another allocation's bytes).
 *
 * <p>Why copy rather than keep the arena alive for the call, as {@code java.nio} does: the JDK keeps it
 * alive through an internal interface ({@code JavaNioAccess.acquireSession}) that no library can reach
 * without {@code --add-exports}, and the public API has no equivalent (a JDK 22+ downcall through
 * {@code Linker} would hold it, but only for a system call made through the FFM API, a third backend).
 * The JDK's bulk copies, on the other hand, check the arena and are safe against a concurrent close of a
 * shared arena (the close waits out threads inside such an access), so a copy either sees live memory or
 * throws {@code IllegalStateException} ("Already closed"), or {@code WrongThreadException} for another
 * thread's confined arena, exactly as {@code java.nio} does; the system call then touches only our own
 * memory. The cost is one copy, the one heap buffers pay, and only for foreign memory. The difference
 * from {@code java.nio}: an arena closed by another thread during a call closes (where {@code java.nio}'s
 * close fails); the call then fails, and a receive consumes nothing it cannot deliver (see
 * {@link SocketCalls#recvWhenReady}).
 *
 * <p>One instance per socket: it remembers the last direct buffer it classified, since an event loop
 * reads and writes through one buffer and asking the backend is a JNI transition per call (beside the
 * system call's). The pair is immutable, so a racing thread sees either the old pair or the new one; the
 * only cost of a miss is the lookup. The remembered buffer stays reachable until another replaces it.
 */
public final class BufferMemory {
    /** The target of {@link #checkUsable}'s zero-length copy; nothing is ever written to it. */
    private static final ByteBuffer NOWHERE = ByteBuffer.allocate(0);

    private Classified last;

    private record Classified(ByteBuffer buffer, long address) {
    }

    /**
     * The address of a buffer's first byte if the kernel may use its memory directly, else 0.
     *
     * @param buffer any buffer
     * @return the address for a plain direct buffer; 0 for a heap buffer, a direct buffer over foreign
     *     memory, or any direct buffer when the backend cannot tell them apart; all of those are copied
     */
    public long addressOf(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            return 0;
        }
        Classified seen = last;
        if (seen != null && seen.buffer() == buffer) {
            return seen.address();
        }
        long address = Syscalls.backend().plainAddress(buffer);
        last = new Classified(buffer, address);
        return address;
    }

    /**
     * Fails as {@code java.nio} does when a buffer's memory may not be used now: its arena was closed
     * ({@code IllegalStateException: Already closed}), or it is another thread's confined arena
     * ({@code WrongThreadException} on JDK 19+). A zero-length bulk copy: the JDK checks the arena even
     * for that, and nothing moves. A no-op for every other buffer.
     */
    public static void checkUsable(ByteBuffer buffer) {
        NOWHERE.put(0, buffer, buffer.position(), 0);
    }

    /**
     * {@code java.nio.Buffer.segment}, the field that holds the segment a buffer views ({@code
     * MemorySegmentProxy} on JDK 17, {@code MemorySegment} on 22+), for the backends to read: looking it
     * up needs no {@code --add-opens}, reading it does (JNI reads past the module system).
     *
     * @return the field, or {@code null} on a JDK without it; then no direct buffer can be told apart
     *     from foreign memory, and every one is copied
     */
    public static Field bufferSegmentField() {
        try {
            return Buffer.class.getDeclaredField("segment");
        } catch (NoSuchFieldException | SecurityException e) {
            return null;
        }
    }
}
