package org.colsparse.dram;

import static org.colsparse.dram.Cmd.ACT;
import static org.colsparse.dram.Cmd.COUNT;
import static org.colsparse.dram.Cmd.PREAB;
import static org.colsparse.dram.Cmd.PREPB;
import static org.colsparse.dram.Cmd.RD;
import static org.colsparse.dram.Cmd.RDA;
import static org.colsparse.dram.Cmd.REFAB;
import static org.colsparse.dram.Cmd.WR;
import static org.colsparse.dram.Cmd.WRA;

import java.util.Arrays;

/**
 * One channel: a GenericDDR-style controller and its device (GDDR6: one command bus, no pseudo
 * channels), at command level; timing rules from the standard's {@link TimingTable}.
 *
 * <p>Each cycle ({@link #tick()}) the controller retires finished reads, lets the refresh manager
 * and row policy post maintenance commands, and issues at most one command, choosing — as
 * Ramulator 2.1's GenericDDR does — first among requests whose row was just activated, then the
 * head of the maintenance queue, then the read or write buffer (write mode entered above the high
 * watermark or when no reads wait, left below the low watermark). Within a buffer the scheduler
 * picks (FR-FCFS) the oldest request whose next command meets every timing rule.
 *
 * <p>State lives in flat arrays indexed by request slot, bank and timing node so that a cycle
 * allocates nothing. Timing nodes: 0 = channel, 1..G = bank groups, G+1.. = banks.
 */
final class Controller extends Channel implements RowPolicy.Host {
    private static final long NEVER = Long.MAX_VALUE;

    private final TimingTable table;
    private final AddressMapper mapper;
    private final int nBg;
    private final int banksPerBg;
    private final int nBanks;
    private final int readLatency;
    private final Scheduler scheduler;
    private final RowPolicy rowPolicy;
    private final RefreshManager refresh;
    private final RefreshManager.Queue maintenance = this::postMaintenance;
    // The parts' properties the hot path branches on, read once.
    private final boolean rowHitFirst;   // the scheduler guards row hits
    private final boolean closedCap;     // the row policy keeps its own state
    private final boolean[] closing;     // per command: closes rows (from the standard's table)
    private final boolean[] allBank;     // per command: addressed to the channel, not one bank
    private final float wrLow;
    private final float wrHigh;

    // Device state.
    private final long[] ready;        // [node * COUNT + cmd]: first cycle the command may issue there
    private final long[] history;      // [(node * COUNT + cmd) * historyDepth + k]: k-th most recent issue (TimingTable.issued)
    private final int[] openRow;       // per bank, -1 when precharged

    // Request slots.
    private final long[] sAddr;
    private final long[] sId;
    private final long[] sArrive;
    private final int[] sBg;
    private final int[] sBank;
    private final int[] sRow;
    private final int[] sBgNode;     // timing-table offsets of the request's bank group and bank
    private final int[] sBankNode;
    private final int[] sFinal;
    private final int[] sCmd;
    private final boolean[] sWrite;
    private final boolean[] sStatDone;
    private final int[] freeSlots;
    private int freeTop;

    // The read and write buffers are their per-bank lists below and these counts; only activated
    // requests keep one queue, in activation order (FR-FCFS breaks ties by it).
    private final int[] activeQ;
    private int readN;
    private int writeN;
    private int activeN;
    private final int readCap;
    private final int writeCap;
    private final int[] activePerBank;
    // The read and write buffers again, split by bank in arrival order: requests to one bank
    // whose row is (or is not) open all need the same next command, so the scheduler only has to
    // look at the oldest of each such class.
    private final int[] readByBank;
    private final int[] readBankN;
    private final int[] writeByBank;
    private final int[] writeBankN;
    private final int[] readHitN;     // per bank: buffered requests to the open row
    private final int[] writeHitN;
    // Bit b set: bank b has buffered requests, so the scheduler visits only those banks.
    private long readBanks;
    private long writeBanks;
    // The buffered writes' addresses, an open-addressing set of their slots (-1 = empty): a write
    // to a buffered address merges, so the addresses are distinct and forwarding or merging is one
    // probe instead of a scan of the buffer (a quarter of all work on read-after-write traces).
    // Multiplicative hashing of the whole address over at least 4,096 entries (and at least 4 per
    // buffered write): with the low bits alone, a read stream 1 GiB away from a write stream met the
    // writes' entries.
    private final int[] writeSet;
    private final int writeHashShift;
    private final int writeSetMask;
    // Per bank and buffer: no candidate of the bank can issue before this cycle. Ready cycles only
    // ever rise, so a bank's earliest candidate found by one scan stays a lower bound until the
    // bank's candidates change: a request arrives there or a command issues to it (which resets
    // the bound). The scan passes over banks whose bound lies ahead: on random and strided traces
    // most buffered banks wait for their timing, and most of the scan was spent re-checking them.
    private final long[] readLow;
    private final long[] writeLow;
    private final long[] sLow;       // the same bound per activated request (slot)
    private final boolean bounded;  // the scheduler's eligibility is ready cycles and bank state only
    private final int[] bgNodeOf;   // per bank: timing-table offset of its bank group
    private final long[] sSeq;
    private long seq;
    private int pickedCmd;
    private boolean writeMode;

