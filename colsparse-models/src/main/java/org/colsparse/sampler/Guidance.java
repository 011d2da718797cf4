package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/** Classifier-free guidance (Ho & Salimans 2022). */
public final class Guidance {
    private Guidance() {
    }

    /**
     * Wraps a conditional model into a guided one. Each step makes ONE denoiser call on the batch
     * {@code [x; x]}: the model must treat the first half as conditional and the second as
     * unconditional rows (so a site's tiles see both halves as one GEMM, docs/definitions.md). Returns
     * {@code eps_u + scale * (eps_c - eps_u)}.
     */
    public static EpsModel classifierFree(EpsModel pairedModel, double scale) {
        float s = (float) scale;
        return (x, t) -> {
            NDArray both = pairedModel.predict(NDArrays.concat(new NDList(x, x), 0), t);
            long b = x.getShape().get(0);
            NDArray cond = both.get("0:" + b);
            NDArray uncond = both.get(b + ":");
            return uncond.add(cond.sub(uncond).mul(s));
        };
    }
}
