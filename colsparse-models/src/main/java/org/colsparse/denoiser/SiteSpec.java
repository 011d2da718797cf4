package org.colsparse.denoiser;

/**
 * A GELU site as a workload lists it, before any weights are loaded.
 *
 * @param rowsPerSample M contributed by one sample in one denoiser call (tokens, positions or 1)
 */
public record SiteSpec(String name, int channels, long rowsPerSample, String role) {
}
