package io.jselect.internal;

import io.jselect.Epoll;
import io.jselect.Errno;
import io.jselect.Poll;
import io.jselect.socket.Sock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the backend once, at first use. {@code -Djselect.backend=jni} or {@code jna} insists on one;
 * unset, JNI is tried first and, when its library cannot load, JNA, with one WARN line naming why.
 */
public final class Backends {
    /** The system property that chooses the backend. */
    public static final String PROPERTY = "jselect.backend";
    /** Derived, not written out, so it names the class wherever an uber jar relocated this package. */
    static final String JNA_BACKEND_CLASS = Backends.class.getPackageName() + ".jna.JnaBackend";

    private static final Choice CHOICE = choose();

    private Backends() {
    }

    private record Choice(Backend backend, Throwable cause, String loadedFrom) {
    }

    /** The backend in use, or {@code null} when none could load ({@link #unavailabilityCause()} says why). */
    public static Backend current() {
        return CHOICE.backend;
    }

    /** Why no backend could load, or {@code null} when one did. */
    public static Throwable unavailabilityCause() {
        return CHOICE.cause;
    }

    /** Where the backend came from: the library's path for JNI, the JNA version for JNA. */
    public static String loadedFrom() {
        return CHOICE.loadedFrom;
    }

    private static Choice choose() {
        String wanted = System.getProperty(PROPERTY, "").trim().toLowerCase(java.util.Locale.ROOT);
        switch (wanted) {
            case "jni":
                return tryJni();
            case "jna":
                return tryJna();
            case "":
            case "auto":
                Choice jni = tryJni();
                if (jni.backend != null) {
                    return jni;
                }
                Choice jna = tryJna();
                if (jna.backend == null) {
                    UnsatisfiedLinkError both = new UnsatisfiedLinkError(
                            "no jselect backend is available: JNI: " + jni.cause.getMessage()
                                    + "\nJNA: " + jna.cause.getMessage());
                    both.initCause(jni.cause);
                    both.addSuppressed(jna.cause);
                    return new Choice(null, both, null);
                }
                // The logger is looked up only here, so JNI users without an slf4j binding see nothing.
                Logger log = LoggerFactory.getLogger(Backends.class);
                log.warn("jselect: using the JNA backend because the JNI library could not load: {}",
                        jni.cause.getMessage());
                return jna;
            default:
                return new Choice(null, new IllegalArgumentException(
                        PROPERTY + " must be jni or jna, got '" + wanted + "'"), null);
        }
    }

    private static Choice tryJni() {
        try {
            String from = NativeLibraryLoader.load();
            Backend backend = new JniBackend();
            verify(backend);
            return new Choice(backend, null, from);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return new Choice(null, e, null);
        } catch (LinkageError e) {
            // Any other failure to load or bind the library is reported, and falls back, the same way.
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("the JNI backend failed to start: " + e);
            error.initCause(e);
            return new Choice(null, error, null);
        }
    }

    private static Choice tryJna() {
        try {
            Class<?> type = Class.forName(JNA_BACKEND_CLASS);
            Backend backend = (Backend) type.getConstructor().newInstance();
            verify(backend);
            return new Choice(backend, null, backend.toString());
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            // module-info says "requires static com.sun.jna", so on the module path JNA is resolved only
            // when asked for, and running JNI-only needs no JNA jar.
            String hint = Backends.class.getModule().isNamed()
                    ? "on the module path, is the JNA jar there and --add-modules com.sun.jna given?"
                    : "is net.java.dev.jna:jna on the class path?";
            UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                    "the JNA backend is not available (" + hint + "): " + e);
            error.initCause(e);
            return new Choice(null, error, null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("the JNA backend failed to start: " + cause);
            error.initCause(cause);
            return new Choice(null, error, null);
        }
    }

