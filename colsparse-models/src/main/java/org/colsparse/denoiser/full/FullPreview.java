package org.colsparse.denoiser.full;

import org.colsparse.denoiser.Samples;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Samples of a full workload as a person can look at them without what the checkpoint does not
 * ship (a VAE, a vocoder, dataset statistics): a titled PNG whose title says what the values are, so
 * no one takes latents for the model's decoded output.
 */
final class FullPreview {
    private static final String LATENTS = "latents.png";
    /** The preview of decoded-format samples (motion features), as the tiny workloads name theirs. */
    static final String SAMPLES = "samples.png";
    private static final int TITLE = 22;
    private static final int PAD = 4;
    /** Room for a row's label left of the channel pictures. */
    private static final int LABEL = 70;
    private static final int CURVE_W = 640;
    private static final int CURVE_H = 120;

    private FullPreview() {
    }

    /**
     * One row per sample, one grey picture per latent channel over a fixed window, so that samples
     * and runs stay comparable (a per-image stretch would hide a collapsed sample).
     *
     * @param samples   (n, c, h, w) latents
     * @param model     who made them, for the title ("DiT latents")
     * @param rowLabels one label per sample (e.g. its class)
     */
    static Path latentChannels(Samples samples, String model, String[] rowLabels, float lo, float hi, Path dir) {
        long[] s = samples.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int scale = Math.max(1, 128 / Math.max(h, w));
        float[] v = samples.values();
        int cell = w * scale + PAD;
        BufferedImage img = new BufferedImage(LABEL + c * cell + PAD, TITLE + n * (h * scale + PAD) + PAD, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = titled(img, model + " (not decoded: no VAE), channels 0.." + (c - 1) + ", grey = [" + lo + ", " + hi + "]");
        try {
            for (int i = 0; i < n; i++) {
                int oy = TITLE + i * (h * scale + PAD);
                g.setColor(Color.BLACK);
                g.drawString(rowLabels[i], PAD, oy + h * scale / 2);
                for (int ch = 0; ch < c; ch++) {
                    int ox = LABEL + ch * cell;
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            float a = (v[((i * c + ch) * h + y) * w + x] - lo) / (hi - lo);
                            int grey = Math.round(255 * Math.max(0, Math.min(1, a)));
                            g.setColor(new Color(grey, grey, grey));
                            g.fillRect(ox + x * scale, oy + y * scale, scale, scale);
                        }
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return save(img, dir.resolve(LATENTS));
    }

    /**
     * One panel per sample: its latent vector as a curve over the dimensions, all panels on one
     * symmetric scale (the largest |value|), for latents that have no spatial layout to draw.
     *
     * @param samples (n, ...) latents, each sample flattened
     * @param model   who made them, for the title ("MLD motion latents")
     */
    static Path latentCurves(Samples samples, String model, Path dir) {
        long[] s = samples.shape();
        int n = (int) s[0];
        int d = Math.toIntExact(samples.values().length / Math.max(1, n));
        float[] v = samples.values();
        float max = 1e-6f;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        BufferedImage img = new BufferedImage(CURVE_W, TITLE + n * CURVE_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = titled(img, model + " (not decoded: no VAE), " + d + " values per sample, y in [" + -max + ", " + max + "]");
        try {
            for (int i = 0; i < n; i++) {
                int oy = TITLE + i * CURVE_H;
                int mid = oy + CURVE_H / 2;
                g.setColor(Color.LIGHT_GRAY);
                g.drawLine(0, mid, CURVE_W, mid);
                g.drawRect(0, oy, CURVE_W - 1, CURVE_H - 1);
                g.setColor(Color.BLUE);
                g.setStroke(new BasicStroke(1f));
                int px = 0;
                int py = mid;
                for (int j = 0; j < d; j++) {
                    int x = Math.round((float) j / Math.max(1, d - 1) * (CURVE_W - 1));
                    int y = Math.round(mid - v[i * d + j] / max * (CURVE_H / 2f - 4));
                    if (j > 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
                g.setColor(Color.BLACK);
                g.drawString("sample " + i, 4, oy + 14);
            }
        } finally {
            g.dispose();
        }
        return save(img, dir.resolve(LATENTS));
    }

    /**
     * One panel per sample: the chosen feature channels over the frames, each on its own band
     * stretched to that channel's range in that sample (printed beside it). For motion features that
     * cannot become a skeleton without statistics the checkpoint does not hold.
     *
     * @param samples  (n, frames, features)
     * @param channels the feature indices to plot, one band each
     * @param labels   one label per channel
     * @param title    what the values are
     */
    static Path featureCurves(Samples samples, int[] channels, String[] labels, String title, Path dir) {
        long[] s = samples.shape();
        int n = (int) s[0];
        int frames = (int) s[1];
        int features = (int) s[2];
        float[] values = samples.values();
        int bandH = 46;
        int plotW = 720;
        int labelW = 150;
        int head = 24;
        int panelH = head + channels.length * bandH;
        BufferedImage img = new BufferedImage(labelW + plotW + 10, head + n * panelH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = titled(img, title);
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            for (int i = 0; i < n; i++) {
                int top = head + i * panelH;
                g.setColor(Color.DARK_GRAY);
                g.drawString("sample " + i + " (" + frames + " frames)", 6, top + 16);
                for (int c = 0; c < channels.length; c++) {
                    int y0 = top + head + c * bandH;
                    float lo = Float.POSITIVE_INFINITY;
                    float hi = Float.NEGATIVE_INFINITY;
                    for (int f = 0; f < frames; f++) {
                        float v = values[(i * frames + f) * features + channels[c]];
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                    float span = hi - lo > 1e-6f ? hi - lo : 1;
                    g.setColor(new Color(235, 235, 235));
                    g.drawRect(labelW, y0, plotW, bandH - 6);
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(labels[c], 6, y0 + 14);
                    g.drawString(String.format("[%.2f, %.2f]", lo, hi), 6, y0 + 30);
                    g.setColor(new Color(40, 80, 180));
                    g.setStroke(new BasicStroke(1.5f));
                    for (int f = 1; f < frames; f++) {
                        float a = values[(i * frames + f - 1) * features + channels[c]];
                        float b = values[(i * frames + f) * features + channels[c]];
                        int x1 = labelW + (f - 1) * plotW / Math.max(1, frames - 1);
                        int x2 = labelW + f * plotW / Math.max(1, frames - 1);
                        g.drawLine(x1, y0 + bandH - 8 - (int) ((a - lo) / span * (bandH - 12)),
                                x2, y0 + bandH - 8 - (int) ((b - lo) / span * (bandH - 12)));
                    }
                    g.setStroke(new BasicStroke(1f));
                }
            }
        } finally {
            g.dispose();
        }
        return save(img, dir.resolve(SAMPLES));
    }

    /** A white picture with the title on top, ready to draw on. */
    private static Graphics2D titled(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(title, PAD, 15);
        return g;
    }

    /** Written beside and then moved, so a viewer open on the old preview never reads half a PNG. */
    private static Path save(BufferedImage img, Path file) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
