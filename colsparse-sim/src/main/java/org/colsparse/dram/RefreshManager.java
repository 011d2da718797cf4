package org.colsparse.dram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** When a channel refreshes (Ramulator 2.1's {@code refresh_manager}). */
interface RefreshManager {
    long NEVER = Long.MAX_VALUE;

    /** Implementations by Ramulator name, built for one timing set and a channel's bank count. */
    Map<String, BiFunction<Timings, Integer, RefreshManager>> BY_NAME = byName();

    static RefreshManager of(String name, Timings t, int banks) {
        return BY_NAME.get(name).apply(t, banks);
    }

    /** Where a due refresh goes: the controller's maintenance queue. */
    interface Queue {
        void post(int cmd, int bank);
    }

    /** The first cycle a refresh is due, {@link #NEVER} for none. */
    long firstDue();

    /** Posts the refresh due at {@code clk}; returns when the next one is due. */
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

        PerBank(Timings t, int banks) {
            this.nRefiPb = t.get("nREFIpb");
            this.banks = banks;
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

    private static Map<String, BiFunction<Timings, Integer, RefreshManager>> byName() {
        Map<String, BiFunction<Timings, Integer, RefreshManager>> m = new LinkedHashMap<>();
        m.put("AllBank", (t, banks) -> new AllBank(t));
        m.put("PerBank", PerBank::new);
        m.put("NoRefresh", (t, banks) -> new NoRefresh());
        return m;
    }
}