    // Maintenance (priority) queue: final command + target bank (-1 = all banks).
    private int[] prioFinal = new int[8];
    private int[] prioBank = new int[8];
    private int prioHead;
    private int prioN;

    // Reads whose data is on its way: FIFO served in order, as Ramulator's pending queue.
    private long[] pendId = new long[64];
    private long[] pendArrive = new long[64];
    private long[] pendDepart = new long[64];
    private int pendHead;
    private int pendN;

    private long nextRefresh;
    // Idle tracking: when the last full evaluation issued nothing and nothing changed since
    // (dirty false), no command can issue before wakeAt.
    private boolean dirty = true;
    private final boolean exhaustive;
    private long wakeAt;
    private long scanMin;
    private int readyCandidates;  // of the last scan
    // When valid: no candidate of the buffer being served can be ready before bufferLow.
    private long bufferLow;
    private boolean bufferLowValid;
    private final boolean[] rowHitFlag;   // FRFCFS-RowHit scratch, per bank
    private final long[] rowHitArrive;

    private final int[] decoded = new int[4];

    Controller(int channelId, DramConfig cfg, TimingTable table, boolean exhaustive) {
        super(channelId);
        this.exhaustive = exhaustive;
        this.table = table;
        DramOrg org = cfg.spec().org();
        this.mapper = AddressMapper.create(cfg.addrMapper(), org);
        this.nBg = org.bankGroups();
        this.banksPerBg = org.banksPerGroup();
        this.nBanks = org.banks();
        if (nBanks > Long.SIZE) {
            throw new IllegalArgumentException("at most " + Long.SIZE + " banks per channel are supported, got " + nBanks);
        }
        DramStandard std = cfg.spec().standard();
        this.readLatency = std.evaluate(std.readLatency(), cfg.spec().timing());
        this.scheduler = Scheduler.BY_NAME.get(cfg.scheduler()).get();
        this.rowPolicy = RowPolicy.BY_NAME.get(cfg.rowPolicy()).apply(cfg.rowPolicyCap(), nBanks);
        this.refresh = RefreshManager.of(cfg.refresh(), cfg.spec().timing(), org);
        this.rowHitFirst = scheduler.guardsRowHits();
        this.closedCap = rowPolicy.stateful();
        this.closing = new boolean[COUNT];
        this.allBank = new boolean[COUNT];
        for (DramStandard.Command c : std.commands()) {
            int id = Cmd.id(c.name());
            closing[id] = c.effect() == DramStandard.RowEffect.CLOSES;
            allBank[id] = std.level(c.scope()) == TimingTable.CHANNEL;
        }
        this.wrLow = cfg.wrLowWatermark();
        this.wrHigh = cfg.wrHighWatermark();
        int nodes = 1 + nBg + nBanks;
        this.ready = new long[nodes * COUNT];
        Arrays.fill(ready, -1);
        this.history = new long[nodes * COUNT * table.historyDepth];
        Arrays.fill(history, -1);
        this.openRow = new int[nBanks];
        Arrays.fill(openRow, -1);
        this.readCap = cfg.readBufferSize();
        this.writeCap = cfg.writeBufferSize();
        int slots = readCap + writeCap + nBanks;  // activated requests leave their buffer
        sAddr = new long[slots];
        sId = new long[slots];
        sArrive = new long[slots];
        sBg = new int[slots];
        sBank = new int[slots];
        sRow = new int[slots];
        sBgNode = new int[slots];
        sBankNode = new int[slots];
        sFinal = new int[slots];
        sCmd = new int[slots];
        sWrite = new boolean[slots];
        sStatDone = new boolean[slots];
        freeSlots = new int[slots];
        for (int i = 0; i < slots; i++) {
            freeSlots[i] = slots - 1 - i;
        }
        freeTop = slots;
        activeQ = new int[nBanks];
        activePerBank = new int[nBanks];
        readByBank = new int[nBanks * readCap];
        readBankN = new int[nBanks];
        writeByBank = new int[nBanks * writeCap];
        writeBankN = new int[nBanks];
        sSeq = new long[slots];
        readHitN = new int[nBanks];
        writeHitN = new int[nBanks];
        rowHitFlag = new boolean[nBanks];
        int setBits = Math.max(12, 34 - Integer.numberOfLeadingZeros(Math.max(1, writeCap)));
        writeSet = new int[1 << setBits];
        writeSetMask = (1 << setBits) - 1;
        writeHashShift = 64 - setBits;
        Arrays.fill(writeSet, -1);
        readLow = new long[nBanks];
        sLow = new long[slots];
        writeLow = new long[nBanks];
        bounded = !rowHitFirst && !closedCap && !exhaustive;
        bgNodeOf = new int[nBanks];
        for (int b = 0; b < nBanks; b++) {
            bgNodeOf[b] = (1 + b / banksPerBg) * COUNT;
        }
        rowHitArrive = new long[nBanks];
        nextRefresh = refresh.firstDue();
    }

