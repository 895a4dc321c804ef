package io.jselect.benchmarks;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * A per-call benchmark of jselect, on the backend its {@code backend} parameter names. The backend is
 * chosen here, before the subclass's {@link #openFixture()} touches any jselect class, which is why
 * subclasses create jselect objects only there, never in field initialisers (see {@link BackendChoice}).
 */
public abstract class JselectBenchmark extends PerCallBenchmark {
    @Param({"jni", "jna"})
    public String backend;

    @Setup(Level.Trial)
    public final void open() throws IOException {
        BackendChoice.use(backend);
        openFixture();
    }

    /**
     * Opens what the benchmark waits on, and checks once that a call finds the ready descriptor.
     *
     * @throws IOException when the descriptors cannot be made
     */
    protected abstract void openFixture() throws IOException;
}
