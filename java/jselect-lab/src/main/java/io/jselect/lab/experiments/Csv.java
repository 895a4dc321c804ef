package io.jselect.lab.experiments;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a CSV file: a header line, then one line per row, numbers plain (a dot, no grouping, no exponent). */
final class Csv {
    private Csv() {
    }

    static void write(Path file, String header, List<List<Object>> rows) throws IOException {
        StringBuilder out = new StringBuilder(header).append('\n');
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Object v = row.get(i);
                if (v instanceof Double || v instanceof Float) {
                    double d = ((Number) v).doubleValue();
                    // Six significant digits, plain: 0.000210463 and 1052.43, never 2.1E-4.
                    out.append(Double.isNaN(d) || Double.isInfinite(d) ? ""
                            : new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString());
                } else {
                    out.append(v);
                }
            }
            out.append('\n');
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }
}
