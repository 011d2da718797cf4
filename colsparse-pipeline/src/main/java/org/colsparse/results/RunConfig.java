package org.colsparse.results;

import org.colsparse.layout.LayoutKind;
import org.colsparse.systolic.Dataflow;

import java.util.List;

/**
 * The settings of a run as results.json's {@code config} lists them (the report's provenance
 * prints every one, in this order).
 *
 * @param dram            the memory model and its preset, e.g. "gddr6 ramulator2-gddr6"
 * @param tileRowsPrimary the array's rows: the tile height every headline number is at
 * @param calls           how samples map to denoiser calls, in words
 */
public record RunConfig(String array, Dataflow dataflow, String dram, int wordBytes, double arrayClockMhz, double primaryThreshold,
                        List<Double> thresholds, List<Integer> tileRows, int tileRowsPrimary, long seed, int timestepBuckets,
                        String preset, int maskCalls, int simulatedCalls, String calls, List<LayoutKind> layouts, String taxonomyRule,
                        String siteRule) {
    public Primary primary() {
        return new Primary(primaryThreshold, tileRowsPrimary);
    }
}
