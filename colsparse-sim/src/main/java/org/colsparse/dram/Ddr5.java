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

/**
 * DDR5 as Ramulator 2.1 defines it (python/ramulator/dram/ddr5.py, exported values), with one rank:
 * the rank's constraints are written at the channel, which a single rank is the only child of
 * (Ramulator's rank-switching sibling constraints never apply with one rank). ACT and the column
 * commands hold the one command bus for two cycles. Driven by GenericDDR.
 */
final class Ddr5 {
    private Ddr5() {
    }

    private static final String CH = "channel";
    private static final String BG = "bankgroup";
    private static final String BANK = "bank";
    private static final List<String> RD = List.of("RD", "RDA");
    private static final List<String> WR = List.of("WR", "WRA");
    private static final List<String> TIMINGS = List.of("rate", "nBL", "nCL", "nRCD", "nRP", "nRAS", "nRC", "nWR", "nRTP",
            "nCWL", "nPPD", "nCCDS", "nCCDL", "nCCDS_WR", "nCCDL_WR", "nRRDS", "nRRDL", "nWTRS", "nWTRL", "nFAW", "nRFC", "nREFI",
            "nCS", "tCK_ps");

    static final DramStandard STANDARD = new DramStandard("DDR5", List.of(CH, BG, BANK),
            List.of(new Command("ACT", BANK, OPENS, 2), new Command("PREpb", BANK, CLOSES), new Command("PREab", CH, CLOSES),
                    new Command("RD", BANK, NONE, 2), new Command("WR", BANK, NONE, 2), new Command("RDA", BANK, CLOSES, 2),
                    new Command("WRA", BANK, CLOSES, 2), new Command("REFab", CH, NONE)),
            TIMINGS,
            List.of(
                    // Channel: the data bus.
                    c(CH, RD, RD, "nBL"),
                    c(CH, WR, WR, "nBL"),
                    // The rank (the channel's only one).
                    c(CH, RD, RD, "nCCDS"),
                    c(CH, WR, WR, "nCCDS_WR"),
                    c(CH, RD, WR, "nCL + nBL + 2 - nCWL + 2"),
                    c(CH, WR, RD, "nCWL + nBL + nWTRS"),
                    c(CH, List.of("RD"), List.of("PREab"), "nRTP"),
                    c(CH, List.of("WR"), List.of("PREab"), "nCWL + nBL + nWR"),
                    c(CH, List.of("ACT"), List.of("ACT"), "nRRDS"),
                    new Constraint(CH, List.of("ACT"), List.of("ACT"), "nFAW", 4),
                    c(CH, List.of("ACT"), List.of("PREab"), "nRAS"),
                    c(CH, List.of("PREab"), List.of("ACT"), "nRP"),
                    c(CH, List.of("PREpb", "PREab"), List.of("PREpb", "PREab"), "nPPD"),
                    c(CH, List.of("ACT"), List.of("REFab"), "nRC"),
                    c(CH, List.of("PREpb", "PREab"), List.of("REFab"), "nRP"),
                    c(CH, List.of("RDA"), List.of("REFab"), "nRP + nRTP"),
                    c(CH, List.of("WRA"), List.of("REFab"), "nCWL + nBL + nWR + nRP"),
                    c(CH, List.of("REFab"), List.of("ACT", "PREab"), "nRFC"),
                    // Same bank group.
                    c(BG, RD, RD, "nCCDL"),
                    c(BG, WR, WR, "nCCDL_WR"),
                    c(BG, WR, RD, "nCWL + nBL + nWTRL"),
                    c(BG, List.of("ACT"), List.of("ACT"), "nRRDL"),
                    // Same bank.
                    c(BANK, List.of("ACT"), List.of("ACT"), "nRC"),
                    c(BANK, List.of("ACT"), List.of("RD", "WR", "RDA", "WRA"), "nRCD"),
                    c(BANK, List.of("ACT"), List.of("PREpb"), "nRAS"),
                    c(BANK, List.of("PREpb"), List.of("ACT"), "nRP"),
                    c(BANK, List.of("RD"), List.of("PREpb"), "nRTP"),
                    c(BANK, List.of("WR"), List.of("PREpb"), "nCWL + nBL + nWR"),
                    c(BANK, List.of("RDA"), List.of("ACT"), "nRTP + nRP"),
                    c(BANK, List.of("WRA"), List.of("ACT"), "nCWL + nBL + nWR + nRP")),
            false, "nCL + nBL", "nRFC", orgs(), timings());

    /**
     * Ramulator 2.1's DDR5 as ramref exported it: DDR5_16Gb_x8 (one rank), DDR5_4800AN, two
     * GenericDDR channels, FR-FCFS, all-bank refresh, open rows, RoBaRaCoCh; 64-byte requests.
     */
    static final Map<String, Supplier<DramConfig>> PRESETS = Map.of("ramulator2-ddr5",
            () -> new DramConfig("ramulator2-ddr5", DramSpec.of(STANDARD, "DDR5_16Gb_x8", "DDR5_4800AN"), 2, 0, 32, 32, 0.2f,
                    0.8f, "FRFCFS", "AllBank", "Open", 4, "RoBaRaCoCh", "GenericDDR"));

    private static Constraint c(String level, List<String> prev, List<String> next, String latency) {
        return new Constraint(level, prev, next, latency);
    }

    private static Map<String, DramOrg> orgs() {
        Map<String, DramOrg> m = new LinkedHashMap<>();
        m.put("DDR5_16Gb_x8", new DramOrg(16384, 8, 32, 8, 4, 1 << 16, 1 << 10, 16));
        return m;
    }

    // As exported for DDR5_16Gb_x8 (nRFC and nREFI resolved from the density and tCK there).
    private static Map<String, Timings> timings() {
        Map<String, Timings> t = new LinkedHashMap<>();
        t.put("DDR5_4800AN", new Timings(TIMINGS, new int[] {4800, 8, 34, 34, 34, 77, 111, 72, 18, 32, 2, 8, 12, 8, 48, 8, 12, 6,
            24, 48, 710, 9375, 2, 416}));
        return t;
    }
}
