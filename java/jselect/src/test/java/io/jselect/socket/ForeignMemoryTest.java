package io.jselect.socket;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.BlockingIOException;
import io.jselect.JSelect;
import io.jselect.internal.Backend;
import io.jselect.internal.Syscalls;
import io.jselect.testing.Blocked;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct buffers over foreign memory ({@code MemorySegment.asByteBuffer()}) whose arena is closed before
 * or during a call (issue 10): every call that takes a buffer refuses a closed one with
 * {@code IllegalStateException}, as {@code java.nio} does, consumes and sends nothing, and an arena closed
 * by another thread while a call waits neither crashes the JVM nor loses or leaks a byte.
 *
 * <p>The hostile cases run in a child JVM (a crash there is reported, not fatal to the suite) on the JDK
 * and backend of this run: JDK 22+'s {@code java.lang.foreign}, or JDK 17's incubating
 * {@code jdk.incubator.foreign}, reached by reflection so this source compiles for Java 17. The JNA
 * backend runs twice: with {@code java.nio} open to jselect (it then tells foreign memory from plain
 * direct buffers, which keep their zero-copy path) and without (every direct buffer is copied).
 */
class ForeignMemoryTest {
    @Test
    @Timeout(300)
    void closedArenasAreRefusedAndNoneCrashesTheJvm(@TempDir Path dir) throws Exception {
        int feature = Runtime.version().feature();
        Assumptions.assumeTrue(feature == 17 || feature >= 22, "foreign memory API of JDK " + feature + " not probed");
        String backend = JSelect.backend();
        // The JNI backend reads Buffer.segment with no flag; the JNA backend needs java.nio open to read it.
        for (boolean nioOpen : backend.equals("jna") ? new boolean[] {true, false} : new boolean[] {false}) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xss1m", "-Djselect.backend=" + backend));
            if (feature == 17) {
                command.addAll(List.of("--add-modules", "jdk.incubator.foreign"));
            } else {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            if (nioOpen) {
                command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ForeignMemoryTest.class.getName()));
            Path out = dir.resolve("child-" + nioOpen + ".out");
            // In the temporary directory, so a crash's hs_err file is cleaned up with it.
            Process child = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            boolean exited = child.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly().waitFor();
            }
            String output = "java.nio open to jselect: " + nioOpen + "\n" + Files.readString(out, UTF_8);
            assertTrue(exited, "the child JVM hung:\n" + output);
            assertEquals(0, child.exitValue(), "the child JVM failed or crashed:\n" + output);
            for (String name : cases().keySet()) {
                assertTrue(output.contains(name + ": ok\n"), name + " did not pass:\n" + output);
            }
        }
    }

    // ------------------------------------------------------------------------------ the child JVM

    /** Runs every case, prints {@code name: ok} or {@code name: FAILED ...} for each; exits 1 on a failure. */
    public static void main(String[] args) throws Exception {
        System.out.println("JDK " + Runtime.version() + ", backend " + JSelect.backend());
        int failed = 0;
        for (Map.Entry<String, Case> c : cases().entrySet()) {
            String result;
            try {
                result = c.getValue().run();
            } catch (Throwable t) {
                result = "threw " + t;
            }
            System.out.println(c.getKey() + ": " + (result == null ? "ok" : "FAILED: " + result));
            System.out.flush();
            failed += result == null ? 0 : 1;
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** One case: {@code null} when it holds, else what went wrong. */
    @FunctionalInterface
    interface Case {
        String run() throws Exception;
    }

    /** A call that should be refused; its result, if it returns, does not matter. */
    @FunctionalInterface
    interface Attempt {
        Object run() throws Exception;
    }

    static Map<String, Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>();
        for (boolean shared : new boolean[] {false, true}) {
            String kind = shared ? "shared" : "confined";
            cases.put("recvInto, " + kind + " arena closed before", () -> closedBeforeReceive(shared, false));
            cases.put("read, " + kind + " arena closed before", () -> closedBeforeReceive(shared, true));
            cases.put("send, " + kind + " arena closed before", () -> closedBeforeSend(shared, "send"));
            cases.put("sendall, " + kind + " arena closed before", () -> closedBeforeSend(shared, "sendall"));
            cases.put("write, " + kind + " arena closed before", () -> closedBeforeSend(shared, "write"));
            cases.put("sendto, " + kind + " arena closed before", () -> closedBeforeSendto(shared));
        }
        cases.put("plain direct buffers keep the zero-copy path, foreign ones are copied", ForeignMemoryTest::classification);
        cases.put("a live arena's buffer round-trips", ForeignMemoryTest::liveArenaRoundTrip);
        cases.put("a confined arena's buffer used by another thread", ForeignMemoryTest::confinedFromAnotherThread);
        cases.put("recvInto waiting while another thread closes the arena", ForeignMemoryTest::closedDuringReceive);
        cases.put("send waiting while another thread closes the arena", ForeignMemoryTest::closedDuringSend);
        return cases;
    }

    /** What java.nio throws for the same buffer, the reference; {@code null} if it accepts it. */
    private static RuntimeException nioRefusal(ByteBuffer buffer) throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.sink().write(buffer.duplicate());
            return null;
        } catch (RuntimeException e) {
            return e;
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    /** Whether jselect refused as java.nio did: the same exception class and message. */
    private static boolean sameRefusal(Exception ours, RuntimeException nio) {
        if (nio == null || ours.getClass() != nio.getClass()) {
            return false;
        }
        // JDK 17 words a closed shared scope two ways: "This segment is already closed" in its bulk copies
        // (where jselect meets it), "Already closed" in its channels.
        return ours.getMessage().equals(nio.getMessage())
                || Runtime.version().feature() == 17 && ours.getMessage().endsWith("lready closed")
                        && nio.getMessage().endsWith("lready closed");
    }

    private static String refused(String call, ByteBuffer buffer, Attempt attempt) throws Exception {
        RuntimeException expected = nioRefusal(buffer);
        int position = buffer.position();
        try {
            attempt.run();
            return call + " accepted a buffer whose memory is gone (java.nio: " + expected + ")";
        } catch (Exception e) {
            if (!(e instanceof IllegalStateException) || !sameRefusal(e, expected)) {
                return call + " threw " + e + ", java.nio " + expected;
            }
        }
        return buffer.position() == position ? null : call + " moved the position";
    }

    private static String closedBeforeReceive(boolean shared, boolean eventLoopRead) throws Exception {
        try (SockPair p = Sock.socketpair()) {
            ForeignArena arena = ForeignArena.open(shared);
            ByteBuffer buffer = arena.allocate(64);
            arena.close();
            p.second().sendall("queued".getBytes(US_ASCII));
            for (boolean blocking : new boolean[] {true, false}) {
                p.first().setblocking(blocking);
                String call = (eventLoopRead ? "read" : "recvInto") + (blocking ? "" : ", non-blocking");
                String problem = refused(call, buffer,
                        () -> eventLoopRead ? p.first().read(buffer) : p.first().recvInto(buffer));
                if (problem != null) {
                    return problem;
                }
            }
            String left = new String(p.first().recv(64), US_ASCII);
            return left.equals("queued") ? null : "the refused calls consumed bytes: left " + left;
        }
    }

    private static String closedBeforeSend(boolean shared, String call) throws Exception {
        try (SockPair p = Sock.socketpair()) {
            ForeignArena arena = ForeignArena.open(shared);
            ByteBuffer buffer = arena.allocate(64);
            arena.close();
            for (boolean blocking : new boolean[] {true, false}) {
                p.first().setblocking(blocking);
                String problem = refused(call + (blocking ? "" : ", non-blocking"), buffer, () -> {
                    switch (call) {
                        case "send": return p.first().send(buffer);
                        case "sendall": p.first().sendall(buffer); return null;
                        default: return p.first().write(buffer);
                    }
                });
                if (problem != null) {
                    return problem;
                }
            }
            return nothingArrives(p.second());
        }
    }

    private static String closedBeforeSendto(boolean shared) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Sock sender = Sock.create(Sock.AF_INET, Sock.SOCK_DGRAM); Sock receiver = Sock.create(Sock.AF_INET, Sock.SOCK_DGRAM)) {
            receiver.bind(loopback);
            ForeignArena arena = ForeignArena.open(shared);
            ByteBuffer buffer = arena.allocate(64);
            arena.close();
            String problem = refused("sendto", buffer, () -> sender.sendto(buffer, receiver.getsockname()));
            return problem != null ? problem : nothingArrives(receiver);
        }
    }

    private static String nothingArrives(Sock receiver) throws Exception {
        receiver.settimeout(0.2);
        try {
            byte[] got = receiver.recv(1 << 16);
            return "the peer received " + got.length + " bytes of freed memory";
        } catch (io.jselect.TimedOutException expected) {
            return null;
        }
    }

    /**
     * What the backend tells apart: a plain direct buffer goes to the kernel as it is (its address), on
     * JNI always and on JNA when java.nio is open to jselect; foreign memory never does.
     */
    private static String classification() throws Exception {
        Backend backend = Syscalls.backend();
        boolean tellsApart = backend.name().equals("jni")
                || Object.class.getModule().isOpen("java.nio", ForeignMemoryTest.class.getModule());
        ByteBuffer plain = ByteBuffer.allocateDirect(8);
        long address = backend.plainAddress(plain);
        if (address != (tellsApart ? backend.address(plain) : 0) || tellsApart && address == 0) {
            return "a plain direct buffer's address: " + address + ", expected " + (tellsApart ? backend.address(plain) : 0);
        }
        ForeignArena arena = ForeignArena.open(true);
        try {
            ByteBuffer foreign = arena.allocate(8);
            long foreignAddress = backend.plainAddress(foreign);
            long sliceAddress = backend.plainAddress(foreign.slice(2, 4));
            return foreignAddress == 0 && sliceAddress == 0 ? null
                    : "foreign memory handed to the kernel: " + foreignAddress + ", a slice: " + sliceAddress;
        } finally {
            arena.close();
        }
    }

    private static String liveArenaRoundTrip() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            ForeignArena arena = ForeignArena.open(true);
            try {
                ByteBuffer out = arena.allocate(16);
                ByteBuffer in = arena.allocate(16);
                out.put("foreign".getBytes(US_ASCII)).flip();
                if (p.first().send(out) != 7 || out.hasRemaining()) {
                    return "send moved " + out.position();
                }
                if (p.second().recvInto(in) != 7) {
                    return "recvInto returned " + in.position();
                }
                byte[] got = new byte[7];
                in.flip().get(got);
                p.second().setblocking(false);
                out.clear().put("loop".getBytes(US_ASCII)).flip();
                in.clear();
                int wrote = p.second().write(out);
                int read = p.first().read(in);
                return new String(got, US_ASCII).equals("foreign") && wrote == 4 && read == 4 && in.get(0) == 'l'
                        ? null : "got " + new String(got, US_ASCII) + ", wrote " + wrote + ", read " + read;
            } finally {
                arena.close();
            }
        }
    }

    private static String confinedFromAnotherThread() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            ForeignArena arena = ForeignArena.open(false);
            try {
                ByteBuffer buffer = arena.allocate(16);
                AtomicReference<String> result = new AtomicReference<>();
                Thread other = new Thread(() -> {
                    try {
                        RuntimeException expected = nioRefusal(buffer);
                        try {
                            p.first().send(buffer);
                            result.set("send accepted another thread's confined memory (java.nio: " + expected + ")");
                        } catch (RuntimeException e) {
                            result.set(sameRefusal(e, expected) ? null : "send threw " + e + ", java.nio " + expected);
                        }
                    } catch (Exception e) {
                        result.set(e.toString());
                    }
                });
                other.start();
                other.join();
                return result.get() != null ? result.get() : nothingArrives(p.second());
            } finally {
                arena.close();
            }
        }
    }

    /**
     * A receive blocked in the kernel while another thread closes the shared arena of its buffer: the
     * close goes through (jselect's call holds no part of the arena), the receive then fails with
     * IllegalStateException once data arrives, and the data stays queued for the next receive.
     */
    private static String closedDuringReceive() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            ForeignArena arena = ForeignArena.open(true);
            ByteBuffer buffer = arena.allocate(1 << 20); // large: freed with munmap, so a stray write faults
            AtomicReference<Object> result = new AtomicReference<>();
            AtomicInteger tid = new AtomicInteger();
            Thread receiver = new Thread(() -> {
                try {
                    tid.set(Blocked.currentTid());
                    result.set(p.first().recvInto(buffer));
                } catch (Throwable t) {
                    result.set(t);
                }
            });
            receiver.start();
            awaitBlocked(tid);
            try {
                arena.close();
            } catch (IllegalStateException stillInUse) {
                // java.nio's behaviour: the close fails while the call holds the arena. Also safe.
                p.second().sendall("late".getBytes(US_ASCII));
                receiver.join(10_000);
                arena.close();
                return result.get() instanceof Integer && (Integer) result.get() == 4 ? null : "got " + result.get();
            }
            p.second().sendall("late".getBytes(US_ASCII));
            receiver.join(10_000);
            if (receiver.isAlive()) {
                return "the receive did not return";
            }
            if (!(result.get() instanceof IllegalStateException)) {
                return "the receive into freed memory returned " + result.get();
            }
            p.first().setblocking(false);
            try {
                String left = new String(p.first().recv(64), US_ASCII);
                return left.equals("late") ? null : "left in the socket: " + left;
            } catch (BlockingIOException e) {
                return "the bytes that arrived for the closed buffer were lost";
            }
        }
    }

    /**
     * A send blocked on a full socket while another thread closes the shared arena of its buffer and the
     * freed memory is reused with other bytes: the peer receives the buffer's bytes as they were when the
     * send began, never the new owner's.
     */
    private static String closedDuringSend() throws Exception {
        try (SockPair p = Sock.socketpair()) {
            p.first().setsockopt(Sock.SOL_SOCKET, Sock.SO_SNDBUF, 4096);
            p.first().setblocking(false);
            ByteBuffer filler = ByteBuffer.allocateDirect(1 << 16);
            int queued = 0;
            int n;
            while ((n = p.first().write(filler.clear())) > 0) {
                queued += n;
            }
            p.first().setblocking(true);
            int size = 1 << 16;
            ForeignArena arena = ForeignArena.open(true);
            ByteBuffer buffer = arena.allocate(size);
            for (int i = 0; i < size; i++) {
                buffer.put(i, (byte) 'p');
            }
            AtomicReference<Object> result = new AtomicReference<>();
            AtomicInteger tid = new AtomicInteger();
            Thread sender = new Thread(() -> {
                try {
                    tid.set(Blocked.currentTid());
                    result.set(p.first().send(buffer));
                } catch (Throwable t) {
                    result.set(t);
                }
            });
            sender.start();
            awaitBlocked(tid);
            ForeignArena reuser = null;
            try {
                arena.close();
                reuser = ForeignArena.open(true);
                ByteBuffer secret = reuser.allocate(size); // likely the freed block again
                for (int i = 0; i < size; i++) {
                    secret.put(i, (byte) 's');
                }
            } catch (IllegalStateException stillInUse) {
                // java.nio's behaviour: the close fails while the call holds the arena. Also safe.
            }
            byte[] received = drain(p.second(), queued, sender);
            if (reuser != null) {
                reuser.close();
            } else {
                arena.close();
            }
            if (!(result.get() instanceof Integer)) {
                return "the send ended with " + result.get();
            }
            int sent = (Integer) result.get();
            if (received.length != queued + sent) {
                return "sent " + sent + " after " + queued + " queued, the peer received " + received.length;
            }
            for (int i = queued; i < received.length; i++) {
                if (received[i] != 'p') {
                    return "byte " + (i - queued) + " of the send was '" + (char) received[i] + "', not the buffer's 'p'";
                }
            }
            return sent > 0 ? null : "sent nothing";
        }
    }

    /** Waits until the thread that will publish its id in {@code tid} sits in a socket call's wait. */
    private static void awaitBlocked(AtomicInteger tid) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (tid.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Blocked.awaitIn(tid.get(), Set.of("poll", "ppoll", "recvfrom", "sendto"));
    }

    /** Reads everything the peer sends until {@code sender} has returned and the socket is empty. */
    private static byte[] drain(Sock receiver, int atLeast, Thread sender) throws Exception {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        receiver.settimeout(0.5);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                all.write(receiver.recv(1 << 16));
            } catch (io.jselect.TimedOutException quiet) {
                if (!sender.isAlive() && all.size() >= atLeast) {
                    break;
                }
            }
        }
        sender.join(1000);
        return all.toByteArray();
    }

    // ---------------------------------------------------------------------------- the foreign memory API

    /**
     * An arena of the running JDK's foreign memory API, reached by reflection: {@code java.lang.foreign}
     * (JDK 22+) or {@code jdk.incubator.foreign} (JDK 17, with {@code --add-modules jdk.incubator.foreign}).
     */
    static final class ForeignArena {
        private final Object arena;
        private final Method allocate;
        private final Method asByteBuffer;
        private final Method close;
        private final boolean incubator;

        private ForeignArena(Object arena, Method allocate, Method asByteBuffer, Method close, boolean incubator) {
            this.arena = arena;
            this.allocate = allocate;
            this.asByteBuffer = asByteBuffer;
            this.close = close;
            this.incubator = incubator;
        }

        static ForeignArena open(boolean shared) throws Exception {
            if (Runtime.version().feature() >= 22) {
                Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
                Object arena = arenaType.getMethod(shared ? "ofShared" : "ofConfined").invoke(null);
                return new ForeignArena(arena, arenaType.getMethod("allocate", long.class),
                        Class.forName("java.lang.foreign.MemorySegment").getMethod("asByteBuffer"),
                        arenaType.getMethod("close"), false);
            }
            Class<?> scopeType = Class.forName("jdk.incubator.foreign.ResourceScope");
            Object scope = scopeType.getMethod(shared ? "newSharedScope" : "newConfinedScope").invoke(null);
            Class<?> segmentType = Class.forName("jdk.incubator.foreign.MemorySegment");
            return new ForeignArena(scope, segmentType.getMethod("allocateNative", long.class, scopeType),
                    segmentType.getMethod("asByteBuffer"), scopeType.getMethod("close"), true);
        }

        /** A direct buffer over {@code bytes} of fresh native memory of this arena, zeroed. */
        ByteBuffer allocate(int bytes) throws Exception {
            Object segment = incubator ? invoke(allocate, null, (long) bytes, arena) : invoke(allocate, arena, (long) bytes);
            ByteBuffer buffer = (ByteBuffer) invoke(asByteBuffer, segment);
            if (!buffer.isDirect()) {
                throw new AssertionError("not a direct buffer: " + buffer);
            }
            return buffer;
        }

        /** Frees the memory; an {@code IllegalStateException} when the arena is in use (JDK's own rule). */
        void close() throws Exception {
            invoke(close, arena);
        }

        private static Object invoke(Method method, Object target, Object... args) throws Exception {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw e;
            }
        }
    }
}
