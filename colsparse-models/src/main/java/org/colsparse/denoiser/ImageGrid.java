package org.colsparse.denoiser;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a batch of single-channel images as one PNG grid, so a person can see what was sampled. */
public final class ImageGrid {
    private ImageGrid() {
    }

    /**
     * @param pixels   (n, h, w) row-major, values in [lo, hi] (clipped), lo shown black
     * @param scale    pixel magnification
     */
    public static void write(Path file, float[] pixels, int n, int h, int w, float lo, float hi, int scale) {
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int pad = 2;
        int cw = w * scale + pad;
        int ch = h * scale + pad;
        BufferedImage img = new BufferedImage(cols * cw + pad, rows * ch + pad, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < n; i++) {
            int ox = pad + (i % cols) * cw;
            int oy = pad + (i / cols) * ch;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = (pixels[(i * h + y) * w + x] - lo) / (hi - lo);
                    int g = Math.round(255 * Math.max(0, Math.min(1, v)));
                    int rgb = g << 16 | g << 8 | g;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(ox + x * scale + dx, oy + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".grid", ".png");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
