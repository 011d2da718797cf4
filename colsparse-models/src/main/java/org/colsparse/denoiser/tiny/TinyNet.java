package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Params;

import java.util.List;
import java.util.function.Predicate;

/**
 * A tiny denoiser of one workload family: eps-prediction network, its GELU sites, and how its
 * conditioning looks when classifier-free guidance drops it.
 */
public interface TinyNet extends AutoCloseable {
    Params params();

    List<GeluSite> sites();

    /** Fresh seeded weights; families with special inits (DiT's adaLN-Zero) override this. */
    default void initialize(long seed) {
        params().initRandom(seed);
    }

    /**
     * Predicted noise.
     *
     * @param x    noisy samples in the model's data space (B, ...)
     * @param t    (B) training timesteps as floats
     * @param cond (B, ...) conditioning, as {@link TinySpec} builds it
     */
    NDArray predict(NDArray x, NDArray t, NDArray cond, GeluTap tap);

    /** The unconditional rows for {@code cond} (same shape): what CFG and condition dropout use. */
    NDArray nullCond(NDArray cond);

    /** Clean data to the space the denoiser works in (MLD: motion to VAE latent); identity by default. */
    default NDArray encode(NDArray data) {
        return data;
    }

    /** The inverse of {@link #encode} for sampled outputs (MLD decodes latents to motion). */
    default NDArray decode(NDArray sampled) {
        return sampled;
    }

    /** Which parameters the denoising stage trains (all but, e.g., MLD's frozen VAE). */
    default Predicate<String> denoiserParams() {
        return name -> true;
    }

    /** Frees the weights; throws nothing. */
    @Override
    void close();
}
