package org.colsparse.denoiser.full;

import org.colsparse.denoiser.Samples;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
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
 * MLD samples as a person can look at them without the motion VAE: each sample's 256-value latent as
 * a curve over its dimensions, one panel per sample, labeled as latents.
 */
final class FullMldPreview {
    private static final int W = 640;
    private static final int H = 120;
    private static final int TOP = 22;

    private FullMldPreview() {
    }

    /** @param samples (n, 1, d) latents */
    static Path write(Samples samples, Path dir) {
        long[] s = samples.shape();
        int n = (int) s[0];
        int d = (int) (s[1] * s[2]);
        float[] v = samples.values();
        float max = 1e-6f;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        BufferedImage img = new BufferedImage(W, TOP + n * H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString("MLD motion latents (not decoded: no VAE), " + d + " values per sample, y in [" + -max + ", " + max + "]", 4, 15);
        for (int i = 0; i < n; i++) {
            int oy = TOP + i * H;
            int mid = oy + H / 2;
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(0, mid, W, mid);
            g.drawRect(0, oy, W - 1, H - 1);
            g.setColor(Color.BLUE);
            g.setStroke(new BasicStroke(1f));
            int px = 0;
            int py = mid;
            for (int j = 0; j < d; j++) {
                int x = Math.round((float) j / Math.max(1, d - 1) * (W - 1));
                int y = Math.round(mid - v[i * d + j] / max * (H / 2f - 4));
                if (j > 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.setColor(Color.BLACK);
            g.drawString("sample " + i, 4, oy + 14);
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
