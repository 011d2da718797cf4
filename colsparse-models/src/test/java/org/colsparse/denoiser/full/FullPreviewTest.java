package org.colsparse.denoiser.full;

import org.colsparse.denoiser.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullPreviewTest {
    @Test
    void channelPicturesUseTheFixedGreyWindow(@TempDir Path dir) throws Exception {
        // one sample, 2 channels of 2x2: channel 0 at the window's bottom, channel 1 at its middle
        float[] v = {-5, -3, -3, -3, 0, 0, 0, 0};
        Path png = FullPreview.latentChannels(new Samples(v, new long[] {1, 2, 2, 2}), "Test latents", new String[] {"a"}, -3f, 3f, dir);
        assertEquals(dir.resolve("latents.png"), png);
        BufferedImage img = ImageIO.read(png.toFile());
        // 2x2 pictures scaled to 128x128: 70 label + 2 x (128 + 4) + 4 wide, 22 title + 128 + 4 + 4 high
        assertEquals(70 + 2 * 132 + 4, img.getWidth());
        assertEquals(22 + 132 + 4, img.getHeight());
        assertEquals(0x000000, img.getRGB(70 + 10, 22 + 10) & 0xffffff, "-5 clips to black");
        assertEquals(0x808080, img.getRGB(70 + 132 + 10, 22 + 10) & 0xffffff, "0 is mid grey: round(255 / 2) = 128");
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void curvesShareOneSymmetricScale(@TempDir Path dir) throws Exception {
        // sample 1 peaks at 2, so sample 0's 1 reaches half the panel's half height
        float[] v = {0, 1, 0, 0, 2, 0};
        BufferedImage img = ImageIO.read(FullPreview.latentCurves(new Samples(v, new long[] {2, 1, 3}), "Test latents", dir).toFile());
        assertEquals(640, img.getWidth());
        assertEquals(22 + 2 * 120, img.getHeight());
        // the peak of sample 0 at x = 320: mid 82, minus 1/2 x (60 - 4) = 54
        assertEquals(0x0000ff, img.getRGB(320, 82 - 28) & 0xffffff);
        // sample 1's peak at its panel's mid 202 minus 56
        assertEquals(0x0000ff, img.getRGB(320, 202 - 56) & 0xffffff);
    }

    @Test
    void featureCurvesPlotTheChosenChannelOverTheFrames(@TempDir Path dir) throws Exception {
        // 2 frames x 2 features: feature 0 falls from 9 to -9, feature 1 stays at 2; only feature 1 is plotted
        float[] v = {9, 2, -9, 2};
        Path png = FullPreview.featureCurves(new Samples(v, new long[] {1, 2, 2}), new int[] {1}, new String[] {"flat"}, "Test features", dir);
        assertEquals(dir.resolve("samples.png"), png);
        BufferedImage img = ImageIO.read(png.toFile());
        // 150 label + 720 plot + 10 wide; 24 title + one panel of 24 + one 46-pixel band high
        assertEquals(880, img.getWidth());
        assertEquals(24 + 24 + 46, img.getHeight());
        // a flat channel sits at its band's bottom: band top 24 + 24 = 48, plus 46 - 8 = 86
        int line = img.getRGB(510, 86);
        assertTrue((line & 0xff) > ((line >> 16) & 0xff) + 50, "blue curve at the band's bottom: " + Integer.toHexString(line));
        // feature 0 would cross the band's middle (69) at x = 150 + 360: nothing drawn there
        assertEquals(0xffffff, img.getRGB(510, 69) & 0xffffff);
    }
}
