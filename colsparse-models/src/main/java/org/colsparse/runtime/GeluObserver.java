package org.colsparse.runtime;

/** Receives each site's output, one denoiser call at a time, in the docs/definitions.md channel-last view. */
@FunctionalInterface
public interface GeluObserver {
    /**
     * @param site the site that produced the output
     * @param data {@code rows x site.channels()} values, row-major; owned by the caller after return
     * @param rows M of this call (batch times tokens or positions)
     */
    void accept(GeluSite site, float[] data, int rows);
}
