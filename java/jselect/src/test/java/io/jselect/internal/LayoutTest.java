package io.jselect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jselect.Epoll;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The struct layouts the backend in use reports are this architecture's kernel ABI, and the Java layer
 * reads events through them: {@code struct epoll_event} is packed to 12 bytes on x86_64 only (data at
 * offset 4), and 16 bytes on aarch64 (data aligned to 8). On the JNI backend the numbers come from the
 * library's own C headers, so the aarch64 run of this test under qemu-user proves the aarch64 library
 * was built with, and read from, aarch64's.
 */
class LayoutTest {
    @Test
    void epollEventIsThisArchitecturesOwn() {
        String arch = Platform.current().arch();
        int size;
        int data;
        switch (arch) {
            case "x86_64":
                size = 12;
                data = 4;
                break;
            case "aarch64":
                size = 16;
                data = 8;
                break;
            default:
                fail("no expected epoll_event layout for " + arch);
                return;
        }
        String backend = Syscalls.backend().name() + " backend on " + arch;
        assertEquals(size, Structs.EPOLL_EVENT_SIZE, "sizeof(struct epoll_event), " + backend);
        assertEquals(0, Structs.EPOLL_EVENT_EVENTS, "offsetof(events), " + backend);
        assertEquals(data, Structs.EPOLL_EVENT_DATA, "offsetof(data), " + backend);
    }

    /** Two events written by the kernel, read back at the reported stride and offsets, all 64 data bits. */
    @Test
    void theKernelsEventsAreReadAtTheReportedOffsets() throws Exception {
        int ep = Syscalls.epollCreate(Epoll.EPOLL_CLOEXEC);
        int[] first = Syscalls.pipe(Syscalls.O_CLOEXEC);
        int[] second = Syscalls.pipe(Syscalls.O_CLOEXEC);
        try {
            long tagFirst = 0x8123_4567_89ab_cdefL;
            long tagSecond = 0x7edc_ba98_7654_3210L;
            Syscalls.epollCtl(ep, Syscalls.EPOLL_CTL_ADD, first[0], Epoll.EPOLLIN, tagFirst);
            Syscalls.epollCtl(ep, Syscalls.EPOLL_CTL_ADD, second[0], Epoll.EPOLLIN, tagSecond);
            Syscalls.write(first[1], new byte[] {1}, 0, 1);
            Syscalls.write(second[1], new byte[] {1}, 0, 1);

            NativeBuffer events = new NativeBuffer(4 * Structs.EPOLL_EVENT_SIZE);
            assertEquals(2, Syscalls.epollWait(ep, events.address(), 4, 1_000_000_000L));
            ByteBuffer b = events.buffer();
            Set<Long> tags = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                int at = i * Structs.EPOLL_EVENT_SIZE;
                assertEquals(Epoll.EPOLLIN, b.getInt(at + Structs.EPOLL_EVENT_EVENTS), "events of event " + i);
                tags.add(b.getLong(at + Structs.EPOLL_EVENT_DATA));
            }
            assertEquals(Set.of(tagFirst, tagSecond), tags);
        } finally {
            for (int fd : new int[] {first[0], first[1], second[0], second[1], ep}) {
                Syscalls.close(fd);
            }
        }
    }
}
