package org.colsparse.dram;

import static org.colsparse.dram.Cmd.ACT;
import static org.colsparse.dram.Cmd.COUNT;
import static org.colsparse.dram.Cmd.PREAB;
import static org.colsparse.dram.Cmd.PREPB;
import static org.colsparse.dram.Cmd.RD;
import static org.colsparse.dram.Cmd.RDA;
import static org.colsparse.dram.Cmd.REFAB;
import static org.colsparse.dram.Cmd.REFPB;
import static org.colsparse.dram.Cmd.WR;
import static org.colsparse.dram.Cmd.WRA;

import java.util.Map;
import java.util.TreeMap;

/**
 * The GDDR6 command-to-command timing rules, resolved to cycle counts for one timing set.
 *
 * <p>A rule says: after {@code prev} is issued to a node of {@code level} (channel, bank group or
 * bank), {@code next} may not be issued to that node for {@code latency} cycles — counted from the
 * {@code window}-th most recent {@code prev} (window 4 expresses tFAW: at most four ACTs in any
 * tFAW). The rule set is that of Ramulator 2.1's GDDR6 standard, so that both simulators enforce the
 * same JEDEC constraints.
 */
public final class TimingTable {
    public static final int CHANNEL = 0;
    public static final int BANK_GROUP = 1;
    public static final int BANK = 2;
    public static final int LEVELS = 3;

    /** [level][prev] -> parallel arrays of following command, latency, window. */
    final int[][][] follow = new int[LEVELS][COUNT][];
    final int[][][] latency = new int[LEVELS][COUNT][];
    final int[][][] window = new int[LEVELS][COUNT][];
    /** Longest history window needed per [level][prev] (0: prev constrains nothing there). */
    final int[][] maxWindow = new int[LEVELS][COUNT];
    final int historyDepth;

    private final Map<Long, Integer> rules = new TreeMap<>();

