package org.colsparse.dram;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import org.colsparse.util.InputException;

/**
 * A trace's requests in flat chunks: a million {@link Request} objects cost more to build than to
 * simulate. One thread may fill it while another reads it ({@link #available}): the simulator then
 * starts on the first requests while the parser is still reading the rest. Chunks never move once
 * written, so a reader needs nothing but the published count.
 */
final class PackedRequests extends AbstractList<Request> implements RandomAccess {
    private static final int SHIFT = 16;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    // requests become visible to a reader in steps of this many (and at the end)
    private static final int PUBLISH_EVERY = 1024;

    private final long[][] addrs = new long[1 << (31 - SHIFT)][];
    private final boolean[][] writes = new boolean[1 << (31 - SHIFT)][];
    private int n;
    private volatile int published;
    private volatile boolean done;
    private volatile Throwable failure;

    static PackedRequests of(List<Request> requests) {
        if (requests instanceof PackedRequests p) {
            return p;
        }
        PackedRequests p = new PackedRequests();
        for (Request r : requests) {
            p.add(r.addr(), r.write());
        }
        p.finish(null);
        return p;
    }

    void add(long addr, boolean write) {
        if (n == Integer.MAX_VALUE) {
            throw new InputException("trace holds more than " + Integer.MAX_VALUE + " requests");
        }
        int c = n >>> SHIFT;
        if (addrs[c] == null) {
            addrs[c] = new long[CHUNK];
            writes[c] = new boolean[CHUNK];
        }
        addrs[c][n & MASK] = addr;
        writes[c][n & MASK] = write;
        n++;
        if (n % PUBLISH_EVERY == 0) {
            published = n;
        }
    }

    /** The last request has been added, or adding failed with {@code error} (then thrown to readers). */
    void finish(Throwable error) {
        failure = error;
        published = n;
        done = true;
    }

    /**
     * How many requests can be read now, waiting until that is more than {@code i} or the list is
     * finished; a failure of the filling thread is thrown here, once the requests before it are read.
     */
    int available(int i) {
        int spins = 0;
        while (true) {
            boolean finished = done;  // read before published: once done, published is final
            int p = published;
            if (i < p) {
                return p;
            }
            if (finished) {
                Throwable f = failure;
                if (f instanceof RuntimeException e) {
                    throw e;
                }
                if (f instanceof Error e) {
                    throw e;
                }
                return p;
            }
            if (++spins < 1000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    long addr(int i) {
        return addrs[i >>> SHIFT][i & MASK];
    }

    boolean write(int i) {
        return writes[i >>> SHIFT][i & MASK];
    }

    @Override
    public Request get(int i) {
        if (i < 0 || i >= published) {
            throw new IndexOutOfBoundsException(i);
        }
        return new Request(addr(i), write(i));
    }

    /** The requests readable now (all of them once finished). */
    @Override
    public int size() {
        return published;
    }
}