    // ---------------------------------------------------------------- request intake

    /** Offers a request at the current cycle; false when its buffer is full. */
    @Override
    boolean send(long addr, long intraAddr, boolean write, long id) {
        if (!write && writeBuffered(addr)) {
            // Served from the write buffer: data back next cycle.
            pushPending(id, clk, clk + 1);
            reads++;
            forwardedReads++;
            return true;
        }
        if (write) {
            if (writeBuffered(addr)) {
                // Absorbed by the buffered write to the same address.
                writes++;
                coalescedWrites++;
                completed(id, true, clk);
                return true;
            }
            if (writeN >= writeCap) {
                return false;
            }
        } else if (readN >= readCap) {
            return false;
        }
        int s = freeSlots[--freeTop];
        mapper.decode(intraAddr, decoded);
        sAddr[s] = addr;
        sId[s] = id;
        sArrive[s] = clk;
        sBg[s] = decoded[AddressMapper.BANK_GROUP];
        sBank[s] = decoded[AddressMapper.BANK_GROUP] * banksPerBg + decoded[AddressMapper.BANK];
        sRow[s] = decoded[AddressMapper.ROW];
        sBgNode[s] = (1 + sBg[s]) * COUNT;
        sBankNode[s] = (1 + nBg + sBank[s]) * COUNT;
        sFinal[s] = write ? WR : RD;
        sWrite[s] = write;
        sStatDone[s] = false;
        sSeq[s] = seq++;
        int b = sBank[s];
        boolean hit = sRow[s] == openRow[b];
        lowerBound(write ? writeLow : readLow, s, b);
        if (write) {
            writeN++;
            writeByBank[b * writeCap + writeBankN[b]++] = s;
            writeBanks |= 1L << b;
            addWrite(s);
            if (hit) {
                writeHitN[b]++;
            }
            writes++;
        } else {
            readN++;
            readByBank[b * readCap + readBankN[b]++] = s;
            readBanks |= 1L << b;
            if (hit) {
                readHitN[b]++;
            }
            reads++;
        }
        noteArrival(s);
        return true;
    }

    /**
     * A request joining bank {@code b}'s list adds at most its own candidate: the bank's bound
     * becomes the lower of the two. Its candidate is the one the scan would compute (and none while
     * a precharge would close a row activated for another request, which frees only by a command
     * to this bank, and that resets the bound).
     */
    private void lowerBound(long[] low, int s, int b) {
        int open = openRow[b];
        int cmd = open < 0 ? ACT : open == sRow[s] ? sFinal[s] : PREPB;
        if (cmd == PREPB && activePerBank[b] > 0) {
            return;
        }
        long r = Math.max(ready[cmd], Math.max(ready[sBgNode[s] + cmd], ready[sBankNode[s] + cmd]));
        if (r < low[b]) {
            low[b] = r;
        }
    }

