package io.jselect.benchmarks;

import io.jselect.JSelect;

/**
 * Puts a benchmark JVM on the jselect backend its {@code @Param backend} names, and proves it did.
 *
 * <p>jselect reads {@code jselect.backend} once, when it first loads, so the property has to be set
 * before any jselect class initialises: {@link JselectBenchmark}'s {@code @Setup(Level.Trial)} calls
 * {@link #use} before anything else touches jselect, and JMH runs each parameter combination in a
 * fresh fork. A backend that cannot load, or a JVM already running the
 * other one (a non-forked run, {@code -f 0}, after a trial on the other backend), fails the benchmark:
 * it never silently measures the wrong backend.
 */
final class BackendChoice {
    private BackendChoice() {
    }

    /**
     * Chooses the backend for this JVM, or checks that it is the one already chosen.
     *
     * @param wanted {@code jni} or {@code jna}
     * @throws IllegalStateException when jselect cannot load that backend, or runs another one
     */
    static void use(String wanted) {
        System.setProperty("jselect.backend", wanted);
        if (!JSelect.isAvailable()) {
            Throwable cause = JSelect.unavailabilityCause();
            throw new IllegalStateException("the " + wanted + " backend was asked for, and jselect cannot load it: "
                    + cause.getMessage(), cause);
        }
        String actual = JSelect.backend();
        if (!actual.equals(wanted)) {
            throw new IllegalStateException("the " + wanted + " backend was asked for, but this JVM already runs "
                    + actual + ": jselect chooses once per JVM, so run with forks (-f 1 or more)");
        }
    }
}
