package org.colsparse.layout;

import java.util.Arrays;

/**
 * The distinct burst-aligned addresses covering a set of byte ranges, in ascending address order —
 * the order a DMA engine walks a tile. Each burst is requested once however many ranges touch it.
 */
public final class Bursts implements RangeSink {
    private final int burstBytes;
    private long[] bursts = new long[256];
    private int size;

    public Bursts(int burstBytes) {
        if (Integer.bitCount(burstBytes) != 1) {
            throw new IllegalArgumentException("burst size must be a power of two: " + burstBytes);
        }
        this.burstBytes = burstBytes;
    }

    @Override
    public void range(long start, long length) {
        if (length <= 0) {
            return;
        }
        long first = Math.floorDiv(start, burstBytes);
        long last = Math.floorDiv(start + length - 1, burstBytes);
        for (long b = first; b <= last; b++) {
            // consecutive ranges of one row or column usually continue the previous burst
            if (size > 0 && bursts[size - 1] == b) {
                continue;
            }
            if (size == bursts.length) {
                bursts = Arrays.copyOf(bursts, bursts.length * 2);
            }
            bursts[size++] = b;
        }
    }

    /** Sorted, deduplicated burst addresses (bytes); the collector is emptied. */
    public long[] drain() {
        long[] out = Arrays.copyOf(bursts, size);
        size = 0;
        Arrays.sort(out);
        int n = 0;
        for (int i = 0; i < out.length; i++) {
            if (n == 0 || out[n - 1] != out[i]) {
                out[n++] = out[i];
            }
        }
        long[] res = Arrays.copyOf(out, n);
        for (int i = 0; i < n; i++) {
            res[i] *= burstBytes;
        }
        return res;
    }

    /** Convenience: the bursts a layout reads for one tile. */
    public static long[] of(ActivationLayout layout, java.util.BitSet rows, java.util.BitSet cols, int burstBytes) {
        Bursts b = new Bursts(burstBytes);
        layout.ranges(rows, cols, b);
        return b.drain();
    }
}
