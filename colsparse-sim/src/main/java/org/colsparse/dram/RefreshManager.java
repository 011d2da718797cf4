package org.colsparse.dram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** When a channel refreshes (Ramulator 2.1's {@code refresh_manager}). */
interface RefreshManager {
    long NEVER = Long.MAX_VALUE;

    /** Implementations by Ramulator name, built for one timing set. */
    Map<String, Function<Timings, RefreshManager>> BY_NAME = byName();

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

    private static Map<String, Function<Timings, RefreshManager>> byName() {
        Map<String, Function<Timings, RefreshManager>> m = new LinkedHashMap<>();
        m.put("AllBank", AllBank::new);
        m.put("NoRefresh", t -> new NoRefresh());
        return m;
    }
}
