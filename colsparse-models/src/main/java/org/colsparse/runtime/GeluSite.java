package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import org.colsparse.workload.SiteRole;

/**
 * One GELU application in a denoiser (docs/definitions.md "site"). Every GELU of every model is computed by
 * {@link #apply}, the single point where a {@link GeluTap} can watch or sparsify the output.
 *
 * @param index    position in the model's site list; observers key their state by it
 * @param name     stable name used in every output, e.g. {@code blocks.1.gelu}
 * @param channels K of the site's M x K view
 * @param form     exact or tanh GELU
 * @param layout   where the channel axis is
 * @param role     what the GELU feeds, for people reading the output (e.g. {@code conv}, {@code time-mlp}, {@code geglu-gate})
 */
public record GeluSite(int index, String name, int channels, GeluForm form, SiteLayout layout, SiteRole role) {

    /** GELU of {@code x}; with a tap, the (possibly sparsified) output is also handed to its observer. */
    public NDArray apply(NDArray x, GeluTap tap) {
        NDArray y = form.apply(x);
        NDArray out = tap == null ? y : tap.process(this, y);
        GemmRecorder.siteOutput(out, this);
        return out;
    }
}
