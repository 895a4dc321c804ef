package io.jselect.lab.experiments;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * A server the threads-versus-events experiment measures: how to start it as a child JVM that speaks the
 * lesson's protocol (greeting {@code hello}, each chunk answered with {@code chunk + response}) and prints
 * {@code listening on HOST:PORT}.
 *
 * @param name its name on the command line, in the CSV and on the chart
 * @param description one line for {@code --help} and the output
 * @param minimumJdk the oldest JDK feature release it runs on (a server that needs a newer one is skipped,
 *     with a note)
 * @param classpathPrefix entries before the lab's own class path (a student's compiled exercises)
 * @param mainClass the class to run
 * @param args its arguments, {@code "0"} standing for the port (any free one)
 */
public record ServerKind(String name, String description, int minimumJdk, List<String> classpathPrefix,
        String mainClass, List<String> args) {
    /** The lab's own servers: the demos' thread-per-connection server and their select, poll and epoll loops. */
    public static final List<ServerKind> BUILT_IN = List.of(
            builtIn("threads", "a thread per connection, blocking sockets (the demos' ThreadedEchoServer)"),
            builtIn("select", "one thread, Select.select over every connection (the demos' EchoServer)"),
            builtIn("poll", "one thread, Poll (the demos' EchoServer)"),
            builtIn("epoll", "one thread, Epoll, level-triggered (the demos' EchoServer)"));
    // THE EXTENSION POINT FOR A VIRTUAL-THREAD SERVER. Issue 14 makes jselect's blocking calls park a virtual
    // thread instead of pinning its carrier and adds virtual-thread-echo-server; its kind then goes in the
    // list above, builtIn("virtual-threads", ...) with minimumJdk 21, and a case in ServeCommand.start. Until
    // then a virtual thread blocked in Sock.recv would pin a carrier thread, so such a server would measure
    // pinned carriers, not virtual threads: none is offered.

    private static ServerKind builtIn(String name, String description) {
        return new ServerKind(name, description, 17, List.of(), "io.jselect.lab.Main", List.of("serve", name, "--port", "0"));
    }

    /**
     * A student's servers from exercises 1, 2, 3 and 5, compiled into {@code classes}: {@code ex1} (select),
     * {@code ex2} (poll), {@code ex3} (edge-triggered epoll), {@code ex5} (a thread per connection).
     */
    public static List<ServerKind> exercises(File classes) {
        List<ServerKind> kinds = new ArrayList<>();
        String[][] table = {
            {"ex1", "ex1.SelectEchoServer", "your exercise 1: select"},
            {"ex2", "ex2.PollEchoServer", "your exercise 2: poll"},
            {"ex3", "ex3.EpollEchoServer", "your exercise 3: edge-triggered epoll"},
            {"ex5", "ex5.ThreadedEchoServer", "your exercise 5: a thread per connection"},
        };
        for (String[] row : table) {
            kinds.add(new ServerKind(row[0], row[2], 17, List.of(classes.getPath()), row[1], List.of("0")));
        }
        return kinds;
    }

    /** Whether the running JDK can run it. */
    public boolean available() {
        return Runtime.version().feature() >= minimumJdk;
    }
}
