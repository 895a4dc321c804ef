package io.jselect.socket;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.BadFileDescriptorException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link Sock#read} and {@link Sock#write}: the event-loop forms, with SocketChannel's return values. */
class SockReadWriteTest {
    private static byte[] drain(ByteBuffer buffer) {
        buffer.flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        buffer.clear();
        return bytes;
    }

    @Test
    void nonBlockingReadReturnsZeroThenTheBytesThenMinusOneAtEnd() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().setblocking(false);
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            assertEquals(0, p.first().read(direct), "nothing there yet");
            assertEquals(0, direct.position());
            p.second().sendall("abc".getBytes(US_ASCII));
            assertEquals(3, p.first().read(direct));
            assertArrayEquals("abc".getBytes(US_ASCII), drain(direct));
            p.second().shutdown(Sock.SHUT_WR);
            assertEquals(-1, p.first().read(direct), "end of stream");
        }
    }

    @Test
    void aFullBufferReadsNothingAndLeavesTheBytesQueued() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().setblocking(false);
            p.second().sendall("xyz".getBytes(US_ASCII));
            ByteBuffer full = ByteBuffer.allocateDirect(4).position(4);
            assertEquals(0, p.first().read(full));
            assertArrayEquals("xyz".getBytes(US_ASCII), p.first().recv(16));
        }
    }

    /** The address of the last direct buffer is remembered; alternating buffers must never mix them up. */
    @Test
    void alternatingBuffersEachGetTheirOwnBytes() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().setblocking(false);
            p.second().setblocking(false);
            ByteBuffer[] buffers = {ByteBuffer.allocateDirect(8), ByteBuffer.allocateDirect(8), ByteBuffer.allocate(8),
                ByteBuffer.allocateDirect(32).position(20).slice()};
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < buffers.length; i++) {
                    String message = "m" + round + i;
                    ByteBuffer out = buffers[(i + 1) % buffers.length];
                    out.clear().put(message.getBytes(US_ASCII)).flip();
                    assertEquals(message.length(), p.second().write(out));
                    assertEquals(0, out.remaining());
                    out.clear();
                    ByteBuffer in = buffers[i];
                    in.clear().put((byte) '>');
                    assertEquals(message.length(), p.first().read(in));
                    assertArrayEquals((">" + message).getBytes(US_ASCII), drain(in), "read lands at the position");
                }
            }
        }
    }

    @Test
    void writeToAFullSocketReturnsWhatFitThenZero() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().setblocking(false);
            ByteBuffer big = ByteBuffer.allocateDirect(8 << 20);
            int sent = p.first().write(big);
            assertTrue(sent > 0 && sent < big.capacity(), "a partial write: " + sent);
            assertEquals(sent, big.position());
            assertEquals(0, p.first().write(big), "full: would block, no exception");
            assertEquals(sent, big.position());
        }
    }

    /**
     * The event loop's path allocates nothing per call, direct buffers or heap ones; on JNA without
     * java.nio open to jselect a direct buffer is copied through the thread's window, also allocation-free.
     */
    @Test
    void eventLoopReadAndWriteAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (SockPair p = Sock.socketpair()) {
            p.first().setblocking(false);
            p.second().setblocking(false);
            for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocateDirect(64), ByteBuffer.allocate(64)}) {
                int calls = 50_000;
                long allocated = Long.MAX_VALUE;
                // Steady state: the best of a few rounds, so a one-off (a JIT recompilation) does not count.
                for (int round = 0; round < 6 && allocated > 0; round++) {
                    long moved = 0;
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < calls; i++) {
                        buffer.clear();
                        moved += p.first().write(buffer);
                        buffer.clear();
                        moved += p.second().read(buffer);
                        moved += p.second().read(buffer); // nothing more there: 0, no exception
                    }
                    long got = threads.getCurrentThreadAllocatedBytes() - before;
                    allocated = round == 0 ? Long.MAX_VALUE : Math.min(allocated, got); // round 0 warms up
                    System.out.printf("Sock read/write, %s buffer (%s), round %d: %d bytes over %d calls%n",
                            buffer.isDirect() ? "direct" : "heap", io.jselect.JSelect.backend(), round, got, calls);
                    assertEquals(2L * 64 * calls, moved, "every write read back whole");
                }
                assertEquals(0, allocated, (buffer.isDirect() ? "direct" : "heap") + " buffer: bytes allocated");
            }
        }
    }

    @Test
    void badBuffersAreRefusedByName() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().setblocking(false);
            p.second().sendall("q".getBytes(US_ASCII));
            ByteBuffer readOnly = ByteBuffer.allocateDirect(8).asReadOnlyBuffer();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.first().read(readOnly));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertEquals(0, readOnly.position());
            assertThrows(IllegalArgumentException.class, () -> p.first().read(ByteBuffer.allocate(8).asReadOnlyBuffer()));
            e = assertThrows(IllegalArgumentException.class, () -> p.first().read(null));
            assertTrue(e.getMessage().contains("null"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> p.first().write(null));
            assertTrue(e.getMessage().contains("null"), e.getMessage());
            assertArrayEquals("q".getBytes(US_ASCII), p.first().recv(8), "the refused reads consumed nothing");
        }
    }

    @Test
    void afterCloseBothFailClearly() throws Exception {
        SockPair p = Sock.socketpair();
        p.first().setblocking(false);
        ByteBuffer direct = ByteBuffer.allocateDirect(8);
        p.first().close();
        assertThrows(BadFileDescriptorException.class, () -> p.first().read(direct));
        direct.put((byte) 1).flip();
        assertThrows(BadFileDescriptorException.class, () -> p.first().write(direct));
        p.close();
    }
}
