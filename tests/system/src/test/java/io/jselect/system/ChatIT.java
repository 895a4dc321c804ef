package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.demos.ChatServer;
import io.jselect.demos.EchoServer;
import org.junit.jupiter.api.Test;

/** The chat room: a line from one client reaches every other client, and not its sender. */
class ChatIT {
    /** One line, decoded once whole (a multi-byte character must not be split). */
    static String line(Wire w) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (;;) {
            byte b = w.recvExactly(1)[0];
            if (b == '\n') {
                return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            bytes.write(b);
        }
    }

    @Test
    void linesGoToEveryoneElse() throws Exception {
        try (EchoServer.Running room = ChatServer.start("127.0.0.1", 0);
                Wire a = new Wire(room.port()); Wire b = new Wire(room.port())) {
            String aJoined = line(a);
            assertTrue(aJoined.startsWith("* 127.0.0.1:") && aJoined.endsWith(" joined"), aJoined);
            try (Wire c = new Wire(room.port())) {
                line(a);
                line(b); // c joined
                a.send("hi all\n");
                assertTrue(line(b).endsWith(": hi all"));
                assertTrue(line(c).endsWith(": hi all"));
                c.send("héllo\npartial");
                assertTrue(line(a).endsWith(": héllo"));
                assertTrue(line(b).endsWith(": héllo"));
                c.send(" line\n");
                assertTrue(line(a).endsWith(": partial line"));
            }
            assertTrue(line(a).endsWith(" left"));
            b.send("still here\n");
            assertTrue(line(a).endsWith(": still here"));
            assertEquals(3, room.stats().accepted());
        }
    }

    @Test
    void theChatClientSelectsOverStdinAndTheSocket() throws Exception {
        try (EchoServer.Running room = ChatServer.start("127.0.0.1", 0); Wire other = new Wire(room.port())) {
            try (Processes.Child client = Processes.demos("chat-client", "--port", String.valueOf(room.port()))) {
                assertTrue(line(other).endsWith(" joined"));
                client.type("from the client\n");
                assertTrue(line(other).endsWith(": from the client"));
                other.send("to the client\n");
                client.awaitOut(": to the client\n");
                assertEquals(0, client.finish(), client.err()); // end of input: leaves and exits
            }
            assertTrue(line(other).endsWith(" left"));
        }
    }
}