    /**
     * A new request can change the next evaluation only by becoming ready itself or by switching
     * the read/write mode; otherwise the controller may keep sleeping until the earlier of its
     * wake-up and the new request's ready cycle (a full evaluation every cycle a request arrives
     * was most of the work on streaming traces). Between full evaluations the buffers only grow,
     * so the mode decision cannot depend on evaluations skipped in between.
     */
    private void noteArrival(int s) {
        if (rowHitFirst || closedCap || nextWriteMode() != writeMode) {
            dirty = true;
            bufferLowValid = false;
            return;
        }
        if (sWrite[s] != writeMode) {
            return;  // waits in the buffer not being served
        }
        int b = sBank[s];
        int open = openRow[b];
        int cmd = open < 0 ? ACT : open == sRow[s] ? sFinal[s] : PREPB;
        if (cmd == PREPB && activePerBank[b] > 0) {
            return;  // cannot close the row until the activated request has issued, which wakes the controller
        }
        long r = Math.max(ready[cmd], Math.max(ready[sBgNode[s] + cmd], ready[sBankNode[s] + cmd]));
        if (r < bufferLow) {
            bufferLow = r;
        }
        if (!dirty && r < wakeAt) {
            wakeAt = r;
        }
    }

    private int writeHash(long addr) {
        return (int) ((addr >>> 5) * 0x9E3779B97F4A7C15L >>> writeHashShift);
    }

    private boolean writeBuffered(long addr) {
        for (int i = writeHash(addr); ; i = (i + 1) & writeSetMask) {
            int s = writeSet[i];
            if (s < 0) {
                return false;
            }
            if (sAddr[s] == addr) {
                return true;
            }
        }
    }

    private void addWrite(int s) {
        int i = writeHash(sAddr[s]);
        while (writeSet[i] >= 0) {
            i = (i + 1) & writeSetMask;
        }
        writeSet[i] = s;
    }

    /** Linear probing's deletion: later entries of the probe run move back into the hole. */
    private void removeWrite(int s) {
        int i = writeHash(sAddr[s]);
        while (writeSet[i] != s) {
            i = (i + 1) & writeSetMask;
        }
        int hole = i;
        for (int j = (i + 1) & writeSetMask; writeSet[j] >= 0; j = (j + 1) & writeSetMask) {
            int home = writeHash(sAddr[writeSet[j]]);
            // the entry at j may fill the hole when its home is not in (hole, j] (cyclically)
            if (((j - home) & writeSetMask) >= ((j - hole) & writeSetMask)) {
                writeSet[hole] = writeSet[j];
                hole = j;
            }
        }
        writeSet[hole] = -1;
    }

    /** Requests accepted but not yet completed (reads until their data returns). */
    @Override
    int outstanding() {
        return readN + writeN + activeN + pendN;
    }

    @Override
    boolean readBufferFull() {
        return readN >= readCap;
    }

    @Override
    boolean writeBufferFull() {
        return writeN >= writeCap;
    }

    // ---------------------------------------------------------------- one cycle

    @Override
    void tick() {
        clk++;
        if (pendN > 0) {
            servePending();
        }
        if (clk == nextRefresh) {
            nextRefresh = refresh.due(clk, maintenance);
        }
        if (closedCap) {
            rowPolicy.preSchedule(this);
        }
        // Nothing changed since the last full evaluation found no ready command: the outcome
        // would be the same until the earliest of those commands becomes ready.
        if (!dirty && clk < wakeAt && !exhaustive) {
            return;
        }
        dirty = false;
        int idx = pickActive();
        if (idx >= 0) {
            int bank = sBank[activeQ[idx]];
            long activeMin = scanMin;
            int activeReady = readyCandidates;
            issueRequest(activeQ[idx], idx);
            if (bufferLowValid && activeReady == 1 && prioN == 0) {
                sleepAfterIssue(activeMin, bufferLow, bank);
            } else {
                bufferLowValid = false;  // the bank's buffered requests may have new candidates
            }
            return;
        }
        long wake = scanMin;
        if (prioN > 0) {
            int fin = prioFinal[prioHead];
            int bank = prioBank[prioHead];
            int cmd = preqMaintenance(fin, bank);
            if (!wouldCloseActive(cmd, bank)) {
                long r = readyAt(cmd, bank);
                if (r <= clk) {
                    bufferLowValid = false;
                    issue(cmd, bank < 0 ? -1 : bank / banksPerBg, bank, -1);
                    if (cmd == fin) {
                        prioHead = (prioHead + 1) % prioFinal.length;
                        prioN--;
                        if (fin == REFAB) {
                            refreshes++;
                        }
                    }
                    return;
                }
                wake = Math.min(wake, r);
            }
            wakeAt = wake;
            return;
        }
        updateWriteMode();
        int s = writeMode ? pickByBank(writeByBank, writeBankN, writeHitN, writeCap, WR, writeBanks, writeLow)
                : pickByBank(readByBank, readBankN, readHitN, readCap, RD, readBanks, readLow);
        if (s >= 0) {
            sCmd[s] = pickedCmd;
            int bank = sBank[s];
            long bufferMin = scanMin;
            boolean alone = readyCandidates == 1;
            issueRequest(s, -1);
            bufferLowValid = false;
            if (alone) {
                sleepAfterIssue(wake, bufferMin, bank);
            }
            return;
        }
        bufferLow = scanMin;
        bufferLowValid = !rowHitFirst && !closedCap;
        wakeAt = Math.min(wake, scanMin);
    }

