package org.colsparse.denoiser.tiny;

import org.colsparse.catalog.Mld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.runtime.GaussianPair;
import org.colsparse.workload.SiteRole;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/** {@code mld}: tiny motion latent diffusion (VAE + 3-token skip-connected denoiser) on the CMU clips. */
public final class MldSpec extends MotionSpec {
    static final int DIM = 64;
    static final int VAE_HIDDEN = 128;
    /** KL weight of the VAE: small, so latents keep the motion, yet bounded enough to diffuse. */
    static final float KL_WEIGHT = 1e-3f;
    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = new ArrayList<>();
        int half = (TinyMld.LAYERS - 1) / 2;
        for (int i = 0; i < TinyMld.LAYERS; i++) {
            String name = i < half ? "input_blocks." + i : i == half ? "middle_block" : "output_blocks." + (i - half - 1);
            sites.add(new SiteSpec("encoder." + name + ".gelu", 4 * DIM, 3, SiteRole.FFN));
        }
        INFO = DenoiserInfo.of(Mld.IDENTITY,
                "tiny trained MLD: motion VAE (40 frames -> 1 latent token) + 9 skip-connected post-norm layers, width 64, FFN 64 -> 256 exact GELU, 3 tokens, action-conditioned, CMU mocap",
                sites, "models/mld/model.safetensors", "DDIM (eta 0), CFG 7.5 (batch x2)", 4, 50, TRAINING_TIMESTEPS);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public TinyNet build(NDManager manager) {
        return new TinyMld(manager, MdmSpec.FRAMES, MdmSpec.FEATURES, DIM, VAE_HIDDEN, 4, MotionData.CLASSES);
    }

    public MldSpec() {
        super(MdmSpec.FPS, MdmSpec.FRAMES);
    }

    @Override
    public TrainingData data() {
        return new MotionTraining(motion());
    }

    @Override
    public Recipe recipe() {
        return new Recipe(2000, 64, 5e-4, 0.1);
    }

    @Override
    public List<PreStage> preStages() {
        return List.of(new PreStage() {
            @Override
            public String name() {
                return "vae";
            }

            @Override
            public int defaultSteps() {
                return 1500;
            }

            @Override
            public double lr() {
                return 1e-3;
            }

            @Override
            public Predicate<String> params() {
                return n -> n.startsWith("vae.");
            }

            @Override
            public NDArray loss(TinyNet net, TrainingData d, NDManager m, SplittableRandom rng) {
                TinyMld mld = (TinyMld) net;
                NDArray x = d.train(m, rng, 32).x0();
                NDArray[] dist = mld.encodeDistribution(x);
                NDArray std = dist[1].mul(m.create(0.5f)).exp();
                NDArray eps = m.create(GaussianPair.floats(rng, Math.toIntExact(std.size())), std.getShape());
                NDArray z = dist[0].add(std.mul(eps));
                NDArray recon = mld.decodeLatent(z).sub(x).square().mean();
                NDArray kl = dist[0].square().add(dist[1].exp()).sub(dist[1]).sub(m.create(1f)).mean().mul(m.create(0.5f * KL_WEIGHT));
                return recon.add(kl);
            }
        });
    }

    @Override
    public double guidance() {
        return 7.5;
    }

    @Override
    public double clipSample() {
        // the VAE's mean latents of the training windows stay within about +-9 (measured: rms 1.8, max 9.0)
        return 9;
    }

    @Override
    public Shape sampleShape(int n) {
        return new Shape(n, 1, DIM);
    }

    @Override
    public String card() {
        return """
                Two parts trained in order by the same `train` run. (1) A small motion VAE: the 40-frame window (40 x 93 features)
                flattened -> Linear 128 -> SiLU -> Linear to mean and log-variance of one 64-D latent token; decoder mirrors it;
                trained on reconstruction MSE + 0.001 x KL (stage `vae`). (2) The denoiser in MLD's structure: **3 tokens** (the
                latent, a timestep token from sinusoidal -> Linear -> SiLU -> Linear, and a condition token = embedding of the action
                walk / hop / null, standing in for MLD's projected CLIP text embedding), sinusoidal positions, MLD's
                SkipTransformerEncoder with **9 post-norm layers** (4 input blocks, a middle block, 4 output blocks each fed by
                concat(previous, matching input block) -> Linear), 4 heads, FFN 64 -> 256 with **exact GELU** (expansion 4 as MLD's
                256 -> 1024), final LayerNorm; the output at the latent token is the predicted noise. The denoiser trains on the VAE's
                mean latent (VAE frozen). Every GELU site therefore sees 3 rows per sample, MLD's token-limited shape.

                Differences from MLD: an MLP VAE instead of MLD's transformer VAE, width 64 instead of 256, action label instead of CLIP
                text, and 40-frame position features of three CMU clips instead of HumanML3D. The untrained baseline below keeps the
                trained VAE (so both losses are measured in the same latent space) and re-initializes only the denoiser.

                Samples, honestly: the sampler clips its clean-latent estimate to +-9 (the range of the training windows' latents;
                without it classifier-free guidance at 7.5 drove the latents off the VAE's range and the decoded figures fell apart).
                With three clips of training data the decoded samples are figure-like but jittery, with stretched limbs in some
                frames; walk vs hop is not reliably distinguishable. The activations are those of a trained model; the motions are
                not good.""";
    }
}
