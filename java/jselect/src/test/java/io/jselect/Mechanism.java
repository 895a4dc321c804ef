package io.jselect;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three readiness mechanisms behind one test-side interface, so each readiness behaviour is written
 * once ({@link ReadinessContractTest}) and run against select, poll and epoll.
 */
interface Mechanism {
    int READ = 1;
    int WRITE = 2;

    /**
     * Waits until some descriptors are ready.
     *
     * @param timeout seconds, {@code null} to block
     * @return ready descriptors mapped to {@link #READ} | {@link #WRITE}; end of file and hang-up count
     *     as {@link #READ}, as they do for select
     */
    Map<Integer, Integer> await(Collection<Integer> readers, Collection<Integer> writers, Double timeout)
            throws ErrnoException;

    Mechanism SELECT = new Mechanism() {
        @Override
        public Map<Integer, Integer> await(Collection<Integer> readers, Collection<Integer> writers,
                Double timeout) throws ErrnoException {
            SelectResult<Integer> r = Select.select(readers, writers, List.of(), timeout);
            Map<Integer, Integer> ready = new LinkedHashMap<>();
            r.readable().forEach(fd -> ready.merge(fd, READ, (a, b) -> a | b));
            r.writable().forEach(fd -> ready.merge(fd, WRITE, (a, b) -> a | b));
            return ready;
        }

        @Override
        public String toString() {
            return "select";
        }
    };

    Mechanism POLL = new Mechanism() {
        @Override
        public Map<Integer, Integer> await(Collection<Integer> readers, Collection<Integer> writers,
                Double timeout) throws ErrnoException {
            Poll poll = Poll.create();
            Map<Integer, Integer> masks = new LinkedHashMap<>();
            readers.forEach(fd -> masks.merge(fd, Poll.POLLIN, (a, b) -> a | b));
            writers.forEach(fd -> masks.merge(fd, Poll.POLLOUT, (a, b) -> a | b));
            masks.forEach(poll::register);
            Map<Integer, Integer> ready = new LinkedHashMap<>();
            for (FdEvent e : poll.poll(timeout == null ? null : timeout * 1000)) {
                int bits = ((e.events() & (Poll.POLLIN | Poll.POLLHUP | Poll.POLLERR)) != 0 ? READ : 0)
                        | ((e.events() & Poll.POLLOUT) != 0 ? WRITE : 0);
                ready.put(e.fd(), bits & (readers.contains(e.fd()) ? READ | WRITE : WRITE)
                        & (writers.contains(e.fd()) ? READ | WRITE : READ));
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
        public Map<Integer, Integer> await(Collection<Integer> readers, Collection<Integer> writers,
                Double timeout) throws ErrnoException {
            try (Epoll epoll = Epoll.create()) {
                Map<Integer, Integer> masks = new LinkedHashMap<>();
                readers.forEach(fd -> masks.merge(fd, Epoll.EPOLLIN, (a, b) -> a | b));
                writers.forEach(fd -> masks.merge(fd, Epoll.EPOLLOUT, (a, b) -> a | b));
                for (Map.Entry<Integer, Integer> m : masks.entrySet()) {
                    epoll.register(m.getKey(), m.getValue());
                }
                Map<Integer, Integer> ready = new LinkedHashMap<>();
                for (FdEvent e : epoll.poll(timeout == null ? null : timeout, -1)) {
                    int bits = ((e.events() & (Epoll.EPOLLIN | Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0 ? READ : 0)
                            | ((e.events() & Epoll.EPOLLOUT) != 0 ? WRITE : 0);
                    ready.put(e.fd(), bits & (readers.contains(e.fd()) ? READ | WRITE : WRITE)
                            & (writers.contains(e.fd()) ? READ | WRITE : READ));
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
}
