package org.colsparse.dram;

import org.colsparse.util.Printable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A GDDR6 device: organization + timing, selected by Ramulator 2.1 preset names and optionally
 * overridden key by key.
 */
public record DramSpec(String standard, String orgPreset, String timingPreset, DramOrg org, DramTiming timing) {

    /** GDDR6 prefetch: 16n, so one access moves 16 x channel_width bits. */
    public static final int GDDR6_PREFETCH = 16;

    private static final Map<String, DramOrg> ORG_PRESETS = new LinkedHashMap<>();
    private static final Map<String, DramTiming> TIMING_PRESETS = new LinkedHashMap<>();

    static {
        // Values of Ramulator 2.1's GDDR6 presets (python/ramulator/dram/gddr6.py).
        org("GDDR6_8Gb_x8", 8192, 8, 1 << 14, 1 << 11);
        org("GDDR6_8Gb_x16", 8192, 16, 1 << 14, 1 << 10);
        org("GDDR6_16Gb_x8", 16384, 8, 1 << 15, 1 << 11);
        org("GDDR6_16Gb_x16", 16384, 16, 1 << 14, 1 << 11);
        org("GDDR6_32Gb_x8", 32768, 8, 1 << 16, 1 << 11);
        org("GDDR6_32Gb_x16", 32768, 16, 1 << 15, 1 << 11);
        int[] v1350 = {14000, 2, 24, 27, 16, 27, 53, 79, 27, 4, 6, 2, 4, 8, 8, 9, 11, 29, 106, 15, 3333, 570, 211, 1};
        int[] v1250 = {14000, 2, 24, 30, 20, 30, 60, 90, 30, 4, 6, 2, 4, 11, 11, 9, 11, 43, 106, 22, 3333, 570, 211, 2};
        TIMING_PRESETS.put("GDDR6_14000_1350mV_double", DramTiming.of(v1350));
        TIMING_PRESETS.put("GDDR6_14000_1250mV_double", DramTiming.of(v1250));
        TIMING_PRESETS.put("GDDR6_14000_1350mV_quad", DramTiming.of(v1350));
        TIMING_PRESETS.put("GDDR6_14000_1250mV_quad", DramTiming.of(v1250));
    }

    private static void org(String name, int density, int dq, int rows, int columns) {
        ORG_PRESETS.put(name, new DramOrg(density, dq, 16, 4, 4, rows, columns, GDDR6_PREFETCH));
    }

    public static Set<String> orgPresets() {
        return ORG_PRESETS.keySet();
    }

    public static Set<String> timingPresets() {
        return TIMING_PRESETS.keySet();
    }

    /** The GDDR6 device with the given presets; unknown names throw IllegalArgumentException. */
    public static DramSpec gddr6(String orgPreset, String timingPreset) {
        DramOrg org = ORG_PRESETS.get(orgPreset);
        if (org == null) {
            throw new IllegalArgumentException("unknown GDDR6 org_preset '" + Printable.excerpt(orgPreset) + "' (known: "
                    + ORG_PRESETS.keySet() + ")");
        }
        DramTiming timing = TIMING_PRESETS.get(timingPreset);
        if (timing == null) {
            throw new IllegalArgumentException("unknown GDDR6 timing_preset '" + Printable.excerpt(timingPreset) + "' (known: "
                    + TIMING_PRESETS.keySet() + ")");
        }
        return new DramSpec("GDDR6", orgPreset, timingPreset, org, timing);
    }

    public DramSpec withOrg(DramOrg o) {
        return new DramSpec(standard, orgPreset, timingPreset, o, timing);
    }

    public DramSpec withTiming(DramTiming t) {
        return new DramSpec(standard, orgPreset, timingPreset, org, t);
    }
}
