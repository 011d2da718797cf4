package org.colsparse.workload;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The latent-diffusion UNet shared by SD 1.5, AnimateDiff and AudioLDM (CompVis LDM
 * {@code openaimodel.UNetModel}; diffusers {@code UNet2DConditionModel} is the same network), with
 * AnimateDiff's temporal motion modules as an option. Layers are walked in execution order:
 * conv_in, per level {ResBlock, SpatialTransformer, motion module} x layers then a strided-conv
 * downsample, the middle block, per level (layers + 1) x {ResBlock on the skip concatenation,
 * SpatialTransformer, motion module} then nearest-upsample + conv, and norm + conv_out.
 *
 * <p>Naming follows diffusers: {@code down.L}, {@code mid}, {@code up.U} with {@code U = 0} the
 * deepest up block. A transformer's GEGLU site is {@code <block>.attn.<j>.ff}, a motion module's
 * {@code <block>.motion.<j>.ff}.
 *
 * @param channelMult     per-level width multiplier of {@code modelChannels}
 * @param attention       per level: does it hold SpatialTransformers
 * @param heads           fixed head count per transformer (SD 1.5), or 0 to use {@code headChannels}
 * @param headChannels    fixed channels per head (AudioLDM), used when {@code heads == 0}
 * @param contextDim      width of the cross-attention context, or 0 when attn2 is a second self-attention
 * @param contextTokens   tokens of that context per batch entry
 * @param filmDim         width of a FiLM condition vector projected and concatenated to the time embedding, or 0
 * @param frames          video frames per batch entry (1 for images and audio)
 * @param motionHeads     heads of each motion module, or 0 without motion modules
 * @param motionMid       whether the middle block holds a motion module (AnimateDiff v2) or not (v1)
 */
