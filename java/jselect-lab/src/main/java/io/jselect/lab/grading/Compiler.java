package io.jselect.lab.grading;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a student's exercise with the JDK's own compiler, against the lab's class path (jselect and
 * the lab), into a fresh folder: the student needs a JDK and the lab jar, nothing else.
 */
public final class Compiler {
    private Compiler() {
    }

    /** The exercise did not compile; the message is javac's, one diagnostic per line, file:line first. */
    public static final class CompilationFailed extends IOException {
        private static final long serialVersionUID = 1L;

        CompilationFailed(String message) {
            super(message);
        }
    }

    /**
     * Compiles the {@code .java} files of package {@code pkg} under {@code sourceRoot} (its folder
     * {@code sourceRoot/pkg}).
     *
     * @return the folder of class files, deleted when this JVM exits
     * @throws CompilationFailed with javac's errors
     * @throws IOException when the folder does not exist or holds no source
     * @throws IllegalStateException when this Java has no compiler (a JRE, not a JDK)
     */
    public static Path compile(Path sourceRoot, String pkg) throws IOException {
        return compileAll(sourceRoot, List.of(pkg), null);
    }

    /**
     * Compiles several packages into one folder.
     *
     * @param log where to say what is compiled; null for nothing
     * @see #compile(Path, String)
     */
    public static Path compileAll(Path sourceRoot, List<String> packages, PrintStream log) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("this Java (" + System.getProperty("java.home") + ") has no compiler: "
                    + "grading needs a JDK, not only a JRE");
        }
        List<Path> sources = new ArrayList<>();
        for (String pkg : packages) {
            Path dir = sourceRoot.resolve(pkg);
            if (!Files.isDirectory(dir)) {
                throw new IOException("no folder " + dir + ": give the folder that holds ex1 ... ex5 (labs/exercises)");
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
            }
        }
        if (sources.isEmpty()) {
            throw new IOException("no .java files in " + sourceRoot + " for " + packages);
        }
        Path classes = Files.createTempDirectory("jselect-lab-classes-");
        deleteOnExit(classes);
        if (log != null) {
            log.println("compiling " + sources.size() + " file(s) of " + packages + " from " + sourceRoot);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-encoding", "UTF-8", "-g", "-proc:none",
                    "-classpath", System.getProperty("java.class.path"), "-d", classes.toString());
            StringWriter out = new StringWriter();
            boolean ok = javac.getTask(out, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                StringBuilder message = new StringBuilder();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        message.append(d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":"
                                + d.getLineNumber() + ": ").append(d.getMessage(Locale.ROOT)).append('\n');
                    }
                }
                throw new CompilationFailed(message.toString().strip());
            }
        }
        return classes;
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder: the system cleans it up
            }
        }));
    }
}