    public TimingTable(DramTiming t) {
        int[] rdLike = {RD, RDA};
        int[] wrLike = {WR, WRA};
        int[] all = {ACT, PREAB, PREPB, RD, WR, RDA, WRA, REFAB, REFPB};
        // Channel: data-bus occupancy and turnarounds.
        rule(CHANNEL, rdLike, rdLike, t.nBL());
        rule(CHANNEL, wrLike, wrLike, t.nBL());
        rule(CHANNEL, rdLike, rdLike, t.nCCDS());
        rule(CHANNEL, wrLike, wrLike, t.nCCDS());
        rule(CHANNEL, rdLike, wrLike, t.nCL() + 1);                      // read-to-write: CL + 1 turnaround
        rule(CHANNEL, wrLike, rdLike, t.nCWL() + t.nBL() + t.nWTRS());   // write-to-read, other bank group
        rule(CHANNEL, new int[] {RD}, new int[] {PREAB}, t.nRTP());
        rule(CHANNEL, new int[] {WR}, new int[] {PREAB}, t.nCWL() + t.nBL() + t.nWR());
        rule(CHANNEL, new int[] {ACT}, new int[] {ACT}, t.nRRDS());
        ruleWindow(CHANNEL, new int[] {ACT}, new int[] {ACT, REFPB}, t.nFAW(), 4);
        ruleWindow(CHANNEL, new int[] {REFPB}, new int[] {ACT, REFPB}, t.nFAW(), 4);
        rule(CHANNEL, new int[] {ACT}, new int[] {PREAB}, t.nRAS());
        rule(CHANNEL, new int[] {PREAB}, new int[] {ACT}, t.nRP());
        rule(CHANNEL, new int[] {PREAB, PREPB}, new int[] {PREAB, PREPB}, t.nPPD());
        // All-bank refresh against row commands.
        rule(CHANNEL, new int[] {ACT}, new int[] {REFAB}, t.nRC());
        rule(CHANNEL, new int[] {PREAB}, new int[] {REFAB}, t.nRP());
        rule(CHANNEL, new int[] {RDA}, new int[] {REFAB}, t.nRP() + t.nRTP());
        rule(CHANNEL, new int[] {WRA}, new int[] {REFAB}, t.nCWL() + t.nBL() + t.nWR() + t.nRP());
        rule(CHANNEL, new int[] {REFAB}, all, t.nRFCab());                // refresh blackout
        // Per-bank refresh against row commands.
        rule(CHANNEL, new int[] {ACT}, new int[] {REFPB}, t.nRRDS());
        rule(CHANNEL, new int[] {PREAB}, new int[] {REFPB}, t.nRP());
        rule(CHANNEL, new int[] {RDA}, new int[] {REFPB}, t.nRP() + t.nRTP());
        rule(CHANNEL, new int[] {WRA}, new int[] {REFPB}, t.nCWL() + t.nBL() + t.nWR() + t.nRP());
        rule(CHANNEL, new int[] {REFPB}, new int[] {ACT}, t.nRREFD());
        rule(CHANNEL, new int[] {REFPB}, new int[] {REFPB}, t.nRREFD());
        rule(CHANNEL, new int[] {REFPB}, new int[] {REFAB}, t.nRFCpb());
        // Same bank group: the long column-to-column and activate-to-activate spacings.
        rule(BANK_GROUP, rdLike, rdLike, t.nCCDL());
        rule(BANK_GROUP, wrLike, wrLike, t.nCCDL());
        rule(BANK_GROUP, wrLike, rdLike, t.nCWL() + t.nBL() + t.nWTRL());
        rule(BANK_GROUP, new int[] {ACT}, new int[] {ACT, REFPB}, t.nRRDL());
        // Same bank: row cycle.
        rule(BANK, new int[] {ACT}, new int[] {ACT}, t.nRC());
        rule(BANK, new int[] {ACT}, rdLike, t.nRCDRD());
        rule(BANK, new int[] {ACT}, wrLike, t.nRCDWR());
        rule(BANK, new int[] {ACT}, new int[] {PREPB}, t.nRAS());
        rule(BANK, new int[] {PREPB}, new int[] {ACT}, t.nRP());
        rule(BANK, new int[] {RD}, new int[] {PREPB}, t.nRTP());
        rule(BANK, new int[] {WR}, new int[] {PREPB}, t.nCWL() + t.nBL() + t.nWR());
        rule(BANK, new int[] {RDA}, new int[] {ACT}, t.nRTP() + t.nRP());
        rule(BANK, new int[] {WRA}, new int[] {ACT}, t.nCWL() + t.nBL() + t.nWR() + t.nRP());
        rule(BANK, new int[] {ACT}, new int[] {REFPB}, t.nRC());
        rule(BANK, new int[] {PREPB}, new int[] {REFPB}, t.nRP());
        rule(BANK, new int[] {RDA}, new int[] {REFPB}, t.nRP() + t.nRTP());
        rule(BANK, new int[] {WRA}, new int[] {REFPB}, t.nCWL() + t.nBL() + t.nWR() + t.nRP());
        rule(BANK, new int[] {REFPB}, new int[] {ACT, REFPB}, t.nRFCpb());

        int depth = 1;
        for (int level = 0; level < LEVELS; level++) {
            for (int prev = 0; prev < COUNT; prev++) {
                int fLevel = level;
                int fPrev = prev;
                var entries = rules.entrySet().stream()
                        .filter(e -> key(fLevel, fPrev, 0, 0) == (e.getKey() & ~0xFFFFL)).toList();
                follow[level][prev] = new int[entries.size()];
                latency[level][prev] = new int[entries.size()];
                window[level][prev] = new int[entries.size()];
                for (int i = 0; i < entries.size(); i++) {
                    long k = entries.get(i).getKey();
                    follow[level][prev][i] = (int) ((k >> 8) & 0xFF);
                    window[level][prev][i] = (int) (k & 0xFF);
                    latency[level][prev][i] = entries.get(i).getValue();
                    maxWindow[level][prev] = Math.max(maxWindow[level][prev], window[level][prev][i]);
                    depth = Math.max(depth, window[level][prev][i]);
                }
            }
        }
        historyDepth = depth;
    }

    /** Latency of the rule prev -> next at a level with window 1, or -1 when there is none. */
    public int latency(int level, int prev, int next) {
        Integer v = rules.get(key(level, prev, next, 1));
        return v == null ? -1 : v;
    }

    private void rule(int level, int[] prevs, int[] nexts, int lat) {
        ruleWindow(level, prevs, nexts, lat, 1);
    }

    // Duplicate rules (e.g. nBL and nCCDS on RD->RD) collapse to the binding one.
    private void ruleWindow(int level, int[] prevs, int[] nexts, int lat, int win) {
        for (int p : prevs) {
            for (int n : nexts) {
                rules.merge(key(level, p, n, win), lat, Math::max);
            }
        }
    }

    private static long key(int level, int prev, int next, int win) {
        return ((long) level << 24) | ((long) prev << 16) | ((long) next << 8) | win;
    }
}
