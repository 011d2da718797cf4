package org.colsparse.dram;

/**
 * Splits an intra-channel byte address into bank group, bank, row and column, the way Ramulator
 * 2.1's address mappers do: drop the transaction offset (log2 of the 32-byte burst), then slice
 * fields from the least significant bit up in the mapper's order. Field widths are log2 of the
 * level sizes; the column field counts bursts, i.e. log2(column) - log2(prefetch) bits.
 */
public abstract sealed class AddressMapper permits AddressMapper.RoBaRaCoCh, AddressMapper.ChRaBaRoCo {
    public static final int BANK_GROUP = 0;
    public static final int BANK = 1;
    public static final int ROW = 2;
    public static final int COLUMN = 3;

    final int txOffset;
    final int bgBits;
    final int bankBits;
    final int rowBits;
    final int colBits;

    AddressMapper(DramOrg org) {
        txOffset = log2(org.txBytes());
        bgBits = log2(org.bankGroups());
        bankBits = log2(org.banksPerGroup());
        rowBits = log2(org.rows());
        colBits = log2(org.columns()) - log2(org.prefetch());
    }

    /** Names accepted in configuration files (Ramulator's implementation names). */
    public static final String[] NAMES = {"RoBaRaCoCh", "ChRaBaRoCo"};

    public static AddressMapper create(String name, DramOrg org) {
        return switch (name) {
            case "RoBaRaCoCh" -> new RoBaRaCoCh(org);
            case "ChRaBaRoCo" -> new ChRaBaRoCo(org);
            default -> throw new IllegalArgumentException("unknown addr_mapper '" + name + "' (known: RoBaRaCoCh, ChRaBaRoCo)");
        };
    }

    /** Writes bank group, bank, row and column of {@code intraChannelAddr} into {@code out[0..3]}. */
    public abstract void decode(long intraChannelAddr, int[] out);

    static int log2(int v) {
        return 31 - Integer.numberOfLeadingZeros(v);
    }

    static int slice(long a, int bits) {
        return (int) (a & ((1L << bits) - 1));
    }

    /** Row | bank | (rank) | column | (channel) from MSB to LSB: consecutive bursts walk one row. */
    public static final class RoBaRaCoCh extends AddressMapper {
        RoBaRaCoCh(DramOrg org) {
            super(org);
        }

        @Override
        public void decode(long intraChannelAddr, int[] out) {
            long a = intraChannelAddr >>> txOffset;
            out[COLUMN] = slice(a, colBits);
            a >>>= colBits;
            out[BANK_GROUP] = slice(a, bgBits);
            a >>>= bgBits;
            out[BANK] = slice(a, bankBits);
            a >>>= bankBits;
            out[ROW] = slice(a, rowBits);
        }
    }

    /** (Channel) | (rank) | bank group | bank | row | column from MSB to LSB: one bank fills first. */
    public static final class ChRaBaRoCo extends AddressMapper {
        ChRaBaRoCo(DramOrg org) {
            super(org);
        }

        @Override
        public void decode(long intraChannelAddr, int[] out) {
            long a = intraChannelAddr >>> txOffset;
            out[COLUMN] = slice(a, colBits);
            a >>>= colBits;
            out[ROW] = slice(a, rowBits);
            a >>>= rowBits;
            out[BANK] = slice(a, bankBits);
            a >>>= bankBits;
            out[BANK_GROUP] = slice(a, bgBits);
        }
    }
}
