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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.colsparse.util.InputException;

/**
 * One channel of an HBM device with its pseudo channels, driven as Ramulator 2.1's HBM12 controller
 * drives it: the buffers, write mode, forwarding and statistics of GenericDDR, but two command buses,
 * so that each cycle it issues first a column command (RD/WR/RDA/WRA: from the activated requests,
 * else the maintenance queue's head, else the read or write buffer) and then a row command
 * (ACT/PRE/REF: the maintenance head, else the buffer), the second seeing the first's effects.
 * Within a buffer, FR-FCFS among the requests whose next command goes on the bus being filled.
 * All-bank refresh is per pseudo channel, one REFab each every nREFI, queued in pseudo-channel order.
 *
 * <p>A plain implementation that evaluates every cycle while requests wait (idle stretches are
 * skipped); timing nodes as in Ramulator's device tree: channel, pseudo channels, (stack ids),
 * bank groups, banks.
 */
final class HbmController extends Channel implements RowPolicy.Host {
    private static final int COLUMN_BUS = 0;
    private static final int ROW_BUS = 1;
    /** Ramulator's priority_buffer_size. */
    private static final int PRIORITY_CAP = 1568;

    private final TimingTable table;
    private final int pcs;
    private final int sids;
    private final int bgs;
    private final int banksPerBg;
    private final int nBanks;
    private final int readLatency;
    private final RefreshManager refresh;
    private final RefreshManager.Queue refreshQueue = this::postRefresh;
    private final RowPolicy rowPolicy;
    private final boolean closedCap;
    private final Scheduler scheduler;
    private final boolean rowHitFirst;
    private final boolean[] hitFlag;      // FRFCFS-RowHit scratch, per bank: the buffer has a row hit
    private final long[] hitArrive;       // and the oldest one's arrival
    private final float wrLow;
    private final float wrHigh;
    private final int readCap;
    private final int writeCap;
    private final boolean chRaBaRoCo;
    private final int txOffset;
    private final int colBits;
    private final int pcBits;
    private final int sidBits;
    private final int bgBits;
    private final int bankBits;
    private final int rowBits;
    private final boolean[] closing = new boolean[COUNT];

    // Timing nodes: 0 the channel, then each level's nodes (pseudo channels, stack ids, bank groups,
    // banks); a bank's node at level l is nodeBase[l] + bank / banksUnder[l].
    private final int levels;
    private final int[] nodeBase;
    private final int[] banksUnder;
    private final int sidLevel;      // -1 when the standard has no stack ids
    private final int banksPerPc;
    // HBM34: column commands and all row commands but PREs only on odd ticks; a PRE on the even tick
    // right after a row command to its pseudo channel only if it goes to another bank.
    private final boolean edges;
    private int pairCmd = -1;
    private int pairPc;
    private int pairBank;
    private long pairClk = -1;
    private final long[] ready;
    private final long[] history;
    private final int[] openRow;
    private final int[] activePerBank;

    private final List<Req> readBuf = new ArrayList<>();
    private final List<Req> writeBuf = new ArrayList<>();
    private final List<Req> activeBuf = new ArrayList<>();
    private final ArrayDeque<Req> priority = new ArrayDeque<>();
    private final Set<Long> bufferedWrites = new HashSet<>();
    private final ArrayDeque<long[]> pending = new ArrayDeque<>();  // {id, arrive, depart}
    private boolean writeMode;
    private long nextRefresh;

    /** A request; maintenance requests have no address, {@code bank} -1 for a pseudo channel's all-bank command. */
    private static final class Req {
        long addr;
        long id;
        long arrive;
        int pc;
        int bank;      // flat over the channel: ((pc x sids + sid) x bank groups + bg) x banks per group + bank
        int row;
        int fin;
        int cmd;
        boolean write;
        boolean maintenance;
        boolean statDone;
    }

