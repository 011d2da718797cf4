package org.colsparse.workload;

import java.util.List;

/**
 * Every GEMM of one full-size denoiser call of a workload, the GELU sites among them, and the
 * denoiser's parameter count (all weights, biases, norm affines, embeddings and learned position
 * tables; frozen text/audio encoders, VAEs and vocoders are not part of the denoiser).
 *
 * @param config one line naming the model and the size it was built for
 */
public record FullPreset(String workload, String config, List<Gemm> gemms, List<GeluSite> sites, long parameters) {
    public FullPreset {
        gemms = List.copyOf(gemms);
        sites = List.copyOf(sites);
    }

    public long macs() {
        long total = 0;
        for (Gemm g : gemms) {
            total += g.macs();
        }
        return total;
    }

    /** MACs of the GEMMs that read a GELU output: the only ones column skipping can shorten. */
    public long consumerMacs() {
        long total = 0;
        for (Gemm g : gemms) {
            if (g.consumesGelu()) {
                total += g.macs();
            }
        }
        return total;
    }

    public GeluSite site(String name) {
        for (GeluSite s : sites) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no GELU site " + name + " in " + workload);
    }

    public Gemm gemm(String name) {
        for (Gemm g : gemms) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("no GEMM " + name + " in " + workload);
    }
}
