package org.colsparse.sparsity;

/**
 * Which elements of one site's output in one denoiser call are near zero ({@code |a| <= tau}),
 * one bit per element of the M x K channel-last view, rows packed as {@code numpy.packbits} does
 * along the last axis (first channel in the high bit; {@code ceil(K/8)} bytes per row). This is the
 * recorded mask every skipping rule (os columns, ws channel slices, is token tiles) is replayed from.
 */
public record NearZeroMask(int rows, int channels, byte[] packed) {
    public NearZeroMask {
        if ((long) rows * rowBytes(channels) != packed.length) {
            throw new IllegalArgumentException("mask of " + rows + "x" + channels + " needs " + (long) rows * rowBytes(channels)
                    + " bytes, got " + packed.length);
        }
    }

    public static int rowBytes(int channels) {
        return (channels + 7) >>> 3;
    }

    /** The mask of a channel-last call output ({@code rows x channels} floats) at threshold {@code tau}. */
    public static NearZeroMask of(float[] data, int rows, int channels, double tau) {
        float t = largestFloatNotAbove(tau);
        int rb = rowBytes(channels);
        byte[] p = new byte[rows * rb];
        for (int r = 0; r < rows; r++) {
            int base = r * channels;
            for (int c = 0; c < channels; c++) {
                float a = data[base + c];
                if (Float.isNaN(a) || Float.isInfinite(a)) {
                    throw new IllegalArgumentException("non-finite activation at row " + r + ", channel " + c);
                }
                if (Math.abs(a) <= t) {
                    p[r * rb + (c >>> 3)] |= (byte) (0x80 >>> (c & 7));
                }
            }
        }
        return new NearZeroMask(rows, channels, p);
    }

    public boolean nearZero(int row, int channel) {
        return (packed[row * rowBytes(channels) + (channel >>> 3)] & (0x80 >>> (channel & 7))) != 0;
    }

    /** Zero columns (channels near zero in every row of a tile) over tiles of {@code tileRows} rows. */
    public long zeroColumns(int tileRows) {
        long zero = 0;
        for (int start = 0; start < rows; start += tileRows) {
            int end = Math.min(rows, start + tileRows);
            for (int c = 0; c < channels; c++) {
                boolean all = true;
                for (int r = start; r < end && all; r++) {
                    all = nearZero(r, c);
                }
                if (all) {
                    zero++;
                }
            }
        }
        return zero;
    }

    /** |a| <= tau for a float a exactly when |a| <= the largest float not above tau (docs/definitions.md). */
    public static float largestFloatNotAbove(double tau) {
        float f = (float) tau;
        return f > tau ? Math.nextDown(f) : f;
    }
}
