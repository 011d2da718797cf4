package org.colsparse.dram;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** When a channel closes rows on its own (Ramulator 2.1's {@code row_policy}). */
interface RowPolicy {
    long NEVER = Long.MAX_VALUE;

    /** What a policy sees of its channel's controller. */
    interface Host {
        long clk();

        /** First cycle at which {@code cmd} to {@code bank} meets every timing rule. */
        long readyAt(int cmd, int bank);

        /** Queues a maintenance command for {@code bank}. */
        void postMaintenance(int cmd, int bank);
    }

    /** Implementations by Ramulator name, built with the cap and the channel's bank count. */
    Map<String, BiFunction<Integer, Integer, RowPolicy>> BY_NAME = byName();

    /**
     * Whether the policy changes what the controller does between its own evaluations (the
     * controller then evaluates every cycle instead of sleeping until the next ready command).
     */
    boolean stateful();

    /** Before the controller schedules in cycle {@code c.clk()}: may post precharges. */
    void preSchedule(Host c);

    /** The column command to issue for a request's {@code cmd} (RD or WR) to {@code bank}. */
    int column(Host c, int cmd, int bank);

    /** Sees every issued command ({@code bank} -1 for all-bank ones). */
    void issued(int cmd, int bank, boolean closing);

    /** The earliest cycle {@link #preSchedule} could act, {@link #NEVER} if none. */
    long nextEvent(Host c);

    /** Ramulator's Open: rows stay open until a conflicting request closes them. */
    final class Open implements RowPolicy {
        @Override
        public boolean stateful() {
            return false;
        }

        @Override
        public void preSchedule(Host c) {
        }

        @Override
        public int column(Host c, int cmd, int bank) {
            return cmd;
        }

        @Override
        public void issued(int cmd, int bank, boolean closing) {
        }

        @Override
        public long nextEvent(Host c) {
            return NEVER;
        }
    }

    /**
     * Ramulator's ClosedCAP: once a bank has had {@code cap} column accesses since it opened, the
     * next access auto-precharges if it can, and a PREpb is queued as soon as one is timing-ready.
     */
    final class ClosedCap implements RowPolicy {
        private final int cap;
        private final int[] colAccesses;      // column accesses since the bank opened
        private final boolean[] prepbPosted;  // a fallback PREpb is queued for the bank

        ClosedCap(int cap, int banks) {
            this.cap = cap;
            this.colAccesses = new int[banks];
            this.prepbPosted = new boolean[banks];
        }

        @Override
        public boolean stateful() {
            return true;
        }

        @Override
        public void preSchedule(Host c) {
            for (int b = 0; b < colAccesses.length; b++) {
                if (colAccesses[b] < cap || prepbPosted[b]) {
                    continue;
                }
                if (c.readyAt(Cmd.PREPB, b) > c.clk()) {
                    continue;
                }
                c.postMaintenance(Cmd.PREPB, b);
                prepbPosted[b] = true;
            }
        }

        @Override
        public int column(Host c, int cmd, int bank) {
            if (colAccesses[bank] >= cap) {
                if (cmd == Cmd.RD && c.readyAt(Cmd.RDA, bank) <= c.clk()) {
                    return Cmd.RDA;
                } else if (cmd == Cmd.WR && c.readyAt(Cmd.WRA, bank) <= c.clk()) {
                    return Cmd.WRA;
                }
            }
            return cmd;
        }

        @Override
        public void issued(int cmd, int bank, boolean closing) {
            if (closing) {
                if (bank < 0) {
                    Arrays.fill(colAccesses, 0);
                    Arrays.fill(prepbPosted, false);
                } else {
                    colAccesses[bank] = 0;
                    prepbPosted[bank] = false;
                }
            } else if (cmd == Cmd.RD || cmd == Cmd.WR) {
                colAccesses[bank]++;
            }
        }

        @Override
        public long nextEvent(Host c) {
            long e = NEVER;
            for (int b = 0; b < colAccesses.length; b++) {
                if (colAccesses[b] >= cap && !prepbPosted[b]) {
                    e = Math.min(e, c.readyAt(Cmd.PREPB, b));
                }
            }
            return e;
        }
    }

    private static Map<String, BiFunction<Integer, Integer, RowPolicy>> byName() {
        Map<String, BiFunction<Integer, Integer, RowPolicy>> m = new LinkedHashMap<>();
        m.put("Open", (cap, banks) -> new Open());
        m.put("ClosedCAP", ClosedCap::new);
        return m;
    }
}
