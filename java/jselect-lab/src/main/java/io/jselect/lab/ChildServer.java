package io.jselect.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a child JVM: the experiments measure its memory, threads and CPU apart from the client's, and
 * the graders run a student's server where a crash, a hang or a leak cannot touch the grader. The child
 * announces itself with a line {@code ... listening on HOST:PORT} on stdout ({@link Lab#listen} prints it).
 * Its stdout and stderr go to files (a pipe read by a thread of ours loses the tail when the child dies).
 */
public final class ChildServer implements AutoCloseable {
    /** Set in the child's environment: {@link Lab#listen} then exits when its stdin closes (we died). */
    static final String PARENT_ENV = "JSELECT_LAB_PARENT";
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");

    private final Process process;
    private final Path outFile;
    private final Path errFile;
    private final String name;
    private int port;

    private ChildServer(Process process, Path outFile, Path errFile, String name) {
        this.process = process;
        this.outFile = outFile;
        this.errFile = errFile;
        this.name = name;
    }

    /**
     * Starts {@code mainClass} in a new JVM and waits until it says where it listens.
     *
     * @param name what to call it in messages
     * @param jvmOptions options before the class, e.g. {@code -Xmx256m}
     * @param classpath the child's class path
     * @param args the program's arguments
     * @param startSeconds how long to wait for the "listening on" line
     * @throws IOException when it cannot be started, exits first, or says nothing in time: the message
     *     holds the end of its stderr
     */
    public static ChildServer start(String name, List<String> jvmOptions, String classpath, String mainClass,
            List<String> args, double startSeconds) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        String backend = System.getProperty("jselect.backend");
        if (backend != null) {
            command.add("-Djselect.backend=" + backend);
        }
        command.addAll(Arrays.asList("-cp", classpath, mainClass));
        command.addAll(args);
        Path out = Files.createTempFile("jselect-lab-server-", ".out");
        Path err = Files.createTempFile("jselect-lab-server-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put(PARENT_ENV, Long.toString(ProcessHandle.current().pid()));
        ChildServer child = new ChildServer(pb.start(), out, err, name);
        try {
            child.awaitListening(startSeconds);
        } catch (IOException | RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    private void awaitListening(double seconds) throws IOException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        for (;;) {
            Matcher m = LISTENING.matcher(stdout());
            if (m.find()) {
                port = Integer.parseInt(m.group(2));
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited (status " + process.exitValue() + ") before it said "
                        + "\"listening on HOST:PORT\"" + lastWords());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " did not say \"listening on HOST:PORT\" on stdout within "
                        + seconds + " s" + lastWords());
            }
            sleep(20);
        }
    }

    /** The port the child listens on. */
    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, or null while it runs. */
    public Integer exitStatus() {
        return process.isAlive() ? null : process.exitValue();
    }

    public String stdout() {
        return read(outFile);
    }

    public String stderr() {
        return read(errFile);
    }

    /** The last {@code n} lines of stderr. */
    public String stderrTail(int n) {
        String[] lines = stderr().split("\n");
        return String.join("\n", Arrays.asList(lines).subList(Math.max(0, lines.length - n), lines.length));
    }

    /** ": its stderr ended with: ..." or "" when it printed nothing. */
    public String lastWords() {
        String tail = stderrTail(15).strip();
        return tail.isEmpty() ? "" : "; its stderr ended with:\n" + tail.indent(4).stripTrailing();
    }

    /** Stops the child (SIGTERM, then SIGKILL after 5 s) and deletes its output files. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed: the child is gone
        }
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        } catch (IOException ignored) {
            // temporary files: the system cleans them up
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException gone) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
