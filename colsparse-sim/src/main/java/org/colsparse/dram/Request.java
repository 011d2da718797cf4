package org.colsparse.dram;

/** One 32-byte memory request of a LoadStoreTrace: {@code LD addr} (read) or {@code ST addr} (write). */
public record Request(long addr, boolean write) {
    public static Request load(long addr) {
        return new Request(addr, false);
    }

    public static Request store(long addr) {
        return new Request(addr, true);
    }
}
