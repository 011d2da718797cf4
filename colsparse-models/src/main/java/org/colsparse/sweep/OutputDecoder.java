package org.colsparse.sweep;

import org.colsparse.denoiser.Samples;

/** Turns a workload's sampler output (its data space) into what its modality's metrics compare. */
@FunctionalInterface
public interface OutputDecoder {
    ModalOutput decode(Samples samples);
}