record LatentUNet(int inChannels, int outChannels, int modelChannels, int[] channelMult, boolean[] attention,
                  int layersPerBlock, int heads, int headChannels, int contextDim, int contextTokens,
                  int filmDim, int frames, int motionHeads, boolean motionMid) {

    /** The FFN of every transformer and motion module: GEGLU, inner width 4x (diffusers / LDM {@code FeedForward(mult=4, glu=True)}). */
    static final int FF_MULT = 4;

    FullPreset build(String workload, String config, int batch, int latentH, int latentW) {
        ShapeBuilder b = new ShapeBuilder();
        long images = (long) batch * frames;
        int timeEmbed = 4 * modelChannels;
        // Time embedding MLP on the sinusoidal timestep features (one row per batch entry).
        b.linear("time_embed.linear_1", batch, modelChannels, timeEmbed, true);
        b.linear("time_embed.linear_2", batch, timeEmbed, timeEmbed, true);
        int resnetEmb = timeEmbed;
        if (filmDim > 0) {
            // AudioLDM: film_emb = Linear(CLAP 512 -> time_embed_dim), concatenated to the time embedding,
            // so every ResBlock's emb_layers reads 2 x time_embed_dim (extra_film_use_concat: true).
            b.linear("film_emb", batch, filmDim, timeEmbed, true);
            resnetEmb = 2 * timeEmbed;
        }
        long h = latentH;
        long w = latentW;
        b.conv("conv_in", images, h, w, inChannels, modelChannels, 3, 1, 1);
        Deque<Integer> skips = new ArrayDeque<>();
        skips.push(modelChannels);
        int ch = modelChannels;
        int levels = channelMult.length;
        for (int level = 0; level < levels; level++) {
            int out = channelMult[level] * modelChannels;
            for (int j = 0; j < layersPerBlock; j++) {
                String p = "down." + level;
                resBlock(b, p + ".res." + j, batch, images, h, w, ch, out, resnetEmb);
                ch = out;
                if (attention[level]) {
                    transformer(b, p + ".attn." + j, batch, images, h, w, ch);
                }
                if (motionHeads > 0) {
                    motionModule(b, p + ".motion." + j, batch, h, w, ch);
                }
                skips.push(ch);
            }
            if (level != levels - 1) {
                long[] hw = b.conv("down." + level + ".downsample", images, h, w, ch, ch, 3, 2, 1);
                h = hw[0];
                w = hw[1];
                skips.push(ch);
            }
        }
        resBlock(b, "mid.res.0", batch, images, h, w, ch, ch, resnetEmb);
        transformer(b, "mid.attn.0", batch, images, h, w, ch);
        if (motionHeads > 0 && motionMid) {
            motionModule(b, "mid.motion.0", batch, h, w, ch);
        }
        resBlock(b, "mid.res.1", batch, images, h, w, ch, ch, resnetEmb);
        for (int level = levels - 1; level >= 0; level--) {
            String p = "up." + (levels - 1 - level);
            int out = channelMult[level] * modelChannels;
            for (int j = 0; j <= layersPerBlock; j++) {
                resBlock(b, p + ".res." + j, batch, images, h, w, ch + skips.pop(), out, resnetEmb);
                ch = out;
                if (attention[level]) {
                    transformer(b, p + ".attn." + j, batch, images, h, w, ch);
                }
                if (motionHeads > 0) {
                    motionModule(b, p + ".motion." + j, batch, h, w, ch);
                }
            }
            if (level > 0) {
                // Nearest-neighbour 2x, then a 3x3 conv at the new size.
                h *= 2;
                w *= 2;
                b.conv(p + ".upsample", images, h, w, ch, ch, 3, 1, 1);
            }
        }
        b.norm(ch);
        b.conv("conv_out", images, h, w, ch, outChannels, 3, 1, 1);
        if (!skips.isEmpty()) {
            throw new IllegalStateException("UNet skip stack not consumed: " + skips);
        }
        return b.build(workload, config);
    }

    /** GroupNorm, SiLU, 3x3 conv, time projection, GroupNorm, SiLU, 3x3 conv, 1x1 shortcut when widths differ. */
    private static void resBlock(ShapeBuilder b, String name, int batch, long images, long h, long w, int in, int out, int emb) {
        b.norm(in);
        b.conv(name + ".conv1", images, h, w, in, out, 3, 1, 1);
        // The embedding is per batch entry; video frames share it (AnimateDiff broadcasts over f).
        b.linear(name + ".time_emb_proj", batch, emb, out, true);
        b.norm(out);
        b.conv(name + ".conv2", images, h, w, out, out, 3, 1, 1);
        if (in != out) {
            b.conv(name + ".conv_shortcut", images, h, w, in, out, 1, 1, 0);
        }
    }

    private int headsFor(int ch) {
        return heads > 0 ? heads : ch / headChannels;
    }

    /** SpatialTransformer: GroupNorm, 1x1 proj_in, one BasicTransformerBlock (self-attn, cross-attn, GEGLU FFN), 1x1 proj_out. */
    private void transformer(ShapeBuilder b, String name, int batch, long images, long h, long w, int ch) {
        long tokens = h * w;
        long rows = images * tokens;
        int nHeads = headsFor(ch);
        int headDim = ch / nHeads;
        b.norm(ch);
        b.conv(name + ".proj_in", images, h, w, ch, ch, 1, 1, 0);
        b.norm(ch);
        selfAttention(b, name + ".attn1", rows, images * nHeads, tokens, ch, headDim);
        b.norm(ch);
        if (contextDim > 0) {
            // Cross-attention on the text context; AnimateDiff repeats the context for every frame
            // ('b n c -> (b f) n c'), so K/V are projected per image.
            long ctxRows = images * contextTokens;
            b.linear(name + ".attn2.to_q", rows, ch, ch, false);
            b.linear(name + ".attn2.to_k", ctxRows, contextDim, ch, false);
            b.linear(name + ".attn2.to_v", ctxRows, contextDim, ch, false);
            b.attentionProducts(name + ".attn2", images * nHeads, tokens, contextTokens, headDim);
            b.linear(name + ".attn2.to_out", rows, ch, ch, true);
        } else {
            // AudioLDM's FiLM-conditioned UNet has no context: attn2 falls back to self-attention.
            selfAttention(b, name + ".attn2", rows, images * nHeads, tokens, ch, headDim);
        }
        b.norm(ch);
        feedForward(b, name + ".ff", rows, ch, tokens * frames);
        b.conv(name + ".proj_out", images, h, w, ch, ch, 1, 1, 0);
    }

    /**
     * AnimateDiff VanillaTemporalModule: GroupNorm, Linear proj_in, one TemporalTransformerBlock
     * (two temporal self-attentions over the frame axis, GEGLU FFN), Linear proj_out. The
     * sinusoidal position table is a non-persistent buffer, not a parameter.
     */
    private void motionModule(ShapeBuilder b, String name, int batch, long h, long w, int ch) {
        long rows = (long) batch * frames * h * w;
        int headDim = ch / motionHeads;
        b.norm(ch);
        b.linear(name + ".proj_in", rows, ch, ch, true);
        for (int a = 0; a < 2; a++) {
            b.norm(ch);
            // Attention runs over the f frames of each (batch entry, pixel): '(b f) d c -> (b d) f c'.
            selfAttention(b, name + ".attn" + (a + 1), rows, (long) batch * h * w * motionHeads, frames, ch, headDim);
        }
        b.norm(ch);
        feedForward(b, name + ".ff", rows, ch, frames * h * w);
        b.linear(name + ".proj_out", rows, ch, ch, true);
    }

    private static void selfAttention(ShapeBuilder b, String name, long rows, long instances, long seq, int ch, int headDim) {
        b.linear(name + ".to_q", rows, ch, ch, false);
        b.linear(name + ".to_k", rows, ch, ch, false);
        b.linear(name + ".to_v", rows, ch, ch, false);
        b.attentionProducts(name, instances, seq, seq, headDim);
        b.linear(name + ".to_out", rows, ch, ch, true);
    }

    /** GEGLU: one projection to 2 x inner (value and gate halves); the site is gelu(gate); down-projection reads it. */
    private static void feedForward(ShapeBuilder b, String site, long rows, int ch, long tokensPerSample) {
        int inner = FF_MULT * ch;
        b.linear(site + ".proj", rows, ch, 2L * inner, true);
        b.site(site, rows, inner, tokensPerSample);
        b.linear(site + ".down", rows, inner, ch, true, site);
    }
}
