package io.jselect;

import io.jselect.internal.Fds;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The three readiness mechanisms behind one test-side interface, so each readiness behaviour is written
 * once ({@link ReadinessContractTest}, {@link FileObjectsTest}) and run against select, poll and epoll.
 * The file objects given (Integer descriptors, FileNo, JDK objects) are handed to each mechanism as they
 * are; the answer is keyed by descriptor.
 */
interface Mechanism {
    int READ = 1;
    int WRITE = 2;

    /**
     * Waits until some file objects are ready.
     *
     * @param timeout seconds, {@code null} to block
     * @return the descriptors of the ready objects mapped to {@link #READ} | {@link #WRITE}; end of file
     *     and hang-up count as {@link #READ}, as they do for select
     */
    Map<Integer, Integer> await(Collection<?> readers, Collection<?> writers, Double timeout) throws ErrnoException;

    Mechanism SELECT = new Mechanism() {
        @Override
        public Map<Integer, Integer> await(Collection<?> readers, Collection<?> writers, Double timeout)
                throws ErrnoException {
            SelectResult<Object> r = Select.select(readers, writers, List.of(), timeout);
            Map<Integer, Integer> ready = new LinkedHashMap<>();
            r.readable().forEach(o -> ready.merge(Fds.fileno(o), READ, (a, b) -> a | b));
            r.writable().forEach(o -> ready.merge(Fds.fileno(o), WRITE, (a, b) -> a | b));
            return ready;
        }

        @Override
        public String toString() {
            return "select";
        }
    };

    Mechanism POLL = new Mechanism() {
        @Override
        public Map<Integer, Integer> await(Collection<?> readers, Collection<?> writers, Double timeout)
                throws ErrnoException {
            Poll poll = Poll.create();
            masks(readers, writers, Poll.POLLIN, Poll.POLLOUT).forEach(poll::register);
            Map<Integer, Integer> ready = new LinkedHashMap<>();
            for (FdEvent e : poll.poll(timeout == null ? null : timeout * 1000)) {
                ready.put(e.fd(), bits(e, readers, writers, Poll.POLLIN | Poll.POLLHUP | Poll.POLLERR, Poll.POLLOUT));
            }
            return ready;
        }

        @Override
        public String toString() {
            return "poll";
        }
    };

    Mechanism EPOLL = new Mechanism() {
        @Override
        public Map<Integer, Integer> await(Collection<?> readers, Collection<?> writers, Double timeout)
                throws ErrnoException {
            try (Epoll epoll = Epoll.create()) {
                for (Map.Entry<Object, Integer> m : masks(readers, writers, Epoll.EPOLLIN, Epoll.EPOLLOUT).entrySet()) {
                    epoll.register(m.getKey(), m.getValue());
                }
                Map<Integer, Integer> ready = new LinkedHashMap<>();
                for (FdEvent e : epoll.poll(timeout == null ? null : timeout, -1)) {
                    ready.put(e.fd(), bits(e, readers, writers,
                            Epoll.EPOLLIN | Epoll.EPOLLHUP | Epoll.EPOLLERR, Epoll.EPOLLOUT));
                }
                return ready;
            }
        }

        @Override
        public String toString() {
            return "epoll";
        }
    };

    List<Mechanism> ALL = List.of(SELECT, POLL, EPOLL);

    /** The mask to register for each distinct object, in order. */
    private static Map<Object, Integer> masks(Collection<?> readers, Collection<?> writers, int in, int out) {
        Map<Object, Integer> masks = new LinkedHashMap<>();
        readers.forEach(o -> masks.merge(o, in, (a, b) -> a | b));
        writers.forEach(o -> masks.merge(o, out, (a, b) -> a | b));
        return masks;
    }

    /** An event's READ | WRITE bits, limited to what was asked of its descriptor. */
    private static int bits(FdEvent e, Collection<?> readers, Collection<?> writers, int readable, int writable) {
        int bits = ((e.events() & readable) != 0 ? READ : 0) | ((e.events() & writable) != 0 ? WRITE : 0);
        return bits & (fds(readers).contains(e.fd()) ? READ | WRITE : WRITE)
                & (fds(writers).contains(e.fd()) ? READ | WRITE : READ);
    }

    private static Set<Integer> fds(Collection<?> objects) {
        return objects.stream().map(Fds::fileno).collect(Collectors.toSet());
    }
}
