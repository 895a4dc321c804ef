package io.jselect.internal;

import java.nio.ByteBuffer;

/** The fast path: the C core in libjselect.so, through {@link Jni}. Marshals nothing itself. */
final class JniBackend implements Backend {
    @Override
    public String name() {
        return "jni";
    }

    @Override
    public int select(int[] fds, int nread, int nwrite, int nexcept, long timeoutMicros) {
        return Jni.select0(fds, nread, nwrite, nexcept, timeoutMicros);
    }

    @Override
    public int poll(long pollfds, int nfds, int timeoutMillis) {
        return Jni.poll0(pollfds, nfds, timeoutMillis);
    }

    @Override
    public int epollCreate(int flags) {
        return Jni.epollCreate0(flags);
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, int events, long data) {
        return Jni.epollCtl0(epfd, op, fd, events, data);
    }

    @Override
    public int epollWait(int epfd, long events, int maxevents, int timeoutMillis) {
        return Jni.epollWait0(epfd, events, maxevents, timeoutMillis);
    }

    @Override
    public int epollPwait2(int epfd, long events, int maxevents, long timeoutNanos) {
        return Jni.epollPwait20(epfd, events, maxevents, timeoutNanos);
    }

    @Override
    public int eventfd(int initval, int flags) {
        return Jni.eventfd0(initval, flags);
    }

    @Override
    public int eventfdWrite(int fd, long value) {
        return Jni.eventfdWrite0(fd, value);
    }

    @Override
    public long eventfdRead(int fd) {
        return Jni.eventfdRead0(fd);
    }

    @Override
    public int close(int fd) {
        return Jni.close0(fd);
    }

    @Override
    public int pipe(int[] fds, int flags) {
        return Jni.pipe0(fds, flags);
    }

    @Override
    public long read(int fd, long address, int length) {
        return Jni.read0(fd, address, length);
    }

    @Override
    public long write(int fd, long address, int length) {
        return Jni.write0(fd, address, length);
    }

    @Override
    public long read(int fd, byte[] array, int offset, int length) {
        return Jni.readArray0(fd, array, offset, length);
    }

    @Override
    public long write(int fd, byte[] array, int offset, int length) {
        return Jni.writeArray0(fd, array, offset, length);
    }

    @Override
    public long address(ByteBuffer direct) {
        return Jni.directAddress0(direct);
    }

    @Override
    public int fdOf(Object object) {
        return Jni.fdOf0(object);
    }

    @Override
    public int layout(Layout which) {
        return Jni.layout0(which.ordinal());
    }

    @Override
    public int constant(String name) {
        return Jni.constant0(name);
    }

    @Override
    public String strerror(int errno) {
        return Jni.strerror0(errno);
    }
}
