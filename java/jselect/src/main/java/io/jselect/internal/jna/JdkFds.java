package io.jselect.internal.jna;

import io.jselect.internal.Backend;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The descriptor behind a JDK object, found along the same fields as the JNI backend finds it
 * ({@code native/jni/jsel_jni_fd.c}): a {@code FileDescriptor}'s {@code fd}; the {@code FileDescriptor fd}
 * field of file streams, {@code RandomAccessFile} and every {@code sun.nio.ch} channel; the {@code in} or
 * {@code out} stream that buffered and process streams wrap.
 *
 * <p>JNI reads fields past the module system; reflection may not. Those fields are private to
 * {@code java.io} and {@code sun.nio.ch}, so reading them takes {@code --add-opens
 * java.base/java.io=ALL-UNNAMED} (and {@code java.base/sun.nio.ch} for channels), {@code =io.jselect}
 * on the module path. Without it, the public API answers what it can ({@code FileDescriptor.in},
 * {@code out} and {@code err} are 0, 1 and 2 while {@code valid()}), and anything else is an
 * {@link IllegalArgumentException} naming the flags that would help.
 */
final class JdkFds {
    private static final int MAX_WRAPPING = 8;
    /** FileDescriptor.fd, or null when java.io is not open to jselect. */
    private static final Field FD_INT = accessible(field(FileDescriptor.class, "fd", int.class));

    /**
     * The field leading to the descriptor of a class's instances: a {@code FileDescriptor}, or a stream it
     * wraps ({@code wrapped}); {@code open} when reflection may read it.
     */
    private record Route(Field field, boolean open, boolean wrapped) {
        static final Route NONE = new Route(null, false, false);

        static Route of(Field field, boolean wrapped) {
            return new Route(field, accessible(field) != null, wrapped);
        }
    }

    private static final ClassValue<Route> ROUTES = new ClassValue<>() {
        @Override
        protected Route computeValue(Class<?> type) {
            Field f;
            if ((f = field(type, "fd", FileDescriptor.class)) != null) {
                return Route.of(f, false);
            }
            if ((f = field(type, "in", InputStream.class)) != null) {
                return Route.of(f, true);
            }
            if ((f = field(type, "out", OutputStream.class)) != null) {
                return Route.of(f, true);
            }
            return Route.NONE;
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
            return -1; // a wrapper whose inner stream was released on close
        }
        if (depth > MAX_WRAPPING) {
            return Backend.NO_FD;
        }
        if (object instanceof FileDescriptor) {
            return descriptor(outer, (FileDescriptor) object);
        }
        Route route = ROUTES.get(object.getClass());
        if (route.field == null) {
            return Backend.NO_FD;
        }
        if (!route.open) {
            throw denied(outer, route.field);
        }
        Object inner = get(route.field, object);
        if (route.wrapped) {
            return fdOf(outer, inner, depth + 1);
        }
        return inner == null ? -1 : descriptor(outer, (FileDescriptor) inner);
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
        throw denied(outer, field(FileDescriptor.class, "fd", int.class));
    }

    private static Object get(Field field, Object object) {
        try {
            return field.get(object);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e); // trySetAccessible succeeded
        }
    }

    /**
     * The instance field {@code name} of type {@code type} declared by {@code owner} or a superclass, the
     * one JNI's GetFieldID finds.
     */
    private static Field field(Class<?> owner, String name, Class<?> type) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                if (f.getType() == type && !Modifier.isStatic(f.getModifiers())) {
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

    private static IllegalArgumentException denied(Object outer, Field field) {
        Module self = JdkFds.class.getModule();
        String target = self.isNamed() ? self.getName() : "ALL-UNNAMED";
        Set<String> flags = new LinkedHashSet<>();
        for (Class<?> owner : new Class<?>[] {field.getDeclaringClass(), FileDescriptor.class}) {
            // Every route ends at FileDescriptor.fd, so java.io is needed too whenever it is closed.
            if (owner == FileDescriptor.class && FD_INT != null) {
                continue;
            }
            flags.add("--add-opens " + owner.getModule().getName() + "/" + owner.getPackageName() + "=" + target);
        }
        return new IllegalArgumentException("the JNA backend cannot read the file descriptor of "
                + outer.getClass().getName() + ": " + field.getDeclaringClass().getName() + "." + field.getName()
                + " is not open to jselect; run with " + String.join(" ", flags) + " (or use the JNI backend)");
    }
}