    /**
     * After a command, the next evaluation that can issue anything is known without one: commands
     * only ever push ready cycles later, so every candidate the evaluation did not pick is ready
     * no earlier than it found ({@code activeMin} for activated requests, {@code bufferMin} for
     * the read/write buffer, kept up to date by later arrivals as {@link #bufferLow}); only the
     * bank the command went to has new candidates. On streaming and random traces this spares
     * most evaluations that would issue nothing. Called only when the picked command was the one
     * ready candidate; a mode switch or a policy with more state (row-hit-first, closed rows)
     * evaluates next cycle as before.
     */
    private void sleepAfterIssue(long activeMin, long bufferMin, int bank) {
        if (rowHitFirst || closedCap || nextWriteMode() != writeMode) {
            bufferLowValid = false;
            return;
        }
        long buf = Math.min(bufferMin, writeMode
                ? bankReady(writeBankN[bank], writeHitN[bank], WR, bank)
                : bankReady(readBankN[bank], readHitN[bank], RD, bank));
        long wake = Math.min(activeMin, buf);
        if (activePerBank[bank] > 0) {
            for (int i = 0; i < activeN; i++) {
                int a = activeQ[i];
                if (sBank[a] == bank) {
                    int open = openRow[bank];
                    int cmd = open < 0 ? ACT : open == sRow[a] ? sFinal[a] : PREPB;
                    wake = Math.min(wake, Math.max(ready[cmd], Math.max(ready[sBgNode[a] + cmd], ready[sBankNode[a] + cmd])));
                }
            }
        }
        bufferLow = buf;
        bufferLowValid = true;
        dirty = false;
        wakeAt = wake;
    }

    /** Earliest ready cycle of a bank's scheduling candidates in one buffer (as {@link #pickByBank} sees them). */
    private long bankReady(int n, int h, int fin, int b) {
        if (n == 0) {
            return NEVER;
        }
        int open = openRow[b];
        boolean hasHit = h > 0;
        boolean hasOther = h < n;
        int bankNode = (1 + nBg + b) * COUNT;
        int bgNode = bgNodeOf[b];
        long r = NEVER;
        if (hasHit) {
            r = Math.max(ready[fin], Math.max(ready[bgNode + fin], ready[bankNode + fin]));
        }
        if (hasOther) {
            int cmd = open < 0 ? ACT : PREPB;
            if (!(cmd == PREPB && activePerBank[b] > 0)) {
                r = Math.min(r, Math.max(ready[cmd], Math.max(ready[bgNode + cmd], ready[bankNode + cmd])));
            }
        }
        return r;
    }

    private void updateWriteMode() {
        writeMode = nextWriteMode();
    }

    private boolean nextWriteMode() {
        if (!writeMode) {
            return writeN > wrHigh * writeCap || readN == 0;
        }
        return !(writeN < wrLow * writeCap && readN != 0);
    }

    /**
     * FR-FCFS over the requests whose row was activated for them: the oldest (by arrival) whose
     * next command is timing-ready. Returns its queue index, or -1 when none is ready this cycle.
     */
    private int pickActive() {
        int[] q = activeQ;
        int n = activeN;
        scanMin = NEVER;
        if (n == 0) {
            return -1;
        }
        if (rowHitFirst) {
            markRowHits(q, n);
        }
        final long now = clk;
        int best = -1;
        long bestArrive = 0;
        boolean bestReady = false;
        long min = NEVER;
        int readyN = 0;
        for (int i = 0; i < n; i++) {
            int s = q[i];
            if (sLow[s] > now) {
                // not ready: cannot be picked, and only the bound counts towards the wake-up
                min = Math.min(min, sLow[s]);
                continue;
            }
            int bank = sBank[s];
            int open = openRow[bank];
            int cmd = open < 0 ? ACT : open == sRow[s] ? sFinal[s] : PREPB;
            sCmd[s] = cmd;
            if (rowHitFirst && preemptsRowHit(s, cmd)) {
                continue;
            }
            long r = Math.max(ready[cmd], Math.max(ready[sBgNode[s] + cmd], ready[sBankNode[s] + cmd]));
            if (bounded) {
                sLow[s] = r;
            }
            boolean ok = r <= now;
            if (ok) {
                readyN++;
            } else if (r < min) {
                min = r;
            }
            if (best < 0 || (ok && !bestReady) || (ok == bestReady && sArrive[s] < bestArrive)) {
                best = i;
                bestArrive = sArrive[s];
                bestReady = ok;
            }
        }
        scanMin = min;
        readyCandidates = readyN;
        return bestReady ? best : -1;
    }

