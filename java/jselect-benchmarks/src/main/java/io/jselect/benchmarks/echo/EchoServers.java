package io.jselect.benchmarks.echo;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp jselect-benchmarks.jar io.jselect.benchmarks.echo.EchoServers nio|netty [--host H]
 * [--port P]}: runs a baseline echo server of the comparison (run-echo.sh) until SIGINT or SIGTERM.
 * Prints {@code <name>: listening on HOST:PORT (pid N)} on stdout once it listens.
 */
public final class EchoServers {
    private EchoServers() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length % 2 != 1) {
            usage();
        }
        String host = "127.0.0.1";
        int port = 8888;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--host": host = args[i + 1]; break;
                case "--port": port = Integer.parseInt(args[i + 1]); break;
                default: usage();
            }
        }
        String name = args[0];
        RunningServer server;
        switch (name) {
            case "nio": server = NioEchoServer.start(host, port); break;
            case "netty": server = NettyEchoServer.start(host, port); break;
            default: usage(); return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, name + "-shutdown"));
        System.out.println(name + "-echo-server: listening on " + host + ":" + server.port() + " (pid "
                + ProcessHandle.current().pid() + ")");
        System.out.flush();
        stopped.await();
    }

    private static void usage() {
        System.err.println("usage: EchoServers nio|netty [--host HOST] [--port PORT]");
        System.exit(64);
    }
}
