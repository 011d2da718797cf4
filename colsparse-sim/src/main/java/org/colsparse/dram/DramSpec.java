package org.colsparse.dram;

/**
 * A device of one standard: organization + timing, selected by Ramulator 2.1 preset names and
 * optionally overridden key by key.
 */
public record DramSpec(DramStandard standard, String orgPreset, String timingPreset, DramOrg org, Timings timing) {

    /** The device with the given presets; unknown names throw IllegalArgumentException. */
    public static DramSpec of(DramStandard standard, String orgPreset, String timingPreset) {
        return new DramSpec(standard, orgPreset, timingPreset, standard.org(orgPreset), standard.timing(timingPreset));
    }

    public DramSpec withOrg(DramOrg o) {
        return new DramSpec(standard, orgPreset, timingPreset, o, timing);
    }

    public DramSpec withTiming(Timings t) {
        return new DramSpec(standard, orgPreset, timingPreset, org, t);
    }
}
