package io.jselect.lab.experiments;

import io.jselect.demos.EchoServer;
import io.jselect.demos.ThreadedEchoServer;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code serve KIND}: one of the built-in servers, in the lesson's protocol, for the threads-versus-events
 * experiment to run as a child. Prints {@code KIND listening on 127.0.0.1:PORT}; stops on SIGTERM or when
 * its stdin closes.
 */
@Command(name = "serve", hidden = true, mixinStandardHelpOptions = true,
        description = "Run a built-in server (threads, select, poll, epoll) until stopped; for the experiments.")
public final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "threads, select, poll or epoll")
    String kind;

    @Option(names = "--port", defaultValue = "0", description = "port, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        EchoServer.Running server = start(kind, EchoServer.Config.defaults().withPort(port));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "serve-shutdown"));
        System.out.println(kind + " listening on 127.0.0.1:" + server.port());
        System.out.flush();
        io.jselect.lab.Lab.exitWithParent();
        stopped.await();
        return 0;
    }

    /** Starts a built-in kind; see {@link ServerKind#BUILT_IN} for where a new kind is added. */
    static EchoServer.Running start(String kind, EchoServer.Config config) throws IOException {
        switch (kind) {
            case "threads": return ThreadedEchoServer.start(config);
            case "select": return EchoServer.start(config.withMechanism(EchoServer.Mechanism.SELECT));
            case "poll": return EchoServer.start(config.withMechanism(EchoServer.Mechanism.POLL));
            case "epoll": return EchoServer.start(config.withMechanism(EchoServer.Mechanism.EPOLL));
            default: throw new IllegalArgumentException("server must be threads, select, poll or epoll, got '" + kind + "'");
        }
    }
}
