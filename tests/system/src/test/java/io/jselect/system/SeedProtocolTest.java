package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.demos.EchoServer;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The exact wire transcript of the lesson's protocol, on every server. */
class SeedProtocolTest {
    @ParameterizedTest
    @EnumSource(Servers.class)
    void transcript(Servers kind) throws Exception {
        try (EchoServer.Running server = kind.start(EchoServer.Mode.SEED); Wire w = new Wire(server.port())) {
            assertEquals("hello", w.recvString(5));
            w.send("abc");
            assertEquals("abcresponse", w.recvString(11));
            byte[] chinese = Wire.utf8("中文");
            w.send(chinese);
            assertArrayEquals(concat(chinese, Wire.utf8("response")), w.recvExactly(chinese.length + 8));

            byte[] big = new byte[2000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('A' + i % 26);
            }
            w.send(big);
            byte[] expected = concat(Arrays.copyOfRange(big, 0, 1024), Wire.utf8("response"),
                    Arrays.copyOfRange(big, 1024, 2000), Wire.utf8("response"));
            assertArrayEquals(expected, w.recvExactly(expected.length), "first 1024 + response, then 976 + response");
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void echoModeHasNoGreetingAndNoSuffix(Servers kind) throws Exception {
        try (EchoServer.Running server = kind.start(EchoServer.Mode.ECHO); Wire w = new Wire(server.port())) {
            w.send("abc");
            assertEquals("abc", w.recvString(3));
            byte[] big = new byte[100_000];
            Arrays.fill(big, (byte) 'z');
            w.send(big);
            assertArrayEquals(big, w.recvExactly(big.length));
        }
    }

    @ParameterizedTest
    @EnumSource(Servers.class)
    void halfCloseStillGetsItsReplyThenEndOfStream(Servers kind) throws Exception {
        try (EchoServer.Running server = kind.start(EchoServer.Mode.SEED); Wire w = new Wire(server.port())) {
            assertEquals("hello", w.recvString(5));
            w.send("bye");
            w.sock.shutdown(io.jselect.socket.Sock.SHUT_WR);
            assertEquals("byeresponse", w.recvString(11));
            assertTrue(w.closedByPeer(), "the server closes after the client's end of stream");
            waitUntil(() -> server.stats().active() == 0);
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
