package org.colsparse.layout;

/** Receives contiguous byte ranges {@code [start, start + length)} of DRAM that a tile needs. */
@FunctionalInterface
public interface RangeSink {
    void range(long start, long length);
}
