package org.colsparse.dram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Bit slicing of GDDR6_16Gb_x16 (4 bank groups, 4 banks, 16384 rows, 2048 columns, 16n prefetch:
 * 128 bursts of 32 B per row) under Ramulator's mappers.
 */
class AddressMapperTest {
    private final DramOrg org = Standards.get("GDDR6").org("GDDR6_16Gb_x16");

    private int[] decode(String mapper, long addr) {
        int[] out = new int[4];
        AddressMapper.create(mapper, org).decode(addr, out);
        return out;  // bank group, bank, row, column
    }

    @Test
    void roBaRaCoChSlicesColumnThenBankGroupThenBankThenRow() {
        // bits 0-4 byte in burst, 5-11 column (7 bits), 12-13 bank group, 14-15 bank, 16-29 row
        long a = (0x2A5L << 16) | (2L << 14) | (3L << 12) | (0x55L << 5) | 0x1F;
        assertArrayEquals(new int[] {3, 2, 0x2A5, 0x55}, decode("RoBaRaCoCh", a));
        assertArrayEquals(new int[] {0, 0, 0, 1}, decode("RoBaRaCoCh", 32));
        assertArrayEquals(new int[] {1, 0, 0, 0}, decode("RoBaRaCoCh", 4096));
        // Row bits beyond the 14 the device has are dropped, as in Ramulator.
        assertArrayEquals(new int[] {0, 0, 0, 0}, decode("RoBaRaCoCh", 1L << 30));
    }

    @Test
    void chRaBaRoCoSlicesColumnThenRowThenBankThenBankGroup() {
        // bits 5-11 column, 12-25 row, 26-27 bank, 28-29 bank group
        long a = (1L << 28) | (3L << 26) | (0x1234L << 12) | (0x7FL << 5);
        assertArrayEquals(new int[] {1, 3, 0x1234, 0x7F}, decode("ChRaBaRoCo", a));
    }

    @Test
    void cacheLineInterleaveTakesTheBitAboveTheBurstAndSqueezesItOut() {
        ChannelMapper two = new ChannelMapper(2, 32, 0);
        assertEquals(0, two.channel(0x00));
        assertEquals(1, two.channel(0x20));
        assertEquals(0, two.channel(0x40));
        assertEquals(0x20, two.intraChannelAddress(0x40));
        assertEquals(0x20 | 0x7, two.intraChannelAddress(0x60 | 0x7));
        ChannelMapper four = new ChannelMapper(4, 32, 2);   // interleave every 4 bursts
        assertEquals(3, four.channel(3L << 7));
        assertEquals(0x7F, four.intraChannelAddress((3L << 7) | 0x7F));
        assertEquals(1L << 7, four.intraChannelAddress(1L << 9));
        assertThrows(IllegalArgumentException.class, () -> new ChannelMapper(3, 32, 0));
    }

    @Test
    void unknownMapperIsRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> AddressMapper.create("RoCoBa", org));
        assertEquals("unknown addr_mapper 'RoCoBa' (known: RoBaRaCoCh, ChRaBaRoCo)", e.getMessage());
    }
}
