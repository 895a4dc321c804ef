package io.jselect.lab.grading;

import io.jselect.lab.ChildServer;
import io.jselect.lab.experiments.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The student's server as the checks see it: the child process, the clients a check opens (closed after
 * it, or by the watchdog when it overruns), and what {@code /proc} tells about the server.
 */
public final class Target {
    private final Exercise exercise;
    private final Path classes;
    private final String classpath;
    private ChildServer server;
    private final List<Client> clients = new ArrayList<>();

    Target(Exercise exercise, Path classes, String classpath) {
        this.exercise = exercise;
        this.classes = classes;
        this.classpath = classpath;
    }

    Exercise exercise() {
        return exercise;
    }

    /** Starts the server, or starts it again if it has died. */
    void ensureRunning() throws IOException {
        if (server != null && server.isAlive()) {
            return;
        }
        if (server != null) {
            server.close();
        }
        // A young generation far larger than a check allocates, so no collection runs during one: jselect's
        // sockets close themselves when collected, which would hide a server that never closes them.
        server = ChildServer.start("your server (" + exercise.mainClass() + ")", List.of("-Xmx256m",
                "-XX:+UseSerialGC", "-Xmn160m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"), classes + java.io.File.pathSeparator + classpath,
                exercise.mainClass(), List.of("0"), 20);
    }

    ChildServer server() {
        return server;
    }

    private int stderrMark;

    /** Remembers how much the server has printed on stderr, so that a failure can show what came since. */
    void markStderr() {
        stderrMark = server.stderr().length();
    }

    /** The last lines the server printed on stderr since {@link #markStderr()}; empty if none. */
    String stderrSinceMark() {
        String all = server.stderr();
        if (all.length() <= stderrMark) {
            return "";
        }
        String[] lines = all.substring(stderrMark).strip().split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 15), lines.length));
    }

    int port() {
        return server.port();
    }

    long pid() {
        return server.pid();
    }

    /** A new connection, closed when the check ends. */
    Client connect(String name) throws CheckFailed, IOException {
        return connect(name, 0);
    }

    /** A new connection with a small receive buffer (see {@link Client#connect}). */
    Client connect(String name, int receiveBuffer) throws CheckFailed, IOException {
        return connect(name, receiveBuffer, 0);
    }

    /** A new connection with the given buffer sizes (see {@link Client#connect}). */
    Client connect(String name, int receiveBuffer, int sendBuffer) throws CheckFailed, IOException {
        Client c = Client.connect(port(), name, receiveBuffer, sendBuffer);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** Connects and receives the greeting, b'hello'. */
    Client greeted(String name) throws CheckFailed, IOException {
        Client c = connect(name);
        c.expect("hello", 3, "the greeting");
        return c;
    }

    /** Closes every connection the check opened; from the watchdog too, to wake a check blocked in one. */
    void closeClients() {
        synchronized (clients) {
            for (Client c : clients) {
                c.close();
            }
            clients.clear();
        }
    }

    void stop() {
        closeClients();
        if (server != null) {
            server.close();
        }
    }

    /** Descriptors the server has open. */
    int openDescriptors() {
        return ProcFiles.openDescriptors(pid());
    }

    /** The server's thread count. */
    int threads() throws IOException {
        return ProcFiles.status(pid()).threads();
    }

    /**
     * The system calls the server's threads are in now, by number ({@code /proc/PID/task/TID/syscall}).
     *
     * @throws Check.NotScored when this system does not let the grader read them
     */
    List<Integer> syscalls() throws Check.NotScored {
        List<Integer> numbers = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String line;
                try {
                    line = Files.readString(task.resolve("syscall")).trim();
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a thread that just ended
                }
                String first = line.split(" ")[0];
                if (first.matches("-?\\d+")) {
                    numbers.add(Integer.parseInt(first));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Check.NotScored("cannot read /proc/" + pid() + "/task/*/syscall here (" + e.getMessage() + ")");
        }
        return numbers;
    }

    /**
     * The server's epoll registrations by the inode of the registered file: the event masks that
     * {@code /proc/PID/fdinfo} shows for every epoll descriptor it has open.
     *
     * @throws Check.NotScored when this system does not let the grader read them
     */
    Map<Long, Integer> epollRegistrations() throws Check.NotScored {
        Map<Long, Integer> byInode = new HashMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fdinfo"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String info;
                try {
                    info = Files.readString(fd);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue;
                }
                for (String line : info.split("\n")) {
                    // tfd:        7 events: 80000019 data:                7  pos:0 ino:2d9d36 sdev:9
                    if (line.startsWith("tfd:")) {
                        String[] f = line.trim().split("\\s+");
                        int events = (int) Long.parseLong(f[3], 16);
                        for (String part : f) {
                            if (part.startsWith("ino:")) {
                                byInode.put(Long.parseLong(part.substring(4), 16), events);
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Check.NotScored("cannot read /proc/" + pid() + "/fdinfo here (" + e.getMessage() + ")");
        }
        return byInode;
    }

    /**
     * The inode of the server's end of a client's connection, from {@code /proc/net/tcp}: the socket whose
     * local port is the server's and remote port the client's.
     */
    long serverSocketInode(Client c) throws Check.NotScored {
        String local = String.format(":%04X", port());
        String remote = String.format(":%04X", Integer.parseInt(c.address().substring(c.address().lastIndexOf(':') + 1)));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    return Long.parseLong(f[9]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Check.NotScored("cannot read /proc/net/tcp here (" + e.getMessage() + ")");
        }
        throw new Check.NotScored("the server's socket for client " + c.name + " is not in /proc/net/tcp");
    }

    /** The most a TCP socket's send buffer grows to here: the last of /proc/sys/net/ipv4/tcp_wmem. */
    static long tcpSendBufferMax() {
        try {
            String[] f = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(f[2]);
        } catch (IOException | RuntimeException e) {
            return 4 << 20; // Linux's default
        }
    }

    /** Names for the system calls a server is likely to wait in (x86_64 numbers). */
    static String syscallNames(List<Integer> numbers) {
        Map<Integer, String> names = Map.ofEntries(Map.entry(0, "read"), Map.entry(1, "write"), Map.entry(7, "poll"),
                Map.entry(23, "select"), Map.entry(35, "nanosleep"), Map.entry(43, "accept"), Map.entry(44, "sendto"),
                Map.entry(45, "recvfrom"), Map.entry(202, "futex"), Map.entry(230, "clock_nanosleep"),
                Map.entry(232, "epoll_wait"), Map.entry(270, "pselect6"), Map.entry(271, "ppoll"),
                Map.entry(281, "epoll_pwait"), Map.entry(288, "accept4"), Map.entry(441, "epoll_pwait2"));
        TreeSet<String> seen = new TreeSet<>();
        for (int n : numbers) {
            seen.add(names.getOrDefault(n, "#" + n));
        }
        return String.join(", ", seen);
    }
}
