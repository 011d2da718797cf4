package org.colsparse.onnx.card;

import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What makes an exported denoiser graph a workload (docs/model-card.md): which graph inputs carry the
 * noisy sample, the timestep and the conditioning, what the output predicts, and the sampler that calls
 * it. Read with {@link ModelCardLoader}; every path is already resolved against the card's folder.
 */
public record ModelCard(Path file, String workload, WorkloadGroup group, Modality modality, Path model,
                        TensorSpec sample, Timestep timestep, List<Conditioning> conditioning, Output output,
                        SamplerSpec sampler) {
    public ModelCard {
        conditioning = List.copyOf(conditioning);
    }

    /** Element types a card may name: what ONNX Runtime's Java API reads and writes here. */
    public enum Dtype {
        FLOAT32("float32"), INT64("int64");

        private final String cardName;

        Dtype(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    /** How the sampler's time becomes the timestep input's value. */
    public enum TimestepConvention {
        /** The training step 0..T-1 the sampler is at (999 = noisiest of 1000). */
        DDPM_INDEX("ddpm-index"),
        /** Flow time t in [0, 1), 0 = pure noise, fed as t itself. */
        FLOW_TIME("flow-time"),
        /** The noise level sigma = sqrt((1 - alphaBar) / alphaBar) of k-diffusion style models (Euler only). */
        SIGMA("sigma");

        private final String cardName;

        TimestepConvention(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    /** What the output tensor predicts. */
    public enum Prediction {
        EPSILON("epsilon"), V("v"), X0("x0"),
        /** dx/dt in flow time (0 = noise, 1 = data). */
        FLOW_VELOCITY("flow-velocity");

        private final String cardName;

        Prediction(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    public enum SamplerKind {
        DDPM("ddpm"), DDIM("ddim"), EULER("euler"), FLOW_EULER("flow-euler");

        private final String cardName;

        SamplerKind(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    public enum BetaKind {
        LINEAR("linear"), SCALED_LINEAR("scaled-linear"), COSINE("cosine");

        private final String cardName;

        BetaKind(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    /** Which training steps a shorter sampler keeps. */
    public enum Spacing {
        /** diffusers' "leading": {@code i * (T / n) + steps_offset}. */
        LEADING("leading"),
        /** Evenly spaced over 0..T-1, both ends kept, rounded half up. */
        LINSPACE("linspace"),
        /** OpenAI improved-DDPM / DiT {@code space_timesteps} (round half to even, alphaBars re-accumulated). */
        IDDPM("iddpm");

        private final String cardName;

        Spacing(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    /** DDPM's reverse-step variance. */
    public enum Variance {
        FIXED_SMALL("fixed-small"), FIXED_LARGE("fixed-large"),
        /** The output holds 2C channels, the last C interpolating the log variance (improved DDPM, DiT). */
        LEARNED_RANGE("learned-range");

        private final String cardName;

        Variance(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    /** How the two branches of classifier-free guidance reach the graph. */
    public enum Batching {
        /** One call on a batch of two rows, as the official pipelines do. */
        PAIR("pair"),
        /** Two calls of one row each, conditional first (vit-mnist's author). */
        SEPARATE_CALLS("separate-calls");

        private final String cardName;

        Batching(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    /** Which row of a pair call is the conditional one. */
    public enum PairOrder {
        /** [cond, uncond]: DiT's sample.py. */
        COND_FIRST("cond-first"),
        /** [uncond, cond]: diffusers' StableDiffusionPipeline. */
        UNCOND_FIRST("uncond-first");

        private final String cardName;

        PairOrder(String cardName) {
            this.cardName = cardName;
        }

        public String cardName() {
            return cardName;
        }
    }

    /** One graph input or output: its name, fixed shape and element type. */
    public record TensorSpec(String name, long[] shape, Dtype dtype) {
        public TensorSpec {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorSpec t && name.equals(t.name) && Arrays.equals(shape, t.shape) && dtype == t.dtype;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + " " + dtype.cardName();
        }
    }

    public record Timestep(TensorSpec tensor, TimestepConvention convention) {
    }

    /** Where one row of a conditioning input comes from. */
    public sealed interface Value permits Zeros, Constant, FromFile, ClassOfSample {
    }

    /** All zeros. */
    public record Zeros() implements Value {
    }

    /** Every element the same number (a null class label, a fixed scale). */
    public record Constant(double value) implements Value {
    }

    /**
     * Row {@code row} (along the first axis) of the one tensor of a file (.npy, or .npz / .safetensors with one
     * tensor) made by the model's own tooling, e.g. the [uncond; cond] prompt embeddings a pipeline's
     * {@code encode_prompt} returns; a file of exactly one row has only row 0.
     */
    public record FromFile(Path file, int row) implements Value {
    }

    /** Sample i is given class {@code i mod classes}: a class grid as vit-mnist's author draws it. */
    public record ClassOfSample(int classes) implements Value {
    }

    /**
     * @param unconditional the value of the classifier-free-guidance branch; null when the sampler does not guide
     */
    public record Conditioning(TensorSpec tensor, Value value, Value unconditional) {
    }

    public record Output(String name, long[] shape, Prediction predicts) {
        public Output {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Output t && name.equals(t.name) && Arrays.equals(shape, t.shape) && predicts == t.predicts;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }
    }

    public record BetaSchedule(BetaKind kind, double betaStart, double betaEnd) {
    }

    /**
     * @param windowStart guide only for windowStart < t < windowEnd (flow time; else weight 1); NaN = always
     * @param channels    guide only the first {@code channels} output channels, the rest from the conditional
     *                    row (DiT's {@code forward_with_cfg}); 0 = all
     */
    public record Guidance(double scale, Batching batching, PairOrder order, double windowStart, double windowEnd,
                           int channels) {
        public boolean windowed() {
            return !Double.isNaN(windowStart);
        }
    }

    /**
     * @param trainingSteps 0 for continuous time (flow-euler)
     * @param betas         null for flow-euler
     * @param guidance      null without classifier-free guidance
     * @param clip          {lo, hi} the final sample is clipped to, null for none
     */
    public record SamplerSpec(SamplerKind kind, int steps, int trainingSteps, BetaSchedule betas, Spacing spacing,
                              int stepsOffset, double eta, boolean finalAlphaOne, Variance variance, Guidance guidance,
                              double[] clip) {
        public SamplerSpec {
            clip = clip == null ? null : clip.clone();
        }

        @Override
        public double[] clip() {
            return clip == null ? null : clip.clone();
        }
    }
}
