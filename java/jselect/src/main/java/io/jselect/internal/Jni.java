package io.jselect.internal;

import java.nio.ByteBuffer;

/**
 * The natives of libjselect.so, bound by its JNI_OnLoad through one RegisterNatives table
 * ({@code native/jni/jsel_jni.c}). Each returns the C core's result unchanged: {@code >= 0} or
 * {@code -errno}. Nothing here may trigger loading: {@link NativeLibraryLoader} loads the library,
 * and only {@link JniBackend} calls these.
 */
final class Jni {
    /** Must equal JSEL_ABI_VERSION in jsel_jni.c; checked right after loading. */
    static final int ABI_VERSION = 3;

    private Jni() {
    }

    static native int abiVersion0();

    static native int select0(int[] fds, int nread, int nwrite, int nexcept, long timeoutMicros);

    static native int poll0(long pollfds, int nfds, int timeoutMillis);

    static native int epollCreate0(int flags);

    static native int epollCtl0(int epfd, int op, int fd, int events, long data);

    static native int epollWait0(int epfd, long events, int maxevents, int timeoutMillis);

    static native int epollPwait20(int epfd, long events, int maxevents, long timeoutNanos);

    static native int eventfd0(int initval, int flags);

    static native int eventfdWrite0(int fd, long value);

    static native long eventfdRead0(int fd);

    static native int close0(int fd);

    static native int pipe0(int[] fds, int flags);

    static native long read0(int fd, long address, int length);

    static native long write0(int fd, long address, int length);

    static native long readArray0(int fd, byte[] array, int offset, int length);

    static native long writeArray0(int fd, byte[] array, int offset, int length);

    static native long directAddress0(ByteBuffer buffer);

    static native int bufferSegmentField0(java.lang.reflect.Field segment);

    static native long plainAddress0(ByteBuffer buffer);

    static native int fdOf0(Object object);

    static native int layout0(int which);

    static native int constant0(String name);

    static native String strerror0(int errno);

    static native int socket0(int domain, int type, int protocol);

    static native int socketpair0(int domain, int type, int protocol, int[] fds);

    static native int bind0(int fd, long addr, int addrlen);

    static native int listen0(int fd, int backlog);

    static native int accept40(int fd, long addr, long addrlen, int flags);

    static native int connect0(int fd, long addr, int addrlen);

    static native long recv0(int fd, long buf, int len, int flags);

    static native long recvfrom0(int fd, long buf, int len, int flags, long addr, long addrlen);

    static native long send0(int fd, long buf, int len, int flags);

    static native long sendto0(int fd, long buf, int len, int flags, long addr, int addrlen);

    static native int shutdown0(int fd, int how);

    static native int setsockopt0(int fd, int level, int name, long value, int len);

    static native int getsockopt0(int fd, int level, int name, long value, long len);

    static native int getsockname0(int fd, long addr, long addrlen);

    static native int getpeername0(int fd, long addr, long addrlen);

    static native int fcntl0(int fd, int cmd, int arg);
}
