package org.colsparse.denoiser;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.GeluSite;
import org.colsparse.workload.SiteRole;

import java.util.List;
import java.util.function.Function;

/**
 * A GELU site as a workload lists it, before any weights are loaded: one batch entry's view of a
 * {@link GeluSite}, with what its output feeds. A full-size runtime derives its list from its
 * shapes ({@link #of}); a tiny one states it. The live site of a loaded network is
 * {@link org.colsparse.runtime.GeluSite}, which adds its index, GELU function and channel axis.
 *
 * @param rowsPerSample M contributed by one sample in one denoiser call (tokens, positions or 1)
 */
public record SiteSpec(String name, int channels, long rowsPerSample, SiteRole role) {

    /** The listed site of a full-size shape: K channels, the rows of one batch entry. */
    public static SiteSpec of(GeluSite site, SiteRole role) {
        return new SiteSpec(site.name(), Math.toIntExact(site.k()), site.tokensPerSample(), role);
    }

    /** {@link #of} for every site of {@code preset}, in its order, each with the role {@code role} gives it. */
    public static List<SiteSpec> list(FullPreset preset, Function<GeluSite, SiteRole> role) {
        return preset.sites().stream().map(s -> of(s, role.apply(s))).toList();
    }
}
