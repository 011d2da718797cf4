package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.Samples;
import org.colsparse.motion.MotionClip;
import org.colsparse.sweep.Decoders;
import org.colsparse.sweep.OutputDecoder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What the motion workloads (mdm, mld, edge) share: the CMU clips at the workload's frame rate and
 * window, parsed once on first use, stick-figure previews, and the accuracy sweep's decoding to
 * joint positions. The default runs are conditioned on the two action labels in turn, as MDM and
 * MLD are; EDGE overrides that with its music features.
 */
abstract class MotionSpec implements TinySpec {
    private final int fps;
    private final int frames;
    private MotionData data;

    MotionSpec(int fps, int frames) {
        this.fps = fps;
        this.frames = frames;
    }

    /** Parsing the BVH files takes seconds, and listing workloads needs none of it. */
    final synchronized MotionData motion() {
        if (data == null) {
            data = new MotionData(fps, frames);
        }
        return data;
    }

    /** Samples are motion windows, frames x standardized features; MLD, which samples its VAE latent, overrides this. */
    @Override
    public Shape sampleShape(int n) {
        return new Shape(n, frames, MdmSpec.FEATURES);
    }

    /** The clip bound of motion-space samples (standardized features); MLD sets its latent's. */
    @Override
    public double clipSample() {
        return 5;
    }

    /** The action sample {@code i} asks for ({@link MotionData#ACTIONS}): walk, hop, walk, ... */
    static int action(int sample) {
        return sample % MotionData.CLASSES;
    }

    @Override
    public NDArray sampleCond(NDManager manager, int first, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = action(first + i);
        }
        return Labels.oneHot(manager, a, MotionData.CLASSES);
    }

    /** The preview's row label of sample {@code i}: what {@link #sampleCond} conditions it on. */
    String conditionLabel(int sample) {
        return MotionData.ACTIONS[action(sample)];
    }

    @Override
    public Path writePreview(TinyNet net, Samples samples, Path dir) {
        return writeMotion(samples, dir, this::conditionLabel);
    }

    /** Decoded clips in metres after forward kinematics; the toes are the contact joints for foot skate. */
    @Override
    public OutputDecoder outputDecoder() {
        MotionData d = motion();
        return s -> Decoders.motion(s, d::decode, "LeftToe", "RightToe");
    }

    /** Stick figures of the samples, decoded from the model's features, one labelled row each. */
    final Path writeMotion(Samples samples, Path dir, IntFunction<String> label) {
        long[] s = samples.shape();
        float[] v = samples.values();
        int per = (int) (s[1] * s[2]);
        List<MotionClip> clips = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < s[0]; i++) {
            clips.add(motion().decode(Arrays.copyOfRange(v, i * per, (i + 1) * per)));
            labels.add(label.apply(i));
        }
        Path file = dir.resolve("samples.png");
        StickFigures.write(file, clips, 8, labels);
        return file;
    }
}
