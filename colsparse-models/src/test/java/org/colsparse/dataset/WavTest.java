package org.colsparse.dataset;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class WavTest {
    /** A WAV with the given fmt fields and raw data bytes. */
    static byte[] wav(int format, int channels, int rate, int bits, byte[] data, boolean extensible) {
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtSize + 8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(fmtSize).putShort((short) (extensible ? 0xFFFE : format)).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) bits).putInt(3).putShort((short) format);
            b.put(new byte[14]);
        }
        b.put("data".getBytes()).putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] le(int bytesPer, long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * bytesPer).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            for (int i = 0; i < bytesPer; i++) b.put((byte) (x >> (8 * i)));
        }
        return b.array();
    }

    @Test
    void integerFormatsStereoToMono() {
        // 16-bit stereo frames (16384, -16384) and (32767, 32767): mean of the two channels.
        Audio a = Wav.parse("s16", wav(1, 2, 8000, 16, le(2, 16384, -16384, 32767, 32767), false));
        assertEquals(8000, a.sampleRate());
        assertArrayEquals(new float[] {0f, 32767 / 32768f}, a.samples());
        Audio b = Wav.parse("s24", wav(1, 1, 44100, 24, le(3, -4194304, 4194304), false));
        assertArrayEquals(new float[] {-0.5f, 0.5f}, b.samples());
        Audio c = Wav.parse("s32", wav(1, 1, 48000, 32, le(4, Integer.MIN_VALUE, 1L << 29), true));
        assertArrayEquals(new float[] {-1f, 0.25f}, c.samples());
        Audio d = Wav.parse("u8", wav(1, 1, 8000, 8, new byte[] {(byte) 128, (byte) 192, 0}, false));
        assertArrayEquals(new float[] {0f, 0.5f, -1f}, d.samples());
    }

    @Test
    void floatFormats() {
        ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-0.75f);
        assertArrayEquals(new float[] {-0.25f}, Wav.parse("f32", wav(3, 2, 16000, 32, f.array(), false)).samples());
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.125);
        assertArrayEquals(new float[] {0.125f}, Wav.parse("f64", wav(3, 1, 16000, 64, d.array(), true)).samples());
    }

    @Test
    void badFiles() {
        InputException e = assertThrows(InputException.class, () -> Wav.parse("x.wav", new byte[] {1, 2, 3}));
        assertEquals("x.wav: not a RIFF/WAVE file", e.getMessage());
        e = assertThrows(InputException.class, () -> Wav.parse("a.wav", wav(2, 1, 8000, 16, new byte[2], false)));
        assertTrue(e.getMessage().startsWith("a.wav: unsupported sample format 2"), e.getMessage());
        byte[] cut = wav(1, 1, 8000, 16, new byte[100], false);
        e = assertThrows(InputException.class, () -> Wav.parse("c.wav", java.util.Arrays.copyOf(cut, cut.length - 10)));
        assertEquals("c.wav: data chunk is truncated: 90 of 100 bytes", e.getMessage());
    }

    /**
     * Files written by external tools (Python's wave module: 24-bit stereo; SciPy wavfile: float32
     * stereo with a fact chunk, int32 mono); expected values computed with NumPy from the same
     * samples: a 1/16-rate sine at 0.5 left, a 1/8-rate cosine at 0.25 right, 64 frames.
     */
    @Test
    void filesFromOtherWriters() throws Exception {
        Object[][] cases = {
                {"stereo24.wav", 44100, 11.054679870605469, 0.14258158206939697},
                {"stereo-f32.wav", 16000, 11.054678797721863, 0.1425815299153328},
                {"mono-s32.wav", 8000, 20.109357967972755, 0.4619397660717368},
        };
        for (Object[] c : cases) {
            Audio a = Wav.read(Path.of(WavTest.class.getResource("/dataset/" + c[0]).toURI()));
            assertEquals(c[1], a.sampleRate(), (String) c[0]);
            assertEquals(64, a.samples().length, (String) c[0]);
            double abs = 0;
            for (float v : a.samples()) abs += Math.abs(v);
            assertEquals((double) c[2], abs, 1e-5, (String) c[0]);
            assertEquals((double) c[3], a.samples()[5], 1e-7, (String) c[0]);
        }
    }

    @Test
    void shippedSpeechClip() {
        // Reference values read with Python's wave module and NumPy from the same file.
        Audio a = Wav.read(Path.of("../data/speech/espeak-en-us-01.wav"));
        assertEquals(22050, a.sampleRate());
        assertEquals(64133, a.samples().length);
        assertEquals(0.002593994140625, a.samples()[10000], 0);
        double sum = 0;
        for (float v : a.samples()) sum += v;
        assertEquals(83.0560302734375, sum, 1e-9);
    }

    @Test
    void speechCorpusFindsShippedClips() {
        java.util.List<Path> wavs = SpeechCorpus.wavs(Path.of("../data/speech"));
        assertEquals(8, wavs.size());
        assertTrue(wavs.get(0).getFileName().toString().equals("espeak-en-us-01.wav"));
    }
}
