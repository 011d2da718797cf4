package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.Embeddings;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;
import org.colsparse.runtime.ResBlock;
import org.colsparse.runtime.Sites;
import org.colsparse.runtime.SpatialTransformer;
import org.colsparse.runtime.TemporalTransformer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latent-diffusion UNet at any size, with diffusers' parameter names: {@code UNet2DConditionModel}
 * of huggingface/diffusers ({@code src/diffusers/models/unets/unet_2d_condition.py} and
 * {@code unet_2d_blocks.py}: CrossAttnDownBlock2D / DownBlock2D, UNetMidBlock2DCrossAttn, UpBlock2D /
 * CrossAttnUpBlock2D), optionally with AnimateDiff's motion modules (guoyww/AnimateDiff
 * {@code animatediff/models/unet_blocks.py}: one after each resnet/transformer pair).
 *
 * <p>Layout: conv_in; per level {@code layersPerBlock} x (ResnetBlock2D, Transformer2DModel where the
 * level has attention, motion module) and a stride-2 conv downsampler except at the last level; mid
 * block resnet, transformer, (motion module,) resnet; per level from the deepest
 * {@code layersPerBlock + 1} x (resnet on the skip concatenation, transformer, motion module) and a
 * nearest-2x + conv upsampler except at the top; GroupNorm, SiLU, conv_out. Time embedding:
 * sinusoidal (flip_sin_to_cos, shift 0) of width {@code blockOut[0]}, linear_1, SiLU, linear_2 to
 * {@code 4 x blockOut[0]}.
 *
 * <p>GELU sites are named like the full preset's ({@code org.colsparse.workload.LatentUNet}):
 * {@code down.L.attn.j.ff}, {@code mid.attn.0.ff}, {@code up.U.attn.j.ff} (U = 0 the deepest), and
 * {@code down.L.motion.j.ff} etc. for motion modules.
 *
 * <p>The module list {@link #modulesByName()} pairs each module with its name in CompVis'
 * {@code ldm/modules/diffusionmodules/openaimodel.py UNetModel} (input_blocks / middle_block /
 * output_blocks), which {@link FullUnetKeys} turns into the key mapping for original single-file checkpoints.
 */
public final class FullUnet extends Network {
    /**
     * @param inChannels     latent channels (also the output's)
     * @param blockOut       diffusers {@code block_out_channels}
     * @param attention      per level: cross-attention blocks (CrossAttn*Block2D) or plain ones
     * @param layersPerBlock diffusers {@code layers_per_block}
     * @param heads          attention heads of every transformer (SD 1.x: {@code attention_head_dim} 8 is the head count)
     * @param contextDim     {@code cross_attention_dim}; 0 when the UNet has no context (AudioLDM: diffusers'
     *                       {@code cross_attention_dim} = block_out_channels and no encoder_hidden_states, so each
     *                       attn2 is a second self-attention with to_k/to_v of the block's own width)
     * @param groups         GroupNorm groups ({@code norm_num_groups})
     * @param frames         video frames per sample for motion modules, 0 for an image UNet
     * @param motionHeads    heads of each motion module
     * @param motionMid      whether the mid block holds a motion module (AnimateDiff v2)
     * @param jointFrameNorm whether the resnets' and conv_norm_out's GroupNorms normalize each video over all
     *                       its frames (AnimateDiff v1, {@code use_inflated_groupnorm: false}) instead of per frame
     * @param motionJointNorm whether each motion module's GroupNorm normalizes a video's frames together and its
     *                       feed-forward rows run (b h w f): diffusers' AnimateDiffTransformer3D (MotionAdapter
     *                       checkpoints); the original AnimateDiff normalizes per frame with rows (b f h w)
     * @param classEmbedDim  width of a vector condition with diffusers' {@code class_embed_type "simple_projection"}
     *                       and {@code class_embeddings_concat}: {@code class_embedding} (a Linear to the time-embedding
     *                       width) is concatenated to the time embedding, so resnets read twice its width (AudioLDM's
     *                       CLAP embedding, 512); 0 for none
     * @param headChannels   channels per head of every transformer instead of a fixed head count (CompVis'
     *                       {@code num_head_channels}: AudioLDM's original UNet has heads of 32 channels), 0 to use {@code heads}
     */
    public record Config(int inChannels, int[] blockOut, boolean[] attention, int layersPerBlock, int heads,
                         int contextDim, int groups, int frames, int motionHeads, boolean motionMid, boolean jointFrameNorm,
                         boolean motionJointNorm, int classEmbedDim, int headChannels) {
        public Config {
            blockOut = blockOut.clone();
            attention = attention.clone();
            if (blockOut.length != attention.length || blockOut.length < 1) {
                throw new IllegalArgumentException("one attention flag per level");
            }
            for (int i = 0; i < blockOut.length; i++) {
                if (attention[i] && headChannels > 0 && blockOut[i] % headChannels != 0) {
                    throw new IllegalArgumentException(blockOut[i] + " channels do not split into heads of " + headChannels);
                }
            }
        }

        /** A config with {@code heads} attention heads at every width. */
        public Config(int inChannels, int[] blockOut, boolean[] attention, int layersPerBlock, int heads,
                      int contextDim, int groups, int frames, int motionHeads, boolean motionMid, boolean jointFrameNorm,
                      boolean motionJointNorm, int classEmbedDim) {
            this(inChannels, blockOut, attention, layersPerBlock, heads, contextDim, groups, frames, motionHeads, motionMid,
                    jointFrameNorm, motionJointNorm, classEmbedDim, 0);
        }

        /** This config with heads of {@code channels} channels each. */
        public Config withHeadChannels(int channels) {
            return new Config(inChannels, blockOut, attention, layersPerBlock, heads, contextDim, groups, frames, motionHeads, motionMid,
                    jointFrameNorm, motionJointNorm, classEmbedDim, channels);
        }

        /** The attention heads of a transformer of {@code channels} channels. */
        public int headsAt(int channels) {
            return headChannels > 0 ? channels / headChannels : heads;
        }

        @Override
        public int[] blockOut() {
            return blockOut.clone();
        }

        @Override
        public boolean[] attention() {
            return attention.clone();
        }

        int levels() {
            return blockOut.length;
        }

        int tembDim() {
            return 4 * blockOut[0];
        }

        /** What each resnet's time_emb_proj reads: the time embedding, with the class embedding concatenated. */
        int resnetEmbDim() {
            return classEmbedDim > 0 ? 2 * tembDim() : tembDim();
        }
    }

    /** A module with its diffusers and CompVis prefixes; {@code resnet} modules also rename their layers. */
    record Module(String diffusers, String compVis, boolean resnet) {
    }

    private final Config c;
    private final List<Module> modules = new ArrayList<>();
    private final ResBlock[][] downRes;
    private final SpatialTransformer[][] downAttn;
    private final TemporalTransformer[][] downMotion;
    private final ResBlock midRes0;
    private final SpatialTransformer midAttn;
    private final TemporalTransformer midMotion;
    private final ResBlock midRes1;
    private final ResBlock[][] upRes;
    private final SpatialTransformer[][] upAttn;
    private final TemporalTransformer[][] upMotion;

    public FullUnet(NDManager manager, Config config) {
        super(manager);
        this.c = config;
        int levels = c.levels();
        int layers = c.layersPerBlock();
        int temb = c.tembDim();
        int[] ch = c.blockOut;
        conv("conv_in", "input_blocks.0.0", ch[0], c.inChannels(), 3);
        linear("time_embedding.linear_1", "time_embed.0", temb, ch[0]);
        linear("time_embedding.linear_2", "time_embed.2", temb, temb);
        if (c.classEmbedDim() > 0) {
            // AudioLDM's original UNet calls it film_emb (diffusers' convert_original_audioldm_to_diffusers.py)
            linear("class_embedding", "film_emb", temb, c.classEmbedDim());
        }
        downRes = new ResBlock[levels][layers];
        downAttn = new SpatialTransformer[levels][layers];
        downMotion = new TemporalTransformer[levels][layers];
        int in = ch[0];
        // CompVis input_blocks: [0] conv_in, then per level `layers` x [ResBlock(, SpatialTransformer)], then [Downsample]
        int inputBlock = 1;
        for (int level = 0; level < levels; level++) {
            String b = "down_blocks." + level;
            for (int j = 0; j < layers; j++) {
                downRes[level][j] = resnet(b + ".resnets." + j, "input_blocks." + inputBlock + ".0", in, ch[level]);
                in = ch[level];
                if (c.attention[level]) {
                    downAttn[level][j] = transformer(b + ".attentions." + j, "input_blocks." + inputBlock + ".1", in, s,
                            "down." + level + ".attn." + j + ".ff");
                }
                downMotion[level][j] = motion(b + ".motion_modules." + j, in, s, "down." + level + ".motion." + j + ".ff");
                inputBlock++;
            }
            if (level < levels - 1) {
                conv(b + ".downsamplers.0.conv", "input_blocks." + inputBlock + ".0.op", in, in, 3);
                inputBlock++;
            }
        }
        int deep = ch[levels - 1];
        midRes0 = resnet("mid_block.resnets.0", "middle_block.0", deep, deep);
        midAttn = transformer("mid_block.attentions.0", "middle_block.1", deep, s, "mid.attn.0.ff");
        midMotion = c.motionMid() ? motion("mid_block.motion_modules.0", deep, s, "mid.motion.0.ff") : null;
        midRes1 = resnet("mid_block.resnets.1", "middle_block.2", deep, deep);
        upRes = new ResBlock[levels][layers + 1];
        upAttn = new SpatialTransformer[levels][layers + 1];
        upMotion = new TemporalTransformer[levels][layers + 1];
        // the skip widths in the order the up path pops them: conv_in, each down resnet/transformer, each downsampler
        List<Integer> skips = new ArrayList<>();
        skips.add(ch[0]);
        for (int level = 0; level < levels; level++) {
            for (int j = 0; j < layers; j++) {
                skips.add(ch[level]);
            }
            if (level < levels - 1) {
                skips.add(ch[level]);
            }
        }
        int prev = deep;
        int outputBlock = 0;
        for (int u = 0; u < levels; u++) {
            int level = levels - 1 - u;
            String b = "up_blocks." + u;
            for (int j = 0; j <= layers; j++) {
                int skip = skips.remove(skips.size() - 1);
                upRes[u][j] = resnet(b + ".resnets." + j, "output_blocks." + outputBlock + ".0", prev + skip, ch[level]);
                prev = ch[level];
                int next = 1;
                if (c.attention[level]) {
                    upAttn[u][j] = transformer(b + ".attentions." + j, "output_blocks." + outputBlock + ".1", prev, s,
                            "up." + u + ".attn." + j + ".ff");
                    next = 2;
                }
                upMotion[u][j] = motion(b + ".motion_modules." + j, prev, s, "up." + u + ".motion." + j + ".ff");
                if (j == layers && level > 0) {
                    conv(b + ".upsamplers.0.conv", "output_blocks." + outputBlock + "." + next + ".conv", prev, prev, 3);
                }
                outputBlock++;
            }
        }
        if (!skips.isEmpty()) {
            throw new IllegalStateException("skip connections left over: " + skips);
        }
        p.declare("conv_norm_out.weight", ch[0]);
        p.declare("conv_norm_out.bias", ch[0]);
        modules.add(new Module("conv_norm_out", "out.0", false));
        conv("conv_out", "out.2", c.inChannels(), ch[0], 3);
    }

    private void conv(String name, String compVis, int out, int in, int k) {
        p.declare(name + ".weight", out, in, k, k);
        p.declare(name + ".bias", out);
        modules.add(new Module(name, compVis, false));
    }

    private void linear(String name, String compVis, int out, int in) {
        p.declare(name + ".weight", out, in);
        p.declare(name + ".bias", out);
        modules.add(new Module(name, compVis, false));
    }

    private ResBlock resnet(String name, String compVis, int in, int out) {
        modules.add(new Module(name, compVis, true));
        // diffusers ResnetBlock2D: resnet_eps 1e-5, output_scale_factor 1, time embedding added after conv1
        return new ResBlock(p, name, in, out, c.resnetEmbDim(), c.groups(), 1e-5f, c.jointFrameNorm() ? c.frames() : 0);
    }

    private SpatialTransformer transformer(String name, String compVis, int ch, Sites s, String site) {
        modules.add(new Module(name, compVis, false));
        // Transformer2DModel: GroupNorm eps 1e-6, 1x1-conv proj_in/proj_out (use_linear_projection False), depth 1
        return new SpatialTransformer(p, name, ch, c.contextDim() > 0 ? c.contextDim() : ch, c.headsAt(ch), 1, c.groups(), s, site);
    }

    private TemporalTransformer motion(String name, int ch, Sites s, String site) {
        if (c.frames() == 0) {
            return null;
        }
        // AnimateDiff VanillaTemporalModule: all its weights live under .temporal_transformer (FullUnetKeys renames
        // a MotionAdapter's keys to these)
        String prefix = name + ".temporal_transformer";
        return c.motionJointNorm()
                ? new TemporalTransformer(p, prefix, ch, c.motionHeads(), c.frames(), c.groups(), s, site)
                : TemporalTransformer.perFrameNorm(p, prefix, ch, c.motionHeads(), c.frames(), c.groups(), s, site);
    }

    public Config config() {
        return c;
    }

    /** Total number of declared parameter values. */
    public long parameterCount() {
        long n = 0;
        for (long[] shape : p.spec().values()) {
            n += new Shape(shape).size();
        }
        return n;
    }

    /**
     * Predicted noise.
     *
     * @param x       (N, inChannels, H, W); for video N = samples x frames, each sample's frames consecutive
     * @param t       (N) timesteps as floats
     * @param context (N, tokens, contextDim) cross-attention context
     */
    public NDArray forward(NDArray x, NDArray t, NDArray context, GeluTap tap) {
        return forward(x, t, context, null, tap);
    }

    /**
     * @param context  null for a UNet without context ({@code contextDim} 0)
     * @param classCond (N, classEmbedDim) for a UNet with a class embedding, else null
     */
    public NDArray forward(NDArray x, NDArray t, NDArray context, NDArray classCond, GeluTap tap) {
        int levels = c.levels();
        int layers = c.layersPerBlock();
        NDArray temb = Embeddings.timestep(t, c.blockOut[0], true, 0, 10000);
        temb = Nn.linear(Nn.silu(Nn.linear(temb, p, "time_embedding.linear_1")), p, "time_embedding.linear_2");
        if (c.classEmbedDim() > 0) {
            temb = NDArrays.concat(new NDList(temb, Nn.linear(classCond, p, "class_embedding")), 1);
        }
        NDArray h = Nn.conv2d(x, p.get("conv_in.weight"), p.get("conv_in.bias"), 1);
        List<NDArray> skips = new ArrayList<>();
        skips.add(h);
        for (int level = 0; level < levels; level++) {
            for (int j = 0; j < layers; j++) {
                h = block(downRes[level][j], downAttn[level][j], downMotion[level][j], h, null, temb, context, tap);
                skips.add(h);
            }
            if (level < levels - 1) {
                String w = "down_blocks." + level + ".downsamplers.0.conv";
                h = Nn.conv2d(h, p.get(w + ".weight"), p.get(w + ".bias"), 2, 1);
                skips.add(h);
            }
        }
        h = block(midRes0, midAttn, midMotion, h, null, temb, context, tap);
        h = block(midRes1, null, null, h, null, temb, context, tap);
        for (int u = 0; u < levels; u++) {
            for (int j = 0; j <= layers; j++) {
                NDArray skip = skips.remove(skips.size() - 1);
                h = block(upRes[u][j], upAttn[u][j], upMotion[u][j], h, skip, temb, context, tap);
            }
            if (u < levels - 1) {
                String w = "up_blocks." + u + ".upsamplers.0.conv";
                h = Nn.conv2d(h.repeat(2, 2).repeat(3, 2), p.get(w + ".weight"), p.get(w + ".bias"), 1);
            }
        }
        h = Nn.silu(ResBlock.groupNorm(h, c.groups(), p.get("conv_norm_out.weight"), p.get("conv_norm_out.bias"), 1e-5f,
                c.jointFrameNorm() ? c.frames() : 0));
        return Nn.conv2d(h, p.get("conv_out.weight"), p.get("conv_out.bias"), 1);
    }

    /**
     * Resnet (on [h; skip] when a skip is given), transformer, motion module. Every intermediate is freed
     * when the block ends, so a full-size call holds one block's working set (at 64 x 64 a transformer's
     * attention alone is gigabytes) plus the skip connections, not the whole UNet's. Inference only:
     * backward would need the freed intermediates.
     */
    private static NDArray block(ResBlock res, SpatialTransformer attn, TemporalTransformer motion, NDArray h, NDArray skip,
                                 NDArray temb, NDArray context, GeluTap tap) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            out = res.forward(skip == null ? h : NDArrays.concat(new NDList(h, skip), 1), temb);
            if (attn != null) {
                out = attn.forward(out, context, tap);
            }
            if (motion != null) {
                out = motion.forward(out, tap);
            }
            NDScope.unregister(out);
        }
        // back into the caller's scope (the sampler's step), if there is one
        NDScope.register(out);
        return out;
    }

    /** Module prefixes by diffusers name, for the key mapping. */
    Map<String, Module> modulesByName() {
        Map<String, Module> m = new LinkedHashMap<>();
        for (Module mod : modules) {
            m.put(mod.diffusers(), mod);
        }
        return m;
    }
}
