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
 * HBM3 as Ramulator 2.1 defines it (python/ramulator/dram/hbm3.py, exported values). Its clock is
 * the half-CK tick (Ramulator's tick_multiplier 2): every timing below is in ticks, twice the
 * datasheet's CK count, {@code tCK_ps} is the tick (312 ps at 6400 Mb/s) and cycles are ticks. ACT
 * takes three ticks of the row command bus, column commands two of the column bus; the HBM34
 * controller issues column commands and all row commands but precharges on odd ticks only. RFMab
 * and RFMpb are left out: only a refresh-management plugin issues them; so is the HBM3_32Gb_16hi org
 * (128 banks a channel, above {@link DramOrg#MAX_BANKS}).
 */
final class Hbm3 {
    private Hbm3() {
    }

    private static final String CH = "channel";
    private static final String PC = "pseudochannel";
    private static final String SID = "sid";
    private static final String BG = "bankgroup";
    private static final String BANK = "bank";
    private static final List<String> RD = List.of("RD", "RDA");
    private static final List<String> WR = List.of("WR", "WRA");
    private static final List<String> TIMINGS = List.of("rate", "nBL", "nCL", "nRCDRD", "nRCDWR", "nRP", "nRAS", "nRC", "nWR",
            "nRTP", "nCWL", "nCCDS", "nCCDL", "nCCDR", "nRRDS", "nRRDL", "nWTRS", "nWTRL", "nRTW", "nFAW", "nPPD", "nRFC", "nRFCpb",
            "nRFMab", "nRFMpb", "nRREFD", "nREFI", "nREFIpb", "tCK_ps");

    static final DramStandard STANDARD = new DramStandard("HBM3", List.of(CH, PC, SID, BG, BANK),
            List.of(new Command("ACT", BANK, OPENS, 3), new Command("PREpb", BANK, CLOSES), new Command("PREab", PC, CLOSES),
                    new Command("RD", BANK, NONE, 2), new Command("WR", BANK, NONE, 2), new Command("RDA", BANK, CLOSES, 2),
                    new Command("WRA", BANK, CLOSES, 2), new Command("REFab", PC, NONE), new Command("REFpb", BANK, NONE)),
            TIMINGS,
            List.of(
                    // Pseudo channel: its own data bus, turnarounds, activate windows, refresh.
                    c(PC, RD, RD, "nBL"),
                    c(PC, WR, WR, "nBL"),
                    c(PC, RD, WR, "nRTW"),
                    c(PC, WR, RD, "nCWL + nBL + nWTRS"),
                    c(PC, List.of("RD"), List.of("PREab"), "nRTP"),
                    c(PC, List.of("WR"), List.of("PREab"), "nCWL + nBL + nWR"),
                    c(PC, List.of("ACT"), List.of("ACT"), "nRRDS"),
                    new Constraint(PC, List.of("ACT"), List.of("ACT"), "nFAW", 4),
                    c(PC, List.of("ACT"), List.of("PREab"), "nRAS"),
                    c(PC, List.of("PREab"), List.of("ACT"), "nRP"),
                    c(PC, List.of("PREpb", "PREab"), List.of("PREpb", "PREab"), "nPPD"),
                    c(PC, List.of("ACT"), List.of("REFab"), "nRC"),
                    c(PC, List.of("PREpb", "PREab"), List.of("REFab"), "nRP"),
                    c(PC, List.of("RDA"), List.of("REFab"), "nRP + nRTP"),
                    c(PC, List.of("WRA"), List.of("REFab"), "nCWL + nBL + nWR + nRP"),
                    c(PC, List.of("REFab"), List.of("ACT", "PREab"), "nRFC"),
                    c(PC, List.of("REFpb"), List.of("REFpb"), "nRREFD"),
                    c(PC, List.of("REFpb"), List.of("ACT"), "nRREFD"),
                    c(PC, List.of("ACT"), List.of("REFpb"), "nRRDS"),
                    // Stack id: column-to-column within one, and (sibling) to the other ids of the pseudo channel.
                    c(SID, RD, RD, "nCCDS"),
                    c(SID, WR, WR, "nCCDS"),
                    new Constraint(SID, RD, RD, "nCCDR", 1, true),
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
                    c(BANK, List.of("RD"), List.of("PREpb"), "nRTP"),
                    c(BANK, List.of("WR"), List.of("PREpb"), "nCWL + nBL + nWR"),
                    c(BANK, List.of("RDA"), List.of("ACT"), "nRTP + nRP"),
                    c(BANK, List.of("WRA"), List.of("ACT"), "nCWL + nBL + nWR + nRP"),
                    c(BANK, List.of("REFpb"), List.of("ACT"), "nRFCpb"),
                    c(BANK, List.of("ACT"), List.of("REFpb"), "nRC"),
                    c(BANK, List.of("PREpb"), List.of("REFpb"), "nRP")),
            true, "nCL + nBL", "nRFC", orgs(), timings());

    /**
     * Ramulator 2.1's HBM3 as its own tests configure it: HBM3_8Gb_8hi, HBM3_6400Mbps, the HBM34
     * controller (32-entry buffers, watermarks 0.2/0.8), FR-FCFS, all-bank refresh per pseudo
     * channel, open rows, RoBaRaCoCh; four channels, so that a 2 GiB span does not alias.
     */
    static final Map<String, Supplier<DramConfig>> PRESETS = Map.of("ramulator2-hbm3",
            () -> new DramConfig("ramulator2-hbm3", DramSpec.of(STANDARD, "HBM3_8Gb_8hi", "HBM3_6400Mbps"), 4, 0, 32, 32, 0.2f,
                    0.8f, "FRFCFS", "AllBank", "Open", 4, "RoBaRaCoCh", "HBM34"));

    private static Constraint c(String level, List<String> prev, List<String> next, String latency) {
        return new Constraint(level, prev, next, latency);
    }

    private static Map<String, DramOrg> orgs() {
        Map<String, DramOrg> m = new LinkedHashMap<>();
        m.put("HBM3_4Gb", new DramOrg(4096, 32, 32, 4, 4, 1 << 14, 1 << 8, 8, 2, 1));
        m.put("HBM3_8Gb_8hi", new DramOrg(8192, 32, 32, 4, 4, 1 << 13, 1 << 8, 8, 2, 2));
        m.put("HBM3_16Gb_8hi", new DramOrg(16384, 32, 32, 4, 4, 1 << 14, 1 << 8, 8, 2, 2));
        m.put("HBM3_32Gb_8hi", new DramOrg(32768, 32, 32, 4, 4, 1 << 15, 1 << 8, 8, 2, 2));
        return m;
    }

    // In ticks, as Ramulator exports HBM3_6400Mbps for HBM3_8Gb_8hi (nRFC, nRFMab, nRFMpb and
    // nREFIpb resolved from the density, the stack ids and tCK there: they differ for other orgs).
    private static Map<String, Timings> timings() {
        Map<String, Timings> t = new LinkedHashMap<>();
        t.put("HBM3_6400Mbps", new Timings(TIMINGS, new int[] {6400, 4, 40, 62, 30, 52, 90, 144, 66, 18, 20, 4, 8, 6, 8, 10, 14,
            20, 40, 48, 4, 832, 640, 832, 640, 16, 12480, 390, 312}));
        return t;
    }
}
