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
 * HBM2 as Ramulator 2.1 defines it (python/ramulator/dram/hbm2.py, exported values): two pseudo
 * channels per channel, ACT two cycles on the row command bus, driven by the HBM12 controller.
 */
final class Hbm2 {
    private Hbm2() {
    }

    private static final String CH = "channel";
    private static final String PC = "pseudochannel";
    private static final String BG = "bankgroup";
    private static final String BANK = "bank";
    private static final List<String> RD = List.of("RD", "RDA");
    private static final List<String> WR = List.of("WR", "WRA");
    private static final List<String> TIMINGS = List.of("rate", "nBL", "nCL", "nRCDRD", "nRCDWR", "nRP", "nRAS", "nRC", "nWR",
            "nRTPL", "nCWL", "nCCDS", "nCCDL", "nRRDS", "nRRDL", "nWTRS", "nWTRL", "nFAW", "nRFC", "nRFCpb", "nRREFD", "nREFI",
            "nREFIpb", "tCK_ps");

    static final DramStandard STANDARD = new DramStandard("HBM2", List.of(CH, PC, BG, BANK),
            List.of(new Command("ACT", BANK, OPENS, 2), new Command("PREpb", BANK, CLOSES), new Command("PREab", PC, CLOSES),
                    new Command("RD", BANK, NONE), new Command("WR", BANK, NONE), new Command("RDA", BANK, CLOSES),
                    new Command("WRA", BANK, CLOSES), new Command("REFab", PC, NONE), new Command("REFpb", BANK, NONE)),
            TIMINGS,
            List.of(
                    // Pseudo channel: its own data bus and turnarounds.
                    c(PC, RD, RD, "nBL"),
                    c(PC, WR, WR, "nBL"),
                    c(PC, RD, RD, "nCCDS"),
                    c(PC, WR, WR, "nCCDS"),
                    c(PC, RD, WR, "nCL + nBL + 2 - nCWL"),
                    c(PC, WR, RD, "nCWL + nBL + nWTRS"),
                    c(PC, List.of("RD"), List.of("PREab"), "nRTPL"),
                    c(PC, List.of("WR"), List.of("PREab"), "nCWL + nBL + nWR"),
                    c(PC, List.of("ACT"), List.of("ACT"), "nRRDS"),
                    new Constraint(PC, List.of("ACT"), List.of("ACT"), "nFAW", 4),
                    c(PC, List.of("ACT"), List.of("PREab"), "nRAS"),
                    c(PC, List.of("PREab"), List.of("ACT"), "nRP"),
                    c(PC, List.of("ACT"), List.of("REFab"), "nRC"),
                    c(PC, List.of("PREpb", "PREab"), List.of("REFab"), "nRP"),
                    c(PC, List.of("RDA"), List.of("REFab"), "nRP + nRTPL"),
                    c(PC, List.of("WRA"), List.of("REFab"), "nCWL + nBL + nWR + nRP"),
                    c(PC, List.of("REFab"), List.of("ACT", "PREab"), "nRFC"),
                    c(PC, List.of("REFpb"), List.of("ACT"), "nRREFD"),
                    c(PC, List.of("ACT"), List.of("REFpb"), "nRRDS"),
                    // Same bank group.
                    c(BG, RD, RD, "nCCDL"),
                    c(BG, WR, WR, "nCCDL"),
                    c(BG, WR, RD, "nCWL + nBL + nWTRL"),
                    c(BG, List.of("ACT"), List.of("ACT"), "nRRDL"),
                    // Same bank.
                    c(BANK, List.of("ACT"), List.of("ACT"), "nRC"),
                    c(BANK, List.of("ACT"), RD, "nRCDRD"),
                    c(BANK, List.of("ACT"), WR, "nRCDWR"),
                    c(BANK, List.of("ACT"), List.of("PREpb"), "nRAS"),
                    c(BANK, List.of("PREpb"), List.of("ACT"), "nRP"),
                    c(BANK, List.of("RD"), List.of("PREpb"), "nRTPL"),
                    c(BANK, List.of("WR"), List.of("PREpb"), "nCWL + nBL + nWR"),
                    c(BANK, List.of("RDA"), List.of("ACT"), "nRTPL + nRP"),
                    c(BANK, List.of("WRA"), List.of("ACT"), "nCWL + nBL + nWR + nRP"),
                    c(BANK, List.of("REFpb"), List.of("ACT"), "nRFCpb"),
                    c(BANK, List.of("ACT"), List.of("REFpb"), "nRC"),
                    c(BANK, List.of("PREpb"), List.of("REFpb"), "nRP")),
            true, "nCL + nBL", "nRFC", orgs(), timings());

    /**
     * Ramulator 2.1's HBM2 as its own tests configure it: HBM2_2Gb, HBM2_2000Mbps, the HBM12
     * controller (32-entry buffers, watermarks 0.2/0.8), FR-FCFS, all-bank refresh per pseudo
     * channel, open rows, RoBaRaCoCh; four channels, so that a 2 GiB span does not alias.
     */
    static final Map<String, Supplier<DramConfig>> PRESETS = Map.of("ramulator2-hbm2",
            () -> new DramConfig("ramulator2-hbm2", DramSpec.of(STANDARD, "HBM2_2Gb", "HBM2_2000Mbps"), 4, 0, 32, 32, 0.2f,
                    0.8f, "FRFCFS", "AllBank", "Open", 4, "RoBaRaCoCh", "HBM12"));

    private static Constraint c(String level, List<String> prev, List<String> next, String latency) {
        return new Constraint(level, prev, next, latency);
    }

    private static Map<String, DramOrg> orgs() {
        Map<String, DramOrg> m = new LinkedHashMap<>();
        m.put("HBM2_1Gb", new DramOrg(1024, 64, 64, 4, 4, 1 << 13, 1 << 7, 4, 2));
        m.put("HBM2_2Gb", new DramOrg(2048, 64, 64, 4, 4, 1 << 14, 1 << 7, 4, 2));
        m.put("HBM2_4Gb", new DramOrg(4096, 64, 64, 4, 4, 1 << 15, 1 << 7, 4, 2));
        m.put("HBM2_8Gb", new DramOrg(8192, 64, 64, 4, 4, 1 << 16, 1 << 7, 4, 2));
        return m;
    }

    // Ramulator derives nRRDS, nRRDL, nFAW, nRFC, nRFCpb, nRREFD, nREFI and nREFIpb from tCK and the
    // density (hbm2.py); the values here are those it resolves for HBM2_2Gb.
    private static Map<String, Timings> timings() {
        Map<String, Timings> t = new LinkedHashMap<>();
        t.put("HBM2_2000Mbps", new Timings(TIMINGS, new int[] {2000, 2, 14, 14, 12, 14, 34, 48, 16, 5, 5, 2, 4, 4, 4, 6, 8, 15,
            160, 160, 8, 3900, 122, 1000}));
        return t;
    }
}
