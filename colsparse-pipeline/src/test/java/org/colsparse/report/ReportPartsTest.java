package org.colsparse.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ReportPartsTest {
    @TempDir
    Path tmp;

    @Test
    void chartsAreDecodablePngsOfTheRequestedSize() throws Exception {
        Charts.Panel p = new Charts.Panel("t", "y", List.of("a", "b"), Map.of("s", List.of(1.0, 2.0)), false);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Charts.panels(List.of(p, p, p), 2, 300, 200)));
        assertEquals(600, img.getWidth(), "two panels a row");
        assertEquals(400, img.getHeight(), "three panels take two rows");
        byte[] heat = Charts.heatMap("h", "x", "y", "scale", new double[][] {{0, 1}, {1, 0}});
        assertNotNull(ImageIO.read(new ByteArrayInputStream(heat)));
        byte[] lines = Charts.lines("l", "x", "y", true, Map.of("s", new double[][] {{0.001, 0.01}, {0.2, 0.3}}));
        assertNotNull(ImageIO.read(new ByteArrayInputStream(lines)));
    }

    @Test
    void htmlEscapesTextAndEmbedsFigures() {
        String html = new HtmlReport("a<b").paragraph("x & y").figure("f.png", new byte[] {1, 2, 3}, "cap").render();
        assertTrue(html.contains("<title>a&lt;b</title>"));
        assertTrue(html.contains("x &amp; y"));
        assertTrue(html.contains("data:image/png;base64,AQID"));
    }

    @Test
    void targetAppearsOnlyOnCommitAndReplacesTheOldOne() throws Exception {
        Path target = tmp.resolve("out");
        try (AtomicOutput first = AtomicOutput.open(target, "run", false, List.of())) {
            first.write("old.txt", "old");
            first.commit();
        }
        AtomicOutput out = AtomicOutput.open(target, "run", false, List.of());
        out.write("report.html", "new");
        assertTrue(Files.exists(target.resolve("old.txt")), "old output stays until commit");
        assertFalse(Files.exists(target.resolve("report.html")));
        out.commit();
        assertEquals("new", Files.readString(target.resolve("report.html")));
        assertFalse(Files.exists(target.resolve("old.txt")));
        assertFalse(Files.exists(tmp.resolve("out.partial")));
    }

    @Test
    void resumeKeepsFinishedStagesAndAFreshRunClearsThem() throws Exception {
        Path target = tmp.resolve("out");
        try (AtomicOutput a = AtomicOutput.open(target, "run", false, List.of())) {
            a.write("stages/profile.json", "{}");
        }
        try (AtomicOutput resumed = AtomicOutput.open(target, "run", true, List.of())) {
            assertTrue(Files.exists(resumed.dir().resolve("stages/profile.json")));
        }
        try (AtomicOutput fresh = AtomicOutput.open(target, "run", false, List.of())) {
            assertFalse(Files.exists(fresh.dir().resolve("stages/profile.json")));
        }
    }
}
