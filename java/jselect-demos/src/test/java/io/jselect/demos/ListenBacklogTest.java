package io.jselect.demos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 10: the servers listen with the system's largest backlog unless {@code --backlog} says otherwise. */
class ListenBacklogTest {
    /** somaxconn as one read(2) returns it (Files.readString read "4" of "4096": see ListenBacklog). */
    static int somaxconn() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))) {
            return Integer.parseInt(new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim());
        }
    }

    @Test
    void theSystemMaximumIsSomaxconn() throws Exception {
        assertEquals(somaxconn(), ListenBacklog.systemMax());
    }

    @Test
    void everyServerDefaultsToItAndTakesBacklog() throws Exception {
        ServerCommands.Echo echo = new ServerCommands.Echo();
        ServerCommands.Selectors selectors = new ServerCommands.Selectors();
        ServerCommands.Threaded threaded = new ServerCommands.Threaded();
        for (Map.Entry<Callable<Integer>, ServerCommands.Options> server : Map.<Callable<Integer>, ServerCommands.Options>of(echo, echo.options, selectors, selectors.options,
                threaded, threaded.options).entrySet()) {
            String name = server.getKey().getClass().getSimpleName();
            new CommandLine(server.getKey()).parseArgs();
            assertEquals(somaxconn(), server.getValue().config(EchoServer.Mechanism.SELECT).backlog(), name);
            new CommandLine(server.getKey()).parseArgs("--backlog", "77");
            assertEquals(77, server.getValue().config(EchoServer.Mechanism.SELECT).backlog(), name);
        }
        assertEquals(somaxconn(), EchoServer.Config.defaults().backlog());
        ChatServer.Command chat = new ChatServer.Command();
        new CommandLine(chat).parseArgs("--backlog", "77");
        assertEquals(77, chat.backlog);
    }
}