    HbmController(int channelId, DramConfig cfg, TimingTable table) {
        super(channelId);
        this.scheduler = Scheduler.BY_NAME.get(cfg.scheduler()).get();
        this.rowHitFirst = scheduler.guardsRowHits();
        this.table = table;
        DramOrg org = cfg.spec().org();
        DramStandard std = cfg.spec().standard();
        Timings t = cfg.spec().timing();
        this.pcs = org.pseudoChannels();
        this.sids = org.sids();
        this.bgs = org.bankGroups();
        this.banksPerBg = org.banksPerGroup();
        this.nBanks = org.banks();
        this.readLatency = std.evaluate(std.readLatency(), t);
        this.refresh = RefreshManager.of(cfg.refresh(), t, org);
        this.nextRefresh = refresh.firstDue();
        this.rowPolicy = RowPolicy.BY_NAME.get(cfg.rowPolicy()).apply(cfg.rowPolicyCap(), nBanks);
        this.closedCap = rowPolicy.stateful();
        this.wrLow = cfg.wrLowWatermark();
        this.wrHigh = cfg.wrHighWatermark();
        this.readCap = cfg.readBufferSize();
        this.writeCap = cfg.writeBufferSize();
        this.chRaBaRoCo = cfg.addrMapper().equals("ChRaBaRoCo");
        this.txOffset = AddressMapper.log2(org.txBytes());
        this.colBits = AddressMapper.log2(org.columns()) - AddressMapper.log2(org.prefetch());
        this.pcBits = AddressMapper.log2(pcs);
        this.sidBits = AddressMapper.log2(sids);
        this.bgBits = AddressMapper.log2(bgs);
        this.bankBits = AddressMapper.log2(banksPerBg);
        this.rowBits = AddressMapper.log2(org.rows());
        for (DramStandard.Command c : std.commands()) {
            closing[Cmd.id(c.name())] = c.effect() == DramStandard.RowEffect.CLOSES;
        }
        this.edges = cfg.controller().equals("HBM34");
        this.banksPerPc = nBanks / pcs;
        this.levels = std.levels().size();
        this.nodeBase = new int[levels];
        this.banksUnder = new int[levels];
        this.sidLevel = std.levels().indexOf("sid");
        int nodes = 1;
        banksUnder[0] = nBanks;
        for (int l = 1; l < levels; l++) {
            String name = std.levels().get(l);
            int fan = switch (name) {
                case "pseudochannel" -> pcs;
                case "sid" -> sids;
                case "bankgroup" -> bgs;
                case "bank" -> banksPerBg;
                default -> throw new IllegalArgumentException("the HBM controllers do not know the level " + name);
            };
            banksUnder[l] = banksUnder[l - 1] / fan;
            nodeBase[l] = nodes;
            nodes += nBanks / banksUnder[l];
        }
        if (banksUnder[levels - 1] != 1 || banksUnder[1] != banksPerPc) {
            throw new IllegalArgumentException(std.name() + ": the HBM controllers need levels channel, pseudochannel, ..., bank");
        }
        this.ready = new long[nodes * COUNT];
        Arrays.fill(ready, -1);
        this.history = new long[nodes * COUNT * table.historyDepth];
        Arrays.fill(history, -1);
        this.openRow = new int[nBanks];
        Arrays.fill(openRow, -1);
        this.activePerBank = new int[nBanks];
        this.hitFlag = new boolean[nBanks];
        this.hitArrive = new long[nBanks];
    }

    // ---------------------------------------------------------------- request intake

    @Override
    boolean send(long addr, long intraAddr, boolean write, long id) {
        if (!write && bufferedWrites.contains(addr)) {
            pending.add(new long[] {id, clk, clk + 1});
            reads++;
            forwardedReads++;
            return true;
        }
        if (write && bufferedWrites.contains(addr)) {
            writes++;
            coalescedWrites++;
            completed(id, true, clk);
            return true;
        }
        List<Req> buf = write ? writeBuf : readBuf;
        if (buf.size() >= (write ? writeCap : readCap)) {
            return false;
        }
        Req r = new Req();
        r.addr = addr;
        r.id = id;
        r.arrive = clk;
        r.write = write;
        r.fin = write ? WR : RD;
        decode(intraAddr, r);
        buf.add(r);
        if (write) {
            bufferedWrites.add(addr);
            writes++;
        } else {
            reads++;
        }
        return true;
    }

    private void decode(long intraAddr, Req r) {
        long a = intraAddr >>> txOffset;
        a >>>= colBits;
        int sid;
        int bg;
        int bank;
        if (chRaBaRoCo) {
            // Column, Row, Bank, BankGroup, PseudoChannel from the least significant bit
            r.row = (int) (a & ((1L << rowBits) - 1));
            a >>>= rowBits;
            bank = (int) (a & ((1L << bankBits) - 1));
            a >>>= bankBits;
            bg = (int) (a & ((1L << bgBits) - 1));
            a >>>= bgBits;
            sid = (int) (a & ((1L << sidBits) - 1));
            a >>>= sidBits;
            r.pc = (int) (a & ((1L << pcBits) - 1));
        } else {
            // Column, PseudoChannel, (Sid), BankGroup, Bank, Row from the least significant bit
            r.pc = (int) (a & ((1L << pcBits) - 1));
            a >>>= pcBits;
            sid = (int) (a & ((1L << sidBits) - 1));
            a >>>= sidBits;
            bg = (int) (a & ((1L << bgBits) - 1));
            a >>>= bgBits;
            bank = (int) (a & ((1L << bankBits) - 1));
            a >>>= bankBits;
            r.row = (int) (a & ((1L << rowBits) - 1));
        }
        r.bank = ((r.pc * sids + sid) * bgs + bg) * banksPerBg + bank;
    }

