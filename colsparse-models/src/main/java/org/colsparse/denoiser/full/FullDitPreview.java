package org.colsparse.denoiser.full;

import org.colsparse.denoiser.Samples;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * DiT samples as a person can look at them without the SD VAE: one row per sample, one grey
 * picture per latent channel, labeled as latents. DiT works on {@code vae.encode(x) * 0.18215},
 * which is roughly unit-variance, so a fixed window of [-3, 3] keeps samples comparable.
 */
final class FullDitPreview {
    private static final float LO = -3f;
    private static final float HI = 3f;
    private static final int HEADER = 22;
    private static final int LABEL = 70;
    private static final int PAD = 4;

    private FullDitPreview() {
    }

    /** @param samples (n, c, h, w) latents; labels the class of each sample */
    static Path write(Samples samples, int[] labels, Path dir) {
        long[] s = samples.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int scale = Math.max(1, 128 / Math.max(h, w));
        float[] v = samples.values();
        int cell = w * scale + PAD;
        BufferedImage img = new BufferedImage(LABEL + c * cell + PAD, HEADER + n * (h * scale + PAD) + PAD, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("DiT latents (not decoded: no VAE), channels 0.." + (c - 1) + ", grey = [" + LO + ", " + HI + "]", PAD, 15);
        for (int i = 0; i < n; i++) {
            int oy = HEADER + i * (h * scale + PAD);
            g.setColor(Color.BLACK);
            g.drawString("class " + labels[i], PAD, oy + h * scale / 2);
            for (int ch = 0; ch < c; ch++) {
                int ox = LABEL + ch * cell;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float a = (v[((i * c + ch) * h + y) * w + x] - LO) / (HI - LO);
                        int grey = Math.round(255 * Math.max(0, Math.min(1, a)));
                        g.setColor(new Color(grey, grey, grey));
                        g.fillRect(ox + x * scale, oy + y * scale, scale, scale);
                    }
                }
            }
        }
        g.dispose();
        Path file = dir.resolve("latents.png");
        try {
            Path tmp = dir.resolve(".latents.png.tmp");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
