package io.jselect.internal;

import java.nio.ByteBuffer;

/** The fast path: the C core in libjselect.so, through {@link Jni}. Marshals nothing itself. */
final class JniBackend implements Backend {
    /** Hands the C side {@code Buffer.segment}, which it reads for {@link #plainAddress}. */
    JniBackend() {
        Jni.bufferSegmentField0(BufferMemory.bufferSegmentField());
    }

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
    public long plainAddress(ByteBuffer direct) {
        return Jni.plainAddress0(direct);
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

    @Override
    public int socket(int domain, int type, int protocol) {
        return Jni.socket0(domain, type, protocol);
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] fds) {
        return Jni.socketpair0(domain, type, protocol, fds);
    }

    @Override
    public int bind(int fd, long addr, int addrlen) {
        return Jni.bind0(fd, addr, addrlen);
    }

    @Override
    public int listen(int fd, int backlog) {
        return Jni.listen0(fd, backlog);
    }

    @Override
    public int accept4(int fd, long addr, long addrlen, int flags) {
        return Jni.accept40(fd, addr, addrlen, flags);
    }

    @Override
    public int connect(int fd, long addr, int addrlen) {
        return Jni.connect0(fd, addr, addrlen);
    }

    @Override
    public long recv(int fd, long buf, int len, int flags) {
        return Jni.recv0(fd, buf, len, flags);
    }

    @Override
    public long recvfrom(int fd, long buf, int len, int flags, long addr, long addrlen) {
        return Jni.recvfrom0(fd, buf, len, flags, addr, addrlen);
    }

    @Override
    public long send(int fd, long buf, int len, int flags) {
        return Jni.send0(fd, buf, len, flags);
    }

    @Override
    public long sendto(int fd, long buf, int len, int flags, long addr, int addrlen) {
        return Jni.sendto0(fd, buf, len, flags, addr, addrlen);
    }

    @Override
    public int shutdown(int fd, int how) {
        return Jni.shutdown0(fd, how);
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int len) {
        return Jni.setsockopt0(fd, level, name, value, len);
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long len) {
        return Jni.getsockopt0(fd, level, name, value, len);
    }

    @Override
    public int getsockname(int fd, long addr, long addrlen) {
        return Jni.getsockname0(fd, addr, addrlen);
    }

    @Override
    public int getpeername(int fd, long addr, long addrlen) {
        return Jni.getpeername0(fd, addr, addrlen);
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return Jni.fcntl0(fd, cmd, arg);
    }
}
