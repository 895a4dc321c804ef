package io.jselect.demos;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson's lock demo: N threads each add 1 to a shared counter M times, once without a lock (the
 * read-modify-write races and updates are lost) and once with one (the total is exact).
 */
@Command(name = "race", mixinStandardHelpOptions = true,
        description = "N threads increment a shared counter, without and with a lock; prints expected and observed totals.")
public final class Race implements Callable<Integer> {
    @Option(names = "--threads", defaultValue = "4", description = "threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--increments", defaultValue = "1000000", description = "increments per thread (default ${DEFAULT-VALUE})")
    int increments;

    /**
     * The shared counter. Volatile only so the JIT cannot keep it in a register for a whole loop (which
     * would hide the race); {@code counter++} on it is still a separate load and store.
     */
    private volatile long counter;

    /** The result of one run. */
    public record Result(long expected, long withoutLock, long withLock) {
    }

    @Override
    public Integer call() throws InterruptedException {
        Result r = run(threads, increments);
        System.out.printf("expected:            %,d%n", r.expected());
        System.out.printf("without a lock:      %,d  (%,d updates lost)%n", r.withoutLock(), r.expected() - r.withoutLock());
        System.out.printf("with a lock:         %,d%n", r.withLock());
        return r.withLock() == r.expected() ? 0 : 1;
    }

    /** Runs both variants; public for tests. */
    public static Result run(int threads, int increments) throws InterruptedException {
        if (threads < 1 || increments < 0) {
            throw new IllegalArgumentException("threads must be >= 1 and increments >= 0, got " + threads + ", " + increments);
        }
        Race race = new Race();
        long without = race.count(threads, increments, null);
        long with = race.count(threads, increments, new ReentrantLock());
        return new Result((long) threads * increments, without, with);
    }

    private long count(int threads, int increments, ReentrantLock lock) throws InterruptedException {
        counter = 0;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                for (int i = 0; i < increments; i++) {
                    if (lock == null) {
                        counter++; // load, add, store: a store by another thread in between is lost
                    } else {
                        lock.lock();
                        try {
                            counter++;
                        } finally {
                            lock.unlock();
                        }
                    }
                }
            }, "race-" + t));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        return counter;
    }
}
