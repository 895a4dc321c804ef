package io.jselect.internal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jselect.Errno;
import io.jselect.internal.jna.JnaBackend;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The JNA backend against the JNI backend, call by call, in the same process: what the suite checks
 * through the public API, checked here at the Backend interface, where a difference is easiest to read.
 * Both backends are loaded whichever one the run chose. The socket calls are compared in
 * {@link SocketParityTest}, the descriptors of JDK objects in {@link JdkFdParityTest}.
 */
class BackendParityTest {
    static final Backend JNI = jni();
    static final Backend JNA = Backends.current() instanceof JnaBackend ? Backends.current() : new JnaBackend();

    private static Backend jni() {
        if (Backends.current() instanceof JniBackend) {
            return Backends.current();
        }
        NativeLibraryLoader.load();
        return new JniBackend();
    }

    /** Every size and offset of Layout, epoll_event and pollfd through sockaddr_* and linger. */
    @Test
    void layoutsAreTheCHeadersOnThisMachine() {
        assertAll(Arrays.stream(Layout.values())
                .map(which -> (Executable) () -> assertEquals(JNI.layout(which), JNA.layout(which), which.name())));
    }

    @Test
    void strerrorIsTheSameText() {
        for (int errno = -2; errno < 140; errno++) {
            assertEquals(JNI.strerror(errno), JNA.strerror(errno), "errno " + errno);
        }
        assertEquals(JNI.strerror(99_999), JNA.strerror(99_999));
    }

    /** Every failure returns the same -errno, with no exception and nothing changed. */
    @Test
    void failuresReturnTheSameErrno() {
        Map<String, ToLongFunction<Backend>> calls = new LinkedHashMap<>();
        calls.put("close(-1)", b -> b.close(-1));
        calls.put("epoll_create1(bad flags)", b -> b.epollCreate(-1));
        calls.put("epoll_ctl(bad epfd)", b -> b.epollCtl(-1, Syscalls.EPOLL_CTL_ADD, 0, 1, 0));
        calls.put("epoll_wait(bad epfd)", b -> b.epollWait(-1, 0, 1, 0));
        calls.put("epoll_pwait2(bad epfd)", b -> b.epollPwait2(-1, 0, 1, 1000));
        calls.put("poll(nfds < 0)", b -> b.poll(0, -1, 0));
        calls.put("eventfd(bad flags)", b -> b.eventfd(0, -1));
        calls.put("eventfd write(bad fd)", b -> b.eventfdWrite(-1, 1));
        calls.put("eventfd read(bad fd)", b -> b.eventfdRead(-1));
        calls.put("pipe2(bad flags)", b -> b.pipe(new int[2], -1));
        calls.put("read(bad fd)", b -> b.read(-1, 0, 0));
        calls.put("write(bad fd)", b -> b.write(-1, 0, 0));
        calls.put("read array(bad fd)", b -> b.read(-1, new byte[4], 0, 4));
        calls.put("write array(bad fd)", b -> b.write(-1, new byte[4], 0, 4));
        calls.put("select(negative fd)", b -> b.select(new int[] {-1}, 1, 0, 0, 0));
        calls.put("select(closed fd past the table)", b -> b.select(new int[] {0, 19_999}, 1, 1, 0, 0));
        calls.put("select(closed fd)", b -> {
            int[] pipe = new int[2];
            b.pipe(pipe, Syscalls.O_CLOEXEC);
            b.close(pipe[0]);
            b.close(pipe[1]);
            return b.select(new int[] {pipe[1]}, 0, 0, 1, 0);
        });
        assertAll(calls.entrySet().stream().map(call -> (Executable) () -> {
            long jni = call.getValue().applyAsLong(JNI);
            assertTrue(jni < 0, call.getKey() + " failed under JNI: " + jni);
            assertEquals(jni, call.getValue().applyAsLong(JNA), call.getKey());
        }));
    }

    @Test
    void selectRewritesTheSameEntries() {
        for (Backend b : List.of(JNI, JNA)) {
            int[] pipe = new int[2];
            assertEquals(0, b.pipe(pipe, Syscalls.O_CLOEXEC));
            try {
                assertEquals(1, b.write(pipe[1], new byte[] {'x'}, 0, 1));
                int[] fds = {pipe[1], pipe[0], pipe[0], pipe[0], pipe[1], pipe[0], pipe[1]};
                assertEquals(3, b.select(fds, 3, 2, 2, 0), b.name());
                assertArrayEquals(new int[] {-1, pipe[0], pipe[0], -1, pipe[1], -1, -1}, fds, b.name());
            } finally {
                b.close(pipe[0]);
                b.close(pipe[1]);
            }
        }
    }

    @Test
    void eventfdCountsAlike() {
        for (Backend b : List.of(JNI, JNA)) {
            int fd = b.eventfd(0, Syscalls.EFD_NONBLOCK | Syscalls.EFD_CLOEXEC);
            assertTrue(fd >= 0);
            try {
                assertEquals(-Errno.EAGAIN, b.eventfdRead(fd), b.name());
                assertEquals(0, b.eventfdWrite(fd, 3));
                assertEquals(0, b.eventfdWrite(fd, 4));
                assertEquals(7, b.eventfdRead(fd), b.name());
                assertEquals(-Errno.EINVAL, b.eventfdWrite(fd, -1), "0xffffffffffffffff is not a valid count");
            } finally {
                b.close(fd);
            }
        }
    }

    /** Heap arrays move at most 1 MiB a call (a short count), at the given offset, on both backends. */
    @Test
    void heapArrayTransfersAreCappedAlike() throws Exception {
        byte[] big = new byte[3 << 20];
        try (FileOutputStream devNull = new FileOutputStream("/dev/null");
                FileInputStream devZero = new FileInputStream("/dev/zero")) {
            int out = JNI.fdOf(devNull.getFD());
            int in = JNI.fdOf(devZero.getFD());
            for (int length : new int[] {5, 16384, 16385, 3 << 20}) {
                assertEquals(JNI.write(out, big, 1, length - 1), JNA.write(out, big, 1, length - 1), "write " + length);
                big[2] = 42;
                big[length - 1] = 42;
                long read = JNA.read(in, big, 2, length - 2);
                assertEquals(JNI.read(in, new byte[length], 2, length - 2), read, "read " + length);
                assertEquals(0, big[2], "read into the offset");
                assertEquals(read == length - 2 ? 0 : 42, big[length - 1], "up to the count, not past it");
            }
            assertEquals(1 << 20, JNA.write(out, big, 0, big.length));
        }
    }
}
