package io.jselect;

import io.jselect.internal.Fds;
import io.jselect.internal.Syscalls;
import io.jselect.internal.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Python's {@code select.select()}: wait until some of the given file objects are ready.
 *
 * <pre>{@code
 * SelectResult<Object> r = Select.select(inputs, outputs, List.of(), 1.0);
 * for (Object s : r.readable()) { ... }
 * }</pre>
 *
 * <p>Unlike Python's, descriptors past {@code FD_SETSIZE} (1024) work: the fd sets are sized to the
 * largest descriptor given.
 */
public final class Select {
    private Select() {
    }

    /**
     * Waits without a timeout until some of the objects are ready; see
     * {@link #select(Collection, Collection, Collection, Double)}.
     *
     * @param inputs objects to wait for until ready for reading, not {@code null}
     * @param outputs objects to wait for until ready for writing, not {@code null}
     * @param errors objects to wait for an exceptional condition, not {@code null}
     * @param <T> the element type: {@code Integer} descriptors, {@link FileNo} objects, or JDK objects
     *     holding a descriptor
     * @return the caller's own objects that are ready, per list, in argument order, duplicates kept
     * @throws IllegalArgumentException when a list is {@code null}, or an element is not a file object
     *     or has a negative descriptor
     * @throws BadFileDescriptorException when a descriptor is not open ({@code [Errno 9]})
     * @throws ErrnoException when select(2) fails otherwise
     */
    public static <T> SelectResult<T> select(Collection<? extends T> inputs, Collection<? extends T> outputs,
            Collection<? extends T> errors) throws ErrnoException {
        return selectNanos(inputs, outputs, errors, Timeouts.BLOCK);
    }

    /**
     * Waits at most {@code timeout} seconds until some of the objects are ready; see
     * {@link #select(Collection, Collection, Collection, Double)}. An {@code int} timeout such as
     * {@code 1} lands here.
     *
     * @param inputs objects to wait for until ready for reading, not {@code null}
     * @param outputs objects to wait for until ready for writing, not {@code null}
     * @param errors objects to wait for an exceptional condition, not {@code null}
     * @param timeout seconds, non-negative; 0 polls and never blocks; rounded up to whole microseconds
     * @param <T> the element type: {@code Integer} descriptors, {@link FileNo} objects, or JDK objects
     *     holding a descriptor
     * @return the caller's own objects that are ready, per list, in argument order, duplicates kept
     * @throws IllegalArgumentException when a list is {@code null}, or an element is not a file object
     *     or has a negative descriptor,
     *     or {@code timeout} is negative or NaN ("timeout must be non-negative")
     * @throws BadFileDescriptorException when a descriptor is not open ({@code [Errno 9]})
     * @throws ErrnoException when select(2) fails otherwise
     */
    public static <T> SelectResult<T> select(Collection<? extends T> inputs, Collection<? extends T> outputs,
            Collection<? extends T> errors, double timeout) throws ErrnoException {
        return selectNanos(inputs, outputs, errors, Timeouts.fromSeconds(timeout, false));
    }

    /**
     * Waits at most {@code timeout} until some of the objects are ready; see
     * {@link #select(Collection, Collection, Collection, Double)}.
     *
     * @param inputs objects to wait for until ready for reading, not {@code null}
     * @param outputs objects to wait for until ready for writing, not {@code null}
     * @param errors objects to wait for an exceptional condition, not {@code null}
     * @param timeout {@code null} blocks; otherwise non-negative; rounded up to whole microseconds
     * @param <T> the element type: {@code Integer} descriptors, {@link FileNo} objects, or JDK objects
     *     holding a descriptor
     * @return the caller's own objects that are ready, per list, in argument order, duplicates kept
     * @throws IllegalArgumentException when a list is {@code null}, or an element is not a file object
     *     or has a negative descriptor,
     *     or {@code timeout} is negative
     * @throws BadFileDescriptorException when a descriptor is not open ({@code [Errno 9]})
     * @throws ErrnoException when select(2) fails otherwise
     */
    public static <T> SelectResult<T> select(Collection<? extends T> inputs, Collection<? extends T> outputs,
            Collection<? extends T> errors, Duration timeout) throws ErrnoException {
        return selectNanos(inputs, outputs, errors, Timeouts.fromDuration(timeout, false));
    }

    /**
     * Waits until some of the objects are ready for reading, writing, or have an exceptional condition.
     *
     * @param inputs objects to wait for until ready for reading
     * @param outputs objects to wait for until ready for writing
     * @param errors objects to wait for an exceptional condition (e.g. TCP urgent data)
     * @param timeout seconds; {@code null} blocks, 0 polls and never blocks; rounded up to whole
     *     microseconds. A signal does not cut the wait short.
     * @param <T> the element type: {@code Integer} descriptors, {@link FileNo} objects, or JDK objects
     *     holding a descriptor ({@code java.io.FileDescriptor}, file streams, NIO channels)
     * @return the caller's own objects that are ready, per list, in argument order, duplicates kept;
     *     all three lists empty after a timeout
     * @throws IllegalArgumentException when a list is {@code null}, an element is not a file object
     *     or has a negative descriptor, or {@code timeout} is negative or NaN ("timeout must be
     *     non-negative")
     * @throws BadFileDescriptorException when a descriptor is not open ({@code [Errno 9]})
     * @throws ErrnoException when select(2) fails otherwise
     */
    public static <T> SelectResult<T> select(Collection<? extends T> inputs, Collection<? extends T> outputs,
            Collection<? extends T> errors, Double timeout) throws ErrnoException {
        return selectNanos(inputs, outputs, errors, Timeouts.fromSeconds(timeout, false));
    }

    private static <T> SelectResult<T> selectNanos(Collection<? extends T> inputs,
            Collection<? extends T> outputs, Collection<? extends T> errors, long timeoutNanos)
            throws ErrnoException {
        Object[] r = toArray(inputs, "inputs");
        Object[] w = toArray(outputs, "outputs");
        Object[] x = toArray(errors, "errors");
        int[] fds = new int[r.length + w.length + x.length];
        int i = 0;
        for (Object[] list : new Object[][] {r, w, x}) {
            for (Object o : list) {
                fds[i++] = Fds.fileno(o);
            }
        }
        Syscalls.requireAvailable();
        Syscalls.select(fds, r.length, w.length, x.length, timeoutNanos);
        return new SelectResult<>(ready(r, fds, 0), ready(w, fds, r.length), ready(x, fds, r.length + w.length));
    }

    /** Snapshots a list, so the objects returned are exactly those whose descriptors were waited on. */
    private static Object[] toArray(Collection<?> list, String name) {
        if (list == null) {
            throw new IllegalArgumentException(name + " must be a collection of file objects, got null");
        }
        return list.toArray();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> ready(Object[] objects, int[] fds, int start) {
        List<T> ready = new ArrayList<>();
        for (int k = 0; k < objects.length; k++) {
            if (fds[start + k] >= 0) {
                ready.add((T) objects[k]);
            }
        }
        return ready;
    }
}
