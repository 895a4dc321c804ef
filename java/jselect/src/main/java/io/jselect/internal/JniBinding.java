package io.jselect.internal;

/**
 * Tells libjselect's {@code JNI_OnLoad} which class to bind its natives to, so the library works inside
 * an application's uber jar that relocated {@code io.jselect} to another package (maven-shade-plugin's
 * relocation), where {@code io/jselect/internal/Jni} does not exist.
 *
 * <p>The name travels in the {@value #PROPERTY} system property, set for the length of the
 * {@code System.load} call only: the one channel a library not yet loaded can read, whichever way it
 * is found ({@code jselect.library.path}, {@code java.library.path} or the copy extracted from the jar),
 * with no file-name convention to keep. Two relocated copies of jselect in one JVM each load their own
 * copy of the library (extracted to files of their own), and each binds to its own class.
 */
final class JniBinding {
    /**
     * Read by {@code JNI_OnLoad} in {@code native/jni/jsel_jni.c}. Not under {@code io.jselect}, so a
     * relocation leaves this literal, and so the lock below, the same in every copy.
     */
    static final String PROPERTY = "jselect.jni.class";

    private JniBinding() {
    }

    /**
     * Runs {@code systemLoad} (a {@code System.load} or {@code System.loadLibrary} call) with
     * {@link #PROPERTY} naming {@link Jni} as this copy of jselect calls it.
     *
     * @param systemLoad the call that loads the library and so runs its {@code JNI_OnLoad}
     * @throws LinkageError what the load throws: {@code UnsatisfiedLinkError} when the library cannot
     *         load, {@code NoClassDefFoundError} or {@code NoSuchMethodError} when its natives cannot bind
     */
    static void load(Runnable systemLoad) {
        // The lock must hold across copies of jselect that share nothing but the JDK, whatever their
        // packages and class loaders: a string literal is interned, one object in the whole JVM.
        synchronized (PROPERTY) {
            System.setProperty(PROPERTY, Jni.class.getName().replace('.', '/'));
            try {
                systemLoad.run();
            } finally {
                System.clearProperty(PROPERTY);
            }
        }
    }
}
