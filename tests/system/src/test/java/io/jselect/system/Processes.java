package io.jselect.system;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child processes for the system tests: the demos jar and the lesson's Python programs. */
final class Processes {
    static final String DEMOS_JAR = System.getProperty("jselect.demos.jar");
    static final Path PYTHON_DIR = Path.of(System.getProperty("jselect.python.dir", "python"));

    private Processes() {
    }

    /**
     * A running child whose stdout and stderr go to files. (Pipes read by threads of ours lose the tail of
     * the output: when the child exits the JDK drains and closes a pipe that another thread is reading.)
     */
    static final class Child implements AutoCloseable {
        final Process process;
        private final Path outFile;
        private final Path errFile;

        Child(List<String> command) throws IOException {
            outFile = java.nio.file.Files.createTempFile("jselect-child-", ".out");
            errFile = java.nio.file.Files.createTempFile("jselect-child-", ".err");
            process = new ProcessBuilder(command).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        }

        OutputStream stdin() {
            return process.getOutputStream();
        }

        void type(String text) throws IOException {
            stdin().write(text.getBytes(StandardCharsets.UTF_8));
            stdin().flush();
        }

        String out() {
            return read(outFile);
        }

        String err() {
            return read(errFile);
        }

        private static String read(Path file) {
            try {
                return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Waits until stdout contains {@code text}; fails after 20 s. */
        void awaitOut(String text) throws InterruptedException {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!out().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive() && !out().contains(text)) {
                    Thread.sleep(100);
                    if (out().contains(text)) {
                        return;
                    }
                    throw new AssertionError("stdout never showed '" + text + "'.\nstdout: " + out() + "\nstderr: " + err());
                }
                Thread.sleep(10);
            }
        }

        /** Waits until stdout or stderr contains {@code text} (servers log to stderr); fails after 20 s. */
        void awaitOutOrErr(String text) throws InterruptedException {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!out().contains(text) && !err().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("never printed '" + text + "'.\nstdout: " + out() + "\nstderr: " + err());
                }
                Thread.sleep(10);
            }
        }

        /** Closes stdin and waits for the exit status; fails after 30 s. */
        int finish() throws Exception {
            stdin().close();
            return awaitExit();
        }

        /** Waits for the exit status and for all of the output; fails after 30 s. */
        int awaitExit() throws Exception {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child did not exit.\nstdout: " + out() + "\nstderr: " + err());
            }
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException, IOException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            java.nio.file.Files.deleteIfExists(outFile);
            java.nio.file.Files.deleteIfExists(errFile);
        }
    }

    /** The demos jar as a child JVM, on the backend this run asked for ({@code -Djselect.backend}), if any. */
    static Child demos(String... args) throws IOException {
        return new Child(demosCommand(List.of(), List.of(), args));
    }

    /**
     * The command line of the demos jar as a child JVM.
     *
     * @param wrapper what runs the JVM, e.g. {@code prlimit --nofile=256:256 --}; empty for nothing
     * @param jvmOptions options for the JVM, before {@code -jar}
     */
    static List<String> demosCommand(List<String> wrapper, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        String backend = System.getProperty("jselect.backend");
        if (backend != null) {
            command.add("-Djselect.backend=" + backend);
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", DEMOS_JAR));
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** A demos server as a child process, and the port it reported listening on. */
    static final class ServerChild implements AutoCloseable {
        private static final java.util.regex.Pattern LISTENING = java.util.regex.Pattern.compile("listening on \\S+:(\\d+) ");
        final Child child;
        final int port;

        /** Starts {@code command} (a server with {@code --port 0}) and waits for its "listening on" line. */
        ServerChild(List<String> command) throws Exception {
            child = new Child(command);
            try {
                child.awaitOutOrErr("listening on ");
                java.util.regex.Matcher m = LISTENING.matcher(child.err());
                if (!m.find()) {
                    throw new AssertionError("no port in: " + child.err());
                }
                port = Integer.parseInt(m.group(1));
            } catch (Exception | Error e) {
                child.close();
                throw e;
            }
        }

        long pid() {
            return child.process.pid();
        }

        /** The server's CPU time so far (user + system), in clock ticks of 10 ms. */
        long cpuTicks() throws IOException {
            String stat = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
        }

        /** The server's open descriptors now. */
        long openDescriptors() throws IOException {
            try (java.util.stream.Stream<Path> fds = java.nio.file.Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
                return fds.count();
            }
        }

        /** Stops the server (SIGTERM: its shutdown hook prints the summary) and returns everything it wrote to stderr. */
        String stop() throws Exception {
            child.process.destroy();
            child.awaitExit();
            return child.err();
        }

        @Override
        public void close() throws Exception {
            child.close();
        }
    }

    static Child python(String script) throws IOException {
        return new Child(List.of("python3", PYTHON_DIR.resolve(script).toString()));
    }

    /**
     * The original server, unchanged, with SO_REUSEADDR added from outside: it never closes a client, so
     * each run leaves TIME_WAIT sockets on port 8888 that would fail the next run's bind for a minute.
     */
    static Child pythonServerWithReuseAddr(String script) throws IOException {
        String wrapper = "import socket\n"
                + "_bind = socket.socket.bind\n"
                + "def bind(self, address):\n"
                + "    self.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "    return _bind(self, address)\n"
                + "socket.socket.bind = bind\n"
                + "path = " + pythonString(PYTHON_DIR.resolve(script).toString()) + "\n"
                + "exec(compile(open(path).read(), path, 'exec'))\n";
        return new Child(List.of("python3", "-u", "-c", wrapper));
    }

    private static String pythonString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * Waits until a socket listens on port {@code port} (read from /proc/net/tcp, without connecting: a
     * probe connection would crash the original Python server, which dies on a failed send).
     */
    static void awaitListening(int port) throws Exception {
        String local = String.format(":%04X ", port);
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (;;) {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing listens on port " + port);
            }
            Thread.sleep(50);
        }
    }
}
