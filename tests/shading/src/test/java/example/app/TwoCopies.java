package example.app;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Runs two relocated copies of jselect in one JVM, each through its application's {@code main}.
 * {@code same-loader A B}: classes A and B from the class path, one class loader.
 * {@code own-loaders JAR JAR}: each jar's Main-Class in a class loader of its own.
 */
public final class TwoCopies {
    private TwoCopies() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "same-loader" -> {
                runMain(Class.forName(args[1]));
                runMain(Class.forName(args[2]));
            }
            case "own-loaders" -> {
                for (String jar : new String[] {args[1], args[2]}) {
                    URL url = Path.of(jar).toUri().toURL();
                    try (URLClassLoader loader = new URLClassLoader(new URL[] {url},
                            ClassLoader.getPlatformClassLoader());
                            var in = new java.util.jar.JarFile(jar)) {
                        String main = in.getManifest().getMainAttributes().getValue("Main-Class");
                        runMain(Class.forName(main, true, loader));
                    }
                }
            }
            default -> throw new IllegalArgumentException("same-loader or own-loaders, got " + args[0]);
        }
    }

    private static void runMain(Class<?> app) throws Exception {
        Method main = app.getMethod("main", String[].class);
        main.invoke(null, (Object) new String[0]);
    }
}
