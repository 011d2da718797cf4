package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import org.colsparse.workload.SiteRole;

/**
 * The SD-family feed-forward: {@code net.0.proj} maps dim to 2 x inner, split into value and gate,
 * {@code h = value * gelu(gate)}, then {@code net.2} maps back. The site is gelu(gate) (docs/definitions.md):
 * its columns decide which columns of h, the down-projection's input, are skippable.
 */
public final class GegluFeedForward {
    private final Params p;
    private final String prefix;
    private final int inner;
    private final GeluSite site;

    public GegluFeedForward(Params p, String prefix, int dim, int mult, Sites sites, String siteName) {
        this.p = p;
        this.prefix = prefix;
        this.inner = dim * mult;
        p.declare(prefix + ".net.0.proj.weight", 2L * inner, dim);
        p.declare(prefix + ".net.0.proj.bias", 2L * inner);
        p.declare(prefix + ".net.2.weight", dim, inner);
        p.declare(prefix + ".net.2.bias", dim);
        site = sites.add(siteName, inner, GeluForm.EXACT, SiteLayout.CHANNEL_LAST, SiteRole.GEGLU_GATE);
    }

    public GeluSite site() {
        return site;
    }

    /** @param x (..., dim) */
    public NDArray forward(NDArray x, GeluTap tap) {
        NDArray proj = Nn.linear(x, p, prefix + ".net.0.proj");
        NDArray value = proj.get("..., 0:" + inner);
        NDArray gate = proj.get("..., " + inner + ":");
        // h = value * gelu(gate): a column of h is zero wherever the gate's is, so net.2 skips with the gate's mask
        NDArray h = value.mul(site.apply(gate, tap));
        GemmRecorder.siteOutput(h, site);
        return Nn.linear(h, p, prefix + ".net.2");
    }
}
