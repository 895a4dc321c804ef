package io.jselect.selectors;

/**
 * The stateless mechanisms, poll and select: the kernel keeps no interest list, so each wait hands it
 * the whole set, rebuilt from the registrations only after they changed (a registration change just
 * marks the set stale, under the selector's lock).
 */
abstract class SnapshotPoller<D> extends Poller<D> {
    final BaseSelector<D> owner;
    final int wakeFd;
    /** Whether the set was built from registrations that have changed since; guarded by owner.lock. */
    boolean dirty = true;

    SnapshotPoller(BaseSelector<D> owner, int wakeFd) {
        this.owner = owner;
        this.wakeFd = wakeFd;
    }

    @Override
    final void add(Registration<D> r) {
        dirty = true;
    }

    @Override
    final void modify(Registration<D> r) {
        dirty = true;
    }

    @Override
    final void remove(Registration<D> r) {
        dirty = true;
    }

    @Override
    final void close() {
        // owns no descriptor
    }
}
