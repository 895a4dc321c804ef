package io.jselect.selectors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Registrations indexed by descriptor number. Descriptors are small, dense integers, so an array beats
 * a map and never boxes: lookups on the select path allocate nothing. Mutations happen under the
 * selector's lock; lookups take none (acquire reads), so a selecting thread never waits for one that
 * registers.
 */
final class RegistrationTable<D> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Registration[].class);

    private volatile Registration<?>[] slots = new Registration<?>[64];
    /** Written under the selector's lock, read without it by the selecting thread. */
    private volatile int size;

    @SuppressWarnings("unchecked")
    Registration<D> get(int fd) {
        Registration<?>[] s = slots;
        return fd >= 0 && fd < s.length ? (Registration<D>) SLOT.getAcquire(s, fd) : null;
    }

    /** Whether {@code fd} has a slot already, so that {@link #put} would not grow the table. */
    boolean covers(int fd) {
        return fd < slots.length;
    }

    /**
     * Adds or replaces; caller holds the selector's lock. The table grows to the descriptor's number, so
     * the caller first makes sure that it is an open descriptor: then the table is never larger than the
     * kernel's own descriptor table for this process, which holds that number too.
     */
    void put(Registration<D> r) {
        Registration<?>[] s = slots;
        if (r.fd >= s.length) {
            s = Arrays.copyOf(s, (int) Math.max(r.fd + 1L, Math.min(2L * s.length, Integer.MAX_VALUE - 8)));
            slots = s;
        }
        if (SLOT.getAcquire(s, r.fd) == null) {
            size++;
        }
        SLOT.setRelease(s, r.fd, r);
    }

    /** Removes the registration of {@code fd}, if any; caller holds the selector's lock. */
    void remove(int fd) {
        Registration<?>[] s = slots;
        if (fd < s.length && SLOT.getAcquire(s, fd) != null) {
            SLOT.setRelease(s, fd, null);
            size--;
        }
    }

    /** The number of registrations; exact under the selector's lock, a recent value without it. */
    int size() {
        return size;
    }

    /** The registrations in descriptor order; caller holds the selector's lock. */
    @SuppressWarnings("unchecked")
    List<Registration<D>> snapshot() {
        List<Registration<D>> all = new ArrayList<>(size);
        for (Registration<?> r : slots) {
            if (r != null) {
                all.add((Registration<D>) r);
            }
        }
        return all;
    }

    /** Drops everything; caller holds the selector's lock. */
    void clear() {
        slots = new Registration<?>[0];
        size = 0;
    }
}
