package org.colsparse.denoiser.full;

import org.colsparse.catalog.AnimateDiff;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.util.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code animatediff --preset full}: Stable Diffusion 1.5's UNet with AnimateDiff motion modules
 * (guoyww/AnimateDiff {@code animatediff/models/unet.py}, {@code motion_module.py}) over 16 frames of
 * 4 x 64 x 64 latents, as {@code scripts/animate.py} runs it: DDIMScheduler with the inference config's
 * {@code beta_schedule "linear"} 0.00085..0.012 (plainly linear, unlike SD's scaled_linear),
 * steps_offset 1, set_alpha_to_one left at its default True, eta 0; 25 steps and guidance 8 as in
 * {@code configs/prompts}; the text context repeated for every frame.
 *
 * <p>Weights come from two official files in one folder given as {@code --checkpoint DIR}: the SD 1.5
 * UNet (any layout {@link FullSd15Workload} accepts: {@code v1-5-pruned-emaonly.safetensors|.ckpt}, or the
 * diffusers folder's {@code unet/diffusion_pytorch_model[.fp16].safetensors}) and one motion module,
 * whose name gives its version, each with its {@code configs/inference/inference-vN.yaml}:
 * <ul>
 *   <li>{@code mm_sd_v15.ckpt} (v1): no mid-block module, {@code use_inflated_groupnorm: false} (the
 *       resnets' and conv_norm_out's GroupNorm normalizes each video over all frames) — the full preset's model;</li>
 *   <li>{@code mm_sd_v15_v2.ckpt} (v2): a mid-block module (one more GELU site), per-frame GroupNorm;</li>
 *   <li>{@code v3_sd15_mm.ckpt} (v3): no mid-block module, per-frame GroupNorm.</li>
 * </ul>
 * AnimateDiff's own folder layout works too: {@code DIR/StableDiffusion/} (the diffusers SD 1.5 repo) and
 * {@code DIR/Motion_Module/}. Like the official loader, the motion file's {@code pos_encoder.pe} tables are
 * not read (they are recomputed). A diffusers MotionAdapter ({@code guoyww/animatediff-motion-adapter-v1-5[-2|-3]},
 * as {@code DIR/<that name or motion_adapter>/diffusion_pytorch_model[.fp16].safetensors}) runs as diffusers'
 * UNetMotionModel runs it: per-frame resnet GroupNorm, the motion modules' GroupNorm over each video's frames
 * together (AnimateDiffTransformer3D), a mid-block module when the file has one; the sampler stays the one above.
 */
public final class FullAnimateDiffWorkload implements Workload {
    public static final String ID = "animatediff";
    static final int FRAMES = 16;
    static final int MOTION_HEADS = 8;
    static final double GUIDANCE = 8;

    /**
     * A motion module release and the UNet options its code runs it with: the original files with their
     * {@code configs/inference/inference-vN.yaml}, or a diffusers MotionAdapter as UNetMotionModel runs it.
     */
    enum Version {
        V1(false, true, false), V2(true, false, false), V3(false, false, false),
        /** diffusers MotionAdapter without / with a mid-block module (animatediff-motion-adapter-v1-5 / -v1-5-2). */
        DIFFUSERS(false, false, true), DIFFUSERS_MID(true, false, true);

        final boolean mid;
        final boolean jointNorm;
        final boolean adapter;

        Version(boolean mid, boolean jointNorm, boolean adapter) {
            this.mid = mid;
            this.jointNorm = jointNorm;
            this.adapter = adapter;
        }

        FullUnet.Config apply(FullUnet.Config sd, int frames, int motionHeads) {
            return new FullUnet.Config(sd.inChannels(), sd.blockOut(), sd.attention(), sd.layersPerBlock(), sd.heads(),
                    sd.contextDim(), sd.groups(), frames, motionHeads, mid, jointNorm, adapter, 0);
        }
    }

    /** Motion-module files by name (also under Motion_Module/), and the version each name means. */
    private static final Map<String, Version> MOTION_FILES = new LinkedHashMap<>();

    static {
        for (String folder : List.of("", "Motion_Module/")) {
            for (String ext : List.of(".ckpt", ".safetensors")) {
                MOTION_FILES.put(folder + "mm_sd_v15" + ext, Version.V1);
                MOTION_FILES.put(folder + "mm_sd_v15_v2" + ext, Version.V2);
                MOTION_FILES.put(folder + "v3_sd15_mm" + ext, Version.V3);
            }
        }
        for (String folder : List.of("motion_adapter/", "animatediff-motion-adapter-v1-5/", "animatediff-motion-adapter-v1-5-2/",
                "animatediff-motion-adapter-v1-5-3/")) {
            for (String file : List.of("diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors")) {
                MOTION_FILES.put(folder + file, Version.DIFFUSERS);
            }
        }
    }

    private static final String CHECKPOINT = "a folder: SD 1.5 UNet + mm_sd_v15.ckpt, mm_sd_v15_v2.ckpt, v3_sd15_mm.ckpt"
            + " or a MotionAdapter (guoyww/AnimateDiff)";

    private static final DenoiserInfo INFO = DenoiserInfo.of(AnimateDiff.IDENTITY,
            "AnimateDiff v1 at full size: SD 1.5 UNet + mm_sd_v15 motion modules (20 temporal transformers, 8 heads, sinusoidal"
                    + " frame positions), 16 frames of 4x64x64 latents, 36 GEGLU sites (v2's module adds mid.motion.0.ff)",
            FullSd15Workload.siteSpecs(Version.V1.apply(FullSd15Workload.CONFIG, FRAMES, MOTION_HEADS), FullSd15Workload.LATENT,
                    FullSd15Workload.LATENT),
            CHECKPOINT, "DDIM 25 steps (eta 0, linear betas, leading spacing, steps_offset 1), CFG 8 (batch x2)", 1, 25,
            FullSd15Workload.TRAINED_STEPS);

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public List<ConditionInput> conditions() {
        return FullSd15Workload.textConditions();
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        FullCheckpoint.required(checkpoint, INFO);
        FullConditions.CfgPair text = FullSd15Workload.readText(conditions, ID, FullSd15Workload.CLIP);
        return new Loaded(build(manager, checkpoint, FullSd15Workload.CONFIG, FRAMES, MOTION_HEADS), text);
    }

    /** Finds both files in {@code dir}, builds the UNet of the motion module's version, loads it. */
    static FullUnet build(NDManager manager, Path dir, FullUnet.Config sd, int frames, int motionHeads) {
        if (!Files.isDirectory(dir)) {
            throw new InputException("--checkpoint: animatediff needs a folder holding the SD 1.5 UNet and the motion module, got " + dir);
        }
        Path unetFile = only(dir, "SD 1.5 UNet", List.of("v1-5-pruned-emaonly.safetensors", "v1-5-pruned-emaonly.ckpt",
                "unet/diffusion_pytorch_model.safetensors", "unet/diffusion_pytorch_model.fp16.safetensors",
                "StableDiffusion/unet/diffusion_pytorch_model.safetensors", "StableDiffusion/unet/diffusion_pytorch_model.fp16.safetensors"));
        Path motionFile = only(dir, "motion module", List.copyOf(MOTION_FILES.keySet()));
        Version version = MOTION_FILES.get(dir.relativize(motionFile).toString().replace('\\', '/'));
        // one rule for both files: it tells the SD layouts and a MotionAdapter apart by their keys; motion files are bare state dicts
        List<FullCheckpoint.Part> parts = List.of(new FullCheckpoint.Part(unetFile, FullUnetKeys.rule(sd)),
                new FullCheckpoint.Part(motionFile, FullUnetKeys.rule(sd)));
        try (FullCheckpoint weights = FullCheckpoint.open(parts)) {
            // a MotionAdapter's config says use_motion_mid_block; its keys say the same
            if (version == Version.DIFFUSERS && weights.tensors().stream().anyMatch(t -> t.name().startsWith("mid_block.motion_modules."))) {
                version = Version.DIFFUSERS_MID;
            }
            FullUnet unet = new FullUnet(manager, version.apply(sd, frames, motionHeads));
            weights.loadInto(unet, ID);
            return unet;
        }
    }

    private static Path only(Path dir, String what, List<String> names) {
        List<Path> found = new ArrayList<>();
        for (String n : names) {
            if (Files.isRegularFile(dir.resolve(n))) {
                found.add(dir.resolve(n));
            }
        }
        if (found.size() != 1) {
            throw new InputException("--checkpoint: " + dir + (found.isEmpty() ? " has no " + what + " (looked for " + String.join(", ", names) + ")"
                    : " has " + found.size() + " " + what + " files " + found + "; keep exactly one"));
        }
        return found.get(0);
    }

    /** The linear training schedule of AnimateDiff's inference configs. */
    static NoiseSchedule schedule() {
        return NoiseSchedule.linear(FullSd15Workload.TRAINED_STEPS, 0.00085, 0.012);
    }

    /**
     * Guided DDIM over videos stored frame by frame: {@code xT} is (videos x frames, 4, h, w); the
     * per-video context rows (2 videos: conditional, then unconditional) are repeated for every frame.
     */
    static NDArray sample(FullUnet unet, NDManager run, NDArray xT, NDArray videoContext, int steps, double guidance, GeluTap tap,
                          StepListener listener) {
        NDArray context = videoContext.repeat(0, unet.config().frames());
        // set_alpha_to_one keeps DDIMScheduler's default True: the last step lands on alpha-bar 1
        return FullSd15Workload.sampleCfg(schedule(), 1, run, xT, (x, t) -> unet.forward(x, t, context, tap), steps, guidance, listener);
    }

    static final class Loaded extends FullUnetLoaded {
        Loaded(FullUnet unet, FullConditions.CfgPair text) {
            super(INFO, unet, text);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            int latent = FullSd15Workload.LATENT;
            try (NDManager run = runManager()) {
                NDArray context = FullSd15Workload.cfgContext(run, text, first, samples, FullSd15Workload.TOKENS, FullSd15Workload.WIDTH);
                Shape frames = new Shape((long) samples * FRAMES, 4, latent, latent);
                NDArray xT = noise(run, frames, seed);
                NDArray x = FullAnimateDiffWorkload.sample(net(), run, xT, context, steps, GUIDANCE, tap, listener);
                // frames-major: (samples, frames, 4, h, w); AnimateDiff's own latents are (b, c, f, h, w)
                return new Samples(x.toFloatArray(), new long[] {samples, FRAMES, 4, latent, latent});
            }
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            long[] s = samples.shape();
            // frames-major samples are frame pictures one after another: one row per frame, its 4 latent channels across
            String[] rows = new String[Math.toIntExact(s[0] * s[1])];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = "#" + i / s[1] + " frame " + i % s[1];
            }
            return FullPreview.latentChannels(new Samples(samples.values(), new long[] {s[0] * s[1], s[2], s[3], s[4]}),
                    "AnimateDiff latents, one row per frame", rows, -3f, 3f, dir);
        }
    }
}
