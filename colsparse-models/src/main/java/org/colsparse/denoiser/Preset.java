package org.colsparse.denoiser;

/**
 * Which size of a workload runs: the tiny trained model that ships with colsparse (ddpm-mnist counts
 * as tiny: it ships too), or the real architecture at full size, which needs the user's checkpoint.
 */
public enum Preset {
    tiny, full
}
