package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.runtime.Embeddings;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;
import org.colsparse.runtime.ResBlock;
import org.colsparse.runtime.SpatialTransformer;
import org.colsparse.runtime.TemporalTransformer;
import org.colsparse.workload.SiteRole;

import java.util.ArrayList;
import java.util.List;

/**
 * A tiny SD-style UNet (diffusers UNet2DConditionModel layout, three resolutions): conv_in; down
 * blocks [ResBlock] -> [ResBlock + SpatialTransformer] -> [ResBlock + SpatialTransformer] with
 * stride-2 downsamplers; mid block ResBlock, SpatialTransformer, ResBlock; up blocks mirroring the
 * down path (skip concat, ResBlock, SpatialTransformer where the down block had one, nearest 2x
 * upsampler + conv); GroupNorm, SiLU, conv_out. Every SpatialTransformer is self-attention,
 * cross-attention to the context tokens, GEGLU FFN (ratio 4): the GEGLU gate is the GELU site.
 * The class label becomes {@code contextTokens} learned context tokens (SD's text-encoder states).
 */
public final class TinyUnet extends Network implements TinyNet {
    private final int[] ch;
    private final int contextTokens;
    private final int contextDim;
    private final int classes;
    private final int tembDim;
    private final ResBlock[] down = new ResBlock[3];
    private final SpatialTransformer[] downAttn = new SpatialTransformer[3];
    private final ResBlock mid1;
    private final ResBlock mid2;
    private final SpatialTransformer midAttn;
    private final ResBlock[] up = new ResBlock[3];
    private final SpatialTransformer[] upAttn = new SpatialTransformer[3];
    private final int groups;
    private final int frames;
    private final TemporalTransformer[] downMotion = new TemporalTransformer[3];
    private final TemporalTransformer midMotion;
    private final TemporalTransformer[] upMotion = new TemporalTransformer[3];

    /**
     * The sites a UNet of these channels declares, in forward order, for a side x side input: the
     * GEGLU gate of each spatial transformer (down 1 and 2, mid, up 0 and 1, at side/2, side/4,
     * side/4, side/4 and side/2 px), with {@code frames > 0} each followed by its motion module's.
     */
    static List<SiteSpec> siteSpecs(int[] ch, int side, int frames) {
        String[] blocks = {"down_blocks.1", "down_blocks.2", "mid_block", "up_blocks.0", "up_blocks.1"};
        int[] px = {side / 2, side / 4, side / 4, side / 4, side / 2};
        int inner = 4 * ch[1];
        List<SiteSpec> sites = new ArrayList<>();
        for (int i = 0; i < blocks.length; i++) {
            long rows = (long) Math.max(frames, 1) * px[i] * px[i];
            sites.add(new SiteSpec(blocks[i] + ".attentions.0.geglu", inner, rows, SiteRole.GEGLU_GATE));
            if (frames > 0) {
                sites.add(new SiteSpec(blocks[i] + ".motion_modules.0.geglu", inner, rows, SiteRole.TEMPORAL_GEGLU_GATE));
            }
        }
        return List.copyOf(sites);
    }

    /** @param ch channels of the three resolutions, e.g. {16, 32, 32} */
    public TinyUnet(NDManager manager, int inChannels, int[] ch, int classes, int contextTokens, int heads, int groups) {
        this(manager, inChannels, ch, classes, contextTokens, heads, groups, 0);
    }

