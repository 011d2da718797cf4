package org.colsparse.denoiser.tiny;

import org.colsparse.catalog.Edge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.workload.SiteRole;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** {@code edge}: tiny EDGE dance decoder conditioned on per-frame beat/phase features, CMU clips at 30 fps. */
public final class EdgeSpec extends MotionSpec {
    static final int FPS = 30;
    static final int FRAMES = 60;
    /** Wider than the 93 features: a narrower token cannot carry the noise it must predict. */
    static final int DIM = 96;
    static final int LAYERS = 4;
    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sites.add(new SiteSpec("cond_encoder." + i + ".gelu", 2 * DIM, FRAMES, SiteRole.COND_FFN));
        }
        for (int i = 0; i < LAYERS; i++) {
            sites.add(new SiteSpec("seqTransDecoder.stack." + i + ".gelu", 2 * DIM, FRAMES, SiteRole.FFN));
        }
        INFO = DenoiserInfo.of(Edge.IDENTITY,
                "tiny trained EDGE: 2 condition-encoder layers + 4 FiLM decoder layers, width 96, FFN 96 -> 192 exact GELU, 60 frames, per-frame beat/phase conditioning, CMU mocap",
                sites, "models/edge/model.safetensors", "DDIM (eta 0), guidance 2 (batch x2)", 4, 50, TRAINING_TIMESTEPS);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public TinyNet build(NDManager manager) {
        return new TinyEdge(manager, FRAMES, MdmSpec.FEATURES, MotionData.DANCE_FEATURES, DIM, LAYERS, 4);
    }

    public EdgeSpec() {
        super(FPS, FRAMES);
    }

    private static NDArray withFlag(NDArray dance) {
        Shape s = dance.getShape();
        return NDArrays.concat(new NDList(dance, dance.getManager().zeros(new Shape(s.get(0), s.get(1), 1))), 2);
    }

    @Override
    public TrainingData data() {
        MotionData d = motion();
        return new TrainingData() {
            @Override
            public Batch train(NDManager m, SplittableRandom rng, int size) {
                int[] idx = d.randomTrain(rng, size);
                return new Batch(d.motion(m, false, idx), withFlag(d.dance(m, false, idx)));
            }

            @Override
            public Batch heldOut(NDManager m, int from, int size) {
                int[] idx = MotionData.range(from, size);
                return new Batch(d.motion(m, true, idx), withFlag(d.dance(m, true, idx)));
            }

            @Override
            public int heldOutCount() {
                return d.heldCount();
            }

            @Override
            public String describe() {
                return d.describe() + "; conditioning = per-frame dance-style features derived from the same clip (ankle heights, "
                        + "root vertical velocity and horizontal speed, a beat impulse at each foot strike, sine/cosine of the phase "
                        + "between strikes), standardized — a stand-in for EDGE's music features, not music";
            }
        };
    }

    @Override
    public Recipe recipe() {
        return new Recipe(400, 32, 1e-3, 0.1);
    }

    @Override
    public double guidance() {
        return 2;
    }

    @Override
    public boolean predictsX0() {
        return true;
    }

    /** Beat/phase features of held-out windows, so samples follow real, unseen rhythm ({@link #window}). */
    @Override
    public NDArray sampleCond(NDManager manager, int first, int n) {
        MotionData d = motion();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = window(first + i, d.heldCount());
        }
        return withFlag(d.dance(manager, true, idx));
    }

    /**
     * The held-out window whose beats sample {@code i} follows: {@code floor(v(i) * windows)} with
     * {@code v} the base-2 van der Corput sequence (0, 1/2, 1/4, 3/4, 1/8, ...). Any first n samples
     * spread over the whole held-out set, yet sample i's window depends on i alone, not on how many
     * samples the run has.
     */
    static int window(int sample, int windows) {
        double v = 0;
        double bit = 0.5;
        for (int i = sample; i > 0; i >>= 1, bit /= 2) {
            if ((i & 1) != 0) {
                v += bit;
            }
        }
        return (int) (v * windows);
    }

    @Override
    String conditionLabel(int sample) {
        return "beats " + window(sample, motion().heldCount());
    }

    @Override
    public String card() {
        return """
                Architecture, in EDGE's DanceDecoder order: motion features -> `input_projection` (width 96) + sinusoidal positions;
                conditioning features per frame -> `cond_projection` + positions -> `cond_encoder` (2 post-norm encoder layers, FFN
                96 -> 192, **exact GELU**) = the condition tokens, mean-pooled through `non_attn_cond_projection` (LayerNorm, Linear,
                SiLU, Linear) into the FiLM vector; timestep: sinusoidal -> `time_mlp` (Linear 96 -> 384, Mish as DJL 0.36 computes it: with log2 instead of ln in the softplus) -> `to_time_cond` (added
                to the FiLM vector) and `to_time_tokens` (2 tokens appended to the condition tokens); 4 pre-norm
                FiLMTransformerDecoderLayers (self-attention, cross-attention to the 62 condition + time tokens, FFN 96 -> 192 with
                **exact GELU**, expansion 2 as EDGE's 512 -> 1024; each branch scaled/shifted by FiLM from Mish(FiLM vector)); `final_layer`.
                Dropped conditions use learned `null_cond_embed` / `null_cond_hidden`, as EDGE's classifier-free guidance.

                Conditioning, honestly: the CMU clips have no music. The per-frame "dance" features are derived from the motion itself:
                left/right ankle height, root vertical velocity, root horizontal speed, a beat impulse at each foot strike (local minimum
                of an ankle's height), and sine/cosine of the phase between strikes. They play the role of EDGE's per-frame music
                features (beat and rhythm), but they leak information about the motion they came from.

                Differences from EDGE: 60 frames at 30 fps (2 s) instead of 150 (5 s), width 96 / 4 decoder layers instead of 512 / 8,
                sinusoidal absolute positions instead of rotary embeddings, 7 motion-derived features instead of 4800-D Jukebox
                features, position features instead of SMPL rotations + contacts, and no foot-contact or velocity losses (like EDGE it predicts the clean motion, x0).

                Samples, honestly: after 400 steps the figures are human-shaped and move, with stretched arms in some frames; they are
                not dances. The untrained network's large held-out loss is its raw x0 output at initialization.""";
    }
}
