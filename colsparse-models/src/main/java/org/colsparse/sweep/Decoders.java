package org.colsparse.sweep;

import org.colsparse.denoiser.DdpmMnistWorkload;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;

import java.util.Arrays;

/**
 * Picks the decoder for a loaded workload: its own ({@link DecodesOutput}) when it has one, else a
 * built-in adapter. Images and video frames are compared as the picture a person sees: mapped to
 * {@code [0, 1]} and clipped there, data range 1.
 * <ul>
 *   <li>{@code ddpm-mnist}: its author trained on pixels in [0, 1] shifted by -0.5, so {@code x + 0.5}.</li>
 *   <li>other {@code image} workloads: (N, C, H, W) trained in [-1, 1] (the tiny models' convention), so {@code (x + 1) / 2}.</li>
 *   <li>other {@code video} workloads: (N, C, F, H, W) as AnimateDiff's UNet lays a clip out, [-1, 1].</li>
 *   <li>{@code audio}, {@code motion}, {@code dance}: de-normalization and forward kinematics need the
 *       workload's statistics and skeleton, so only a workload implementing {@link DecodesOutput}
 *       gets mel or joint metrics; otherwise {@link ModalOutput.Raw} (relative L2 only).</li>
 * </ul>
 */
public final class Decoders {
    private Decoders() {
    }

    public static OutputDecoder of(LoadedWorkload model) {
        if (model instanceof DecodesOutput d) {
            return d.outputDecoder();
        }
        if (DdpmMnistWorkload.ID.equals(model.info().id())) {
            return s -> image(s, 0.5, 1.0);
        }
        return switch (model.info().modality()) {
            case "image" -> s -> image(s, 1.0, 0.5);
            case "video" -> Decoders::videoChannelsFirst;
            default -> s -> new ModalOutput.Raw();
        };
    }

    /** (N, C, H, W) with pixel value {@code (x + offset) * scale} clipped to [0, 1]. */
    static ModalOutput.Image image(Samples s, double offset, double scale) {
        long[] shape = s.shape();
        if (shape.length != 4) {
            throw new IllegalStateException("image output should be (N, C, H, W), got " + Arrays.toString(shape));
        }
        float[] v = s.values();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = unit((v[i] + offset) * scale);
        }
        return new ModalOutput.Image(out, (int) (shape[0] * shape[1]), (int) shape[2], (int) shape[3], 1.0);
    }

    /** (N, C, F, H, W) in [-1, 1] to (clip, frame, channel, row, column) in [0, 1]. */
    static ModalOutput.Video videoChannelsFirst(Samples s) {
        long[] shape = s.shape();
        if (shape.length != 5) {
            throw new IllegalStateException("video output should be (N, C, F, H, W), got " + Arrays.toString(shape));
        }
        int n = (int) shape[0], c = (int) shape[1], f = (int) shape[2], h = (int) shape[3], w = (int) shape[4];
        float[] v = s.values();
        double[] out = new double[v.length];
        int plane = h * w;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int fr = 0; fr < f; fr++) {
                    int from = (((b * c + ch) * f) + fr) * plane;
                    int to = (((b * f + fr) * c) + ch) * plane;
                    for (int i = 0; i < plane; i++) {
                        out[to + i] = unit((v[from + i] + 1.0) * 0.5);
                    }
                }
            }
        }
        return new ModalOutput.Video(out, n, f, c, h, w, 1.0);
    }

    private static double unit(double x) {
        return Math.min(1.0, Math.max(0.0, x));
    }
}
