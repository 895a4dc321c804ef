package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.demos.EchoServer;
import org.junit.jupiter.api.Test;

/** The echo-client as a user runs it: piped input, UTF-8, empty and long lines, a server that goes away. */
class EchoClientIT {
    @Test
    void pipedInputWithAnEmptyLineUtf8AndALongLine() throws Exception {
        String x2000 = "x".repeat(2000);
        try (EchoServer.Running server = Servers.EPOLL.start(EchoServer.Mode.SEED);
                Processes.Child client = Processes.demos("echo-client", "--port", String.valueOf(server.port()))) {
            client.type("abc\n\n中文\n" + x2000 + "\n");
            assertEquals(0, client.finish(), client.err());
            assertEquals("b'hello'\n>>>b'abcresponse'\n>>>>>>b'\\xe4\\xb8\\xad\\xe6\\x96\\x87response'\n"
                    + ">>>b'" + "x".repeat(1024) + "response" + "x".repeat(976) + "response'\n>>>", client.out());
        }
    }

    @Test
    void textModePrintsDecodedText() throws Exception {
        try (EchoServer.Running server = Servers.SELECT.start(EchoServer.Mode.SEED);
                Processes.Child client = Processes.demos("echo-client", "--text", "--port", String.valueOf(server.port()))) {
            client.type("中文\n");
            assertEquals(0, client.finish(), client.err());
            assertEquals("hello\n>>>中文response\n>>>", client.out());
        }
    }

    @Test
    void echoModeAgainstAPlainEchoServer() throws Exception {
        try (EchoServer.Running server = Servers.POLL.start(EchoServer.Mode.ECHO);
                Processes.Child client = Processes.demos("echo-client", "--mode", "echo", "--port",
                        String.valueOf(server.port()))) {
            client.type("ping\n");
            assertEquals(0, client.finish(), client.err());
            assertEquals(">>>b'ping'\n>>>", client.out());
        }
    }

    @Test
    void aServerThatGoesAwayIsReported() throws Exception {
        EchoServer.Running server = Servers.SELECT.start(EchoServer.Mode.SEED);
        try (Processes.Child client = Processes.demos("echo-client", "--port", String.valueOf(server.port()))) {
            client.type("one\n");
            client.awaitOut("b'oneresponse'");
            server.close();
            client.type("two\n");
            assertEquals(1, client.finish());
            assertTrue(client.err().contains("closed the connection"), client.err());
        } finally {
            server.close();
        }
    }

    @Test
    void nothingListeningIsAClearError() throws Exception {
        int port;
        try (EchoServer.Running server = Servers.SELECT.start(EchoServer.Mode.SEED)) {
            port = server.port();
        }
        try (Processes.Child client = Processes.demos("echo-client", "--port", String.valueOf(port))) {
            assertEquals(1, client.finish());
            assertTrue(client.err().contains("Connection refused"), client.err());
        }
    }
}