    @Override
    int outstanding() {
        return readBuf.size() + writeBuf.size() + activeBuf.size() + pending.size();
    }

    @Override
    boolean readBufferFull() {
        return readBuf.size() >= readCap;
    }

    @Override
    boolean writeBufferFull() {
        return writeBuf.size() >= writeCap;
    }

    /**
     * With requests buffered, every cycle may issue; with none (only reads on their way back), a
     * cycle can only return data, refresh, or let ClosedCAP queue a precharge.
     */
    @Override
    long nextEvent() {
        if (!readBuf.isEmpty() || !writeBuf.isEmpty() || !activeBuf.isEmpty() || !priority.isEmpty()) {
            return clk + 1;
        }
        long e = nextRefresh;
        if (!pending.isEmpty()) {
            e = Math.min(e, pending.peekFirst()[2]);
        }
        if (closedCap) {
            e = Math.min(e, rowPolicy.nextEvent(this));
        }
        return Math.max(e, clk + 1);
    }

    // ---------------------------------------------------------------- one cycle

    @Override
    void tick() {
        clk++;
        while (!pending.isEmpty() && pending.peekFirst()[2] <= clk) {
            long[] p = pending.pollFirst();
            readLatencySum += p[2] - p[1];
            readsCompleted++;
            completed(p[0], false, clk);
        }
        if (clk == nextRefresh) {
            nextRefresh = refresh.due(clk, refreshQueue);
        }
        if (closedCap) {
            rowPolicy.preSchedule(this);
        }
        boolean rising = !edges || (clk & 1) == 1;
        if (rising) {
            trySlot(COLUMN_BUS);
        }
        Req row = trySlot(ROW_BUS);
        if (edges && row != null && rising) {
            pairCmd = row.cmd;
            pairPc = row.pc;
            pairBank = allBank(row.cmd) ? -1 : row.bank % banksPerPc;
            pairClk = clk + (row.cmd == ACT ? 3 : 1);
        }
    }

    /** HBM34's clock edges on top of the bus a command goes on. */
    private boolean matches(int cmd, Req r, int bus) {
        if (!edges || (clk & 1) == 1) {
            return onBus(cmd, bus);
        }
        if (bus == COLUMN_BUS || (cmd != PREPB && cmd != PREAB)) {
            return false;
        }
        if (clk != pairClk || r.pc != pairPc) {
            return true;
        }
        if (pairCmd == PREAB || pairCmd == REFAB) {
            return false;
        }
        return cmd == PREPB && r.bank % banksPerPc != pairBank;
    }

    // An all-bank refresh is one REFab per pseudo channel, in order (Ramulator's AllBank scope for HBM).
    private void postRefresh(int cmd, int bank) {
        if (priority.size() + pcs > PRIORITY_CAP) {
            // Ramulator 2.1 aborts here ("Failed to send all-bank refresh!"); so does ClosedCAP on a
            // read-after-write trace there: an auto-precharge closes the row of an activated request,
            // which the column bus then never serves, and the PREpb queued for that bank waits for it.
            throw new InputException("memory_system: channel " + channelId + " starves at cycle " + clk + ": its maintenance"
                    + " queue is full (" + PRIORITY_CAP + " entries) and no request is served (Ramulator 2.1 stops here too:"
                    + " \"Failed to send all-bank refresh!\")");
        }
        if (cmd == REFAB) {
            for (int pc = 0; pc < pcs; pc++) {
                Req r = new Req();
                r.maintenance = true;
                r.fin = REFAB;
                r.pc = pc;
                r.bank = -1;
                priority.add(r);
            }
        } else {
            postMaintenance(cmd, bank);
        }
    }

    @Override
    public void postMaintenance(int cmd, int bank) {
        Req r = new Req();
        r.maintenance = true;
        r.fin = cmd;
        r.bank = bank;
        r.pc = bank / banksPerPc;
        priority.add(r);
    }

    @Override
    public long clk() {
        return clk;
    }

    @Override
    public long readyAt(int cmd, int bank) {
        long r = ready[cmd];
        for (int l = 1; l < levels; l++) {
            r = Math.max(r, ready[(nodeBase[l] + bank / banksUnder[l]) * COUNT + cmd]);
        }
        return r;
    }

