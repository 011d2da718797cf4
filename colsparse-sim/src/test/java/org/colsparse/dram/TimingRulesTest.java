package org.colsparse.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JEDEC timing rules checked command by command on hand-made request sequences, one channel of
 * GDDR6_16Gb_x16 / GDDR6_14000_1350mV_double (tRCDRD 27, tRCDWR 16, tRP 27, tRAS 53, tCL 24,
 * tCWL 6, tBL 2, tCCDS 2, tCCDL 4, tRRDS/L 8, tFAW 29, tWTRS 9, tWTRL 11, tRTP 4, tREFI 3333,
 * tRFCab 211). Expected cycles are worked out by hand from those numbers.
 */
class TimingRulesTest {
    /** One issued command. */
    record Issued(long cycle, String cmd, int bg, int bank) {
    }

    static DramConfig oneChannel(String refresh, Timings timing) {
        DramConfig p = DramConfig.ramulator2Gddr6();
        DramSpec spec = timing == null ? p.spec() : p.spec().withTiming(timing);
        return new DramConfig("test", spec, 1, 0, 32, 32, 0.2f, 0.8f, "FRFCFS", refresh, "Open", 4, "RoBaRaCoCh", "GenericDDR");
    }

    /** Byte address of a burst in a one-channel RoBaRaCoCh system: row | bank | bg | column | 32 B. */
    static long addr(int bg, int bank, int row, int col) {
        return ((long) row << 16) | ((long) bank << 14) | ((long) bg << 12) | ((long) col << 5);
    }

    static MemorySystem recorded(DramConfig cfg, List<Issued> log) {
        MemorySystem m = new MemorySystem(cfg);
        m.setCommandListener((ch, cycle, cmd, bg, bank, row) -> log.add(new Issued(cycle, Cmd.name(cmd), bg, bank)));
        return m;
    }

    static List<Issued> only(List<Issued> log, String cmd) {
        return log.stream().filter(i -> i.cmd.equals(cmd)).toList();
    }

    @Test
    void readWaitsTrcdAfterActivateAndDataReturnsClPlusBlLater() {
        List<Issued> log = new ArrayList<>();
        MemorySystem m = recorded(oneChannel("NoRefresh", null), log);
        long[] done = new long[1];
        m.setCompletionListener((id, write, cycle) -> done[0] = cycle);
        m.send(addr(0, 0, 7, 0), false, 1);
        m.drain();
        // ACT in the first cycle, RD tRCDRD = 27 later, data nCL + nBL = 26 after the RD.
        assertEquals(List.of(new Issued(1, "ACT", 0, 0), new Issued(28, "RD", 0, 0)), log);
        assertEquals(54, done[0]);
        assertEquals(54.0, m.stats().avgReadLatency());
    }

    @Test
    void writeWaitsTrcdwr() {
        List<Issued> log = new ArrayList<>();
        MemorySystem m = recorded(oneChannel("NoRefresh", null), log);
        m.send(addr(2, 1, 3, 5), true, 1);
        m.drain();
        assertEquals(List.of(new Issued(1, "ACT", 2, 1), new Issued(17, "WR", 2, 1)), log);
    }

    @Test
    void readsToOneBankGroupAreTccdlApartAndAlternatingGroupsTccds() {
        List<Issued> log = new ArrayList<>();
        MemorySystem m = recorded(oneChannel("NoRefresh", null), log);
        // Open row 5 in bank 0 of bank groups 0 and 1.
        m.send(addr(0, 0, 5, 0), false, 1);
        m.send(addr(1, 0, 5, 0), false, 2);
        m.advanceTo(100);
        log.clear();
        // Row hits, alternating bank groups, all offered in cycle 100.
        m.send(addr(0, 0, 5, 1), false, 3);
        m.send(addr(1, 0, 5, 1), false, 4);
        m.send(addr(0, 0, 5, 2), false, 5);
        m.send(addr(1, 0, 5, 2), false, 6);
        m.send(addr(0, 0, 5, 3), false, 7);
        m.send(addr(0, 0, 5, 4), false, 8);
        m.drain();
        List<Long> rd = only(log, "RD").stream().map(Issued::cycle).toList();
        // 101 (bg0), 103 (bg1: tCCDS), 105 (bg0: tCCDL after 101), 107 (bg1), then two more in
        // bg0 back to back: 109 (tCCDL after 105) and 113.
        assertEquals(List.of(101L, 103L, 105L, 107L, 109L, 113L), rd);
    }

