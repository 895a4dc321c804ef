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

    /** Adds or replaces; caller holds the selector's lock. */
    void put(Registration<D> r) {
        Registration<?>[] s = slots;
        if (r.fd >= s.length) {
            s = Arrays.copyOf(s, Math.max(r.fd + 1, s.length * 2));
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
