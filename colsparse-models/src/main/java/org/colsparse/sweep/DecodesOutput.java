package org.colsparse.sweep;

/**
 * Implemented by a {@link org.colsparse.denoiser.LoadedWorkload} that knows how to decode its own
 * output for the accuracy metrics (de-normalization, VAE or feature decoding, forward kinematics).
 * It takes precedence over the built-in adapters of {@link Decoders}. This belongs on
 * {@code LoadedWorkload} itself; it lives here until the registry gains it.
 */
public interface DecodesOutput {
    /** The decoder, or null to use {@link Decoders}' built-in adapter for the workload's modality. */
    OutputDecoder outputDecoder();
}
