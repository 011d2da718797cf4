package org.colsparse.denoiser;

import org.colsparse.workload.SiteRole;

/**
 * A GELU site as a workload lists it, before any weights are loaded.
 *
 * @param rowsPerSample M contributed by one sample in one denoiser call (tokens, positions or 1)
 */
public record SiteSpec(String name, int channels, long rowsPerSample, SiteRole role) {
}
