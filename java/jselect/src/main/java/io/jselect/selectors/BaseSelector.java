package io.jselect.selectors;

import io.jselect.ErrnoException;
import io.jselect.internal.CloseGuard;
import io.jselect.internal.Fds;
import io.jselect.internal.Syscalls;
import io.jselect.internal.Timeouts;
import io.jselect.internal.Waker;
import java.io.IOException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Python's {@code selectors.BaseSelector}: register file objects with the events to wait for and a
 * piece of data, then loop over the ready {@code (key, events)} pairs. {@link EpollSelector},
 * {@link PollSelector} and {@link SelectSelector} differ only in the mechanism underneath;
 * {@link DefaultSelector} is the best one available here.
 *
 * <pre>{@code
 * try (DefaultSelector<Handler> sel = new DefaultSelector<>()) {
 *     sel.register(listener, EVENT_READ, this::accept);
 *     for (;;) {
 *         for (Ready<Handler> r : sel.select(null)) {
 *             r.key().data().handle(r.key(), r.events());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Beyond Python: every method is thread-safe. {@link #wakeup()} returns a blocked select from any
 * thread; {@link #close()} from another thread wakes a blocked select and completes after it has
 * returned; {@code register}, {@code modify} and {@code unregister} from other threads take effect by
 * the next wait (at once, with epoll); {@link #select(double, ReadyConsumer)} allocates nothing; and an
 * event for a descriptor that was closed and whose number a new registration took is never delivered
 * to the new key. One select at a time: a second, concurrent one throws
 * {@link IllegalStateException}.
 *
 * @param <D> the type of the data attached to registrations
 */
public abstract class BaseSelector<D> implements AutoCloseable {
    /** The file object is ready for reading. */
    public static final int EVENT_READ = 1;
    /** The file object is ready for writing. */
    public static final int EVENT_WRITE = 2;

    final Object lock = new Object();
    private final RegistrationTable<D> table = new RegistrationTable<>();
    private final CloseGuard guard = new CloseGuard();
    private final AtomicBoolean selecting = new AtomicBoolean();
    private final Waker waker;
    private final Poller<D> poller;
    private final Map<Object, SelectorKey<D>> map = new KeyMap();
    private int generations;

    /** The mechanisms, for the subclasses' constructors. */
    enum Mechanism { EPOLL, POLL, SELECT }

    BaseSelector(Mechanism mechanism) throws ErrnoException {
        Syscalls.requireAvailable();
        waker = new Waker(guard);
        int wakeFd = waker.fd();
        try {
            switch (mechanism) {
                case EPOLL:
                    poller = new EpollPoller<>(this, wakeFd);
                    break;
                case POLL:
                    poller = new PollPoller<>(this, wakeFd);
                    break;
                default:
                    poller = new SelectPoller<>(this, wakeFd);
                    break;
            }
        } catch (ErrnoException | RuntimeException e) {
            waker.release();
            throw e;
        }
    }

    /**
     * Returns the mechanism underneath.
     *
     * @return {@code "epoll"}, {@code "poll"} or {@code "select"}
     */
    public String mechanism() {
        return poller.name();
    }

    // ------------------------------------------------------------------------------ registrations

    /**
     * Registers a file object with no data; see {@link #register(Object, int, Object)}.
     *
     * @param fileobj an {@code Integer} descriptor, a {@link io.jselect.FileNo}, or a JDK object holding
     *     a descriptor
     * @param events {@link #EVENT_READ}, {@link #EVENT_WRITE} or both
     * @return the new key, whose data is {@code null}
     * @throws IllegalArgumentException when {@code events} is 0 or has other bits ("Invalid events: 0"),
     *     when {@code fileobj} is not a file object, or when it is already registered
     * @throws ErrnoException when the system refuses it (e.g. epoll on a regular file: EPERM); no key
     *     is left behind
     * @throws IllegalStateException after {@link #close()}
     */
    public SelectorKey<D> register(Object fileobj, int events) throws ErrnoException {
        return register(fileobj, events, null);
    }

    /**
     * Registers a file object.
     *
     * @param fileobj an {@code Integer} descriptor, a {@link io.jselect.FileNo}, or a JDK object holding
     *     a descriptor (a channel, a stream, a {@code FileDescriptor})
     * @param events {@link #EVENT_READ}, {@link #EVENT_WRITE} or both
     * @param data anything to attach; may be {@code null}
     * @return the new key
     * @throws IllegalArgumentException when {@code events} is 0 or has other bits ("Invalid events: 0"),
     *     when {@code fileobj} is not a file object, or when it is already registered (the message
     *     names the object and its descriptor)
     * @throws io.jselect.BadFileDescriptorException when its descriptor is not open (EBADF), on every
     *     selector, as epoll refuses it (CPython's poll and select selectors take it, and fail later)
     * @throws ErrnoException when the system refuses it otherwise (e.g. epoll on a regular file: EPERM);
     *     no key is left behind
     * @throws IllegalStateException after {@link #close()}
     */
    public SelectorKey<D> register(Object fileobj, int events, D data) throws ErrnoException {
        checkEvents(events);
        int fd = Fds.fileno(fileobj);
        synchronized (lock) {
            enter();
            try {
                if (table.get(fd) != null) {
                    throw new IllegalArgumentException(fileobj + " (FD " + fd + ") is already registered");
                }
                // Before the table grows to the number: issue 10, a number no descriptor can have (1 << 28)
                // grew it to 1 GiB that stayed, or threw ArrayIndexOutOfBoundsException (MAX_VALUE).
                if (!poller.refusesClosedDescriptors() || !table.covers(fd)) {
                    Syscalls.requireOpen(fd, "register(fd=" + fd + ")");
                }
                Registration<D> r = new Registration<>(generations++, new SelectorKey<>(fileobj, fd, events, data));
                table.put(r);
                try {
                    poller.add(r);
                } catch (ErrnoException | RuntimeException e) {
                    table.remove(fd); // as CPython: a registration the system refused leaves nothing behind
                    throw e;
                }
                return r.key;
            } finally {
                guard.exit();
            }
        }
    }

    /**
     * Removes a registration. Works after the file object or descriptor was closed.
     *
     * @param fileobj the object registered, or its descriptor
     * @return the key it had
     * @throws NoSuchElementException when it is not registered
     * @throws IllegalStateException after {@link #close()}
     */
    public SelectorKey<D> unregister(Object fileobj) {
        synchronized (lock) {
            enter();
            try {
                Registration<D> r = lookup(fileobj);
                table.remove(r.fd);
                poller.remove(r);
                return r.key;
            } finally {
                guard.exit();
            }
        }
    }

    /**
     * Changes the events and sets the data to {@code null}, as Python's default; see
     * {@link #modify(Object, int, Object)}.
     *
     * @param fileobj the object registered, or its descriptor
     * @param events {@link #EVENT_READ}, {@link #EVENT_WRITE} or both
     * @return the new key (the old one if nothing changed)
     * @throws IllegalArgumentException when {@code events} is invalid
     * @throws NoSuchElementException when it is not registered
     * @throws ErrnoException when the system refuses the new events; the registration is then removed,
     *     as CPython does
     * @throws IllegalStateException after {@link #close()}
     */
    public SelectorKey<D> modify(Object fileobj, int events) throws ErrnoException {
        return modify(fileobj, events, null);
    }

    /**
     * Changes the events or the data of a registration. New data alone makes no system call.
     *
     * @param fileobj the object registered, or its descriptor
     * @param events {@link #EVENT_READ}, {@link #EVENT_WRITE} or both
     * @param data the data the key carries from now on; may be {@code null}
     * @return the new key (the old one if nothing changed)
     * @throws IllegalArgumentException when {@code events} is invalid
     * @throws NoSuchElementException when it is not registered
     * @throws ErrnoException when the system refuses the new events; the registration is then removed,
     *     as CPython does
     * @throws IllegalStateException after {@link #close()}
     */
    public SelectorKey<D> modify(Object fileobj, int events, D data) throws ErrnoException {
        checkEvents(events);
        synchronized (lock) {
            enter();
            try {
                Registration<D> r = lookup(fileobj);
                SelectorKey<D> old = r.key;
                if (events != old.events()) {
                    r.key = new SelectorKey<>(old.fileobj(), old.fd(), events, data);
                    try {
                        poller.modify(r);
                    } catch (ErrnoException | RuntimeException e) {
                        table.remove(r.fd);
                        poller.remove(r);
                        throw e;
                    }
                } else if (!Objects.equals(data, old.data())) {
                    r.key = new SelectorKey<>(old.fileobj(), old.fd(), events, data);
                }
                return r.key;
            } finally {
                guard.exit();
            }
        }
    }

    /**
     * Returns the key of a registered file object.
     *
     * @param fileobj the object registered, or its descriptor
     * @return its key
     * @throws NoSuchElementException when it is not registered
     * @throws IllegalStateException after {@link #close()}
     */
    public SelectorKey<D> getKey(Object fileobj) {
        synchronized (lock) {
            checkOpen();
            return lookup(fileobj).key;
        }
    }

    /**
     * Returns a read-only, live view of the registrations, keyed by file object. As in Python, a lookup
     * also accepts the descriptor of a registered object.
     *
     * @return the view; it throws {@link UnsupportedOperationException} on any change
     * @throws IllegalStateException after {@link #close()}
     */
    public Map<Object, SelectorKey<D>> getMap() {
        checkOpen();
        return map;
    }

    /** CPython's {@code _fileobj_lookup}: by descriptor, or by identity for an object now closed. */
    private Registration<D> lookup(Object fileobj) {
        int fd;
        try {
            fd = Fds.fileno(fileobj);
        } catch (IllegalArgumentException closedOrInvalid) {
            for (Registration<D> r : table.snapshot()) {
                if (r.key.fileobj() == fileobj) {
                    return r;
                }
            }
            throw closedOrInvalid;
        }
        Registration<D> r = table.get(fd);
        if (r == null) {
            throw new NoSuchElementException(fileobj + " is not registered");
        }
        return r;
    }

    private static void checkEvents(int events) {
        if (events == 0 || (events & ~(EVENT_READ | EVENT_WRITE)) != 0) {
            throw new IllegalArgumentException("Invalid events: " + events);
        }
    }

    // ------------------------------------------------------------------------------------- select

    /**
     * Waits without a timeout until some registered file objects are ready; see {@link #select(Double)}.
     *
     * @return the ready registrations with their events, each a subset of the key's events; empty
     *     after a timeout, a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalStateException after {@link #close()}, or while another thread is selecting
     * @throws IOException when the wait fails (an {@link ErrnoException})
     */
    public List<Ready<D>> select() throws IOException {
        return select((Double) null);
    }

    /**
     * Waits at most {@code timeout} seconds until some registered file objects are ready; see
     * {@link #select(Double)}.
     *
     * @param timeout seconds; zero or negative polls without blocking
     * @return the ready registrations with their events, each a subset of the key's events; empty
     *     after a timeout, a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalStateException after {@link #close()}, or while another thread is selecting
     * @throws IOException when the wait fails (an {@link ErrnoException})
     * @throws IllegalArgumentException when {@code timeout} is NaN
     */
    public List<Ready<D>> select(double timeout) throws IOException {
        return select(Double.valueOf(timeout));
    }

    /**
     * Waits with a {@link Duration}; see {@link #select(Double)}.
     *
     * @param timeout {@code null} blocks, zero or negative polls; rounded up to the mechanism's resolution
     * @return the ready registrations with their events, each a subset of the key's events; empty
     *     after a timeout, a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalStateException after {@link #close()}, or while another thread is selecting
     * @throws IOException when the wait fails (an {@link ErrnoException})
     */
    public List<Ready<D>> select(Duration timeout) throws IOException {
        long nanos = timeout == null ? Timeouts.BLOCK
                : timeout.isNegative() ? 0 : Timeouts.fromDuration(timeout, false);
        List<Ready<D>> ready = new ArrayList<>();
        selectNanos(nanos, (key, events) -> ready.add(new Ready<>(key, events)));
        return ready;
    }

    /**
     * Waits until some registered file objects are ready, or the timeout expires; Python's
     * {@code select(timeout=None)}.
     *
     * @param timeout seconds; {@code null} blocks, zero or negative polls without blocking
     * @return the ready registrations with their events, each a subset of the key's events; empty
     *     after a timeout, a {@link #wakeup()}, or a {@link #close()} from another thread
     * @throws IllegalArgumentException when {@code timeout} is NaN
     * @throws IllegalStateException after {@link #close()}, or while another thread is selecting
     * @throws IOException when the wait fails (an {@link ErrnoException})
     */
    public List<Ready<D>> select(Double timeout) throws IOException {
        List<Ready<D>> ready = new ArrayList<>();
        selectNanos(toNanos(timeout), (key, events) -> ready.add(new Ready<>(key, events)));
        return ready;
    }

    /**
     * The zero-garbage select for event loops: waits as {@link #select(Double)} does, then hands each
     * ready registration to {@code consumer} without creating objects.
     *
     * @param timeout seconds; negative or zero polls, {@code Double.POSITIVE_INFINITY} blocks
     * @param consumer called once per ready registration, in the selecting thread
     * @return the number of registrations handed to {@code consumer}
     * @throws IOException whatever {@code consumer} throws, or when the wait fails
     * @throws IllegalStateException after {@link #close()}, or while another thread is selecting
     */
    public int select(double timeout, ReadyConsumer<D> consumer) throws IOException {
        return selectNanos(timeout <= 0 ? 0 : Timeouts.fromSeconds(timeout, false), consumer);
    }

    private static long toNanos(Double timeout) {
        if (timeout == null) {
            return Timeouts.BLOCK;
        }
        return timeout <= 0 ? 0 : Timeouts.fromSeconds(timeout, false); // NaN fails in fromSeconds
    }

    private int selectNanos(long timeoutNanos, ReadyConsumer<D> consumer) throws IOException {
        Objects.requireNonNull(consumer, "consumer");
        if (!selecting.compareAndSet(false, true)) {
            checkOpen();
            throw new IllegalStateException("concurrent select() invocation");
        }
        try {
            int n;
            enter();
            try {
                n = poller.await(timeoutNanos);
            } finally {
                guard.exit();
            }
            int delivered = 0;
            Registration<D>[] ready = poller.ready;
            int[] readyEvents = poller.readyEvents;
            for (int i = 0; i < n && !guard.isClosed(); i++) {
                Registration<D> r = ready[i];
                ready[i] = null;
                // An earlier handler in this batch may have unregistered it, or closed its descriptor
                // and registered a new one under the same number: then this event is not for that key.
                if (table.get(r.fd) != r) {
                    continue;
                }
                SelectorKey<D> key = r.key;
                int events = readyEvents[i] & key.events();
                if (events != 0) {
                    delivered++;
                    consumer.accept(key, events);
                }
            }
            return delivered;
        } finally {
            selecting.set(false);
        }
    }

    // ------------------------------------------------------------------------------ wakeup, close

    /**
     * Makes a select blocked in another thread return at once, or, if none is, the next one. Many
     * wakeups before that select coalesce into one. Does nothing after {@link #close()}.
     */
    public void wakeup() {
        waker.wakeup();
    }

    /** Called by the poller, in the selecting thread, when the wakeup eventfd fired. */
    final void drainWakeup() throws ErrnoException {
        waker.drain();
    }

    /**
     * Closes the selector and forgets every registration; idempotent. A select blocked in another
     * thread returns at once, and the selector's descriptors are released only after it has returned.
     * The registered file objects are not closed.
     */
    @Override
    public void close() {
        if (waker.closeAndAwaitIdle()) {
            synchronized (lock) {
                table.clear();
            }
            poller.close();
            waker.release();
        }
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return {@code true} once {@link #close()} was called
     */
    public boolean isClosed() {
        return guard.isClosed();
    }

    private void enter() {
        if (!guard.enter()) {
            throw closed();
        }
    }

    private void checkOpen() {
        if (guard.isClosed()) {
            throw closed();
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException(getClass().getSimpleName() + " is closed");
    }

    // ------------------------------------------------------------------------- for the pollers

    final Registration<D> registration(int fd) {
        return table.get(fd);
    }

    /** Caller holds {@link #lock}. */
    final List<Registration<D>> snapshotRegistrations() {
        return table.snapshot();
    }

    /** Lock-free: the epoll poller sizes its event buffer from it on every select. */
    final int registrationCount() {
        return table.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + mechanism() + (isClosed() ? ", closed]" : "]");
    }

    /** The live, read-only view {@link #getMap()} returns. */
    private final class KeyMap extends AbstractMap<Object, SelectorKey<D>> {
        @Override
        public SelectorKey<D> get(Object fileobj) {
            synchronized (lock) {
                try {
                    return lookup(fileobj).key;
                } catch (NoSuchElementException | IllegalArgumentException notThere) {
                    return null;
                }
            }
        }

        @Override
        public boolean containsKey(Object fileobj) {
            return get(fileobj) != null;
        }

        @Override
        public int size() {
            synchronized (lock) {
                return table.size();
            }
        }

        @Override
        public Set<Entry<Object, SelectorKey<D>>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<Object, SelectorKey<D>>> iterator() {
                    List<Registration<D>> regs;
                    synchronized (lock) {
                        regs = table.snapshot();
                    }
                    Iterator<Registration<D>> it = regs.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<Object, SelectorKey<D>> next() {
                            SelectorKey<D> key = it.next().key;
                            return Map.entry(key.fileobj(), key);
                        }
                    };
                }

                @Override
                public int size() {
                    return KeyMap.this.size();
                }
            };
        }
    }
}
