package io.jselect.lab.experiments;

import io.jselect.JSelect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line saying where a result came from, for the charts and the printed tables. */
public final class Machine {
    private Machine() {
    }

    /** E.g. {@code 2 x AMD EPYC 7B13, Linux 6.18.44, JDK 17.0.15, jselect JNI backend}. */
    public static String describe() {
        return Runtime.getRuntime().availableProcessors() + " x " + cpuModel() + ", Linux " + System.getProperty("os.version")
                + ", JDK " + System.getProperty("java.version") + ", jselect " + JSelect.backend().toUpperCase() + " backend";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
        return "unknown CPU";
    }
}
