package org.colsparse.sweep;

import org.colsparse.dataset.MelSegments;
import org.colsparse.denoiser.Samples;
import org.colsparse.motion.FeatureNormalizer;
import org.colsparse.motion.MotionClip;
import org.colsparse.motion.MotionFeatures;
import org.colsparse.workload.Modality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The decoders a workload's {@link org.colsparse.denoiser.LoadedWorkload#decoding()} is made of: the built-in adapter of
 * its modality, or pieces of its own (ddpm-mnist's pictures in [0, 1] - 0.5, vit-mnist's in [0, 1],
 * mel and motion decoding). Images and video frames are compared as the picture a person sees:
 * mapped to {@code [0, 1]} and clipped there, data range 1. The adapters by modality:
 * <ul>
 *   <li>{@code image} workloads: (N, C, H, W) trained in [-1, 1] (the tiny models' convention), so {@code (x + 1) / 2}.</li>
 *   <li>other {@code video} workloads: (N, C, F, H, W) as AnimateDiff's UNet lays a clip out, [-1, 1].</li>
 *   <li>{@code audio}, {@code motion}, {@code dance}: de-normalization and forward kinematics need the
 *       workload's statistics and skeleton, so only a workload with a decoder of its own
 *       gets mel or joint metrics; otherwise {@link ModalOutput.Raw} (relative L2 only). Such a
 *       workload's decoder is one call to {@link #mel} or one of the {@code motion} methods.</li>
 * </ul>
 */
public final class Decoders {
    private Decoders() {
    }

    /** What outputs say of a workload that decodes its own output. */
    public static final String OWN = "the workload's own decoder";

    /** The decoder picked for a workload and, for every output that says so, how it decodes. */
    public record Choice(String how, OutputDecoder decoder) {
    }

    /**
     * The built-in adapter of a modality, for a workload that brings no decoder of its own
     * ({@link org.colsparse.denoiser.LoadedWorkload#decoding()}).
     */
    public static Choice forModality(Modality modality) {
        return switch (modality) {
            case IMAGE -> new Choice("picture (x + 1) / 2 clipped to [0, 1] from (N, C, H, W) in [-1, 1]", s -> image(s, 1.0, 0.5));
            case VIDEO -> new Choice("frames (x + 1) / 2 clipped to [0, 1] from (N, C, F, H, W) or (N, F, H, W) in [-1, 1]", Decoders::videoChannelsFirst);
            default -> new Choice("none: " + modality.cliName() + " needs the workload's statistics (DecodesOutput); relative L2 only",
                    s -> new ModalOutput.Raw());
        };
    }

    /** (N, C, H, W) with pixel value {@code (x + offset) * scale} clipped to [0, 1]. */
    public static ModalOutput.Image image(Samples s, double offset, double scale) {
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

    /**
     * (N, C, F, H, W) in [-1, 1] to (clip, frame, channel, row, column) in [0, 1]; a 4-D output
     * (N, F, H, W) is a single-channel video (the tiny AnimateDiff's grey frames).
     */
    static ModalOutput.Video videoChannelsFirst(Samples s) {
        long[] shape = s.shape();
        if (shape.length == 4) {
            shape = new long[] {shape[0], 1, shape[1], shape[2], shape[3]};
        }
        if (shape.length != 5) {
            throw new IllegalStateException("video output should be (N, C, F, H, W) or (N, F, H, W), got " + Arrays.toString(shape));
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

    /**
     * A standardized log-mel output, {@code (N, frames, bands)} or {@code (N, 1, frames, bands)}
     * ({@code (..., bands, frames)} when {@code bandsFirst}), de-normalized with the training
     * statistics into natural-log mel values holding {@code ln(|X|^power)}.
     */
    public static ModalOutput.Mel mel(Samples s, MelSegments.Stats stats, double power, boolean bandsFirst) {
        long[] shape = s.shape();
        if (shape.length < 3 || shape.length > 4 || shape.length == 4 && shape[1] != 1) {
            throw new IllegalStateException("mel output should be (N, [1,] frames, bands), got " + Arrays.toString(shape));
        }
        int n = (int) shape[0];
        int a = (int) shape[shape.length - 2], b = (int) shape[shape.length - 1];
        int frames = bandsFirst ? b : a, bands = bandsFirst ? a : b;
        float[] v = stats.denormalize(s.values());
        double[] out = new double[v.length];
        int size = frames * bands;
        for (int c = 0; c < n; c++) {
            for (int f = 0; f < frames; f++) {
                for (int k = 0; k < bands; k++) {
                    out[c * size + f * bands + k] = v[c * size + (bandsFirst ? k * frames + f : f * bands + k)];
                }
            }
        }
        return new ModalOutput.Mel(out, n, frames, bands, power);
    }

    /**
     * Normalized {@link MotionFeatures} output, {@code (N, frames, D)} ({@code (N, D, frames)} or
     * MDM's {@code (N, D, 1, frames)} when {@code featuresFirst}), de-normalized and decoded into
     * joint positions in metres; {@code feet} name the joints whose sliding is foot skate.
     */
    public static ModalOutput.Motion motion(Samples s, FeatureNormalizer normalizer, String[] names, int[] parents, double fps,
                                            boolean featuresFirst, String... feet) {
        long[] shape = s.shape();
        int d = MotionFeatures.dimension(names.length);
        long perSample = 1;
        for (int i = 1; i < shape.length; i++) {
            perSample *= shape[i];
        }
        long featureAxis = featuresFirst ? shape[1] : shape[shape.length - 1];
        if (shape.length < 3 || featureAxis != d || perSample % d != 0) {
            throw new IllegalStateException("motion output should hold " + d + " features per frame, got " + Arrays.toString(shape));
        }
        int n = (int) shape[0], frames = (int) (perSample / d);
        float[] v = s.values();
        List<MotionClip> clips = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double[] f = new double[frames * d];
            for (int t = 0; t < frames; t++) {
                for (int k = 0; k < d; k++) {
                    f[t * d + k] = v[c * frames * d + (featuresFirst ? k * frames + t : t * d + k)];
                }
            }
            clips.add(MotionFeatures.decode(normalizer.denormalize(f), names, parents, fps));
        }
        return new ModalOutput.Motion(clips, feetIndices(clips.get(0), feet));
    }

    /**
     * Motion output {@code (N, ...)} decoded sample by sample with the workload's own decoder (e.g.
     * one that de-normalizes features and runs forward kinematics), clips in any unit that
     * {@link MotionClip#metresPerUnit()} states; {@code feet} name the joints whose sliding is foot skate.
     */
    public static ModalOutput.Motion motion(Samples s, Function<float[], MotionClip> decodeOne, String... feet) {
        int n = (int) s.shape()[0];
        float[] v = s.values();
        int per = v.length / n;
        List<MotionClip> clips = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            clips.add(decodeOne.apply(Arrays.copyOfRange(v, c * per, (c + 1) * per)));
        }
        return new ModalOutput.Motion(clips, feetIndices(clips.get(0), feet));
    }

    private static int[] feetIndices(MotionClip clip, String... feet) {
        int[] idx = new int[feet.length];
        for (int i = 0; i < feet.length; i++) {
            idx[i] = clip.indexOf(feet[i]);
            if (idx[i] < 0) {
                throw new IllegalArgumentException("no joint named " + feet[i]);
            }
        }
        return idx;
    }
}
