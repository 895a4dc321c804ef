package io.jselect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.internal.Fds;
import io.jselect.socket.Sock;
import io.jselect.socket.SockPair;
import io.jselect.testing.Fixtures.PipePair;
import io.jselect.testing.Fixtures.TcpPair;
import io.jselect.testing.StdinProbe;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * JDK objects as file objects: select, poll and epoll accept them as they are (their descriptors are
 * read from C by the JNI backend, with no --add-opens; by reflection by the JNA backend, whose runs have
 * them), report their readiness like any descriptor's, and select returns the very objects given. Run
 * on JDK 17 and again on JDK 25, on each backend, by the build.
 */
class FileObjectsTest {
    static final List<Mechanism> MECHANISMS = Mechanism.ALL;
    private static final int R = Mechanism.READ;
    private static final int W = Mechanism.WRITE;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void socketChannels(Mechanism m) throws Exception {
        try (TcpPair t = new TcpPair()) {
            assertEquals(Map.of(fd(t.client), W), m.await(List.of(t.client), List.of(t.client), 0.0));
            t.server.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(Map.of(fd(t.client), R), m.await(List.of(t.client), List.of(), 5.0));
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void serverSocketChannelIsReadableWithAConnectionPending(Mechanism m) throws Exception {
        try (ServerSocketChannel srv = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            assertEquals(Map.of(), m.await(List.of(srv), List.of(), 0.0));
            try (SocketChannel c = SocketChannel.open(srv.getLocalAddress())) {
                assertEquals(Map.of(fd(srv), R), m.await(List.of(srv), List.of(), 5.0), c + " is pending");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void datagramChannelIsReadableWhenADatagramArrives(Mechanism m) throws Exception {
        try (DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
                DatagramChannel b = DatagramChannel.open()) {
            assertEquals(Map.of(), m.await(List.of(a), List.of(), 0.0));
            b.send(ByteBuffer.wrap(new byte[] {1}), a.getLocalAddress());
            assertEquals(Map.of(fd(a), R), m.await(List.of(a), List.of(), 5.0));
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void pipeChannels(Mechanism m) throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            assertEquals(Map.of(fd(sink), W), m.await(List.of(source), List.of(sink), 0.0));
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(Map.of(fd(source), R, fd(sink), W), m.await(List.of(source), List.of(sink), 0.0));
        }
    }

    /** File streams and their FileDescriptors, over a pipe opened anew through /proc/self/fd. */
    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void fileStreamsAndFileDescriptors(Mechanism m) throws Exception {
        try (PipePair p = new PipePair();
                FileOutputStream out = new FileOutputStream("/proc/self/fd/" + p.w);
                FileInputStream in = new FileInputStream("/proc/self/fd/" + p.r)) {
            assertEquals(Map.of(fd(out), W), m.await(List.of(in), List.of(out), 0.0));
            out.write('x');
            assertEquals(Map.of(fd(in), R), m.await(List.of(in), List.of(), 0.0));
            assertEquals(Map.of(fd(in), R, fd(out), W), m.await(List.of(in.getFD()), List.of(out.getFD()), 0.0));
        }
    }

    /** A child's stdin and stdout are pipes behind buffered Process streams. */
    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void processStreams(Mechanism m) throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        try {
            OutputStream stdin = cat.getOutputStream();
            InputStream stdout = cat.getInputStream();
            assertEquals(Map.of(fd(stdin), W), m.await(List.of(stdout), List.of(stdin), 0.0));
            stdin.write("hi\n".getBytes(UTF_8));
            stdin.flush();
            assertEquals(Map.of(fd(stdout), R), m.await(List.of(stdout), List.of(), 10.0));
        } finally {
            finish(cat);
        }
    }

    /**
     * The child stays alive (reading its stdin) after writing: once a process exits, the JDK drains its
     * pipes into memory and closes them, and the streams then hold no descriptor.
     */
    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void processStdoutBecomesReadableWhenTheChildWrites(Mechanism m) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 0.3; echo done; read x").start();
        try {
            InputStream stdout = p.getInputStream();
            assertEquals(Map.of(), m.await(List.of(stdout), List.of(), 0.0));
            assertEquals(Map.of(fd(stdout), R), m.await(List.of(stdout), List.of(), 20.0));
            assertEquals("done", new BufferedReader(new InputStreamReader(stdout, UTF_8)).readLine());
        } finally {
            finish(p);
        }
    }

    /** Closes a child's three streams (its stdin last, which ends cat and read), and waits for it. */
    private static void finish(Process p) throws Exception {
        p.getInputStream().close();
        p.getErrorStream().close();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not exit");
        }
    }

    /** java.net's sockets: plain, server, accepted, channel adaptors and datagram. */
    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void javaNetSockets(Mechanism m) throws Exception {
        try (ServerSocket srv = new ServerSocket(0, 50, LOOPBACK)) {
            assertEquals(Map.of(), m.await(List.of(srv), List.of(), 0.0));
            try (Socket client = new Socket(LOOPBACK, srv.getLocalPort())) {
                assertEquals(Map.of(fd(srv), R), m.await(List.of(srv), List.of(), 5.0));
                try (Socket conn = srv.accept()) {
                    assertEquals(Map.of(fd(client), W), m.await(List.of(conn), List.of(client), 0.0));
                    client.getOutputStream().write(1);
                    assertEquals(Map.of(fd(conn), R), m.await(List.of(conn), List.of(), 5.0));
                }
            }
        }
        try (TcpPair t = new TcpPair(); DatagramSocket a = new DatagramSocket(0, LOOPBACK);
                DatagramSocket b = new DatagramSocket()) {
            Socket adaptor = t.client.socket();
            assertEquals(fd(t.client), fd(adaptor), "SocketChannel.socket() is the channel's socket");
            t.server.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(Map.of(fd(adaptor), R), m.await(List.of(adaptor), List.of(), 5.0));
            assertEquals(Map.of(), m.await(List.of(a), List.of(), 0.0));
            b.send(new DatagramPacket(new byte[] {1}, 1, a.getLocalSocketAddress()));
            assertEquals(Map.of(fd(a), R), m.await(List.of(a), List.of(), 5.0));
        }
    }

    @ParameterizedTest
    @FieldSource("MECHANISMS")
    void jselectSockets(Mechanism m) throws Exception {
        try (SockPair p = Sock.socketpair()) {
            assertEquals(Map.of(p.second().fileno(), W), m.await(List.of(p.first()), List.of(p.second()), 0.0));
            p.second().send(new byte[] {1});
            assertEquals(Map.of(p.first().fileno(), R), m.await(List.of(p.first()), List.of(), 0.0));
        }
    }

    /** select hands back the caller's own objects, whatever their kind, in argument order. */
    @Test
    void selectReturnsTheVeryObjectsGiven() throws Exception {
        Pipe pipe = Pipe.open();
        try (TcpPair t = new TcpPair(); SockPair p = Sock.socketpair();
                Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            t.server.write(ByteBuffer.wrap(new byte[] {1}));
            p.second().send(new byte[] {1});
            List<Object> inputs = List.of(source, t.client, p.first(), t.client.socket());
            SelectResult<Object> r = Select.select(inputs, List.of(sink), List.of(), 5.0);
            assertEquals(inputs.size(), r.readable().size());
            for (int i = 0; i < inputs.size(); i++) {
                assertSame(inputs.get(i), r.readable().get(i));
            }
            assertSame(sink, r.writable().get(0));
        }
    }

    @Test
    void objectsWithoutADescriptorAreRejectedNamingTheirClass() throws Exception {
        Process silent = new ProcessBuilder("true").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (Epoll epoll = Epoll.create()) {
            for (Object o : List.of(new Object(), new ByteArrayInputStream(new byte[0]), silent.getInputStream())) {
                for (Executable call : List.<Executable>of(() -> Select.select(List.of(o), List.of(), List.of(), 0.0),
                        () -> Poll.create().register(o), () -> epoll.register(o))) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
                    assertTrue(e.getMessage().contains(o.getClass().getName() + " has none"), e.getMessage());
                }
            }
        } finally {
            silent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Closing a channel or a java.net socket leaves its old number in its FileDescriptor; it must still
     * read as closed, not as a number the kernel may since have given to another open.
     */
    @Test
    void closedJdkObjectsAreRejected() throws Exception {
        Pipe pipe = Pipe.open();
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        List<java.io.Closeable> objects = List.of(SocketChannel.open(), ServerSocketChannel.open(), DatagramChannel.open(),
                pipe.source(), pipe.sink(), new Socket(LOOPBACK, server.getLocalPort()), server, new DatagramSocket(),
                new Socket(), new FileInputStream("/dev/null"));
        for (java.io.Closeable o : objects) {
            if (!(o instanceof Socket) || ((Socket) o).isConnected()) { // an unconnected Socket has no socket yet
                assertTrue(Fds.fileno(o) >= 0, o + " has a descriptor while open");
            }
            o.close();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Select.select(List.of(o), List.of(), List.of(), 0.0));
            assertTrue(e.getMessage().contains(o.getClass().getName() + " is closed"), e.getMessage());
        }
    }

    /**
     * {@code FileDescriptor.in} and {@code System.in} of a child JVM whose stdin is a pipe from this
     * test: idle until written, then readable by select, poll and epoll, and select returns System.in.
     */
    @Test
    @Timeout(120)
    void stdinOfAChildJvm(@TempDir Path dir) throws Exception {
        Path errors = dir.resolve("stderr");
        // The child runs on this run's backend; System.in is a stream around a FileInputStream, which the
        // JNA backend reads with java.io opened (README, "Backends").
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djselect.backend=" + JSelect.backend()));
        if (JSelect.backend().equals("jna")) {
            command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StdinProbe.class.getName()));
        Process child = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
                OutputStream stdin = child.getOutputStream()) {
            assertEquals("backend " + JSelect.backend(), out.readLine(), () -> read(errors));
            assertEquals("idle false,false,false", out.readLine(), () -> read(errors));
            Thread.sleep(200); // the child now waits in select
            stdin.write("hello\n".getBytes(UTF_8));
            stdin.flush();
            assertEquals("woke true", out.readLine(), () -> read(errors));
            assertEquals("ready true,true,true", out.readLine(), () -> read(errors));
            assertEquals("line hello", out.readLine(), () -> read(errors));
        } finally {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM hung");
            child.getErrorStream().close();
        }
        assertEquals(0, child.exitValue(), read(errors));
    }

    private static String read(Path file) {
        try {
            return "child stderr: " + Files.readString(file);
        } catch (java.io.IOException e) {
            return "child stderr unreadable: " + e;
        }
    }

    private static int fd(Object fileobj) {
        return Fds.fileno(fileobj);
    }

}