    /**
     * FR-FCFS over a read or write buffer, equivalent to scanning every request (oldest ready
     * eligible request wins; arrival order is insertion order) but evaluating timing once per
     * bank and command class. Returns the slot, with its command in {@link #pickedCmd}, or -1;
     * leaves in {@link #scanMin} the earliest cycle an eligible request becomes ready.
     */
    private int pickByBank(int[] byBank, int[] bankN, int[] hitN, int cap, int fin, long banks, long[] low) {
        final long now = clk;
        int best = -1;
        long bestSeq = Long.MAX_VALUE;
        long min = NEVER;
        int readyN = 0;
        for (long rest = banks; rest != 0; rest &= rest - 1) {
            int b = Long.numberOfTrailingZeros(rest);
            if (low[b] > now) {
                min = Math.min(min, low[b]);
                continue;
            }
            int n = bankN[b];
            int base = b * cap;
            int open = openRow[b];
            int hit = -1;
            int other = -1;
            int h = hitN[b];
            if (h == 0) {
                other = byBank[base];
            } else if (h == n) {
                hit = byBank[base];
            } else {
                for (int k = 0; k < n && (hit < 0 || other < 0); k++) {
                    int s = byBank[base + k];
                    if (sRow[s] == open) {
                        if (hit < 0) {
                            hit = s;
                        }
                    } else if (other < 0) {
                        other = s;
                    }
                }
            }
            int bankNode = (1 + nBg + b) * COUNT;
            int bgNode = bgNodeOf[b];
            long bankMin = NEVER;
            if (hit >= 0) {
                long r = Math.max(ready[fin], Math.max(ready[bgNode + fin], ready[bankNode + fin]));
                bankMin = r;
                if (r <= now) {
                    readyN++;
                    if (sSeq[hit] < bestSeq) {
                        best = hit;
                        bestSeq = sSeq[hit];
                        pickedCmd = fin;
                    }
                } else if (r < min) {
                    min = r;
                }
            }
            // PREPB would close a row just activated for another request; with row-hit-first, a row
            // hit may also hold the precharge back
            int cmd = open < 0 ? ACT : PREPB;
            if (other >= 0 && !(cmd == PREPB && activePerBank[b] > 0)
                    && !(rowHitFirst && cmd == PREPB && hit >= 0 && !scheduler.mayPrecharge(sArrive[other], sArrive[hit]))) {
                long r = Math.max(ready[cmd], Math.max(ready[bgNode + cmd], ready[bankNode + cmd]));
                bankMin = Math.min(bankMin, r);
                if (r <= now) {
                    readyN++;
                    if (sSeq[other] < bestSeq) {
                        best = other;
                        bestSeq = sSeq[other];
                        pickedCmd = cmd;
                    }
                } else if (r < min) {
                    min = r;
                }
            }
            if (bounded) {
                low[b] = bankMin;
            }
        }
        scanMin = min;
        readyCandidates = readyN;
        return best;
    }


    private void markRowHits(int[] q, int n) {
        Arrays.fill(rowHitFlag, false);
        for (int i = 0; i < n; i++) {
            int s = q[i];
            int b = sBank[s];
            if (openRow[b] == sRow[s] && (!rowHitFlag[b] || sArrive[s] < rowHitArrive[b])) {
                rowHitFlag[b] = true;
                rowHitArrive[b] = sArrive[s];
            }
        }
    }

    private boolean preemptsRowHit(int s, int cmd) {
        return cmd == PREPB && rowHitFlag[sBank[s]] && !scheduler.mayPrecharge(sArrive[s], rowHitArrive[sBank[s]]);
    }

    private int preqMaintenance(int fin, int bank) {
        if (fin == REFAB) {
            for (int b = 0; b < nBanks; b++) {
                if (openRow[b] >= 0) {
                    return PREAB;
                }
            }
        }
        return fin;
    }

    private boolean wouldCloseActive(int cmd, int bank) {
        if (!closing[cmd] || activeN == 0) {
            return false;
        }
        if (bank >= 0 && !allBank[cmd]) {
            return activePerBank[bank] > 0;
        }
        return true;
    }

