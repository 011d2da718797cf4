package org.colsparse.denoiser.full;

import org.colsparse.catalog.Sd15;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.DdimSampler;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.Guidance;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.util.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

import static org.colsparse.denoiser.full.FullConditions.ROWS;

/**
 * {@code sd15 --preset full}: the UNet of Stable Diffusion 1.5 ({@code runwayml/stable-diffusion-v1-5}
 * {@code unet/config.json}: block_out_channels 320/640/1280/1280, layers_per_block 2, CrossAttnDownBlock2D x3 +
 * DownBlock2D, UpBlock2D + CrossAttnUpBlock2D x3, attention_head_dim 8, cross_attention_dim 768,
 * norm_num_groups 32) on a 4 x 64 x 64 latent (512 px), with the user's official weights and CLIP text
 * embeddings. Sampling follows {@code StableDiffusionPipeline} with a DDIMScheduler configured by the
 * model's {@code scheduler/scheduler_config.json}: scaled_linear betas 0.00085..0.012 over 1000 steps,
 * "leading" spacing with steps_offset 1, set_alpha_to_one False, eps prediction, no clipping, eta 0,
 * guidance 7.5 with both halves in one batch (docs/definitions.md; conditional rows first, the pipeline puts
 * them second, which changes no value). Output: the final latents (the VAE is not part of colsparse).
 */
public final class FullSd15Workload implements Workload {
    public static final String ID = "sd15";
    static final int LATENT = 64;
    static final int TRAINED_STEPS = 1000;
    static final double GUIDANCE = 7.5;
    /** CLIP's context length and ViT-L/14's width: the text conditioning is (77, 768) per prompt. */
    static final int TOKENS = 77;
    static final int WIDTH = 768;
    static final String TEXT = "text";
    static final String UNCOND = "uncond";
    /** The shapes a CLIP file may have: one prompt or B. */
    static final long[][] CLIP = {{ROWS, TOKENS, WIDTH}, {TOKENS, WIDTH}};
    static final String CHECKPOINT = "v1-5-pruned-emaonly.safetensors/.ckpt or unet/diffusion_pytorch_model[.fp16].safetensors"
            + " (runwayml/stable-diffusion-v1-5)";

    /** SD 1.5's UNet; {@code frames}/{@code motion*} stay off for images. */
    static final FullUnet.Config CONFIG = new FullUnet.Config(4, new int[] {320, 640, 1280, 1280},
            new boolean[] {true, true, true, false}, 2, 8, WIDTH, 32, 0, 0, false, false, false, 0);

    private static final DenoiserInfo INFO = DenoiserInfo.of(Sd15.IDENTITY,
            "Stable Diffusion 1.5 UNet at full size (859.52M parameters), 4x64x64 latent (512x512 px), cross-attention to"
                    + " CLIP ViT-L/14 text states, 16 GEGLU sites (320..1280 -> 4x, exact gelu)",
            siteSpecs(CONFIG, LATENT, LATENT), CHECKPOINT,
            "DDIM 50 steps (eta 0, leading spacing, steps_offset 1, set_alpha_to_one False), scaled_linear betas, CFG 7.5 (batch x2)",
            1, 50, TRAINED_STEPS);

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public List<ConditionInput> conditions() {
        return textConditions();
    }

    /** SD 1.5's text conditioning, which AnimateDiff shares: CLIP states of the prompt and of the empty prompt. */
    static List<ConditionInput> textConditions() {
        String shape = "(77, 768) or (B, 77, 768), float32 or float16";
        return List.of(
                new ConditionInput(TEXT, shape, true,
                        "CLIP ViT-L/14 last hidden state of the prompt padded to 77 tokens: what StableDiffusionPipeline feeds the UNet"
                                + " as encoder_hidden_states (text_encoder(tokenizer(prompt, padding='max_length', max_length=77,"
                                + " return_tensors='pt').input_ids)[0], saved with numpy.save); with B rows, sample i uses row i mod B"),
                new ConditionInput(UNCOND, shape, true,
                        "the same encoder's output for the empty prompt \"\" (or a negative prompt): the unconditional half of"
                                + " classifier-free guidance; required because colsparse runs no text encoder"));
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        FullCheckpoint.required(checkpoint, INFO);
        FullConditions.CfgPair text = readText(conditions, ID, CLIP);
        return new Loaded(loaded(manager, CONFIG, unetFile(checkpoint), ID), text);
    }

    /** {@code --cond text} and {@code --cond uncond} of {@code id}, each in one of {@code shapes} ({@link FullConditions#floats}). */
    static FullConditions.CfgPair readText(Map<String, Path> conditions, String id, long[]... shapes) {
        FullConditions.onlyKnown(conditions, id, List.of(TEXT, UNCOND));
        float[][] text = FullConditions.floats(TEXT, FullConditions.required(conditions, id, TEXT), shapes);
        return new FullConditions.CfgPair(text, FullConditions.floats(UNCOND, FullConditions.required(conditions, id, UNCOND), shapes));
    }

    /** The CFG context of one call on samples {@code first ..}: {@link FullConditions.CfgPair#batch} as one (2 samples, tokens, width) array. */
    static NDArray cfgContext(NDManager manager, FullConditions.CfgPair text, int first, int samples, int tokens, int width) {
        return manager.create(text.batch(first, samples), new Shape(2L * samples, tokens, width));
    }

