package org.colsparse.dram;

/**
 * Organization of one GDDR6 channel (Ramulator key names: {@code bankgroup}, {@code bank},
 * {@code row}, {@code column}, {@code dq}, {@code channel_width}). {@code column} counts device
 * columns; one request moves {@code prefetch} of them, so a row holds {@code column / prefetch}
 * requests of {@link #txBytes()} bytes.
 */
public record DramOrg(int densityMbit, int dq, int channelWidth, int bankGroups, int banksPerGroup,
                      int rows, int columns, int prefetch, int pseudoChannels, int sids) {
    /**
     * Largest sizes: a channel's controller keeps per-bank state in 64-bit masks (bank groups x
     * banks at most 64), GDDR6 has 4 x 4 banks and 2^14-2^16 rows of 2^10-2^11 columns, DDR5 and
     * HBM3 up to 2^18 rows; burst, column, bank and row bits together stay below 63 address bits.
     */
    public static final int MAX_BANK_GROUPS = 16;
    public static final int MAX_BANKS_PER_GROUP = 16;
    public static final int MAX_BANKS = Long.SIZE;
    public static final int MAX_ROWS = 1 << 24;
    public static final int MAX_COLUMNS = 1 << 16;
    public static final int MAX_CHANNEL_WIDTH = 256;
    public static final int MAX_DQ = 64;
    public static final int MAX_PSEUDO_CHANNELS = 4;
    public static final int MAX_SIDS = 4;
    private static final String KEY = "memory_system.controller.dram.org.";

    /** A device without pseudo channels (GDDR6, DDR). */
    public DramOrg(int densityMbit, int dq, int channelWidth, int bankGroups, int banksPerGroup, int rows, int columns,
                   int prefetch) {
        this(densityMbit, dq, channelWidth, bankGroups, banksPerGroup, rows, columns, prefetch, 1, 1);
    }

    /** A device with pseudo channels and no stack ids (HBM2). */
    public DramOrg(int densityMbit, int dq, int channelWidth, int bankGroups, int banksPerGroup, int rows, int columns,
                   int prefetch, int pseudoChannels) {
        this(densityMbit, dq, channelWidth, bankGroups, banksPerGroup, rows, columns, prefetch, pseudoChannels, 1);
    }

    public DramOrg {
        // (the fields are not assigned yet in a compact constructor: check the arguments)
        powerOfTwo("bankgroup", bankGroups, MAX_BANK_GROUPS);
        powerOfTwo("bank", banksPerGroup, MAX_BANKS_PER_GROUP);
        powerOfTwo("row", rows, MAX_ROWS);
        powerOfTwo("column", columns, MAX_COLUMNS);
        powerOfTwo("channel_width", channelWidth, MAX_CHANNEL_WIDTH);
        powerOfTwo("pseudochannel", pseudoChannels, MAX_PSEUDO_CHANNELS);
        powerOfTwo("sid", sids, MAX_SIDS);
        if (prefetch <= 0 || prefetch > MAX_COLUMNS || Integer.bitCount(prefetch) != 1) {
            throw new IllegalArgumentException("DRAM prefetch must be a power of two up to " + MAX_COLUMNS + ", got " + prefetch);
        }
        if (pseudoChannels == 1 && sids == 1 && bankGroups * banksPerGroup > MAX_BANKS) {
            throw new IllegalArgumentException(KEY + "bankgroup x " + KEY + "bank must be at most " + MAX_BANKS + ", got "
                    + bankGroups + " x " + banksPerGroup);
        }
        if (pseudoChannels * sids * bankGroups * banksPerGroup > MAX_BANKS) {
            throw new IllegalArgumentException("banks per channel (" + KEY + "pseudochannel x sid x bankgroup x bank) must be at most "
                    + MAX_BANKS + ", got " + pseudoChannels + " x " + sids + " x " + bankGroups + " x " + banksPerGroup);
        }
        if (dq <= 0 || dq > MAX_DQ) {
            throw new IllegalArgumentException(KEY + "dq must be 1.." + MAX_DQ + ", got " + dq);
        }
        if (columns < prefetch) {
            throw new IllegalArgumentException(KEY + "column (" + columns + ") is below the prefetch size " + prefetch);
        }
        if (prefetch * channelWidth < 8) {
            throw new IllegalArgumentException(KEY + "channel_width " + channelWidth + " with prefetch " + prefetch
                    + " moves less than a byte a burst");
        }
    }

    private static void powerOfTwo(String key, int v, int max) {
        if (v <= 0 || v > max || Integer.bitCount(v) != 1) {
            throw new IllegalArgumentException(KEY + key + " must be a power of two in 1.." + max + ", got " + v);
        }
    }

    /** Banks per channel: over all pseudo channels. */
    public int banks() {
        return pseudoChannels * sids * bankGroups * banksPerGroup;
    }

    /** Bytes moved by one RD or WR burst: prefetch x channel width. 32 for GDDR6 x16. */
    public int txBytes() {
        return prefetch * channelWidth / 8;
    }

    public DramOrg withSizes(int bankGroups, int banksPerGroup, int rows, int columns, int dq, int channelWidth) {
        return new DramOrg(densityMbit, dq, channelWidth, bankGroups, banksPerGroup, rows, columns, prefetch, pseudoChannels, sids);
    }
}
