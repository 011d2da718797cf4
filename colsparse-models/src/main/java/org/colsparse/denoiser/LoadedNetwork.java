package org.colsparse.denoiser;

import ai.djl.ndarray.NDManager;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.Network;

import java.util.List;

/**
 * A workload with its network loaded (ddpm-mnist, vit-mnist and the full-size ones). The network
 * owns the weights, so closing the workload closes it; sampling runs under a sub-manager of the
 * weights' manager, so a run's arrays go with the run.
 */
public abstract class LoadedNetwork<N extends Network> implements LoadedWorkload {
    private final DenoiserInfo info;
    private final N net;

    protected LoadedNetwork(DenoiserInfo info, N net) {
        this.info = info;
        this.net = net;
    }

    public N net() {
        return net;
    }

    /** A manager for one sampling run's arrays; the caller closes it. */
    protected NDManager runManager() {
        return net.params().manager().newSubManager();
    }

    @Override
    public DenoiserInfo info() {
        return info;
    }

    @Override
    public List<GeluSite> sites() {
        return net.sites();
    }

    @Override
    public void close() {
        net.close();
    }
}
