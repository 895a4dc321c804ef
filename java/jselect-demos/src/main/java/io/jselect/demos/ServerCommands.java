package io.jselect.demos;

import io.jselect.JSelect;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The server subcommands: each runs until SIGINT or SIGTERM, then shuts down and prints a summary. */
final class ServerCommands {
    private ServerCommands() {
    }

    /** The options every echo server takes. */
    static final class Options {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "8888", description = "port, 0 for any free one (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--mode", defaultValue = "seed", converter = Cli.ModeConverter.class,
                description = "seed (greeting 'hello', replies chunk + 'response') or echo (default ${DEFAULT-VALUE})")
        EchoServer.Mode mode;

        @Option(names = "--max-clients", defaultValue = "10000", description = "connections beyond this are closed at once (default ${DEFAULT-VALUE})")
        int maxClients;

        @Option(names = "--max-queue", defaultValue = "65536",
                description = "unsent reply bytes per client past which the server stops reading from it (default ${DEFAULT-VALUE})")
        int maxQueue;

        @Option(names = "--backlog", description = "listen(2) backlog (default: the system's largest, net.core.somaxconn)")
        Integer backlog;

        EchoServer.Config config(EchoServer.Mechanism mechanism) {
            return new EchoServer.Config(host, port, mode, mechanism, maxClients, maxQueue,
                    backlog == null ? ListenBacklog.systemMax() : backlog);
        }
    }

    /** Runs a server until the JVM is asked to stop; the shutdown hook closes it and prints the summary. */
    static int serve(String name, EchoServer.Running server, String detail) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            System.err.println(name + ": stopped: " + server.stats().summary());
            stopped.countDown();
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println(name + ": listening on " + Peers.describe(server.address()) + " (" + detail + ", backend "
                + JSelect.backend() + "); Ctrl-C to stop");
        stopped.await();
        return 0;
    }

    @Command(name = "echo-server", mixinStandardHelpOptions = true,
            description = "The lesson's select echo server, without its bugs.")
    static final class Echo implements Callable<Integer> {
        @Mixin
        Options options = new Options();

        @Option(names = "--mechanism", defaultValue = "select", converter = Cli.MechanismConverter.class,
                description = "select, poll, epoll, epoll-et or selectors (default ${DEFAULT-VALUE}, as in the lesson)")
        EchoServer.Mechanism mechanism;

        @Override
        public Integer call() throws Exception {
            EchoServer.Config config = options.config(mechanism);
            return serve("echo-server", EchoServer.start(config), "mode " + config.mode().name().toLowerCase()
                    + ", mechanism " + mechanism);
        }
    }

    @Command(name = "selectors-echo-server", mixinStandardHelpOptions = true,
            description = "The same service on DefaultSelector, as the lesson's second version.")
    static final class Selectors implements Callable<Integer> {
        @Mixin
        Options options = new Options();

        @Override
        public Integer call() throws Exception {
            EchoServer.Config config = options.config(EchoServer.Mechanism.SELECTORS);
            return serve("selectors-echo-server", EchoServer.start(config), "mode " + config.mode().name().toLowerCase()
                    + ", DefaultSelector");
        }
    }

    @Command(name = "threaded-echo-server", mixinStandardHelpOptions = true,
            description = "The same service with a thread per connection, for the threads-versus-multiplexing comparison.")
    static final class Threaded implements Callable<Integer> {
        @Mixin
        Options options = new Options();

        @Override
        public Integer call() throws Exception {
            EchoServer.Config config = options.config(EchoServer.Mechanism.SELECT);
            return serve("threaded-echo-server", ThreadedEchoServer.start(config), "mode "
                    + config.mode().name().toLowerCase() + ", a thread per connection");
        }
    }
}
