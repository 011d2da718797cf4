package org.colsparse.dram;

/**
 * Ramulator 2.1's {@code CacheLineInterleave} channel mapper: the channel index is taken from the
 * address bits just above the transaction offset plus {@code interleave_bits}, and those bits are
 * squeezed out of the address the channel's controller sees.
 */
public final class ChannelMapper {
    private final int channels;
    private final int shift;
    private final int width;

    public ChannelMapper(int channels, int txBytes, int interleaveBits) {
        if (channels <= 0 || Integer.bitCount(channels) != 1) {
            throw new IllegalArgumentException("CacheLineInterleave needs a power-of-two channel count, got " + channels);
        }
        this.channels = channels;
        this.shift = AddressMapper.log2(txBytes) + interleaveBits;
        this.width = AddressMapper.log2(channels);
    }

    public int channel(long addr) {
        return channels == 1 ? 0 : (int) ((addr >>> shift) & (channels - 1));
    }

    public long intraChannelAddress(long addr) {
        if (channels == 1) {
            return addr;
        }
        long low = addr & ((1L << shift) - 1);
        long high = addr >>> (shift + width);
        return (high << shift) | low;
    }
}