    /** First cycle at which {@code cmd} meets every timing rule on its target (bank -1: all banks). */
    @Override
    public long readyAt(int cmd, int bank) {
        long r = ready[cmd];
        if (bank >= 0 && !allBank[cmd]) {
            r = Math.max(r, ready[bgNodeOf[bank] + cmd]);
            return Math.max(r, ready[(1 + nBg + bank) * COUNT + cmd]);
        }
        for (int node = 1; node < 1 + nBg + nBanks; node++) {
            r = Math.max(r, ready[node * COUNT + cmd]);
        }
        return r;
    }

    /** Issues request {@code s}'s next command; {@code activeIdx} is its place in the active queue, -1 when buffered. */
    private void issueRequest(int s, int activeIdx) {
        boolean fromActive = activeIdx >= 0;
        int cmd = sCmd[s];
        int bank = sBank[s];
        if (closedCap && cmd == sFinal[s]) {
            cmd = rowPolicy.column(this, cmd, bank);
            sFinal[s] = cmd;
        }
        if (!sStatDone[s]) {
            sStatDone[s] = true;
            int open = openRow[bank];
            if (open == sRow[s]) {
                rowHits++;
                if (!sWrite[s]) {
                    readRowHits++;
                }
            } else if (open >= 0) {
                rowConflicts++;
                if (!sWrite[s]) {
                    readRowConflicts++;
                }
            } else {
                rowMisses++;
                if (!sWrite[s]) {
                    readRowMisses++;
                }
            }
        }
        issue(cmd, sBg[s], bank, sRow[s]);
        if (cmd == sFinal[s]) {
            if (fromActive) {
                activePerBank[bank]--;
                System.arraycopy(activeQ, activeIdx + 1, activeQ, activeIdx, activeN - activeIdx - 1);
                activeN--;
            } else {
                removeBuffered(s);
            }
            if (sWrite[s]) {
                writesServed++;
                completed(sId[s], true, clk);
            } else {
                readsServed++;
                pushPending(sId[s], sArrive[s], clk + readLatency);
            }
            freeSlots[freeTop++] = s;
        } else if (cmd == ACT && !fromActive && activeN < activeQ.length) {
            sLow[s] = Long.MIN_VALUE;
            activeQ[activeN++] = s;
            activePerBank[bank]++;
            removeBuffered(s);
        }
    }

    private void removeBuffered(int s) {
        if (sWrite[s]) {
            writeN--;
            removeWrite(s);
            if (removeFromBank(writeByBank, writeBankN, writeHitN, writeCap, s)) {
                writeBanks &= ~(1L << sBank[s]);
            }
        } else {
            readN--;
            if (removeFromBank(readByBank, readBankN, readHitN, readCap, s)) {
                readBanks &= ~(1L << sBank[s]);
            }
        }
    }

    /** Returns true when the bank's list became empty. */
    private boolean removeFromBank(int[] byBank, int[] bankN, int[] hitN, int cap, int s) {
        int b = sBank[s];
        if (sRow[s] == openRow[b]) {
            hitN[b]--;
        }
        int base = b * cap;
        int n = bankN[b];
        for (int k = 0; k < n; k++) {
            if (byBank[base + k] == s) {
                System.arraycopy(byBank, base + k + 1, byBank, base + k, n - k - 1);
                bankN[b] = n - 1;
                return n == 1;
            }
        }
        throw new IllegalStateException("request slot " + s + " not in its bank list");
    }

    /** Applies a command to the device: timing bookkeeping on every node it touches, then bank state. */
    private void issue(int cmd, int bg, int bank, int row) {
        dirty = true;
        if (bank < 0 || allBank[cmd]) {
            issuedToAllBanks(cmd);
        } else {
            readLow[bank] = Long.MIN_VALUE;
            writeLow[bank] = Long.MIN_VALUE;
            if (activePerBank[bank] > 0) {
                for (int i = 0; i < activeN; i++) {
                    int a = activeQ[i];
                    if (sBank[a] == bank) {
                        sLow[a] = Long.MIN_VALUE;
                    }
                }
            }
            // one call site for the three levels: C2 inlines the bookkeeping loop once, not three
            // times, and this method's compilation (the longest of a run) finishes sooner
            for (int level = TimingTable.CHANNEL; level <= TimingTable.BANK; level++) {
                int node = level == TimingTable.CHANNEL ? 0 : level == TimingTable.BANK_GROUP ? 1 + bg : 1 + nBg + bank;
                table.issued(ready, history, node, level, cmd, clk);
            }
        }
        switch (cmd) {
            case ACT -> {
                openRow[bank] = row;
                readHitN[bank] = countRow(readByBank, readBankN[bank], readCap, bank, row);
                writeHitN[bank] = countRow(writeByBank, writeBankN[bank], writeCap, bank, row);
                activates++;
            }
            case PREPB, RDA, WRA -> {
                openRow[bank] = -1;
                readHitN[bank] = 0;
                writeHitN[bank] = 0;
                if (cmd == PREPB) {
                    precharges++;
                }
            }
            case PREAB -> {
                Arrays.fill(openRow, -1);
                Arrays.fill(readHitN, 0);
                Arrays.fill(writeHitN, 0);
                precharges++;
            }
            default -> {
            }
        }
        if (closedCap) {
            rowPolicy.issued(cmd, bank < 0 || allBank[cmd] ? -1 : bank, closing[cmd]);
        }
        if (commandListener != null) {
            commandListener.issued(channelId, clk, cmd, bg, bank < 0 ? -1 : bank % banksPerBg, row);
        }
    }

