package io.jselect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lesson's original Python programs talking to the Java ports, on the port they hard-code (8888):
 * the Python client's transcript is the same against our server as against the original; our client's
 * transcript is the same as the Python client's against the original server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InteropIT {
    static final String INPUT = "abc\n中文\nhello world\n";
    /** What the Python client prints for {@link #INPUT} against the original server (input() echoes the prompt). */
    static final String TRANSCRIPT = "b'hello'\n>>>b'abcresponse'\n>>>b'\\xe4\\xb8\\xad\\xe6\\x96\\x87response'\n"
            + ">>>b'hello worldresponse'\n>>>";

    static String pythonClientAgainstPythonServer;
    static String javaClientAgainstPythonServer;

    @BeforeAll
    static void againstTheOriginalServer() throws Exception {
        try (Processes.Child server = Processes.pythonServerWithReuseAddr("select_server.py")) {
            Processes.awaitListening(8888);
            try (Processes.Child client = Processes.python("select_client.py")) {
                client.type(INPUT);
                client.finish(); // exits 1 on EOFError, as it always did
                pythonClientAgainstPythonServer = client.out();
            }
            try (Processes.Child client = Processes.demos("echo-client")) {
                client.type(INPUT);
                assertEquals(0, client.finish(), client.err());
                javaClientAgainstPythonServer = client.out();
            }
        }
    }

    @Test
    @Order(1)
    void thePythonClientsTranscriptIsTheKnownOne() {
        assertEquals(TRANSCRIPT, pythonClientAgainstPythonServer);
    }

    @Test
    @Order(2)
    void ourClientPrintsThePythonClientsTranscriptAgainstTheOriginalServer() {
        assertEquals(pythonClientAgainstPythonServer, javaClientAgainstPythonServer);
    }

    @Test
    @Order(3)
    void thePythonClientPrintsTheSameTranscriptAgainstOurServer() throws Exception {
        for (String mechanism : new String[] {"select", "epoll"}) {
            try (Processes.Child server = Processes.demos("echo-server", "--mechanism", mechanism)) {
                server.awaitOutOrErr("listening on 127.0.0.1:8888");
                try (Processes.Child client = Processes.python("select_client.py")) {
                    client.type(INPUT);
                    client.finish();
                    assertEquals(pythonClientAgainstPythonServer, client.out(), mechanism + "\n" + client.err());
                }
            }
        }
    }

    @Test
    @Order(4)
    void ourServerStopsCleanlyOnSigtermWithASummary() throws Exception {
        try (Processes.Child server = Processes.demos("echo-server")) {
            server.awaitOutOrErr("listening on 127.0.0.1:8888");
            try (Processes.Child client = Processes.python("select_client.py")) {
                client.type("abc\n");
                client.finish();
            }
            server.process.destroy(); // SIGTERM
            int status = server.awaitExit();
            String err = "exit " + status + "\n" + server.err();
            assertTrue(err.contains("connected 127.0.0.1:"), err);
            assertTrue(err.contains("disconnected 127.0.0.1:"), err);
            assertTrue(err.contains("echo-server: stopped: 1 connections"), err);
            assertTrue(err.contains("1 chunks"), err);
        }
    }
}
