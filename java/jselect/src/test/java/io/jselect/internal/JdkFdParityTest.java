package io.jselect.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The descriptors of JDK objects, JNA against JNI, in both configurations of the JNA backend: with
 * {@code --add-opens} for java.io, sun.nio.ch and java.net it finds the same descriptor as JNI for
 * every object, open or closed; without them it finds the same wherever the public API answers
 * (the standard descriptors, closed channels and sockets, objects with none), and otherwise refuses with
 * a message naming the flags (the one documented difference). This JVM checks the configuration it runs
 * in (the suite's JNA runs have the flags, its JNI runs do not); a child JVM checks the other.
 */
class JdkFdParityTest {
    private static final String OPENS_FLAGS = "--add-opens java.base/java.io=ALL-UNNAMED "
            + "--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Objects whose descriptor, or its absence, the JNA backend knows without reflection. */
    private static final Set<String> PUBLIC_API = Set.of("FileDescriptor.in", "FileDescriptor.out",
            "FileDescriptor.err", "closed SocketChannel", "closed Pipe.SourceChannel", "closed Socket",
            "closed ServerSocket", "closed DatagramSocket", "unconnected, closed Socket", "Object", "String");

    /** The refusals without --add-opens, word for word, for one object of each route. */
    private static final Map<String, String> REFUSALS = Map.of(
            "FileInputStream", "the JNA backend cannot read the file descriptor of java.io.FileInputStream: "
                    + "java.io.FileInputStream.fd is not open to jselect; run with "
                    + "--add-opens java.base/java.io=ALL-UNNAMED (or use the JNI backend)",
            "SocketChannel", "the JNA backend cannot read the file descriptor of sun.nio.ch.SocketChannelImpl: "
                    + "sun.nio.ch.SocketChannelImpl.fd is not open to jselect; run with "
                    + "--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED "
                    + "(or use the JNI backend)",
            "Socket", "the JNA backend cannot read the file descriptor of java.net.Socket: "
                    + "java.net.Socket.impl is not open to jselect; run with "
                    + "--add-opens java.base/java.net=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED "
                    + "--add-opens java.base/java.io=ALL-UNNAMED (or use the JNI backend)");

    @Test
    void inThisJvm(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), compare(dir), "configuration: " + configuration());
    }

    /** The configuration this JVM does not have, in a child JVM running {@link #main}. */
    @Test
    @Timeout(120)
    void inAChildJvmWithTheOtherConfiguration(@TempDir Path dir) throws Exception {
        boolean opened = opened();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        if (!opened) {
            command.addAll(List.of(OPENS_FLAGS.split(" ")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JdkFdParityTest.class.getName(),
                dir.toString()));
        Path out = dir.resolve("child.out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(child.waitFor(100, TimeUnit.SECONDS), "the child JVM hung");
        String output = Files.readString(out, UTF_8);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("configuration: " + (opened ? "without" : "with") + " --add-opens\nno difference"),
                output);
    }

    /** The child's side: compares in its configuration, prints it and any difference, exits 1 on one. */
    public static void main(String[] args) throws Exception {
        List<String> problems = compare(Path.of(args[0]));
        System.out.println("configuration: " + configuration());
        System.out.println(problems.isEmpty() ? "no difference" : String.join("\n", problems));
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    private static String configuration() {
        return (opened() ? "with" : "without") + " --add-opens";
    }

    /** Whether this JVM opened the packages the JNA backend reads JDK objects through to jselect. */
    private static boolean opened() {
        Module base = Object.class.getModule();
        Module self = JdkFdParityTest.class.getModule();
        return base.isOpen("java.io", self) && base.isOpen("sun.nio.ch", self) && base.isOpen("java.net", self);
    }

    /** Every difference between the backends that this configuration does not allow; none is empty. */
    static List<String> compare(Path dir) throws Exception {
        boolean opened = opened();
        List<String> problems = new ArrayList<>();
        Map<String, Object> objects = new LinkedHashMap<>();
        try {
            jdkObjects(dir, objects);
            for (Map.Entry<String, Object> e : objects.entrySet()) {
                String name = e.getKey();
                int jni = BackendParityTest.JNI.fdOf(e.getValue());
                try {
                    int jna = BackendParityTest.JNA.fdOf(e.getValue());
                    if (jna != jni) {
                        problems.add(name + ": JNI " + jni + ", JNA " + jna);
                    } else if (!opened && REFUSALS.containsKey(name)) {
                        problems.add(name + ": JNA read " + jna + " without --add-opens");
                    }
                } catch (IllegalArgumentException refused) {
                    String message = refused.getMessage();
                    if (opened || PUBLIC_API.contains(name)) {
                        problems.add(name + ": JNA refused: " + message);
                    } else if (REFUSALS.containsKey(name) ? !REFUSALS.get(name).equals(message)
                            : !message.startsWith("the JNA backend cannot read the file descriptor of ")
                                    || !message.contains("--add-opens java.base/java.io=ALL-UNNAMED")) {
                        problems.add(name + ": JNA refused, saying: " + message);
                    }
                }
            }
        } finally {
            for (Object o : objects.values()) {
                if (o instanceof Closeable && !(o instanceof FileDescriptor)) {
                    ((Closeable) o).close();
                }
            }
        }
        return problems;
    }

    /** JDK objects holding descriptors, open and closed, and objects holding none, by name. */
    private static void jdkObjects(Path dir, Map<String, Object> objects) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "data");
        objects.put("FileDescriptor.in", FileDescriptor.in);
        objects.put("FileDescriptor.out", FileDescriptor.out);
        objects.put("FileDescriptor.err", FileDescriptor.err);
        objects.put("FileInputStream", new FileInputStream(file.toFile()));
        objects.put("FileOutputStream", new FileOutputStream(file.toFile(), true));
        objects.put("RandomAccessFile", new RandomAccessFile(file.toFile(), "r"));
        FileInputStream closedFile = new FileInputStream(file.toFile());
        closedFile.close();
        objects.put("closed FileInputStream", closedFile);
        InputStream wrapped = new FileInputStream(file.toFile());
        objects.put("BufferedInputStream", new BufferedInputStream(wrapped));
        for (int i = 0; i < 10; i++) {
            wrapped = new BufferedInputStream(wrapped); // deeper than either backend follows
        }
        objects.put("10 BufferedInputStreams deep", wrapped);

        Pipe pipe = Pipe.open();
        objects.put("Pipe.SourceChannel", pipe.source());
        objects.put("Pipe.SinkChannel", pipe.sink());
        Pipe closedPipe = Pipe.open();
        closedPipe.source().close();
        closedPipe.sink().close();
        objects.put("closed Pipe.SourceChannel", closedPipe.source());
        objects.put("SocketChannel", SocketChannel.open());
        SocketChannel closedChannel = SocketChannel.open();
        closedChannel.close();
        objects.put("closed SocketChannel", closedChannel);
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        objects.put("ServerSocketChannel", listener);
        objects.put("ServerSocketChannel.socket()", listener.socket());
        SocketChannel connected = SocketChannel.open(listener.getLocalAddress());
        objects.put("connected SocketChannel.socket()", connected.socket());
        objects.put("accepted SocketChannel", listener.accept());
        DatagramChannel datagrams = DatagramChannel.open();
        objects.put("DatagramChannel", datagrams);
        objects.put("DatagramChannel.socket()", datagrams.socket());

        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        objects.put("ServerSocket", server);
        Socket socket = new Socket(LOOPBACK, server.getLocalPort());
        objects.put("Socket", socket);
        objects.put("accepted Socket", server.accept());
        objects.put("unconnected Socket", new Socket());
        objects.put("DatagramSocket", new DatagramSocket(0, LOOPBACK));
        Socket closedSocket = new Socket(LOOPBACK, server.getLocalPort());
        closedSocket.close();
        objects.put("closed Socket", closedSocket);
        Socket unconnectedClosed = new Socket();
        unconnectedClosed.close();
        objects.put("unconnected, closed Socket", unconnectedClosed);
        ServerSocket closedServer = new ServerSocket(0, 50, LOOPBACK);
        closedServer.close();
        objects.put("closed ServerSocket", closedServer);
        DatagramSocket closedDatagrams = new DatagramSocket();
        closedDatagrams.close();
        objects.put("closed DatagramSocket", closedDatagrams);

        objects.put("Object", new Object());
        objects.put("String", "text");
    }
}
