package org.colsparse.dram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which buffered request a channel serves next (Ramulator 2.1's {@code scheduler}). Both are FR-FCFS:
 * the oldest request whose next command is timing-ready wins; they differ in whether a precharge on
 * the way to a request may close a row that an older request still hits.
 */
interface Scheduler {
    /** Implementations by Ramulator name, in the order docs and messages list them. */
    Map<String, Supplier<Scheduler>> BY_NAME = byName();

    /**
     * May a precharge for a request that arrived at {@code requestArrive} close the bank's open row,
     * which the bank's oldest row hit (arrived at {@code hitArrive}) still needs?
     */
    boolean mayPrecharge(long requestArrive, long hitArrive);

    /** Whether {@link #mayPrecharge} can say no: the controller then tracks row hits per bank. */
    boolean guardsRowHits();

    /** Ramulator's FRFCFS: oldest ready first, row hits earn nothing beyond being ready sooner. */
    final class Frfcfs implements Scheduler {
        @Override
        public boolean mayPrecharge(long requestArrive, long hitArrive) {
            return true;
        }

        @Override
        public boolean guardsRowHits() {
            return false;
        }
    }

    /** Ramulator's FRFCFS-RowHit: a precharge must not overtake an older-or-equal row hit to its bank. */
    final class FrfcfsRowHit implements Scheduler {
        @Override
        public boolean mayPrecharge(long requestArrive, long hitArrive) {
            return requestArrive < hitArrive;
        }

        @Override
        public boolean guardsRowHits() {
            return true;
        }
    }

    private static Map<String, Supplier<Scheduler>> byName() {
        Map<String, Supplier<Scheduler>> m = new LinkedHashMap<>();
        m.put("FRFCFS", Frfcfs::new);
        m.put("FRFCFS-RowHit", FrfcfsRowHit::new);
        return m;
    }
}
