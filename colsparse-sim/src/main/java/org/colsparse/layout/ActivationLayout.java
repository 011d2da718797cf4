package org.colsparse.layout;

import java.util.BitSet;

/**
 * Where the elements of the activation A ({@code m x k}, {@code wordBytes} per element) live in
 * DRAM. A layout answers one question: which byte ranges hold a given set of rows and columns — the
 * part of A a fold of the array needs. {@link Bursts} turns those ranges into 32-byte requests.
 * Skipped columns save traffic only where the layout puts them in bursts of their own.
 */
public interface ActivationLayout {
    /** CLI name: row-major, column-major, tiled, compacted. */
    String name();

    /** First byte of the layout's region. */
    long base();

    /** Bytes the layout occupies from {@link #base()} (data plus any padding or metadata). */
    long footprintBytes();

    /**
     * Emits the byte ranges holding elements {@code (r, c)} for every {@code r} in {@code rows} and
     * {@code c} in {@code cols}, plus any metadata a reader must fetch to locate them. Elements the
     * layout does not store (compacted: zero columns) cost nothing beyond their metadata.
     */
    void ranges(BitSet rows, BitSet cols, RangeSink sink);
}
