package org.colsparse.dram;

import static org.colsparse.dram.TimingRulesTest.addr;
import static org.colsparse.dram.TimingRulesTest.oneChannel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MemorySystemTest {
    /**
     * The controller skips evaluations it can prove would issue nothing. Over long mixed traces
     * (refreshes, write drains, row conflicts, forwarding) that must change nothing against
     * evaluating every controller every cycle, for every scheduler and row policy.
     */
    @Test
    void sleepingBetweenEvaluationsChangesNothing() {
        Random rnd = new Random(17);
        List<Request> seqMix = new ArrayList<>();
        List<Request> randomRw = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < 300_000; i++) {
            if (rnd.nextInt(4) == 0) {
                seqMix.add(new Request((rnd.nextLong() & ((1L << 31) - 1)) & ~31L, rnd.nextBoolean()));
            } else {
                seqMix.add(Request.load(next));
                next += 32;
            }
            if (i < 100_000) {
                randomRw.add(new Request((rnd.nextLong() & ((1L << 31) - 1)) & ~31L, rnd.nextBoolean()));
            }
        }
        List<DramConfig> configs = new ArrayList<>();
        configs.add(DramConfig.ramulator2Gddr6());
        for (String v : List.of("gddr6-closed-row", "gddr6-rowhit-first", "gddr6-4ch")) {
            configs.add(DramConfigLoader.load(java.nio.file.Path.of("..", "config", "dram", v + ".yaml"), DramConfig.ramulator2Gddr6()));
        }
        for (DramConfig cfg : configs) {
            for (List<Request> trace : List.of(seqMix, randomRw)) {
                assertEquals(MemorySystem.runTrace(cfg, trace, true), MemorySystem.runTrace(cfg, trace, false), cfg.name());
            }
        }
    }

    record Done(long id, boolean write, long cycle) {
    }

    @Test
    void fullReadBufferRefusesUntilACommandFreesASlot() {
        MemorySystem m = new MemorySystem(oneChannel("NoRefresh", null));
        for (int i = 0; i < 32; i++) {
            assertTrue(m.send(addr(i % 4, 0, i, 0), false, i));
        }
        assertTrue(m.wouldRefuse(addr(0, 1, 0, 0), false));
        assertFalse(m.send(addr(0, 1, 0, 0), false, 99));
        assertTrue(m.send(addr(0, 1, 0, 0), true, 100));   // writes have their own buffer
        m.drain();
        assertEquals(33, m.stats().requests());
        assertEquals(0, m.outstanding());
    }

    @Test
    void readsAreForwardedFromBufferedWritesAndRepeatedWritesMerge() {
        List<Done> done = new ArrayList<>();
        MemorySystem m = new MemorySystem(oneChannel("NoRefresh", null));
        m.setCompletionListener((id, write, cycle) -> done.add(new Done(id, write, cycle)));
        long a = addr(0, 0, 3, 3);
        m.send(a, true, 1);
        m.send(a, false, 2);   // data comes from the write buffer in the next cycle
        m.send(a, true, 3);    // merged into write 1 at once
        m.drain();
        // Write 1: ACT at 1, WR tRCDWR = 16 later.
        assertEquals(List.of(new Done(3, true, 0), new Done(2, false, 1), new Done(1, true, 17)), done);
        DramStats s = m.stats();
        assertEquals(1, s.forwardedReads());
        assertEquals(1, s.coalescedWrites());
        assertEquals(1, s.rowMisses() + s.rowHits() + s.rowConflicts());
    }

    /** Skipping idle cycles is exact for every controller (GenericDDR, HBM12, HBM34) and its refresh and row parts. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ramulator2-gddr6", "ramulator2-hbm2", "ramulator2-hbm3",
        "hbm3-closed-row", "hbm3-per-bank-refresh", "hbm2-per-bank-refresh"})
    void advanceToSkipsIdleCyclesWithoutChangingAnything(String name) {
        DramConfig cfg = Standards.presets().contains(name) ? DramConfig.preset(name)
                : DramConfigLoader.load(java.nio.file.Path.of("..", "config", "dram", name + ".yaml"), DramConfig.ramulator2Gddr6());
        List<Done> a = new ArrayList<>();
        List<Done> b = new ArrayList<>();
        MemorySystem step = new MemorySystem(cfg);
        MemorySystem jump = new MemorySystem(cfg);
        step.setCompletionListener((id, w, c) -> a.add(new Done(id, w, c)));
        jump.setCompletionListener((id, w, c) -> b.add(new Done(id, w, c)));
        Random rnd = new Random(42);
        long cycle = 0;
        for (int i = 0; i < 3000; i++) {
            cycle += rnd.nextInt(40);   // bursts and gaps, across several refresh intervals
            long addr = (rnd.nextBoolean() ? rnd.nextInt(1 << 20) : rnd.nextInt(1 << 26)) & ~31L;
            boolean write = rnd.nextInt(4) == 0;
            while (step.cycle() < cycle) {
                step.tick();
            }
            jump.advanceTo(cycle);
            boolean ok = step.send(addr, write, i);
            assertEquals(ok, jump.send(addr, write, i));
        }
        while (step.outstanding() > 0) {
            step.tick();
        }
        assertEquals(step.cycle(), jump.drain());
        assertEquals(a, b);
        assertEquals(step.stats(), jump.stats());
    }

    @Test
    void traceCyclesCountUntilTheLastRequestIsAccepted() {
        // Measured with Ramulator 2.1 (c5b1c3a) on this five-line trace: 4 cycles per controller,
        // channel 0 one row miss, channel 1 one row miss.
        List<Request> t = List.of(Request.load(0x0), Request.load(0x20), Request.load(0x40),
                Request.store(0x1000), Request.load(0x100000));
        DramStats s = MemorySystem.runTrace(DramConfig.ramulator2Gddr6(), t);
        assertEquals(4, s.cycles());
        assertEquals(2, s.atLastAccept().rowMisses());
        assertEquals(0, s.atLastAccept().rowHits());
        assertEquals(4, s.reads());
        assertEquals(1, s.writes());
        assertTrue(s.drainCycles() > s.cycles());
        assertEquals(5, s.rowHits() + s.rowMisses() + s.rowConflicts());
    }

    @Test
    void bandwidthIsBurstBytesOverDrainTime() {
        List<Request> t = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            t.add(Request.load(32L * i));
        }
        DramStats s = MemorySystem.runTrace(DramConfig.ramulator2Gddr6(), t);
        double expected = 4096 * 32.0 / (s.drainCycles() * 570e-12) / 1e9;
        assertEquals(expected, s.bandwidthGbps(), 1e-9);
        // RoBaRaCoCh keeps 128 consecutive bursts in one bank group, so a stream is bound by
        // tCCDL = 4 (2 x 32 B / 4 tCK = 28.07 GB/s) except where FR-FCFS overlaps two bank groups
        // at tCCDS = 2 (the 56.14 GB/s peak of two x16 channels).
        assertTrue(s.bandwidthGbps() > 28.07 && s.bandwidthGbps() < 56.14, "bandwidth " + s.bandwidthGbps());
    }
}
