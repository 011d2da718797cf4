package org.colsparse.dataset;

import org.colsparse.util.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The 1,797 8x8 handwritten digits (UCI optical digits test set as shipped in scikit-learn,
 * {@code digits.csv.gz}): one line per image, 64 pixel counts in {@code 0..16} then the label.
 */
public final class Digits {
    public static final String FILE = "digits/digits.csv.gz";

    private Digits() {
    }

    public static ImageSet load() {
        return load(DataRoot.locate().resolve(FILE));
    }

    public static ImageSet load(Path file) {
        var pixels = new java.io.ByteArrayOutputStream();
        var labels = new java.io.ByteArrayOutputStream();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                if (f.length != 65) throw new InputException(file + ":" + lineNo + ": expected 65 values (64 pixels + label), found " + f.length);
                for (int i = 0; i < 65; i++) {
                    int v = parse(file, lineNo, f[i]);
                    if (v < 0 || v > (i < 64 ? 16 : 9)) {
                        throw new InputException(file + ":" + lineNo + ": value " + v + " out of range for " + (i < 64 ? "a pixel (0..16)" : "a label (0..9)"));
                    }
                    (i < 64 ? pixels : labels).write(v);
                }
            }
        } catch (IOException e) {
            throw new InputException(file + ": cannot read digits CSV: " + e.getMessage(), e);
        }
        return new ImageSet("digits", 8, 8, 16, pixels.toByteArray(), labels.toByteArray());
    }

    private static int parse(Path file, int line, String s) {
        String t = s.strip();
        try {
            // sklearn writes integral floats in some versions ("5.0")
            double d = Double.parseDouble(t);
            if (d != Math.rint(d)) throw new NumberFormatException();
            return (int) d;
        } catch (NumberFormatException e) {
            throw new InputException(file + ":" + line + ": not an integer: '" + t + "'");
        }
    }
}
