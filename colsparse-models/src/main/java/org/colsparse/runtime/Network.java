package org.colsparse.runtime;

import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * A denoiser network: the parameters it declares and the GELU sites its blocks take, both filled
 * while the subclass's constructor builds the blocks, in forward order. The tiny and the full-size
 * networks of every family are one.
 */
public abstract class Network implements AutoCloseable {
    /** Declared under the official checkpoint's names; allocated when loaded or initialized. */
    protected final Params p;
    /** Handed to each block as it is built, so site indices follow the forward pass. */
    protected final Sites s = new Sites();

    protected Network(NDManager manager) {
        this.p = new Params(manager);
    }

    public final Params params() {
        return p;
    }

    /** The GELU sites in forward order. */
    public final List<GeluSite> sites() {
        return s.list();
    }

    @Override
    public void close() {
        p.close();
    }
}