    @Test
    void noMoreThanFourActivatesInAnyTfawWindow() {
        Timings t = DramConfig.ramulator2Gddr6().spec().timing().with("nRRDS", 2).with("nRRDL", 2)
                .with("nRCDRD", 200);  // keep reads out of the way of the activates
        List<Issued> log = new ArrayList<>();
        MemorySystem m = recorded(oneChannel("NoRefresh", t), log);
        int[][] banks = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {0, 1}, {1, 1}};
        for (int i = 0; i < banks.length; i++) {
            m.send(addr(banks[i][0], banks[i][1], 10 + i, 0), false, i);
        }
        m.advanceTo(100);
        List<Long> act = only(log, "ACT").stream().map(Issued::cycle).toList();
        // tRRD = 2 lets four ACTs go at 1, 3, 5, 7; the fifth waits for tFAW = 29 after the first
        // (30) and the sixth for 29 after the second (32).
        assertEquals(List.of(1L, 3L, 5L, 7L, 30L, 32L), act);
    }

    @Test
    void allBankRefreshEveryTrefiWhenIdle() {
        List<Issued> log = new ArrayList<>();
        MemorySystem m = recorded(oneChannel("AllBank", null), log);
        m.advanceTo(10_000);
        assertEquals(List.of(new Issued(3333, "REFab", -1, -1), new Issued(6666, "REFab", -1, -1),
                new Issued(9999, "REFab", -1, -1)), log);
        assertEquals(3, m.stats().refreshes());
    }

    @Test
    void refreshClosesOpenRowsFirstAndBlocksTheChannelForTrfc() {
        List<Issued> log = new ArrayList<>();
        MemorySystem m = recorded(oneChannel("AllBank", null), log);
        m.send(addr(0, 0, 1, 0), false, 1);   // ACT 1, RD 28: bank left open
        m.advanceTo(3333);
        m.send(addr(3, 2, 9, 0), false, 2);   // arrives while the refresh is pending
        m.drain();
        // PREab at 3333 (tRAS and tRTP long met), REFab tRP = 27 later, and the next ACT only
        // after the tRFCab = 211 blackout: 3360 + 211.
        assertEquals(List.of(new Issued(1, "ACT", 0, 0), new Issued(28, "RD", 0, 0),
                new Issued(3333, "PREab", -1, -1), new Issued(3360, "REFab", -1, -1),
                new Issued(3571, "ACT", 3, 2), new Issued(3598, "RD", 3, 2)), log);
    }

    @Test
    void readAfterWriteWaitsTwtrLongInTheSameBankGroupAndShortInAnother() {
        List<Issued> log = new ArrayList<>();
        MemorySystem m = recorded(oneChannel("NoRefresh", null), log);
        m.send(addr(1, 0, 5, 0), false, 1);   // opens bg1/bank0 row 5: ACT 1, RD 28
        m.advanceTo(100);
        m.send(addr(0, 0, 5, 0), true, 2);    // write mode (no reads): ACT 101, WR 117
        m.advanceTo(117);
        assertEquals(new Issued(117, "WR", 0, 0), log.get(log.size() - 1));
        m.send(addr(1, 0, 5, 1), false, 3);   // other bank group: tCWL + tBL + tWTRS = 17
        m.send(addr(0, 0, 5, 1), false, 4);   // same bank group: tCWL + tBL + tWTRL = 19
        m.drain();
        List<Issued> rd = only(log, "RD");
        assertEquals(new Issued(134, "RD", 1, 0), rd.get(1));
        assertEquals(new Issued(136, "RD", 0, 0), rd.get(2));
    }

    @Test
    void rowHitMissAndConflictAreCountedAtTheFirstCommand() {
        MemorySystem m = new MemorySystem(oneChannel("NoRefresh", null));
        m.send(addr(0, 0, 1, 0), false, 1);   // bank closed: miss
        m.drain();
        m.send(addr(0, 0, 1, 1), false, 2);   // same row open: hit
        m.drain();
        m.send(addr(0, 0, 2, 0), false, 3);   // other row open: conflict (PREpb, ACT, RD)
        m.drain();
        DramStats s = m.stats();
        assertEquals(1, s.rowHits());
        assertEquals(1, s.rowMisses());
        assertEquals(1, s.rowConflicts());
        assertEquals(2, s.activates());
        assertEquals(1, s.precharges());
    }
    @Test
    void derivedRuleLatenciesOfThePreset() {
        TimingTable t = new TimingTable(DramConfig.ramulator2Gddr6().spec().standard(), DramConfig.ramulator2Gddr6().spec().timing());
        assertEquals(27, t.latency(TimingTable.BANK, Cmd.ACT, Cmd.RD));          // tRCDRD
        assertEquals(16, t.latency(TimingTable.BANK, Cmd.ACT, Cmd.WR));          // tRCDWR
        assertEquals(79, t.latency(TimingTable.BANK, Cmd.ACT, Cmd.ACT));         // tRC
        assertEquals(35, t.latency(TimingTable.BANK, Cmd.WR, Cmd.PREPB));        // tCWL + tBL + tWR
        assertEquals(4, t.latency(TimingTable.BANK_GROUP, Cmd.RD, Cmd.RD));      // tCCDL
        assertEquals(2, t.latency(TimingTable.CHANNEL, Cmd.RD, Cmd.RD));         // max(tBL, tCCDS)
        assertEquals(19, t.latency(TimingTable.BANK_GROUP, Cmd.WR, Cmd.RD));     // tCWL + tBL + tWTRL
        assertEquals(17, t.latency(TimingTable.CHANNEL, Cmd.WR, Cmd.RD));        // tCWL + tBL + tWTRS
        assertEquals(25, t.latency(TimingTable.CHANNEL, Cmd.RD, Cmd.WR));        // tCL + 1
        assertEquals(211, t.latency(TimingTable.CHANNEL, Cmd.REFAB, Cmd.ACT));   // tRFCab
        assertEquals(-1, t.latency(TimingTable.BANK, Cmd.RD, Cmd.RD));
    }
}
