package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression test for the AVX-512 convolution bug of PyTorch 2.7.1's oneDNN 3.7.1 (docs/avx512.md):
 * {@code Conv2d.conv2d} returned 10-60 % wrong outputs, sometimes NaN, whenever a kernel larger than
 * 1x1 read more than 16 input channels that are not a multiple of 16 (e.g. a UNet's 8 + 16 = 24
 * channel skip concatenation). {@link Nn#conv2d} must equal a double-precision convolution on every
 * CPU; before the fix this test failed on AVX-512 machines for every channel count in 17-31 and 33-47.
 */
class ConvolutionIsaTest {
    @Test
    void convolutionMatchesADoubleReferenceAcrossChannelTails() {
        Random r = new Random(7);
        List<String> bad = new ArrayList<>();
        try (NDManager m = Torch.manager()) {
            for (int in : new int[] {3, 8, 16, 17, 20, 24, 31, 32, 33, 40, 48}) {
                for (int k : new int[] {1, 3, 5}) {
                    for (int stride : new int[] {1, 2}) {
                        for (int batch : new int[] {1, 2}) {
                            double err = NativeSelfCheck.convolutionError(m, r, batch, in, 8, 6, k, stride);
                            if (!(err <= 1e-5)) {
                                bad.add("in=" + in + " k=" + k + " stride=" + stride + " batch=" + batch + " rel=" + err);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(bad.isEmpty(), "conv2d differs from the double reference: " + bad);
    }

    @Test
    void startUpSelfCheckPasses() {
        try (NDManager m = Torch.manager()) {
            NativeSelfCheck.verify(m);
        }
    }
}
