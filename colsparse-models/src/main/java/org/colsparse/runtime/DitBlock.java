package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.colsparse.workload.SiteRole;

/**
 * A DiT block with adaLN-Zero (Peebles & Xie 2023; facebookresearch/DiT names: norm1, attn.qkv,
 * attn.proj, norm2, mlp.fc1, mlp.fc2, adaLN_modulation.1). The MLP uses tanh GELU: that is the site.
 */
public final class DitBlock {
    private final Params p;
    private final String prefix;
    private final int dim;
    private final int heads;
    private final GeluSite site;

    public DitBlock(Params p, String prefix, int dim, int heads, int mlpRatio, Sites sites, String siteName) {
        this.p = p;
        this.prefix = prefix;
        this.dim = dim;
        this.heads = heads;
        p.declare(prefix + ".attn.qkv.weight", 3L * dim, dim);
        p.declare(prefix + ".attn.qkv.bias", 3L * dim);
        p.declare(prefix + ".attn.proj.weight", dim, dim);
        p.declare(prefix + ".attn.proj.bias", dim);
        p.declare(prefix + ".mlp.fc1.weight", (long) dim * mlpRatio, dim);
        p.declare(prefix + ".mlp.fc1.bias", (long) dim * mlpRatio);
        p.declare(prefix + ".mlp.fc2.weight", dim, (long) dim * mlpRatio);
        p.declare(prefix + ".mlp.fc2.bias", dim);
        p.declare(prefix + ".adaLN_modulation.1.weight", 6L * dim, dim);
        p.declare(prefix + ".adaLN_modulation.1.bias", 6L * dim);
        site = sites.add(siteName, dim * mlpRatio, GeluForm.TANH, SiteLayout.CHANNEL_LAST, SiteRole.MLP);
    }

    /** @param x (B, N, dim) tokens; c (B, dim) timestep + class conditioning */
    public NDArray forward(NDArray x, NDArray c, GeluTap tap) {
        NDArray mod = Nn.linear(Nn.silu(c), p, prefix + ".adaLN_modulation.1").expandDims(1);
        NDArray[] m = new NDArray[6];
        for (int i = 0; i < 6; i++) {
            m[i] = mod.get(":, :, " + i * dim + ":" + (i + 1) * dim);
        }
        Shape norm = new Shape(dim);
        NDArray h = modulate(Nn.layerNorm(x, norm, null, null, 1e-6f), m[0], m[1]);
        NDArray qkv = Nn.linear(h, p, prefix + ".attn.qkv");
        NDArray a = Nn.attention(qkv.get("..., 0:" + dim), qkv.get("..., " + dim + ":" + 2 * dim), qkv.get("..., " + 2 * dim + ":"), heads);
        x = x.add(m[2].mul(Nn.linear(a, p, prefix + ".attn.proj")));
        h = modulate(Nn.layerNorm(x, norm, null, null, 1e-6f), m[3], m[4]);
        h = Nn.linear(site.apply(Nn.linear(h, p, prefix + ".mlp.fc1"), tap), p, prefix + ".mlp.fc2");
        return x.add(m[5].mul(h));
    }

    private static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
        return x.mul(scale.add(1f)).add(shift);
    }
}
