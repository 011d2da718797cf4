package org.colsparse.denoiser.tiny;

import org.colsparse.motion.MotionClip;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Draws motion samples as rows of stick figures (side view, x right, y up), one row per sample. */
public final class StickFigures {
    private StickFigures() {
    }

    public static void write(Path file, List<MotionClip> clips, int framesPerRow, List<String> labels) {
        int cell = 110;
        int labelW = 60;
        BufferedImage img = new BufferedImage(labelW + framesPerRow * cell, clips.size() * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        double scale = cell / 2.2; // pixels per metre: a 1.8 m figure fills most of a cell
        for (int r = 0; r < clips.size(); r++) {
            MotionClip c = clips.get(r);
            g.setColor(Color.DARK_GRAY);
            g.drawString(labels.get(r), 4, r * cell + cell / 2);
            int t = c.frameCount();
            // project on the direction the root travels, so a walk is seen from the side
            double dx = c.get(t - 1, 0, 0) - c.get(0, 0, 0);
            double dz = c.get(t - 1, 0, 2) - c.get(0, 0, 2);
            double len = Math.hypot(dx, dz);
            double ux = len > 0.05 ? dx / len : 1;
            double uz = len > 0.05 ? dz / len : 0;
            for (int k = 0; k < framesPerRow; k++) {
                int f = framesPerRow == 1 ? 0 : k * (t - 1) / (framesPerRow - 1);
                double cx = c.get(f, 0, 0) * ux + c.get(f, 0, 2) * uz;
                int ox = labelW + k * cell + cell / 2;
                int oy = r * cell + cell - 8;
                g.setColor(new Color(230, 230, 230));
                g.drawLine(labelW + k * cell + 4, oy, labelW + (k + 1) * cell - 4, oy);
                g.setStroke(new BasicStroke(2f));
                for (int j = 1; j < c.jointCount(); j++) {
                    int p = c.parents()[j];
                    if (p < 0) {
                        continue;
                    }
                    g.setColor(c.names()[j].startsWith("L") || c.names()[j].startsWith("l") ? new Color(200, 60, 60) : new Color(40, 80, 180));
                    double hp = c.get(f, p, 0) * ux + c.get(f, p, 2) * uz - cx;
                    double hj = c.get(f, j, 0) * ux + c.get(f, j, 2) * uz - cx;
                    g.drawLine(ox + (int) (hp * scale), oy - (int) (c.get(f, p, 1) * scale),
                            ox + (int) (hj * scale), oy - (int) (c.get(f, j, 1) * scale));
                }
                g.setStroke(new BasicStroke(1f));
                g.setColor(Color.GRAY);
                g.drawString("f" + f, labelW + k * cell + 4, r * cell + 12);
            }
        }
        g.dispose();
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".sticks", ".png");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
