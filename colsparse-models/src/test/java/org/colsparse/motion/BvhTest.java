package org.colsparse.motion;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BvhTest {
    static final Path CMU = Path.of("../data/cmu-mocap");

    @Test
    void parsesTheThreeCmuClips() {
        BvhClip c = Bvh.read(CMU.resolve("131_01.bvh"));
        assertEquals(994, c.frameCount());
        assertEquals(31, c.skeleton().jointCount());
        assertEquals(6 + 30 * 3, c.skeleton().channelCount());
        assertEquals(0.0083333, c.frameTime(), 0);
        assertEquals(120.0, c.nominalFps(), 0);
        Joint hips = c.skeleton().joints().get(0);
        assertEquals("Hips", hips.name());
        assertEquals(-1, hips.parent());
        assertEquals(List.of(Channel.XPOSITION, Channel.YPOSITION, Channel.ZPOSITION, Channel.ZROTATION, Channel.YROTATION, Channel.XROTATION), hips.channels());
        Joint knee = c.skeleton().joints().get(c.skeleton().indexOf("LeftKnee"));
        assertEquals("LeftHip", c.skeleton().joints().get(knee.parent()).name());
        assertArrayEquals(new double[] {2.49329, -6.85026, 0}, knee.offset(), 0);
        Joint toe = c.skeleton().joints().get(c.skeleton().indexOf("LeftToe"));
        assertArrayEquals(new double[] {0, -0.0, 1.13491}, toe.endSite(), 0);
        assertNull(knee.endSite());
        assertEquals(1247, Bvh.read(CMU.resolve("131_02.bvh")).frameCount());
        assertEquals(1102, Bvh.read(CMU.resolve("131_03.bvh")).frameCount());
    }

    private static String corrupt(String text, String from, String to) {
        assertTrue(text.contains(from), from);
        return text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    private static InputException failure(String text) {
        return assertThrows(InputException.class, () -> Bvh.parse("131_01.bvh", new BufferedReader(new StringReader(text))));
    }

    @Test
    void corruptFilesNameFileAndLine() throws IOException {
        String text = Files.readString(CMU.resolve("131_01.bvh"));
        String[] lines = text.split("\n", -1);
        // Line numbers below are 1-based positions in the real file (HIERARCHY is line 1, MOTION line 185).
        assertEquals("MOTION", lines[184].strip());

        InputException e = failure(corrupt(text, "OFFSET 2.49329 -6.85026", "OFFSET 2.49329 -6.8x026"));
        assertTrue(e.getMessage().startsWith("131_01.bvh:16: "), e.getMessage());
        assertTrue(e.getMessage().contains("-6.8x026"), e.getMessage());

        e = failure(corrupt(text, "CHANNELS 3 Zrotation Yrotation Xrotation", "CHANNELS 3 Zrotation Yrotation Wrotation"));
        assertTrue(e.getMessage().startsWith("131_01.bvh:9: unknown channel 'Wrotation'"), e.getMessage());

        e = failure(corrupt(text, "Frames: 994", "Frames: 995"));
        assertTrue(e.getMessage().contains("file ends after 994 frames"), e.getMessage());
        assertTrue(e.getMessage().startsWith("131_01.bvh:"), e.getMessage());

        e = failure(corrupt(text, "Frames: 994", "Frames: 993"));
        assertEquals("131_01.bvh:1181: more frame lines than 'Frames: 993'", e.getMessage());

        String[] cut = lines.clone();
        cut[188] = cut[188].substring(0, cut[188].lastIndexOf(' ')); // frame 1 (line 189) loses its last value
        e = failure(String.join("\n", cut));
        assertEquals("131_01.bvh:189: frame 1 has 95 values, the hierarchy has 96 channels", e.getMessage());

        cut = lines.clone();
        cut[200] = cut[200].replaceFirst("\\S+", "NaN");
        e = failure(String.join("\n", cut));
        assertTrue(e.getMessage().startsWith("131_01.bvh:201: frame 13 value 0 is not finite"), e.getMessage());

        e = failure(text.substring(0, text.indexOf("MOTION") - 4)); // drops the last closing braces
        assertTrue(e.getMessage().startsWith("131_01.bvh:"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected end of file"), e.getMessage());

        e = failure(corrupt(text, "HIERARCHY", "HIERARCHIE"));
        assertEquals("131_01.bvh:1: expected 'HIERARCHY', found 'HIERARCHIE'", e.getMessage());
    }

    @Test
    void unreadableFileIsInputError() {
        InputException e = assertThrows(InputException.class, () -> Bvh.read(CMU.resolve("missing.bvh")));
        assertTrue(e.getMessage().contains("missing.bvh"));
    }
}
