package org.colsparse.denoiser.full;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The key rule ({@link #rule}) under which {@link FullCheckpoint} reads a latent-diffusion UNet from the
 * official files with diffusers' names, which is what {@link FullUnet} declares. Two layouts are accepted:
 *
 * <ul>
 *   <li>diffusers ({@code unet/diffusion_pytorch_model.safetensors}, fp32 or fp16): keys are used as they are;</li>
 *   <li>CompVis / runwayml single file ({@code v1-5-pruned-emaonly.safetensors} or {@code .ckpt}): the UNet's
 *       keys start with {@code model.diffusion_model.} (a {@code .ckpt} nests everything under
 *       {@code state_dict}) and are renamed module by module, the renaming diffusers' own converter
 *       applies ({@code src/diffusers/loaders/single_file_utils.py}: {@code DIFFUSERS_TO_LDM_MAPPING},
 *       {@code convert_ldm_unet_checkpoint}, {@code update_unet_resnet_ldm_to_diffusers}), generated here
 *       from {@link FullUnet#modulesByName()}:
 *       <pre>
 *   conv_in                          &lt;- input_blocks.0.0
 *   time_embedding.linear_1 / _2     &lt;- time_embed.0 / time_embed.2
 *   down_blocks.L.resnets.j          &lt;- input_blocks.N.0      N = 1 + L (layers + 1) + j
 *   down_blocks.L.attentions.j       &lt;- input_blocks.N.1
 *   down_blocks.L.downsamplers.0.conv &lt;- input_blocks.(L+1)(layers+1).0.op
 *   mid_block.resnets.0 / attentions.0 / resnets.1 &lt;- middle_block.0 / .1 / .2
 *   up_blocks.U.resnets.j            &lt;- output_blocks.O.0     O = U (layers + 1) + j
 *   up_blocks.U.attentions.j         &lt;- output_blocks.O.1
 *   up_blocks.U.upsamplers.0.conv    &lt;- output_blocks.O.1.conv (no attention) or .O.2.conv, O of j = layers
 *   conv_norm_out / conv_out         &lt;- out.0 / out.2
 *   inside a resnet: norm1 &lt;- in_layers.0, conv1 &lt;- in_layers.2, time_emb_proj &lt;- emb_layers.1,
 *                    norm2 &lt;- out_layers.0, conv2 &lt;- out_layers.3, conv_shortcut &lt;- skip_connection
 *   inside a transformer: the same names (norm, proj_in, transformer_blocks.0.*, proj_out)</pre>
 *   </li>
 * </ul>
 *
 * <p>What the single file holds beside the UNet is skipped by an explicit rule, never by accepting
 * unknown keys: the VAE ({@code first_stage_model.*}), the text encoder ({@code cond_stage_model.*}),
 * EMA bookkeeping ({@code model_ema.*}: in {@code -emaonly} files the UNet weights already are the EMA
 * ones) and the noise-schedule buffers and latent scale LatentDiffusion registers ({@link #LDM_SCHEDULE_BUFFERS}),
 * which the sampler recomputes. AnimateDiff motion-module files keep their own names; their non-parameter
 * sinusoidal tables ({@code *.pos_encoder.pe}) are skipped (recomputed by TemporalTransformer). A diffusers
 * MotionAdapter file (motion-module keys without {@code .temporal_transformer}) is renamed back to the original
 * names, the inverse of {@code scripts/convert_animatediff_motion_module_to_diffusers.py}:
 * {@code motion_modules.j.X} &lt;- {@code motion_modules.j.temporal_transformer.X}, and inside {@code transformer_blocks.0}
 * {@code attn1/attn2} &lt;- {@code attention_blocks.0/1}, {@code norm1/norm2} &lt;- {@code norms.0/1},
 * {@code norm3} &lt;- {@code ff_norm}; its {@code *.pos_embed.pe} tables are skipped like the original's. Any
 * other key reaches {@code Params.load} unchanged and is reported as unexpected.
 */
public final class FullUnetKeys {
    /** CompVis' prefix of the UNet inside the LatentDiffusion state dict. */
    public static final String COMPVIS_UNET = "model.diffusion_model.";

    /** The buffers {@code ldm/models/diffusion/ddpm.py DDPM.register_schedule} saves with the model. */
    static final Set<String> LDM_SCHEDULE_BUFFERS = Set.of("betas", "alphas_cumprod", "alphas_cumprod_prev",
            "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod", "log_one_minus_alphas_cumprod",
            "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod", "posterior_variance",
            "posterior_log_variance_clipped", "posterior_mean_coef1", "posterior_mean_coef2", "logvar",
            // LatentDiffusion's VAE latent scale (0.18215): a decoding constant, not a UNet weight
            "scale_factor");

    private static final List<String> IGNORED_PREFIXES = List.of("first_stage_model.", "cond_stage_model.", "model_ema.");

    private static final Map<String, String> RESNET_LAYERS = Map.of("norm1", "in_layers.0", "conv1", "in_layers.2",
            "time_emb_proj", "emb_layers.1", "norm2", "out_layers.0", "conv2", "out_layers.3", "conv_shortcut", "skip_connection");

    private FullUnetKeys() {
    }

    /** CompVis name (without {@link #COMPVIS_UNET}) of every declared parameter that has one, by diffusers name. */
    public static Map<String, String> compVisNames(FullUnet unet) {
        Map<String, FullUnet.Module> modules = unet.modulesByName();
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : unet.params().spec().keySet()) {
            FullUnet.Module m = null;
            int dot = key.length();
            while (m == null && (dot = key.lastIndexOf('.', dot - 1)) > 0) {
                m = modules.get(key.substring(0, dot));
            }
            if (m == null) {
                continue;   // motion modules: not part of a CompVis SD file
            }
            String rest = key.substring(m.diffusers().length() + 1);
            if (m.resnet()) {
                int d = rest.indexOf('.');
                String layer = RESNET_LAYERS.get(rest.substring(0, d));
                if (layer == null) {
                    throw new IllegalStateException("resnet layer without a CompVis name: " + key);
                }
                rest = layer + rest.substring(d);
            }
            out.put(key, m.compVis() + "." + rest);
        }
        return out;
    }

    /**
     * How one official file's keys become the names a UNet of {@code config} declares: a file with
     * CompVis keys is renamed, a MotionAdapter file (motion-module keys, none under
     * {@code .temporal_transformer.}) gets the original names, any other file keeps its keys; in all of
     * them {@code state_dict.} is stripped and the documented non-UNet contents are ignored.
     */
    static Function<List<String>, FullCheckpoint.KeyRule> rule(FullUnet.Config config) {
        return keys -> {
            if (compVis(keys)) {
                Map<String, String> toDiffusers = new HashMap<>();
                // the names need only the declared layout: a network that allocates nothing
                compVisNames(new FullUnet(null, config)).forEach((d, cv) -> toDiffusers.put(COMPVIS_UNET + cv, d));
                return new CompVis(toDiffusers);
            }
            boolean adapter = keys.stream().anyMatch(k -> k.contains("motion_modules."))
                    && keys.stream().noneMatch(k -> k.contains(".temporal_transformer."));
            return k -> {
                String key = strip(k);
                return ignored(key) ? null : adapter ? fromMotionAdapter(key) : key;
            };
        };
    }

    /** Whether a file with these keys holds a CompVis UNet (an original single-file checkpoint). */
    static boolean compVis(List<String> keys) {
        return keys.stream().anyMatch(k -> strip(k).startsWith(COMPVIS_UNET));
    }

    /** A CompVis file: UNet keys under their diffusers names, which load errors show, and say so. */
    private record CompVis(Map<String, String> toDiffusers) implements FullCheckpoint.KeyRule {
        @Override
        public String modelKey(String fileKey) {
            String key = strip(fileKey);
            return ignored(key) ? null : toDiffusers.getOrDefault(key, key);
        }

        @Override
        public String naming() {
            return "CompVis keys, named here as diffusers names them";
        }
    }

    private static final Map<String, String> ADAPTER_LAYERS = Map.of("attn1", "attention_blocks.0", "attn2", "attention_blocks.1",
            "norm1", "norms.0", "norm2", "norms.1", "norm3", "ff_norm");

    /** A diffusers MotionAdapter key under the original AnimateDiff name; other keys unchanged. */
    static String fromMotionAdapter(String key) {
        int at = key.indexOf("motion_modules.");
        if (at < 0) {
            return key;
        }
        int dot = key.indexOf('.', at + "motion_modules.".length());
        String module = key.substring(0, dot + 1);
        String rest = key.substring(dot + 1);
        String block = "transformer_blocks.0.";
        if (rest.startsWith(block)) {
            String inner = rest.substring(block.length());
            int d = inner.indexOf('.');
            String renamed = d < 0 ? null : ADAPTER_LAYERS.get(inner.substring(0, d));
            if (renamed != null) {
                rest = block + renamed + inner.substring(d);
            }
        }
        return module + "temporal_transformer." + rest;
    }

    /** Lightning checkpoints ({@code .ckpt}) nest the model's state dict under {@code state_dict}. */
    private static String strip(String name) {
        return name.startsWith("state_dict.") ? name.substring("state_dict.".length()) : name;
    }

    static boolean ignored(String key) {
        for (String prefix : IGNORED_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return LDM_SCHEDULE_BUFFERS.contains(key) || key.endsWith(".pos_encoder.pe") || key.endsWith(".pos_embed.pe");
    }
}