    /** Issues at most one command on {@code bus}; returns its request, or null. */
    private Req trySlot(int bus) {
        Req cand = null;
        List<Req> buf = null;
        if (bus == COLUMN_BUS) {
            cand = bestReady(activeBuf, bus, false);
            buf = activeBuf;
        }
        if (cand == null) {
            cand = priorityHead(bus);
            buf = null;
        }
        if (cand == null && priority.isEmpty()) {
            writeMode = nextWriteMode();
            buf = writeMode ? writeBuf : readBuf;
            cand = bestReady(buf, bus, true);
        }
        if (cand == null) {
            return null;
        }
        if (closedCap && cand.cmd == cand.fin && !cand.maintenance) {
            cand.cmd = rowPolicy.column(this, cand.cmd, cand.bank);
            cand.fin = cand.cmd;
        }
        if (!cand.statDone && !cand.maintenance) {
            cand.statDone = true;
            int open = openRow[cand.bank];
            if (open == cand.row) {
                rowHits++;
                if (!cand.write) {
                    readRowHits++;
                }
            } else if (open >= 0) {
                rowConflicts++;
                if (!cand.write) {
                    readRowConflicts++;
                }
            } else {
                rowMisses++;
                if (!cand.write) {
                    readRowMisses++;
                }
            }
        }
        issue(cand.cmd, cand);
        if (closedCap) {
            if (allBank(cand.cmd)) {
                for (int b = cand.pc * banksPerPc; b < (cand.pc + 1) * banksPerPc; b++) {
                    rowPolicy.issued(cand.cmd, b, closing[cand.cmd]);
                }
            } else {
                rowPolicy.issued(cand.cmd, cand.bank, closing[cand.cmd]);
            }
        }
        if (cand.cmd == cand.fin) {
            retire(cand, buf);
        } else if (cand.cmd == ACT && buf != activeBuf && buf != null && activeBuf.size() < nBanks) {
            activeBuf.add(cand);
            activePerBank[cand.bank]++;
            if (buf == writeBuf) {
                bufferedWrites.remove(cand.addr);
            }
            buf.remove(cand);
        }
        return cand;
    }

    private void retire(Req r, List<Req> buf) {
        if (buf == null) {
            priority.pollFirst();
            if (r.fin == REFAB || r.fin == REFPB) {
                refreshes++;
            }
            return;
        }
        if (buf == activeBuf) {
            activePerBank[r.bank]--;
        }
        if (buf == writeBuf) {
            bufferedWrites.remove(r.addr);
        }
        buf.remove(r);
        if (r.write) {
            writesServed++;
            completed(r.id, true, clk);
        } else {
            readsServed++;
            pending.add(new long[] {r.id, r.arrive, clk + readLatency});
        }
    }

    private boolean nextWriteMode() {
        if (!writeMode) {
            return writeBuf.size() > wrHigh * writeCap || readBuf.isEmpty();
        }
        return !(writeBuf.size() < wrLow * writeCap && !readBuf.isEmpty());
    }

    private static boolean onBus(int cmd, int bus) {
        return Cmd.isColumn(cmd) == (bus == COLUMN_BUS);
    }

    /** FR-FCFS: the first eligible request that is timing-ready, else the oldest; null unless it is ready. */
    private Req bestReady(List<Req> buf, int bus, boolean guardActive) {
        Req cand = null;
        boolean candOk = false;
        if (rowHitFirst) {
            // over the whole buffer, before the bus filter: each bank's oldest row hit
            Arrays.fill(hitFlag, false);
            for (int i = 0; i < buf.size(); i++) {
                Req r = buf.get(i);
                if (openRow[r.bank] == r.row && (!hitFlag[r.bank] || r.arrive < hitArrive[r.bank])) {
                    hitFlag[r.bank] = true;
                    hitArrive[r.bank] = r.arrive;
                }
            }
        }
        for (int i = 0; i < buf.size(); i++) {
            Req r = buf.get(i);
            r.cmd = preq(r);
            if (!matches(r.cmd, r, bus) || (guardActive && wouldCloseActive(r))) {
                continue;
            }
            if (rowHitFirst && r.cmd == PREPB && hitFlag[r.bank] && !scheduler.mayPrecharge(r.arrive, hitArrive[r.bank])) {
                continue;
            }
            boolean ok = ready(r.cmd, r);
            if (cand == null) {
                cand = r;
                candOk = ok;
            } else if (ok != candOk) {
                if (ok) {
                    cand = r;
                    candOk = true;
                }
            } else if (r.arrive < cand.arrive) {
                cand = r;
            }
        }
        return candOk ? cand : null;
    }

