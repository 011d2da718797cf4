package org.colsparse.dram;

import java.util.Set;
import org.colsparse.util.Printable;

/**
 * A complete memory-system configuration: the device, how many channels, and which controller parts
 * (Ramulator 2.1 implementation names) each channel's controller uses.
 *
 * <p>Every value has a valid range (docs/dram.md, "Valid ranges"), wide enough for any real
 * GDDR/DDR/HBM part and narrow enough that no value can exhaust memory (each channel holds arrays
 * of banks x buffer entries), overflow a cycle count or stall the simulation forever. Messages
 * name the YAML key.
 *
 * @param channels        number of channels, one controller each (power of two)
 * @param interleaveBits  CacheLineInterleave's {@code interleave_bits}
 * @param scheduler       a {@link Scheduler} by Ramulator name: {@code FRFCFS} or {@code FRFCFS-RowHit}
 * @param refresh         a {@link RefreshManager}: {@code AllBank} or {@code NoRefresh}
 * @param rowPolicy       a {@link RowPolicy}: {@code Open} or {@code ClosedCAP}
 * @param rowPolicyCap    ClosedCAP's {@code cap}: column accesses before the row is closed
 * @param addrMapper      {@code RoBaRaCoCh} or {@code ChRaBaRoCo}
 * @param controller      {@code GenericDDR} (one command a cycle) or {@code HBM12} (a row and a column command a cycle)
 */
