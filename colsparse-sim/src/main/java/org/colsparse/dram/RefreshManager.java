package org.colsparse.dram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** When a channel refreshes (Ramulator 2.1's {@code refresh_manager}). */
interface RefreshManager {
    long NEVER = Long.MAX_VALUE;

    /** Implementations by Ramulator name, built for one timing set and organization. */
    Map<String, BiFunction<Timings, DramOrg, RefreshManager>> BY_NAME = byName();

    static RefreshManager of(String name, Timings t, DramOrg org) {
        return BY_NAME.get(name).apply(t, org);
    }

    /** Where a due refresh goes: the controller's maintenance queue. */
    interface Queue {
        void post(int cmd, int bank);
    }

    /** The first cycle a refresh is due, {@link #NEVER} for none. */
    long firstDue();

    /** Posts the refresh due at {@code clk}; returns the next cycle at which to call it again. */
    long due(long clk, Queue queue);

    /** Cycles between refresh deadlines, 0 when there are none (for estimates of refresh cost). */
    long interval();

    /** Ramulator's AllBank: a REFab every nREFI cycles, counted from cycle 0. */
    final class AllBank implements RefreshManager {
        private final int nRefi;

        AllBank(Timings t) {
            this.nRefi = t.get("nREFI");
        }

        @Override
        public long firstDue() {
            return nRefi;
        }

        @Override
        public long due(long clk, Queue queue) {
            queue.post(Cmd.REFAB, -1);
            return clk + nRefi;
        }

        @Override
        public long interval() {
            return nRefi;
        }
    }

    /**
     * Ramulator's PerBank: a REFpb every nREFIpb cycles, to the channel's banks in turn (in the
     * order of the device tree: pseudo channel, bank group, bank).
     */
    final class PerBank implements RefreshManager {
        private final int nRefiPb;
        private final int banks;
        private int next;

        PerBank(Timings t, DramOrg org) {
            this.nRefiPb = t.get("nREFIpb");
            this.banks = org.banks();
        }

        @Override
        public long firstDue() {
            return nRefiPb;
        }

        @Override
        public long due(long clk, Queue queue) {
            queue.post(Cmd.REFPB, next);
            next = (next + 1) % banks;
            return clk + nRefiPb;
        }

        @Override
        public long interval() {
            return nRefiPb;
        }
    }

    /**
     * Ramulator's HBM34PerBankRefresh: every nREFIpb, one REFpb per pseudo channel to the same bank
     * of the same stack id, the banks of a stack id in turn, then the next stack id; queued REFpbs go
     * to the controller one a cycle. Once a pseudo channel's stack id has had all its banks
     * refreshed, it waits nRFCpb before its next round (the schedule slips a cycle at a time until then).
     */
    final class Hbm34PerBank implements RefreshManager {
        private final int nRefiPb;
        private final int nRfcPb;
        private final int pcs;
        private final int sids;
        private final int banksPerSid;
        private final boolean[][][] refreshed;    // [pc][sid][bank in sid]
        private final long[][] allowedAt;         // [pc][sid]: next round no earlier
        private final java.util.ArrayDeque<int[]> pending = new java.util.ArrayDeque<>();  // {pc, sid, bank in sid}
        private int nextSid;
        private int nextBank;
        private long nextRefresh;

        Hbm34PerBank(Timings t, DramOrg org) {
            this.nRefiPb = t.get("nREFIpb");
            this.nRfcPb = t.get("nRFCpb");
            this.pcs = org.pseudoChannels();
            this.sids = org.sids();
            this.banksPerSid = org.bankGroups() * org.banksPerGroup();
            this.refreshed = new boolean[pcs][sids][banksPerSid];
            this.allowedAt = new long[pcs][sids];
            this.nextRefresh = nRefiPb;
        }

        @Override
        public long firstDue() {
            return nRefiPb;
        }

        @Override
        public long due(long clk, Queue queue) {
            if (!pending.isEmpty()) {
                service(clk, queue);
                return next(clk);
            }
            for (int pc = 0; pc < pcs; pc++) {
                if (clk < allowedAt[pc][nextSid]) {
                    nextRefresh = clk + 1;
                    return clk + 1;
                }
            }
            for (int pc = 0; pc < pcs; pc++) {
                pending.add(new int[] {pc, nextSid, nextBank});
            }
            if (++nextBank == banksPerSid) {
                nextBank = 0;
                nextSid = (nextSid + 1) % sids;
            }
            service(clk, queue);
            nextRefresh += nRefiPb;
            return next(clk);
        }

        private long next(long clk) {
            return pending.isEmpty() ? Math.max(nextRefresh, clk + 1) : clk + 1;
        }

        private void service(long clk, Queue queue) {
            int[] p = pending.pollFirst();
            queue.post(Cmd.REFPB, (p[0] * sids + p[1]) * banksPerSid + p[2]);
            boolean[] set = refreshed[p[0]][p[1]];
            set[p[2]] = true;
            for (boolean b : set) {
                if (!b) {
                    return;
                }
            }
            java.util.Arrays.fill(set, false);
            allowedAt[p[0]][p[1]] = clk + nRfcPb;
        }

        @Override
        public long interval() {
            return nRefiPb;
        }
    }

    /** Ramulator's NoRefresh. */
    final class NoRefresh implements RefreshManager {
        @Override
        public long firstDue() {
            return NEVER;
        }

        @Override
        public long due(long clk, Queue queue) {
            return NEVER;
        }

        @Override
        public long interval() {
            return 0;
        }
    }

    private static Map<String, BiFunction<Timings, DramOrg, RefreshManager>> byName() {
        Map<String, BiFunction<Timings, DramOrg, RefreshManager>> m = new LinkedHashMap<>();
        m.put("AllBank", (t, org) -> new AllBank(t));
        m.put("PerBank", PerBank::new);
        m.put("HBM34PerBankRefresh", Hbm34PerBank::new);
        m.put("NoRefresh", (t, org) -> new NoRefresh());
        return m;
    }
}
