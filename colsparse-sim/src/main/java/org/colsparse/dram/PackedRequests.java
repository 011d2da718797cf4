package org.colsparse.dram;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/** A trace's requests as two flat arrays: a million {@link Request} objects cost more to build than to simulate. */
final class PackedRequests extends AbstractList<Request> implements RandomAccess {
    private long[] addrs;
    private boolean[] writes;
    private int n;

    PackedRequests(int capacity) {
        addrs = new long[capacity];
        writes = new boolean[capacity];
    }

    void add(long addr, boolean write) {
        if (n == addrs.length) {
            addrs = Arrays.copyOf(addrs, n * 2);
            writes = Arrays.copyOf(writes, n * 2);
        }
        addrs[n] = addr;
        writes[n] = write;
        n++;
    }

    long addr(int i) {
        return addrs[i];
    }

    boolean write(int i) {
        return writes[i];
    }

    @Override
    public Request get(int i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(i);
        }
        return new Request(addrs[i], writes[i]);
    }

    @Override
    public int size() {
        return n;
    }
}
