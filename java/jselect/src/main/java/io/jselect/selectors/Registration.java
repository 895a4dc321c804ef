package io.jselect.selectors;

/**
 * A selector's internal record of one registration. The key changes with {@code modify}; the
 * generation does not, and tells this registration from a later one that reuses the same descriptor
 * number.
 */
final class Registration<D> {
    final int fd;
    final int generation;
    volatile SelectorKey<D> key;

    Registration(int generation, SelectorKey<D> key) {
        this.fd = key.fd();
        this.generation = generation;
        this.key = key;
    }
}
