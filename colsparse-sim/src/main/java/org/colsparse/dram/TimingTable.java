package org.colsparse.dram;

import static org.colsparse.dram.Cmd.COUNT;

import java.util.Map;
import java.util.TreeMap;
import org.colsparse.dram.DramStandard.Constraint;

/**
 * A standard's timing constraints ({@link DramStandard#constraints()}) resolved to cycle counts for
 * one timing set, as flat arrays the controller reads on the hot path.
 *
 * <p>A rule says: after {@code prev} is issued to a node of {@code level} (for GDDR6: channel, bank
 * group or bank), {@code next} may not be issued to that node for {@code latency} cycles — counted
 * from the {@code window}-th most recent {@code prev} (window 4 expresses tFAW: at most four ACTs in
 * any tFAW).
 */
public final class TimingTable {
    /** The levels of a three-level standard such as GDDR6. */
    public static final int CHANNEL = 0;
    public static final int BANK_GROUP = 1;
    public static final int BANK = 2;

    /** [level][prev] -> parallel arrays of following command, latency, window. */
    final int[][][] follow;
    final int[][][] latency;
    final int[][][] window;
    /** Longest history window needed per [level][prev] (0: prev constrains nothing there). */
    final int[][] maxWindow;
    final int historyDepth;

    /** [level][prev] -> the sibling rules: following command and latency. */
    final int[][][] siblingFollow;
    final int[][][] siblingLatency;

    private final Map<Long, Integer> rules = new TreeMap<>();
    private final Map<Long, Integer> siblingRules = new TreeMap<>();

    public TimingTable(DramStandard standard, Timings t) {
        // Multi-cycle commands (Ramulator's command_cycles): each occupies its bus (row or column
        // commands) at the channel, and a constraint counts from the last cycle of the preceding
        // command to the first of the following one.
        for (DramStandard.Command p : standard.commands()) {
            if (p.cycles() != 1) {
                for (DramStandard.Command n : standard.commands()) {
                    if (!standard.dualCommandBus() || Cmd.isColumn(Cmd.id(p.name())) == Cmd.isColumn(Cmd.id(n.name()))) {
                        rules.merge(key(CHANNEL, Cmd.id(p.name()), Cmd.id(n.name()), 1), p.cycles(), Math::max);
                    }
                }
            }
        }
        for (Constraint c : standard.constraints()) {
            int lat = standard.evaluate(c.latency(), t);
            int level = standard.level(c.level());
            for (String p : c.preceding()) {
                for (String n : c.following()) {
                    int adjusted = lat + standard.command(p).cycles() - standard.command(n).cycles();
                    // Duplicate rules (e.g. nBL and nCCDS on RD->RD) collapse to the binding one.
                    (c.sibling() ? siblingRules : rules).merge(key(level, Cmd.id(p), Cmd.id(n), c.window()), adjusted, Math::max);
                }
            }
        }
        int levels = standard.levels().size();
        follow = new int[levels][COUNT][];
        latency = new int[levels][COUNT][];
        window = new int[levels][COUNT][];
        maxWindow = new int[levels][COUNT];
        siblingFollow = new int[levels][COUNT][];
        siblingLatency = new int[levels][COUNT][];
        int depth = 1;
        for (int level = 0; level < levels; level++) {
            for (int prev = 0; prev < COUNT; prev++) {
                int fLevel = level;
                int fPrev = prev;
                var sib = siblingRules.entrySet().stream()
                        .filter(e -> key(fLevel, fPrev, 0, 0) == (e.getKey() & ~0xFFFFL)).toList();
                siblingFollow[level][prev] = sib.stream().mapToInt(e -> (int) ((e.getKey() >> 8) & 0xFF)).toArray();
                siblingLatency[level][prev] = sib.stream().mapToInt(Map.Entry::getValue).toArray();
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

    /**
     * Records that {@code cmd} issued at {@code clk} on {@code node} (a level's instance) and raises
     * the earliest cycle of every command a rule of that level makes wait. {@code ready} is
     * [node * COUNT + cmd]; {@code history} is [(node * COUNT + cmd) * historyDepth + k], the k-th
     * most recent issue, -1 before any (windowed rules such as nFAW count back through it).
     */
    void issued(long[] ready, long[] history, int node, int level, int cmd, long clk) {
        int maxWin = maxWindow[level][cmd];
        if (maxWin == 0) {
            return;
        }
        int h = (node * COUNT + cmd) * historyDepth;
        if (maxWin > 1) {
            System.arraycopy(history, h, history, h + 1, historyDepth - 1);
        }
        history[h] = clk;
        int[] follow = this.follow[level][cmd];
        int[] lat = latency[level][cmd];
        int[] win = window[level][cmd];
        int base = node * COUNT;
        for (int i = 0; i < follow.length; i++) {
            long past = win[i] == 1 ? clk : history[h + win[i] - 1];
            if (past < 0) {
                continue;
            }
            long t = past + lat[i];
            int k = base + follow[i];
            if (t > ready[k]) {
                ready[k] = t;
            }
        }
    }

    /** Latency of the rule prev -> next at a level with window 1, or -1 when there is none. */
    public int latency(int level, int prev, int next) {
        Integer v = rules.get(key(level, prev, next, 1));
        return v == null ? -1 : v;
    }

    private static long key(int level, int prev, int next, int win) {
        return ((long) level << 24) | ((long) prev << 16) | ((long) next << 8) | win;
    }
}