    /**
     * @param frames 0 for an image UNet; else AnimateDiff's layout: a motion module (temporal transformer over
     *               {@code frames} frames) after every spatial transformer, input (B, frames, H, W) single-channel video
     */
    public TinyUnet(NDManager manager, int inChannels, int[] ch, int classes, int contextTokens, int heads, int groups, int frames) {
        super(manager);
        this.frames = frames;
        this.ch = ch.clone();
        this.classes = classes;
        this.contextTokens = contextTokens;
        this.contextDim = ch[1];
        this.groups = groups;
        this.tembDim = 4 * ch[0];
        p.declare("conv_in.weight", ch[0], inChannels, 3, 3);
        p.declare("conv_in.bias", ch[0]);
        p.declare("time_embedding.linear_1.weight", tembDim, ch[0]);
        p.declare("time_embedding.linear_1.bias", tembDim);
        p.declare("time_embedding.linear_2.weight", tembDim, tembDim);
        p.declare("time_embedding.linear_2.bias", tembDim);
        p.declare("context_embedding.weight", classes + 1, (long) contextTokens * contextDim);
        int prev = ch[0];
        for (int i = 0; i < 3; i++) {
            String b = "down_blocks." + i;
            down[i] = new ResBlock(p, b + ".resnets.0", prev, ch[i], tembDim, groups, 1e-5f);
            if (i > 0) {
                downAttn[i] = new SpatialTransformer(p, b + ".attentions.0", ch[i], contextDim, heads, 1, groups, s,
                        b + ".attentions.0.geglu");
                if (frames > 0) {
                    downMotion[i] = new TemporalTransformer(p, b + ".motion_modules.0", ch[i], heads, frames, groups, s,
                            b + ".motion_modules.0.geglu");
                }
            }
            if (i < 2) {
                p.declare(b + ".downsamplers.0.conv.weight", ch[i], ch[i], 3, 3);
                p.declare(b + ".downsamplers.0.conv.bias", ch[i]);
            }
            prev = ch[i];
        }
        mid1 = new ResBlock(p, "mid_block.resnets.0", ch[2], ch[2], tembDim, groups, 1e-5f);
        midAttn = new SpatialTransformer(p, "mid_block.attentions.0", ch[2], contextDim, heads, 1, groups, s, "mid_block.attentions.0.geglu");
        midMotion = frames > 0 ? new TemporalTransformer(p, "mid_block.motion_modules.0", ch[2], heads, frames, groups, s,
                "mid_block.motion_modules.0.geglu") : null;
        mid2 = new ResBlock(p, "mid_block.resnets.1", ch[2], ch[2], tembDim, groups, 1e-5f);
        prev = ch[2];
        for (int j = 0; j < 3; j++) {
            int level = 2 - j;
            String b = "up_blocks." + j;
            up[j] = new ResBlock(p, b + ".resnets.0", prev + ch[level], ch[level], tembDim, groups, 1e-5f);
            if (level > 0) {
                upAttn[j] = new SpatialTransformer(p, b + ".attentions.0", ch[level], contextDim, heads, 1, groups, s,
                        b + ".attentions.0.geglu");
                if (frames > 0) {
                    upMotion[j] = new TemporalTransformer(p, b + ".motion_modules.0", ch[level], heads, frames, groups, s,
                            b + ".motion_modules.0.geglu");
                }
                p.declare(b + ".upsamplers.0.conv.weight", ch[level], ch[level], 3, 3);
                p.declare(b + ".upsamplers.0.conv.bias", ch[level]);
            }
            prev = ch[level];
        }
        p.declare("conv_norm_out.weight", ch[0]);
        p.declare("conv_norm_out.bias", ch[0]);
        p.declare("conv_out.weight", inChannels, ch[0], 3, 3);
        p.declare("conv_out.bias", inChannels);
    }

    @Override
    public NDArray predict(NDArray x, NDArray t, NDArray cond, GeluTap tap) {
        if (frames > 0) {
            // video (B, F, H, W) -> frames as a batch of images, each video's frames consecutive (AnimateDiff's layout)
            Shape vs = x.getShape();
            NDArray out = predictImages(x.reshape(vs.get(0) * frames, 1, vs.get(2), vs.get(3)), t.repeat(0, frames), cond.repeat(0, frames), tap);
            return out.reshape(vs);
        }
        return predictImages(x, t, cond, tap);
    }

    private NDArray predictImages(NDArray x, NDArray t, NDArray cond, GeluTap tap) {
        long b = x.getShape().get(0);
        NDArray temb = Embeddings.timestep(t, ch[0], true, 0, 10000);
        temb = Nn.linear(Nn.silu(Nn.linear(temb, p, "time_embedding.linear_1")), p, "time_embedding.linear_2");
        NDArray context = cond.matMul(p.get("context_embedding.weight")).reshape(b, contextTokens, contextDim);
        NDArray h = Nn.conv2d(x, p.get("conv_in.weight"), p.get("conv_in.bias"), 1);
        NDArray[] skips = new NDArray[3];
        for (int i = 0; i < 3; i++) {
            h = down[i].forward(h, temb);
            if (downAttn[i] != null) {
                h = downAttn[i].forward(h, context, tap);
                if (downMotion[i] != null) {
                    h = downMotion[i].forward(h, tap);
                }
            }
            skips[i] = h;
            if (i < 2) {
                String w = "down_blocks." + i + ".downsamplers.0.conv";
                h = Nn.conv2d(h, p.get(w + ".weight"), p.get(w + ".bias"), 2, 1);
            }
        }
        h = mid1.forward(h, temb);
        h = midAttn.forward(h, context, tap);
        if (midMotion != null) {
            h = midMotion.forward(h, tap);
        }
        h = mid2.forward(h, temb);
        for (int j = 0; j < 3; j++) {
            h = up[j].forward(NDArrays.concat(new NDList(h, skips[2 - j]), 1), temb);
            if (upAttn[j] != null) {
                h = upAttn[j].forward(h, context, tap);
                if (upMotion[j] != null) {
                    h = upMotion[j].forward(h, tap);
                }
                String w = "up_blocks." + j + ".upsamplers.0.conv";
                h = Nn.conv2d(h.repeat(2, 2).repeat(3, 2), p.get(w + ".weight"), p.get(w + ".bias"), 1);
            }
        }
        h = Nn.silu(Nn.groupNorm(h, groups, p.get("conv_norm_out.weight"), p.get("conv_norm_out.bias"), 1e-5f));
        return Nn.conv2d(h, p.get("conv_out.weight"), p.get("conv_out.bias"), 1);
    }

    @Override
    public NDArray nullCond(NDArray cond) {
        return Labels.nullLike(cond);
    }
}
