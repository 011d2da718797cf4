package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedNetwork;
import org.colsparse.runtime.GaussianPair;

import java.util.SplittableRandom;

/** A loaded text-guided UNet workload (sd15, audioldm, animatediff): its prompts and its starting noise. */
abstract class FullUnetLoaded extends LoadedNetwork<FullUnet> {
    /** The conditional and unconditional prompt embeddings. */
    final FullConditions.CfgPair text;

    FullUnetLoaded(DenoiserInfo info, FullUnet unet, FullConditions.CfgPair text) {
        super(info, unet);
        this.text = text;
    }

    /** x_T: standard normal latents from the run's seed. */
    static NDArray noise(NDManager run, Shape shape, long seed) {
        return run.create(GaussianPair.floats(new SplittableRandom(seed), Math.toIntExact(shape.size())), shape);
    }

    /** One preview row label per sample: its prompt's. */
    String[] promptLabels(long samples) {
        String[] rows = new String[Math.toIntExact(samples)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = text.label(i);
        }
        return rows;
    }
}
