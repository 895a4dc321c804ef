package io.jselect.internal.jna;

import io.jselect.internal.Backend;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The descriptor behind a JDK object, found along the same fields, in the same order, as the JNI backend
 * finds it ({@code native/jni/jsel_jni_fd.c}): a {@code FileDescriptor}'s {@code fd}; the
 * {@code FileDescriptor fd} field of file streams, {@code RandomAccessFile}, every {@code sun.nio.ch}
 * channel and the platform {@code SocketImpl}; the {@code in} or {@code out} stream that buffered and
 * process streams wrap; and, one field further, the channel or {@code SocketImpl} of java.net's
 * sockets. A closed channel or java.net socket reads as -1, as there: closing one leaves its old number
 * in its FileDescriptor, so they are asked first, through the public API, {@code isOpen()} and
 * {@code isClosed()}.
 *
 * <p>JNI reads fields past the module system; reflection may not. Those fields are private to
 * {@code java.io}, {@code sun.nio.ch} and {@code java.net}, so reading them takes {@code --add-opens
 * java.base/java.io=ALL-UNNAMED} (and {@code java.base/sun.nio.ch} for channels, {@code java.base/java.net}
 * for java.net's sockets), {@code =io.jselect} on the module path. Without it, the public API answers
 * what it can ({@code FileDescriptor.in}, {@code out} and {@code err} are 0, 1 and 2 while
 * {@code valid()}; a closed socket or channel is -1), and anything else is an
 * {@link IllegalArgumentException} naming the flags that would help.
 */
final class JdkFds {
    private static final int MAX_WRAPPING = 8;
    /** FileDescriptor.fd, or null when java.io is not open to jselect. */
    private static final Field FD_INT = accessible(field(FileDescriptor.class, "fd", "int"));

    /**
     * The fields through which java.net's sockets reach their descriptor, in the order tried (as
     * {@code socket_fields} in jsel_jni_fd.c): sun.nio.ch's adaptors hold their channel; DatagramSocket
     * delegates to such an adaptor; SocksSocketImpl, the impl of a plain Socket, forwards to the platform
     * SocketImpl; Socket and ServerSocket hold an impl. Name, then type.
     */
    private static final String[][] SOCKET_FIELDS = {
        {"sc", "sun.nio.ch.SocketChannelImpl"},
        {"ssc", "sun.nio.ch.ServerSocketChannelImpl"},
        {"dc", "sun.nio.ch.DatagramChannelImpl"},
        {"delegate", "java.net.DatagramSocket"},
        {"delegate", "java.net.SocketImpl"},
        {"impl", "java.net.SocketImpl"},
    };

    /** A field on the way to a descriptor, and whether reflection may read it. */
    private record Step(Field field, boolean open) {
        static final Step NONE = new Step(null, false);

        static Step of(Field field) {
            return field == null ? NONE : new Step(field, accessible(field) != null);
        }
    }

    /** How the instances of a class hold a descriptor. */
    private enum Kind {
        /** None that either backend finds. */
        NONE,
        /** A java.net socket: through {@code socket}, unless {@code isClosed()}. */
        SOCKET,
        /** A {@code FileDescriptor} in {@code field}; where that is null, through {@code socket}. */
        FD,
        /** A stream it wraps, in {@code field}. */
        WRAPPED
    }

    /** The route to a class's descriptor: {@code socket} is the first of {@link #SOCKET_FIELDS} it has. */
    private record Route(Kind kind, Step field, Step socket) {
    }

    private static final ClassValue<Route> ROUTES = new ClassValue<>() {
        @Override
        protected Route computeValue(Class<?> type) {
            Step socket = Step.NONE;
            for (String[] candidate : SOCKET_FIELDS) {
                Field f = field(type, candidate[0], candidate[1]);
                if (f != null) {
                    socket = Step.of(f);
                    break;
                }
            }
            // java.net's sockets first: Socket's own "in" and "out" fields are stream wrappers holding no
            // descriptor.
            if (Socket.class.isAssignableFrom(type) || ServerSocket.class.isAssignableFrom(type)
                    || DatagramSocket.class.isAssignableFrom(type)) {
                return new Route(Kind.SOCKET, Step.NONE, socket);
            }
            Field f;
            if ((f = field(type, "fd", FileDescriptor.class.getName())) != null) {
                return new Route(Kind.FD, Step.of(f), socket);
            }
            if ((f = field(type, "in", InputStream.class.getName())) != null) {
                return new Route(Kind.WRAPPED, Step.of(f), Step.NONE);
            }
            if ((f = field(type, "out", OutputStream.class.getName())) != null) {
                return new Route(Kind.WRAPPED, Step.of(f), Step.NONE);
            }
            return new Route(Kind.NONE, Step.NONE, Step.NONE);
        }
    };

    private JdkFds() {
    }

    /**
     * Returns the descriptor held by {@code object}, {@code -1} when it is closed, or
     * {@link Backend#NO_FD}.
     *
     * @throws IllegalArgumentException when the descriptor is behind a field that is not open to
     *     jselect; the message names the {@code --add-opens} flags that would open it
     */
    static int fdOf(Object object) {
        return object == null ? Backend.NO_FD : fdOf(object, object, 0);
    }

    private static int fdOf(Object outer, Object object, int depth) {
        if (object == null) {
            return -1; // a wrapper whose inner stream was released on close, or a socket not yet created
        }
        if (depth > MAX_WRAPPING) {
            return Backend.NO_FD;
        }
        if (object instanceof FileDescriptor) {
            return descriptor(outer, (FileDescriptor) object);
        }
        Route route = ROUTES.get(object.getClass());
        switch (route.kind) {
            case SOCKET:
                return isClosed(object) ? -1 : throughSocketField(outer, object, route, depth);
            case FD: {
                // A closed channel is -1 whatever its fields hold, so the public API answers first (the JNI
                // backend asks after reading them, with the same result).
                if (object instanceof Channel && !isOpen((Channel) object)) {
                    return -1;
                }
                FileDescriptor fd = (FileDescriptor) get(outer, route.field, object);
                // A null FileDescriptor: a SocketImpl that forwards to another, or has no socket yet (-1).
                int result = fd != null ? descriptor(outer, fd) : throughSocketField(outer, object, route, depth);
                return result == Backend.NO_FD ? -1 : result;
            }
            case WRAPPED:
                return fdOf(outer, get(outer, route.field, object), depth + 1);
            default:
                return Backend.NO_FD;
        }
    }

    private static int throughSocketField(Object outer, Object object, Route route, int depth) {
        return route.socket.field == null ? Backend.NO_FD : fdOf(outer, get(outer, route.socket, object), depth + 1);
    }

    private static int descriptor(Object outer, FileDescriptor fd) {
        if (FD_INT != null) {
            try {
                return FD_INT.getInt(fd);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e); // trySetAccessible succeeded
            }
        }
        // The public API knows the three standard descriptors by identity, and whether they are open.
        int standard = fd == FileDescriptor.in ? 0 : fd == FileDescriptor.out ? 1 : fd == FileDescriptor.err ? 2 : -1;
        if (standard >= 0) {
            return fd.valid() ? standard : -1;
        }
        throw denied(outer, field(FileDescriptor.class, "fd", "int"));
    }

    private static Object get(Object outer, Step step, Object object) {
        if (!step.open) {
            throw denied(outer, step.field);
        }
        try {
            return step.field.get(object);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e); // trySetAccessible succeeded
        }
    }

    /** {@code isClosed()} of a java.net socket; not closed if it throws, as the JNI backend answers. */
    private static boolean isClosed(Object socket) {
        try {
            if (socket instanceof Socket) {
                return ((Socket) socket).isClosed();
            }
            if (socket instanceof ServerSocket) {
                return ((ServerSocket) socket).isClosed();
            }
            return ((DatagramSocket) socket).isClosed();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code isOpen()} of a channel; open if it throws, as the JNI backend answers. */
    private static boolean isOpen(Channel channel) {
        try {
            return channel.isOpen();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * The instance field {@code name} whose type is named {@code typeName}, declared by {@code owner} or
     * a superclass: the one JNI's GetFieldID finds.
     */
    private static Field field(Class<?> owner, String name, String typeName) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                if (f.getType().getName().equals(typeName) && !Modifier.isStatic(f.getModifiers())) {
                    return f;
                }
            } catch (NoSuchFieldException | SecurityException next) {
                // not declared here: look in the superclass
            }
        }
        return null;
    }

    private static Field accessible(Field field) {
        return field != null && field.trySetAccessible() ? field : null;
    }

    /**
     * The error for a field reflection may not read. It names every package the object's route may need
     * that is not open yet: the field's own; for java.net's sockets, java.net (plain sockets reach their
     * descriptor through its SocketImpl) and sun.nio.ch (channel adaptors and datagram sockets, through a
     * channel); and java.io, where every route ends, at FileDescriptor.fd.
     */
    private static IllegalArgumentException denied(Object outer, Field field) {
        Module self = JdkFds.class.getModule();
        String target = self.isNamed() ? self.getName() : "ALL-UNNAMED";
        Set<String> packages = new LinkedHashSet<>();
        packages.add(field.getDeclaringClass().getPackageName());
        if (outer instanceof Socket || outer instanceof ServerSocket || outer instanceof DatagramSocket) {
            packages.add("java.net");
            packages.add("sun.nio.ch");
        }
        packages.add("java.io");
        Module base = Object.class.getModule();
        Set<String> flags = new LinkedHashSet<>();
        for (String p : packages) {
            if (!base.isOpen(p, self)) {
                flags.add("--add-opens " + base.getName() + "/" + p + "=" + target);
            }
        }
        return new IllegalArgumentException("the JNA backend cannot read the file descriptor of "
                + outer.getClass().getName() + ": " + field.getDeclaringClass().getName() + "." + field.getName()
                + " is not open to jselect; run with " + String.join(" ", flags) + " (or use the JNI backend)");
    }
}
