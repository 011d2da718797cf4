package org.colsparse.dram;

/**
 * Organization of one GDDR6 channel (Ramulator key names: {@code bankgroup}, {@code bank},
 * {@code row}, {@code column}, {@code dq}, {@code channel_width}). {@code column} counts device
 * columns; one request moves {@code prefetch} of them, so a row holds {@code column / prefetch}
 * requests of {@link #txBytes()} bytes.
 */
public record DramOrg(int densityMbit, int dq, int channelWidth, int bankGroups, int banksPerGroup,
                      int rows, int columns, int prefetch) {

    public DramOrg {
        for (int v : new int[] {bankGroups, banksPerGroup, rows, columns, prefetch, channelWidth}) {
            if (v <= 0 || Integer.bitCount(v) != 1) {
                // (the fields are not assigned yet in a compact constructor: name the arguments)
                throw new IllegalArgumentException("DRAM organization sizes must be powers of two, got bankgroup " + bankGroups
                        + ", bank " + banksPerGroup + ", row " + rows + ", column " + columns + ", prefetch " + prefetch
                        + ", channel_width " + channelWidth);
            }
        }
        if (columns < prefetch) {
            throw new IllegalArgumentException("column count below the prefetch size: " + columns);
        }
    }

    public int banks() {
        return bankGroups * banksPerGroup;
    }

    /** Bytes moved by one RD or WR burst: prefetch x channel width. 32 for GDDR6 x16. */
    public int txBytes() {
        return prefetch * channelWidth / 8;
    }

    public DramOrg withSizes(int bankGroups, int banksPerGroup, int rows, int columns, int dq, int channelWidth) {
        return new DramOrg(densityMbit, dq, channelWidth, bankGroups, banksPerGroup, rows, columns, prefetch);
    }
}