    private Req priorityHead(int bus) {
        Req h = priority.peekFirst();
        if (h == null) {
            return null;
        }
        h.cmd = preq(h);
        if (!ready(h.cmd, h) || wouldCloseActive(h) || !matches(h.cmd, h, bus)) {
            return null;
        }
        return h;
    }

    private int preq(Req r) {
        if (r.fin == REFAB) {
            for (int b = r.pc * banksPerPc; b < (r.pc + 1) * banksPerPc; b++) {
                if (openRow[b] >= 0) {
                    return PREAB;
                }
            }
            return REFAB;
        }
        if (r.bank < 0) {
            return r.fin;
        }
        int open = openRow[r.bank];
        if (r.fin == REFPB) {
            return open < 0 ? REFPB : PREPB;
        }
        if (r.fin == RD || r.fin == WR || r.fin == RDA || r.fin == WRA) {
            return open < 0 ? ACT : open == r.row ? r.fin : PREPB;
        }
        return r.fin;
    }

    private boolean wouldCloseActive(Req r) {
        if (!closing[r.cmd] || activeBuf.isEmpty()) {
            return false;
        }
        if (r.cmd == PREAB) {
            for (int b = r.pc * banksPerPc; b < (r.pc + 1) * banksPerPc; b++) {
                if (activePerBank[b] > 0) {
                    return true;
                }
            }
            return false;
        }
        return activePerBank[r.bank] > 0;
    }

    private boolean allBank(int cmd) {
        return cmd == PREAB || cmd == REFAB;
    }

    /** Whether {@code cmd} meets every timing rule at each node it addresses. */
    private boolean ready(int cmd, Req r) {
        long now = clk;
        if (ready[cmd] > now) {
            return false;
        }
        if (allBank(cmd)) {
            // the pseudo channel's node and every node below it
            int lo = r.pc * banksPerPc;
            for (int l = 1; l < levels; l++) {
                for (int n = lo / banksUnder[l]; n < (lo + banksPerPc) / banksUnder[l]; n++) {
                    if (ready[(nodeBase[l] + n) * COUNT + cmd] > now) {
                        return false;
                    }
                }
            }
            return true;
        }
        return readyAt(cmd, r.bank) <= now;
    }

    private void issue(int cmd, Req r) {
        updateNode(0, 0, cmd);
        if (allBank(cmd)) {
            int lo = r.pc * banksPerPc;
            for (int l = 1; l < levels; l++) {
                for (int n = lo / banksUnder[l]; n < (lo + banksPerPc) / banksUnder[l]; n++) {
                    updateNode(nodeBase[l] + n, l, cmd);
                }
            }
        } else {
            for (int l = 1; l < levels; l++) {
                updateNode(nodeBase[l] + r.bank / banksUnder[l], l, cmd);
            }
            if (sidLevel > 0 && table.siblingFollow[sidLevel][cmd].length > 0) {
                // the other stack ids of the pseudo channel
                int own = r.bank / banksUnder[sidLevel];
                int first = r.pc * banksPerPc / banksUnder[sidLevel];
                for (int n = first; n < first + sids; n++) {
                    if (n != own) {
                        updateSibling(nodeBase[sidLevel] + n, sidLevel, cmd);
                    }
                }
            }
        }
        switch (cmd) {
            case ACT -> {
                openRow[r.bank] = r.row;
                activates++;
            }
            case PREPB -> {
                openRow[r.bank] = -1;
                precharges++;
            }
            case RDA, WRA -> openRow[r.bank] = -1;
            case PREAB -> {
                Arrays.fill(openRow, r.pc * banksPerPc, (r.pc + 1) * banksPerPc, -1);
                precharges++;
            }
            default -> {
            }
        }
        if (commandListener != null) {
            boolean all = allBank(cmd);
            commandListener.issued(channelId, clk, cmd, all ? -1 : r.bank / banksPerBg, all ? -1 : r.bank % banksPerBg,
                    all ? -1 : r.row);
        }
    }

    private void updateSibling(int node, int level, int cmd) {
        int[] follow = table.siblingFollow[level][cmd];
        int[] lat = table.siblingLatency[level][cmd];
        for (int i = 0; i < follow.length; i++) {
            int k = node * COUNT + follow[i];
            if (clk + lat[i] > ready[k]) {
                ready[k] = clk + lat[i];
            }
        }
    }

    private void updateNode(int node, int level, int cmd) {
        table.issued(ready, history, node, level, cmd, clk);
    }
}
