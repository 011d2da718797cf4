package org.colsparse.tensor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import static org.colsparse.tensor.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Files over 2 GiB are mapped as several chunks and elements may straddle two of them. Mapping a
 * small file with 8-byte chunks exercises exactly those paths: every float of the 3x4 tensor, at an
 * unaligned offset, must read the same as numpy printed.
 */
class ChunkedMappingTest {
    @Test
    void elementsStraddlingChunkBoundariesReadCorrectly() throws IOException {
        double[] expect = {0.14962400496006012, 1.3008683919906616, -1.3211774826049805, -1.1573512554168701,
            0.30873504281044006, 2.681206464767456, -1.0001912117004395, 0.15301159024238586,
            1.108686089515686, 0.019148074090480804, 0.1723305583000183, -0.9306097626686096};
        try (FileChannel ch = FileChannel.open(fixture("mixed.safetensors"), StandardOpenOption.READ)) {
            for (int shift = 2; shift <= 6; shift++) {
                ByteSource all = ByteSource.map(ch, ch.size(), shift);
                long headerLen = java.nio.ByteBuffer.wrap(all.bytes(0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
                // tensor "w" is first in the data section: 12 little-endian floats
                ByteSource w = all.slice(8 + headerLen, 48);
                DenseTensorData d = new DenseTensorData(new TensorInfo("w", DType.F32, new long[] {12}), () -> w,
                        ByteOrder.LITTLE_ENDIAN);
                double[] got = new double[12];
                d.readDoubles(0, got, 0, 12);
                assertArrayEquals(expect, got, 0.0, "chunk 2^" + shift);
                float[] f = new float[12];
                for (int first = 0; first < 12; first += 5) {
                    int n = Math.min(5, 12 - first);
                    d.readFloats(first, f, first, n);
                }
                for (int i = 0; i < 12; i++) {
                    got[i] = f[i];
                }
                assertArrayEquals(expect, got, 0.0, "chunk 2^" + shift);
            }
        }
    }
}