    /**
     * Refuses a backend whose platform disagrees with the compile-time constants of the Java layer
     * (errno values, poll, epoll and socket flags), which would otherwise give silently wrong answers.
     */
    static void verify(Backend backend) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("EPERM", Errno.EPERM);
        expected.put("ENOENT", Errno.ENOENT);
        expected.put("EINTR", Errno.EINTR);
        expected.put("EBADF", Errno.EBADF);
        expected.put("EAGAIN", Errno.EAGAIN);
        expected.put("EACCES", Errno.EACCES);
        expected.put("EEXIST", Errno.EEXIST);
        expected.put("EINVAL", Errno.EINVAL);
        expected.put("EPIPE", Errno.EPIPE);
        expected.put("ENOSYS", Errno.ENOSYS);
        expected.put("EADDRINUSE", Errno.EADDRINUSE);
        expected.put("ECONNABORTED", Errno.ECONNABORTED);
        expected.put("ECONNRESET", Errno.ECONNRESET);
        expected.put("ETIMEDOUT", Errno.ETIMEDOUT);
        expected.put("ECONNREFUSED", Errno.ECONNREFUSED);
        expected.put("EALREADY", Errno.EALREADY);
        expected.put("EINPROGRESS", Errno.EINPROGRESS);
        expected.put("ENOTSOCK", Errno.ENOTSOCK);
        expected.put("EDESTADDRREQ", Errno.EDESTADDRREQ);
        expected.put("EMSGSIZE", Errno.EMSGSIZE);
        expected.put("EOPNOTSUPP", Errno.EOPNOTSUPP);
        expected.put("EAFNOSUPPORT", Errno.EAFNOSUPPORT);
        expected.put("EADDRNOTAVAIL", Errno.EADDRNOTAVAIL);
        expected.put("EISCONN", Errno.EISCONN);
        expected.put("ENOTCONN", Errno.ENOTCONN);
        expected.put("POLLIN", Poll.POLLIN);
        expected.put("POLLPRI", Poll.POLLPRI);
        expected.put("POLLOUT", Poll.POLLOUT);
        expected.put("POLLERR", Poll.POLLERR);
        expected.put("POLLHUP", Poll.POLLHUP);
        expected.put("POLLNVAL", Poll.POLLNVAL);
        expected.put("POLLRDHUP", Poll.POLLRDHUP);
        expected.put("EPOLLIN", Epoll.EPOLLIN);
        expected.put("EPOLLOUT", Epoll.EPOLLOUT);
        expected.put("EPOLLRDHUP", Epoll.EPOLLRDHUP);
        expected.put("EPOLLET", Epoll.EPOLLET);
        expected.put("EPOLLONESHOT", Epoll.EPOLLONESHOT);
        expected.put("EPOLLEXCLUSIVE", Epoll.EPOLLEXCLUSIVE);
        expected.put("EPOLL_CLOEXEC", Epoll.EPOLL_CLOEXEC);
        expected.put("EPOLL_CTL_ADD", Syscalls.EPOLL_CTL_ADD);
        expected.put("EPOLL_CTL_DEL", Syscalls.EPOLL_CTL_DEL);
        expected.put("EPOLL_CTL_MOD", Syscalls.EPOLL_CTL_MOD);
        expected.put("EFD_CLOEXEC", Syscalls.EFD_CLOEXEC);
        expected.put("EFD_NONBLOCK", Syscalls.EFD_NONBLOCK);
        expected.put("O_CLOEXEC", Syscalls.O_CLOEXEC);
        expected.put("O_NONBLOCK", Syscalls.O_NONBLOCK);
        expected.put("F_GETFD", Syscalls.F_GETFD);
        expected.put("F_GETFL", SocketCalls.F_GETFL);
        expected.put("F_SETFL", SocketCalls.F_SETFL);
        expected.put("F_DUPFD_CLOEXEC", SocketCalls.F_DUPFD_CLOEXEC);
        expected.put("MSG_NOSIGNAL", SocketCalls.MSG_NOSIGNAL);
        expected.put("AF_UNIX", Sock.AF_UNIX);
        expected.put("AF_INET", Sock.AF_INET);
        expected.put("AF_INET6", Sock.AF_INET6);
        expected.put("SOCK_STREAM", Sock.SOCK_STREAM);
        expected.put("SOCK_DGRAM", Sock.SOCK_DGRAM);
        expected.put("SOCK_NONBLOCK", Sock.SOCK_NONBLOCK);
        expected.put("SOCK_CLOEXEC", Sock.SOCK_CLOEXEC);
        expected.put("SOL_SOCKET", Sock.SOL_SOCKET);
        expected.put("SO_REUSEADDR", Sock.SO_REUSEADDR);
        expected.put("SO_TYPE", Sock.SO_TYPE);
        expected.put("SO_ERROR", Sock.SO_ERROR);
        expected.put("SO_SNDBUF", Sock.SO_SNDBUF);
        expected.put("SO_RCVBUF", Sock.SO_RCVBUF);
        expected.put("SO_KEEPALIVE", Sock.SO_KEEPALIVE);
        expected.put("SO_LINGER", Sock.SO_LINGER);
        expected.put("SO_REUSEPORT", Sock.SO_REUSEPORT);
        expected.put("SO_ACCEPTCONN", Sock.SO_ACCEPTCONN);
        expected.put("SO_DOMAIN", Sock.SO_DOMAIN);
        expected.put("IPPROTO_TCP", Sock.IPPROTO_TCP);
        expected.put("IPPROTO_UDP", Sock.IPPROTO_UDP);
        expected.put("IPPROTO_IPV6", Sock.IPPROTO_IPV6);
        expected.put("TCP_NODELAY", Sock.TCP_NODELAY);
        expected.put("IPV6_V6ONLY", Sock.IPV6_V6ONLY);
        expected.put("SHUT_RD", Sock.SHUT_RD);
        expected.put("SHUT_WR", Sock.SHUT_WR);
        expected.put("SHUT_RDWR", Sock.SHUT_RDWR);
        expected.put("MSG_OOB", Sock.MSG_OOB);
        expected.put("MSG_PEEK", Sock.MSG_PEEK);
        expected.put("MSG_TRUNC", Sock.MSG_TRUNC);
        expected.put("MSG_DONTWAIT", Sock.MSG_DONTWAIT);
        expected.put("MSG_WAITALL", Sock.MSG_WAITALL);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            int actual = backend.constant(e.getKey());
            if (actual != Integer.MIN_VALUE && actual != e.getValue()) {
                throw new UnsatisfiedLinkError("the " + backend.name() + " backend's platform has "
                        + e.getKey() + " = " + actual + ", jselect was built for " + e.getValue());
            }
        }
    }
}