public record DramConfig(String name, DramSpec spec, int channels, int interleaveBits, int readBufferSize,
                         int writeBufferSize, float wrLowWatermark, float wrHighWatermark, String scheduler,
                         String refresh, String rowPolicy, int rowPolicyCap, String addrMapper,
                         String controller) {

    public static final String RAMULATOR2_GDDR6 = "ramulator2-gddr6";
    public static final Set<String> SCHEDULERS = Scheduler.BY_NAME.keySet();
    public static final Set<String> REFRESH_MANAGERS = RefreshManager.BY_NAME.keySet();
    public static final Set<String> ROW_POLICIES = RowPolicy.BY_NAME.keySet();
    public static final Set<String> CONTROLLERS = new java.util.LinkedHashSet<>(java.util.List.of("GenericDDR", "HBM12", "HBM34"));

    /** A GPU's GDDR6 interface has up to 24 channels (12 x32 devices); 2^30 of them ran out of heap. */
    public static final int MAX_CHANNELS = 64;
    /** Ramulator's defaults are 32 and 64; each entry costs every bank a slot, and 2^31 ran out of heap. */
    public static final int MAX_BUFFER = 1024;
    public static final int MAX_ROW_POLICY_CAP = 1 << 20;
    /** Any timing, in cycles: DDR5's refresh interval is ~16k cycles; sums of five stay far below 2^31. */
    public static final int MAX_TIMING = 1_000_000;
    /** Clock period in ps: 10 GHz to 10 MHz. */
    public static final int MIN_TCK_PS = 100;
    public static final int MAX_TCK_PS = 100_000;

    public DramConfig {
        if (channels <= 0 || channels > MAX_CHANNELS || Integer.bitCount(channels) != 1) {
            throw new IllegalArgumentException("memory_system.channels must be a power of two in 1.." + MAX_CHANNELS
                    + ", got " + channels);
        }
        if (interleaveBits < 0 || interleaveBits > 32) {
            throw new IllegalArgumentException("memory_system.channel_mapper.interleave_bits must be 0..32, got " + interleaveBits);
        }
        for (int size : new int[] {readBufferSize, writeBufferSize}) {
            if (size <= 0 || size > MAX_BUFFER) {
                throw new IllegalArgumentException("memory_system.controller." + (size == readBufferSize ? "read" : "write")
                        + "_buffer_size must be 1.." + MAX_BUFFER + ", got " + size);
            }
        }
        if (!(wrLowWatermark >= 0 && wrLowWatermark <= wrHighWatermark && wrHighWatermark <= 1)) {
            throw new IllegalArgumentException("need 0 <= wr_low_watermark <= wr_high_watermark <= 1");
        }
        check("scheduler", scheduler, SCHEDULERS);
        check("refresh_manager", refresh, REFRESH_MANAGERS);
        check("row_policy", rowPolicy, ROW_POLICIES);
        check("controller", controller, CONTROLLERS);
        if (controller.equals("GenericDDR") && !refresh.equals("AllBank") && !refresh.equals("NoRefresh")) {
            throw new IllegalArgumentException("refresh_manager " + refresh + " is supported with the HBM controllers (GenericDDR:"
                    + " AllBank or NoRefresh)");
        }
        if (controller.equals("GenericDDR") != (spec.org().pseudoChannels() == 1)) {
            throw new IllegalArgumentException("memory_system.controller.impl " + controller + " does not drive "
                    + spec.standard().name() + (controller.equals("GenericDDR") ? " (pseudo channels: use HBM12)" : " (use GenericDDR)"));
        }
        if (!java.util.List.of(AddressMapper.NAMES).contains(addrMapper)) {
            throw new IllegalArgumentException("unknown addr_mapper '" + Printable.excerpt(addrMapper) + "' (known: "
                    + String.join(", ", AddressMapper.NAMES) + ")");
        }
        AddressMapper.create(addrMapper, spec.org());
        if (rowPolicyCap <= 0 || rowPolicyCap > MAX_ROW_POLICY_CAP) {
            throw new IllegalArgumentException("memory_system.controller.row_policy.cap must be 1.." + MAX_ROW_POLICY_CAP
                    + ", got " + rowPolicyCap);
        }
        checkTiming(spec.timing(), refreshChecked(refresh, spec).interval() > 0);
    }

    /**
     * Every timing in 0..{@link #MAX_TIMING} (nBL and nREFI at least 1; nBL 2^31-1 overflowed the
     * read latency and the simulation never ended), tCK_ps in {@link #MIN_TCK_PS}..{@link #MAX_TCK_PS}.
     * With refresh on, nREFI must exceed the sum of the other timings, so that between two
     * refreshes any request's command sequence has time to finish: with nREFI 1 a refresh was
     * always due and no request was ever served. The presets' sums are 669 and 728, their nREFI 3333.
     */
    private static void checkTiming(Timings t, boolean refreshOn) {
        long others = 0;
        for (String name : t.names()) {
            int value = t.get(name);
            long min = name.equals("nBL") || name.equals("nREFI") || name.equals("rate") ? 1 : 0;
            long max = MAX_TIMING;
            if (name.equals("tCK_ps")) {
                min = MIN_TCK_PS;
                max = MAX_TCK_PS;
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("memory_system.controller.dram.timing." + name + " must be " + min + ".."
                        + max + ", got " + value);
            }
            if (!name.equals("rate") && !name.equals("tCK_ps") && !name.equals("nREFI")) {
                others += value;
            }
        }
        if (refreshOn && t.get("nREFI") <= others) {
            throw new IllegalArgumentException("memory_system.controller.dram.timing.nREFI (" + t.get("nREFI")
                    + ") must exceed the sum of the other timings (" + others + ") so that requests are served between"
                    + " refreshes (or set refresh_manager: {impl: NoRefresh})");
        }
    }

    private static RefreshManager refreshChecked(String refresh, DramSpec spec) {
        try {
            return RefreshManager.of(refresh, spec.timing(), spec.org());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("refresh_manager " + refresh + " needs a timing " + spec.standard().name()
                    + " does not have: " + e.getMessage());
        }
    }

    private static void check(String key, String value, Set<String> known) {
        if (!known.contains(value)) {
            throw new IllegalArgumentException("unknown " + key + " '" + Printable.excerpt(value) + "' (known: " + known + ")");
        }
    }

    /** Ramulator 2.1's GDDR6, colsparse's reference memory (defined with the standard's table, {@link Gddr6}). */
    public static DramConfig ramulator2Gddr6() {
        return Standards.preset(RAMULATOR2_GDDR6);
    }

    /** Built-in presets by name ({@link Standards#presets()}); unknown names throw IllegalArgumentException. */
    public static DramConfig preset(String name) {
        return Standards.preset(name);
    }

    /** Cycles between refresh deadlines of the refresh manager, 0 when it never refreshes. */
    public long refreshInterval() {
        return RefreshManager.of(refresh, spec.timing(), spec.org()).interval();
    }

    /** The memory standard's name as Ramulator spells it ({@code GDDR6}). */
    public String standardName() {
        return spec.standard().name();
    }

    /** Bytes per request (one burst). */
    public int txBytes() {
        return spec.org().txBytes();
    }

    /** Total capacity addressed by the mapping, in bytes. */
    public long capacityBytes() {
        DramOrg o = spec.org();
        return (long) channels * o.banks() * o.rows() * (o.columns() / o.prefetch()) * o.txBytes();
    }
}
