package org.colsparse.dram;

import static org.colsparse.dram.DramStandard.RowEffect.CLOSES;
import static org.colsparse.dram.DramStandard.RowEffect.NONE;
import static org.colsparse.dram.DramStandard.RowEffect.OPENS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.colsparse.dram.DramStandard.Command;
import org.colsparse.dram.DramStandard.Constraint;

/** GDDR6 as Ramulator 2.1 defines it (python/ramulator/dram/gddr6.py): levels, commands, constraints, presets. */
final class Gddr6 {
    private Gddr6() {
    }

    private static final String CH = "channel";
    private static final String BG = "bankgroup";
    private static final String BANK = "bank";
    private static final List<String> RD = List.of("RD", "RDA");
    private static final List<String> WR = List.of("WR", "WRA");
    private static final List<String> TIMINGS = List.of("rate", "nBL", "nCL", "nRCDRD", "nRCDWR", "nRP", "nRAS", "nRC", "nWR",
            "nRTP", "nCWL", "nCCDS", "nCCDL", "nRRDS", "nRRDL", "nWTRS", "nWTRL", "nFAW", "nRFCpb", "nRREFD", "nREFI", "tCK_ps",
            "nRFCab", "nPPD");

    static final DramStandard STANDARD = new DramStandard("GDDR6", List.of(CH, BG, BANK),
            List.of(new Command("ACT", BANK, OPENS), new Command("PREab", CH, CLOSES), new Command("PREpb", BANK, CLOSES),
                    new Command("RD", BANK, NONE), new Command("WR", BANK, NONE), new Command("RDA", BANK, CLOSES),
                    new Command("WRA", BANK, CLOSES), new Command("REFab", CH, NONE), new Command("REFpb", BANK, NONE)),
            TIMINGS,
            List.of(
                    // Channel: data-bus occupancy and turnarounds.
                    c(CH, RD, RD, "nBL"),
                    c(CH, WR, WR, "nBL"),
                    c(CH, RD, RD, "nCCDS"),
                    c(CH, WR, WR, "nCCDS"),
                    c(CH, RD, WR, "nCL + 1"),
                    c(CH, WR, RD, "nCWL + nBL + nWTRS"),
                    c(CH, List.of("RD"), List.of("PREab"), "nRTP"),
                    c(CH, List.of("WR"), List.of("PREab"), "nCWL + nBL + nWR"),
                    c(CH, List.of("ACT"), List.of("ACT"), "nRRDS"),
                    new Constraint(CH, List.of("ACT"), List.of("ACT", "REFpb"), "nFAW", 4),
                    new Constraint(CH, List.of("REFpb"), List.of("ACT", "REFpb"), "nFAW", 4),
                    c(CH, List.of("ACT"), List.of("PREab"), "nRAS"),
                    c(CH, List.of("PREab"), List.of("ACT"), "nRP"),
                    c(CH, List.of("PREab", "PREpb"), List.of("PREab", "PREpb"), "nPPD"),
                    // All-bank refresh against row commands.
                    c(CH, List.of("ACT"), List.of("REFab"), "nRC"),
                    c(CH, List.of("PREab"), List.of("REFab"), "nRP"),
                    c(CH, List.of("RDA"), List.of("REFab"), "nRP + nRTP"),
                    c(CH, List.of("WRA"), List.of("REFab"), "nCWL + nBL + nWR + nRP"),
                    c(CH, List.of("REFab"), List.of("ACT", "PREab", "PREpb", "RD", "WR", "RDA", "WRA", "REFab", "REFpb"),
                            "nRFCab"),
                    // Per-bank refresh against row commands.
                    c(CH, List.of("ACT"), List.of("REFpb"), "nRRDS"),
                    c(CH, List.of("PREab"), List.of("REFpb"), "nRP"),
                    c(CH, List.of("RDA"), List.of("REFpb"), "nRP + nRTP"),
                    c(CH, List.of("WRA"), List.of("REFpb"), "nCWL + nBL + nWR + nRP"),
                    c(CH, List.of("REFpb"), List.of("ACT"), "nRREFD"),
                    c(CH, List.of("REFpb"), List.of("REFpb"), "nRREFD"),
                    c(CH, List.of("REFpb"), List.of("REFab"), "nRFCpb"),
                    // Same bank group: the long column-to-column and activate-to-activate spacings.
                    c(BG, RD, RD, "nCCDL"),
                    c(BG, WR, WR, "nCCDL"),
                    c(BG, WR, RD, "nCWL + nBL + nWTRL"),
                    c(BG, List.of("ACT"), List.of("ACT", "REFpb"), "nRRDL"),
                    // Same bank: row cycle.
                    c(BANK, List.of("ACT"), List.of("ACT"), "nRC"),
                    c(BANK, List.of("ACT"), RD, "nRCDRD"),
                    c(BANK, List.of("ACT"), WR, "nRCDWR"),
                    c(BANK, List.of("ACT"), List.of("PREpb"), "nRAS"),
                    c(BANK, List.of("PREpb"), List.of("ACT"), "nRP"),
                    c(BANK, List.of("RD"), List.of("PREpb"), "nRTP"),
                    c(BANK, List.of("WR"), List.of("PREpb"), "nCWL + nBL + nWR"),
                    c(BANK, List.of("RDA"), List.of("ACT"), "nRTP + nRP"),
                    c(BANK, List.of("WRA"), List.of("ACT"), "nCWL + nBL + nWR + nRP"),
                    c(BANK, List.of("ACT"), List.of("REFpb"), "nRC"),
                    c(BANK, List.of("PREpb"), List.of("REFpb"), "nRP"),
                    c(BANK, List.of("RDA"), List.of("REFpb"), "nRP + nRTP"),
                    c(BANK, List.of("WRA"), List.of("REFpb"), "nCWL + nBL + nWR + nRP"),
                    c(BANK, List.of("REFpb"), List.of("ACT", "REFpb"), "nRFCpb")),
            false, "nCL + nBL", "nRFCab", orgs(), timings());

