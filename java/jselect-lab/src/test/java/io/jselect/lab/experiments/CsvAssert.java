package io.jselect.lab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** What the experiments' smoke tests check of their output files. */
final class CsvAssert {
    private CsvAssert() {
    }

    /** The CSV's rows, split into fields, after checking its header is exactly {@code header}. */
    static List<String[]> rows(Path csv, String header) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertEquals(header, lines.get(0), "the header of " + csv);
        List<String[]> rows = new ArrayList<>();
        int columns = header.split(",").length;
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            assertEquals(columns, fields.length, "fields in '" + line + "'");
            rows.add(fields);
        }
        return rows;
    }

    /** The PNG decodes and is {@code width} x {@code height} pixels. */
    static void png(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode as an image");
        assertEquals(width, image.getWidth(), "width of " + png);
        assertEquals(height, image.getHeight(), "height of " + png);
    }
}