    /** The UNet file of a diffusers model folder, or the file itself. */
    static Path unetFile(Path checkpoint) {
        if (!Files.isDirectory(checkpoint)) {
            if (!Files.isRegularFile(checkpoint)) {
                throw new InputException("--checkpoint: no such file " + checkpoint);
            }
            return checkpoint;
        }
        for (String name : List.of("unet/diffusion_pytorch_model.safetensors", "unet/diffusion_pytorch_model.fp16.safetensors",
                "diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors")) {
            if (Files.isRegularFile(checkpoint.resolve(name))) {
                return checkpoint.resolve(name);
            }
        }
        throw new InputException("--checkpoint: " + checkpoint + " is a folder without unet/diffusion_pytorch_model[.fp16].safetensors");
    }

    /** A UNet of {@code config} with the weights of one official file, in either key layout ({@link FullUnetKeys}). */
    static FullUnet loaded(NDManager manager, FullUnet.Config config, Path file, String model) {
        return loaded(manager, config, config, file, model);
    }

    /**
     * A UNet with the weights of one official file, built as its own format defines the model: {@code diffusers}
     * for a diffusers file, {@code original} for an original single file (CompVis keys), where the two differ in
     * what the keys do not show (AudioLDM's heads). Both must declare the same parameters.
     */
    static FullUnet loaded(NDManager manager, FullUnet.Config diffusers, FullUnet.Config original, Path file, String model) {
        FullUnet.Config[] format = {diffusers};
        try (FullCheckpoint weights = FullCheckpoint.open(file, keys -> {
            if (FullUnetKeys.compVis(keys)) {
                format[0] = original;
            }
            return FullUnetKeys.rule(format[0]).apply(keys);
        })) {
            FullUnet unet = new FullUnet(manager, format[0]);
            weights.loadInto(unet, model);
            return unet;
        }
    }

    /**
     * Sites as {@code workloads} lists them: rows per sample of a (latentH x latentW) call, frames included.
     */
    static List<SiteSpec> siteSpecs(FullUnet.Config config, int latentH, int latentW) {
        FullUnet declared = new FullUnet(null, config);
        List<SiteSpec> out = new ArrayList<>();
        for (GeluSite s : declared.sites()) {
            out.add(new SiteSpec(s.name(), s.channels(), rowsPerSample(config, s.name(), latentH, latentW), s.role()));
        }
        return out;
    }

    /** Rows one sample contributes to a site: the positions at the site's resolution, times the frames of a video. */
    static long rowsPerSample(FullUnet.Config config, String site, int latentH, int latentW) {
        int levels = config.blockOut().length;
        String[] parts = site.split("\\.");
        int level = switch (parts[0]) {
            case "down" -> Integer.parseInt(parts[1]);
            case "mid" -> levels - 1;
            case "up" -> levels - 1 - Integer.parseInt(parts[1]);
            default -> throw new IllegalArgumentException("not a UNet site: " + site);
        };
        long positions = (long) (latentH >> level) * (latentW >> level);
        return positions * Math.max(1, config.frames());
    }

    /** SD 1.5's training schedule: LDM's "linear" = diffusers' scaled_linear, 0.00085..0.012 over 1000 steps. */
    static NoiseSchedule schedule() {
        return NoiseSchedule.scaledLinear(TRAINED_STEPS, 0.00085, 0.012);
    }

    /**
     * Deterministic DDIM (eta 0, leading spacing, steps_offset 1) with classifier-free guidance from the
     * starting latents {@code xT}, which it takes over: each step is one UNet call on the batch [x; x],
     * whose conditioning (context or class embedding) holds the n conditional rows, then the n unconditional.
     *
     * @param finalAlphaBar where the last step lands: set_alpha_to_one False is the first training alpha-bar
     * @param unet          the UNet call on (2n rows, their 2n timesteps as floats)
     */
    static NDArray sampleCfg(NoiseSchedule trained, double finalAlphaBar, NDManager run, NDArray xT, BinaryOperator<NDArray> unet,
                             int steps, double guidance, StepListener listener) {
        long n = xT.getShape().get(0);
        DdimSampler sampler = new DdimSampler(trained.leading(steps, 1), 0, finalAlphaBar);
        EpsModel model = Guidance.classifierFree((x, t) -> unet.apply(x, x.getManager().full(new Shape(2 * n), (float) t)), guidance);
        return sampler.sample(run, xT, model, 0, listener);
    }

    static final class Loaded extends FullUnetLoaded {
        Loaded(FullUnet unet, FullConditions.CfgPair text) {
            super(INFO, unet, text);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            try (NDManager run = runManager()) {
                NDArray context = cfgContext(run, text, first, samples, TOKENS, WIDTH);
                Shape shape = new Shape(samples, 4, LATENT, LATENT);
                NDArray xT = noise(run, shape, seed);
                NoiseSchedule trained = schedule();
                NDArray x = sampleCfg(trained, trained.alphaBars()[0], run, xT, (rows, t) -> net().forward(rows, t, context, tap), steps,
                        GUIDANCE, listener);
                return new Samples(x.toFloatArray(), shape.getShape());
            }
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            // no VAE ships; the scaled latents have unit variance: [-3, 3] shows them without clipping much
            return FullPreview.latentChannels(samples, "SD 1.5 latents", promptLabels(samples.shape()[0]), -3f, 3f, dir);
        }
    }
}
