package org.colsparse.denoiser.full;

import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.Params;

import java.util.List;

/** What loading a checkpoint and tapping a run need from a full-size network, whatever its architecture. */
interface FullNet extends AutoCloseable {
    /** The declared parameters, under the official checkpoint's names. */
    Params params();

    /** The GELU sites in forward order, named as the full preset names them. */
    List<GeluSite> sites();

    @Override
    void close();
}