    private int countRow(int[] byBank, int n, int cap, int bank, int row) {
        int c = 0;
        for (int k = 0; k < n; k++) {
            if (sRow[byBank[bank * cap + k]] == row) {
                c++;
            }
        }
        return c;
    }

    /** Timing bookkeeping of a command addressed to the channel (refresh, precharge-all): every node. */
    private void issuedToAllBanks(int cmd) {
        Arrays.fill(readLow, Long.MIN_VALUE);
        Arrays.fill(writeLow, Long.MIN_VALUE);
        for (int i = 0; i < activeN; i++) {
            sLow[activeQ[i]] = Long.MIN_VALUE;
        }
        table.issued(ready, history, 0, TimingTable.CHANNEL, cmd, clk);
        for (int g = 0; g < nBg; g++) {
            table.issued(ready, history, 1 + g, TimingTable.BANK_GROUP, cmd, clk);
        }
        for (int b = 0; b < nBanks; b++) {
            table.issued(ready, history, 1 + nBg + b, TimingTable.BANK, cmd, clk);
        }
    }

    @Override
    public long clk() {
        return clk;
    }

    @Override
    public void postMaintenance(int fin, int bank) {
        dirty = true;
        if (prioN == prioFinal.length) {
            int[] f = new int[prioN * 2];
            int[] b = new int[prioN * 2];
            for (int i = 0; i < prioN; i++) {
                f[i] = prioFinal[(prioHead + i) % prioN];
                b[i] = prioBank[(prioHead + i) % prioN];
            }
            prioFinal = f;
            prioBank = b;
            prioHead = 0;
        }
        int tail = (prioHead + prioN) % prioFinal.length;
        prioFinal[tail] = fin;
        prioBank[tail] = bank;
        prioN++;
    }

    private void pushPending(long id, long arrive, long depart) {
        if (pendN == pendId.length) {
            int n = pendN * 2;
            long[] a = new long[n];
            long[] b = new long[n];
            long[] c = new long[n];
            for (int i = 0; i < pendN; i++) {
                int j = (pendHead + i) % pendN;
                a[i] = pendId[j];
                b[i] = pendArrive[j];
                c[i] = pendDepart[j];
            }
            pendId = a;
            pendArrive = b;
            pendDepart = c;
            pendHead = 0;
        }
        int tail = (pendHead + pendN) % pendId.length;
        pendId[tail] = id;
        pendArrive[tail] = arrive;
        pendDepart[tail] = depart;
        pendN++;
    }

    // In order, like Ramulator's pending deque: a read waits behind an earlier one still in flight.
    private void servePending() {
        while (pendN > 0 && pendDepart[pendHead] <= clk) {
            readLatencySum += pendDepart[pendHead] - pendArrive[pendHead];
            readsCompleted++;
            completed(pendId[pendHead], false, clk);
            pendHead = (pendHead + 1) % pendId.length;
            pendN--;
        }
    }

    // ---------------------------------------------------------------- idle skipping

    /**
     * The earliest cycle after the current one at which {@link #tick()} could change anything
     * (issue a command, post a refresh, return read data), assuming no new request arrives.
     * Cycles before it are idle and may be skipped with {@link #skipTo}.
     */
    @Override
    long nextEvent() {
        if (dirty || exhaustive) {
            return clk + 1;
        }
        long e = Math.min(nextRefresh, wakeAt);
        if (pendN > 0) {
            e = Math.min(e, pendDepart[pendHead]);
        }
        if (closedCap) {
            e = Math.min(e, rowPolicy.nextEvent(this));
        }
        return Math.max(e, clk + 1);
    }
}
