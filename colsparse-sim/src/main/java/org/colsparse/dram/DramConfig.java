package org.colsparse.dram;

import java.util.Set;

/**
 * A complete memory-system configuration: the device, how many channels, and which controller parts
 * (Ramulator 2.1 implementation names) each channel's controller uses.
 *
 * @param channels        number of channels, one controller each (power of two)
 * @param interleaveBits  CacheLineInterleave's {@code interleave_bits}
 * @param scheduler       {@code FRFCFS} or {@code FRFCFS-RowHit}
 * @param refresh         {@code AllBank} or {@code NoRefresh}
 * @param rowPolicy       {@code Open} or {@code ClosedCAP}
 * @param rowPolicyCap    ClosedCAP's {@code cap}: column accesses before the row is closed
 * @param addrMapper      {@code RoBaRaCoCh} or {@code ChRaBaRoCo}
 */
public record DramConfig(String name, DramSpec spec, int channels, int interleaveBits, int readBufferSize,
                         int writeBufferSize, float wrLowWatermark, float wrHighWatermark, String scheduler,
                         String refresh, String rowPolicy, int rowPolicyCap, String addrMapper) {

    public static final String RAMULATOR2_GDDR6 = "ramulator2-gddr6";
    public static final Set<String> SCHEDULERS = Set.of("FRFCFS", "FRFCFS-RowHit");
    public static final Set<String> REFRESH_MANAGERS = Set.of("AllBank", "NoRefresh");
    public static final Set<String> ROW_POLICIES = Set.of("Open", "ClosedCAP");

    public DramConfig {
        if (channels <= 0 || Integer.bitCount(channels) != 1) {
            throw new IllegalArgumentException("channels must be a power of two, got " + channels);
        }
        if (readBufferSize <= 0 || writeBufferSize <= 0) {
            throw new IllegalArgumentException("read_buffer_size and write_buffer_size must be positive");
        }
        if (!(wrLowWatermark >= 0 && wrLowWatermark <= wrHighWatermark && wrHighWatermark <= 1)) {
            throw new IllegalArgumentException("need 0 <= wr_low_watermark <= wr_high_watermark <= 1");
        }
        check("scheduler", scheduler, SCHEDULERS);
        check("refresh_manager", refresh, REFRESH_MANAGERS);
        check("row_policy", rowPolicy, ROW_POLICIES);
        AddressMapper.create(addrMapper, spec.org());
        if (rowPolicyCap <= 0) {
            throw new IllegalArgumentException("row_policy cap must be positive");
        }
    }

    private static void check(String key, String value, Set<String> known) {
        if (!known.contains(value)) {
            throw new IllegalArgumentException("unknown " + key + " '" + value + "' (known: " + known + ")");
        }
    }

    /**
     * Ramulator 2.1's GDDR6 as the colsparse reference: GDDR6_16Gb_x16, GDDR6_14000_1350mV_double,
     * two channels (CacheLineInterleave), GenericDDR controllers with 32-entry read and write
     * buffers and write-drain watermarks 0.8/0.2, FR-FCFS, all-bank refresh, open rows, RoBaRaCoCh.
     */
    public static DramConfig ramulator2Gddr6() {
        return new DramConfig(RAMULATOR2_GDDR6, DramSpec.gddr6("GDDR6_16Gb_x16", "GDDR6_14000_1350mV_double"),
                2, 0, 32, 32, 0.2f, 0.8f, "FRFCFS", "AllBank", "Open", 4, "RoBaRaCoCh");
    }

    /** Built-in presets by name; unknown names throw IllegalArgumentException. */
    public static DramConfig preset(String name) {
        if (RAMULATOR2_GDDR6.equals(name)) {
            return ramulator2Gddr6();
        }
        throw new IllegalArgumentException("unknown DRAM preset '" + name + "' (known: " + RAMULATOR2_GDDR6 + ")");
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
