package org.colsparse.dataset;

import org.colsparse.util.InputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reader for RIFF/WAVE files: integer PCM of 8 (unsigned), 16, 24 or 32 bits and IEEE float of
 * 32 or 64 bits, plain or WAVE_FORMAT_EXTENSIBLE, any channel count. Channels are averaged to
 * mono; integers are scaled so that full scale is [-1, 1) (divided by 2^(bits-1)).
 */
public final class Wav {
    private static final int PCM = 1, FLOAT = 3, EXTENSIBLE = 0xFFFE;

    private Wav() {
    }

    public static Audio read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read WAV file: " + e.getMessage(), e);
        }
        return parse(file.toString(), bytes);
    }

    public static Audio parse(String name, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE")) {
            throw new InputException(name + ": not a RIFF/WAVE file");
        }
        int format = -1, channels = 0, rate = 0, bits = 0, blockAlign = 0;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            long size = b.getInt(pos + 4) & 0xffffffffL;
            int body = pos + 8;
            if (tag(bytes, pos, "fmt ")) {
                if (size < 16 || body + size > bytes.length) throw new InputException(name + ": fmt chunk is truncated");
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                rate = b.getInt(body + 4);
                blockAlign = b.getShort(body + 12) & 0xffff;
                bits = b.getShort(body + 14) & 0xffff;
                if (format == EXTENSIBLE) {
                    if (size < 40) throw new InputException(name + ": WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes");
                    format = b.getShort(body + 24) & 0xffff; // first two bytes of the sub-format GUID
                }
            } else if (tag(bytes, pos, "data")) {
                if (format < 0) throw new InputException(name + ": data chunk comes before the fmt chunk");
                long available = bytes.length - body;
                if (size > available) {
                    // Streaming writers (e.g. to a pipe) cannot seek back and leave a placeholder size.
                    if (size < 0x7fff0000L) throw new InputException(name + ": data chunk is truncated: " + available + " of " + size + " bytes");
                    size = available;
                }
                return decode(name, b, body, (int) size, format, channels, rate, bits, blockAlign);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1)); // chunks are padded to even sizes
        }
        throw new InputException(name + ": no data chunk");
    }

    private static Audio decode(String name, ByteBuffer b, int start, int size, int format, int channels, int rate, int bits, int blockAlign) {
        if (channels <= 0) throw new InputException(name + ": channel count is " + channels);
        if (rate <= 0) throw new InputException(name + ": sample rate is " + rate);
        boolean ok = (format == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32))
                || (format == FLOAT && (bits == 32 || bits == 64));
        if (!ok) throw new InputException(name + ": unsupported sample format " + format + " with " + bits + " bits (PCM 8/16/24/32 or float 32/64)");
        int bytesPer = bits / 8;
        if (blockAlign != bytesPer * channels) throw new InputException(name + ": block align " + blockAlign + " does not match " + channels + " x " + bits + " bits");
        int frames = size / blockAlign;
        float[] out = new float[frames];
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                int p = start + f * blockAlign + c * bytesPer;
                sum += sample(b, p, format, bits);
            }
            out[f] = (float) (sum / channels);
        }
        return new Audio(rate, out);
    }

    private static double sample(ByteBuffer b, int p, int format, int bits) {
        if (format == FLOAT) return bits == 32 ? b.getFloat(p) : b.getDouble(p);
        return switch (bits) {
            case 8 -> ((b.get(p) & 0xff) - 128) / 128.0;
            case 16 -> b.getShort(p) / 32768.0;
            case 24 -> ((b.get(p) & 0xff) | ((b.get(p + 1) & 0xff) << 8) | (b.get(p + 2) << 16)) / 8388608.0;
            default -> b.getInt(p) / 2147483648.0;
        };
    }

    private static boolean tag(byte[] bytes, int pos, String tag) {
        for (int i = 0; i < 4; i++) {
            if (bytes[pos + i] != tag.charAt(i)) return false;
        }
        return true;
    }
}
