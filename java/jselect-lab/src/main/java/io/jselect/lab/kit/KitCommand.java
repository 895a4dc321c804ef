package io.jselect.lab.kit;

import io.jselect.lab.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kit}: writes the student kit, as a folder or a zip: the handouts, the exercises' starters, the
 * {@code grade} script and this jar (jselect, the graders, the experiments). The reference solutions are
 * not in this jar at all (they live in the lab module's {@code src/solutions}), so they cannot be in the kit.
 */
@Command(name = "kit", mixinStandardHelpOptions = true,
        description = "Export the student kit (handouts, starters, graders, experiments; no solutions) as a folder or a zip.")
public final class KitCommand implements Callable<Integer> {
    /** Where the kit's files are inside the jar: labs/ of the repository, packaged by the build. */
    static final String PREFIX = "kit/";

    @Option(names = "--out", required = true, description = "the folder to create (must not exist), or the .zip file with --zip")
    Path out;

    @Option(names = "--zip", description = "write a zip file, its entries under jselect-lab-kit/")
    boolean zip;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " exists already; give a new path");
        }
        Map<String, byte[]> files = kitFiles();
        Path jar = ownJar();
        if (jar == null) {
            throw new IllegalArgumentException("kit: not running from jselect-lab.jar, so there is no jar to put in the kit; "
                    + "build it (mvn -B -q package -DskipTests) and run java -jar java/jselect-lab/target/jselect-lab.jar kit");
        }
        if (zip) {
            writeZip(files, jar);
        } else {
            writeFolder(files, jar);
        }
        System.out.println("kit: wrote " + out + " (" + files.size() + " files and jselect-lab.jar; no solutions)");
        return 0;
    }

    /** The kit's files by their path in the kit, read from this jar (or the build's classes folder). */
    static Map<String, byte[]> kitFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path source = codeSource();
        if (Files.isDirectory(source)) {
            Path root = source.resolve(PREFIX);
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (Files.isRegularFile(p)) {
                        files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    }
                }
            }
        } else {
            try (ZipFile jar = new ZipFile(source.toFile())) {
                for (ZipEntry e : java.util.Collections.list(jar.entries())) {
                    if (e.getName().startsWith(PREFIX) && !e.isDirectory()) {
                        try (InputStream in = jar.getInputStream(e)) {
                            files.put(e.getName().substring(PREFIX.length()), in.readAllBytes());
                        }
                    }
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no kit files in " + source + " (under " + PREFIX + ")");
        }
        for (String name : files.keySet()) {
            if (name.contains("solution")) {
                throw new IllegalStateException("refusing to export " + name + ": solutions never go in the kit");
            }
        }
        return files;
    }

    private void writeFolder(Map<String, byte[]> files, Path jar) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = out.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, f.getValue());
        }
        Files.setPosixFilePermissions(out.resolve("grade"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(jar, out.resolve("jselect-lab.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    }

    private void writeZip(Map<String, byte[]> files, Path jar) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        try (OutputStream file = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(file)) {
            List<Map.Entry<String, byte[]>> all = new ArrayList<>(files.entrySet());
            all.add(Map.entry("jselect-lab.jar", Files.readAllBytes(jar)));
            for (Map.Entry<String, byte[]> f : all) {
                ZipEntry e = new ZipEntry("jselect-lab-kit/" + f.getKey());
                z.putNextEntry(e);
                z.write(f.getValue());
                z.closeEntry();
            }
        }
    }

    /** The jar this runs from; null when running from a classes folder (a build, a test). */
    private static Path ownJar() {
        Path source = codeSource();
        return Files.isRegularFile(source) ? source : null;
    }

    private static Path codeSource() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the lab's own classes", e);
        }
    }
}
