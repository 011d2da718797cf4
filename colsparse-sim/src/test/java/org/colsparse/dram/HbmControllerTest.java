package org.colsparse.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

class HbmControllerTest {
    /** Latencies in ticks as Ramulator 2.1 exports HBM3_8Gb_8hi / HBM3_6400Mbps (multi-cycle adjustment included). */
    @Test
    void hbm3TableHasRamulatorsExportedLatencies() {
        DramConfig c = DramConfig.preset("ramulator2-hbm3");
        TimingTable t = new TimingTable(c.spec().standard(), c.spec().timing());
        int ch = 0, pc = 1, sid = 2, bg = 3, bank = 4;
        assertEquals(3, t.latency(ch, Cmd.ACT, Cmd.PREPB));       // ACT holds the row bus three ticks
        assertEquals(2, t.latency(ch, Cmd.RD, Cmd.WR));           // column commands hold theirs two
        assertEquals(-1, t.latency(ch, Cmd.ACT, Cmd.RD));         // the buses are separate
        assertEquals(63, t.latency(bank, Cmd.ACT, Cmd.RD));       // nRCDRD 62 + 3 - 2
        assertEquals(92, t.latency(bank, Cmd.ACT, Cmd.PREPB));    // nRAS 90 + 3 - 1
        assertEquals(50, t.latency(bank, Cmd.PREPB, Cmd.ACT));    // nRP 52 + 1 - 3
        assertEquals(141, t.latency(bank, Cmd.WRA, Cmd.ACT));     // nCWL + nBL + nWR + nRP + 2 - 3
        assertEquals(830, t.latency(pc, Cmd.REFAB, Cmd.ACT));     // nRFC 832 + 1 - 3
        assertEquals(-1, t.latency(pc, Cmd.REFAB, Cmd.RD));       // HBM's REFab blocks ACT and PREab only
        assertEquals(40, t.latency(pc, Cmd.RD, Cmd.WR));          // nRTW
        assertEquals(4, t.latency(sid, Cmd.RD, Cmd.RD));          // nCCDS
        assertEquals(8, t.latency(bg, Cmd.RD, Cmd.RD));           // nCCDL
        assertEquals(List.of(Cmd.RD, Cmd.RDA), List.of(t.siblingFollow[sid][Cmd.RD][0], t.siblingFollow[sid][Cmd.RD][1]));
        assertEquals(6, t.siblingLatency[sid][Cmd.RD][0]);        // nCCDR to the other stack id
    }

    /** In one HBM2 cycle a column command and a row command can both issue, the column one first. */
    @Test
    void hbm2IssuesAColumnAndARowCommandInOneCycle() {
        DramConfig c = DramConfigLoader.load(Path.of("..", "config", "dram", "hbm2-1ch.yaml"), DramConfig.ramulator2Gddr6());
        MemorySystem m = new MemorySystem(c);
        List<long[]> log = new ArrayList<>();
        m.setCommandListener((channel, cycle, cmd, bg, bank, row) -> log.add(new long[] {cycle, cmd}));
        // reads streaming from one open row; a read to another bank group arrives meanwhile, and its
        // ACT goes beside one of the RDs (one channel: bits 5-9 column, 10 pseudo channel, 11-12 bank group)
        for (int i = 0; i < 16; i++) {
            m.send(32L * i, false, i);
            m.tick();
        }
        m.advanceTo(23);  // the bank-0 reads issue every 4 cycles (nCCDL): at 16, 20, 24, ...
        m.send(1L << 11, false, 16);
        m.drain();
        boolean together = false;
        for (int i = 1; i < log.size(); i++) {
            if (log.get(i)[0] == log.get(i - 1)[0]) {
                together = true;
                assertTrue(Cmd.isColumn((int) log.get(i - 1)[1]) && !Cmd.isColumn((int) log.get(i)[1]),
                        "column command first, then the row command");
            }
        }
        StringBuilder b = new StringBuilder();
        log.forEach(e -> b.append(e[0]).append(":").append(Cmd.name((int) e[1])).append(" "));
        assertTrue(together, "some cycle issued two commands: " + b);
    }

    /**
     * ClosedCAP on HBM starves a read-after-write trace in Ramulator 2.1, which aborts ("Failed to
     * send all-bank refresh!"); the model stops there with one clear error rather than hang.
     */
    @Test
    void closedRowStarvationStopsAsRamulatorDoes() throws Exception {
        DramConfig c = DramConfigLoader.load(Path.of("..", "config", "dram", "hbm2-closed-row.yaml"), DramConfig.ramulator2Gddr6());
        List<Request> raw = RamulatorAgreementTest.trace("raw");
        InputException e = assertThrows(InputException.class, () -> MemorySystem.runTrace(c, raw));
        assertTrue(e.getMessage().contains("starves"), e.getMessage());
    }
}
