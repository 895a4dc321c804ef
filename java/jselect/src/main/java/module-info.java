/**
 * jselect: Python's {@code select} module for Java. {@code select(2)}, {@code poll(2)} and
 * {@code epoll(7)} over JNI, with a JNA fallback; and in {@code io.jselect.socket}, Python's
 * {@code socket} module over the same C layer; in {@code io.jselect.selectors}, Python's
 * {@code selectors}.
 *
 * <p>On JDK 24 and later, loading the native library is a restricted operation: run with
 * {@code --enable-native-access=io.jselect} (or {@code ALL-UNNAMED} on the class path) to silence the
 * warning, which a later JDK will turn into an error.
 */
module io.jselect {
    requires org.slf4j;
    requires static com.sun.jna;

    exports io.jselect;
    exports io.jselect.selectors;
    exports io.jselect.socket;
}