    /**
     * Ramulator 2.1's GDDR6 as the colsparse reference: GDDR6_16Gb_x16, GDDR6_14000_1350mV_double,
     * two channels (CacheLineInterleave), GenericDDR controllers with 32-entry read and write
     * buffers and write-drain watermarks 0.8/0.2, FR-FCFS, all-bank refresh, open rows, RoBaRaCoCh.
     */
    static final Map<String, Supplier<DramConfig>> PRESETS = Map.of(DramConfig.RAMULATOR2_GDDR6,
            () -> new DramConfig(DramConfig.RAMULATOR2_GDDR6, DramSpec.of(STANDARD, "GDDR6_16Gb_x16",
                    "GDDR6_14000_1350mV_double"), 2, 0, 32, 32, 0.2f, 0.8f, "FRFCFS", "AllBank", "Open", 4, "RoBaRaCoCh",
                    "GenericDDR"));

    private static Constraint c(String level, List<String> prev, List<String> next, String latency) {
        return new Constraint(level, prev, next, latency);
    }

    private static Map<String, DramOrg> orgs() {
        Map<String, DramOrg> m = new LinkedHashMap<>();
        org(m, "GDDR6_8Gb_x8", 8192, 8, 1 << 14, 1 << 11);
        org(m, "GDDR6_8Gb_x16", 8192, 16, 1 << 14, 1 << 10);
        org(m, "GDDR6_16Gb_x8", 16384, 8, 1 << 15, 1 << 11);
        org(m, "GDDR6_16Gb_x16", 16384, 16, 1 << 14, 1 << 11);
        org(m, "GDDR6_32Gb_x8", 32768, 8, 1 << 16, 1 << 11);
        org(m, "GDDR6_32Gb_x16", 32768, 16, 1 << 15, 1 << 11);
        return m;
    }

    private static void org(Map<String, DramOrg> m, String name, int density, int dq, int rows, int columns) {
        m.put(name, new DramOrg(density, dq, 16, 4, 4, rows, columns, 16));
    }

    private static Map<String, Timings> timings() {
        Timings v1350 = new Timings(TIMINGS, new int[] {14000, 2, 24, 27, 16, 27, 53, 79, 27, 4, 6, 2, 4, 8, 8, 9, 11, 29, 106,
            15, 3333, 570, 211, 1});
        Timings v1250 = new Timings(TIMINGS, new int[] {14000, 2, 24, 30, 20, 30, 60, 90, 30, 4, 6, 2, 4, 11, 11, 9, 11, 43, 106,
            22, 3333, 570, 211, 2});
        Map<String, Timings> t = new LinkedHashMap<>();
        t.put("GDDR6_14000_1350mV_double", v1350);
        t.put("GDDR6_14000_1250mV_double", v1250);
        t.put("GDDR6_14000_1350mV_quad", v1350);
        t.put("GDDR6_14000_1250mV_quad", v1250);
        return t;
    }
}
