package org.colsparse.denoiser.tiny;

import org.colsparse.catalog.AudioLdm;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ImageGrid;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.dataset.MelConfig;
import org.colsparse.dataset.MelSegments;
import org.colsparse.sweep.Decoders;
import org.colsparse.sweep.OutputDecoder;

import java.nio.file.Path;
import java.util.List;

/** {@code audioldm}: tiny UNet with GEGLU spatial transformers on log-mel spectrogram patches of speech. */
public final class AudioLdmSpec implements TinySpec {
    static final int[] CH = {16, 32, 32};
    static final int CONTEXT_TOKENS = 4;
    private static final DenoiserInfo INFO;
    private AudioData data;

    static {
        List<SiteSpec> sites = TinyUnet.siteSpecs(CH, AudioData.BANDS, 0);
        INFO = DenoiserInfo.of(AudioLdm.IDENTITY,
                "tiny trained AudioLDM-style UNet: 3 resolutions (16/32/32 channels, 32/16/8 px) on 32-band x 32-frame log-mel patches, 5 spatial transformers, GEGLU 32 -> 2x128 exact gelu, speech",
                sites, "models/audioldm/model.safetensors", "DDIM (eta 0), CFG 2.5 (batch x2)", 4, 25, TRAINING_TIMESTEPS);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public TinyNet build(NDManager manager) {
        return new TinyUnet(manager, 1, CH, 1, CONTEXT_TOKENS, 2, 8);
    }

    @Override
    public TrainingData data() {
        return audio();
    }

    /** Computing the corpus's log-mels takes a moment, and listing workloads needs none of it. */
    private synchronized AudioData audio() {
        if (data == null) {
            data = new AudioData();
        }
        return data;
    }

    /**
     * Samples are standardized log-mel patches laid out (band, frame): the accuracy sweep compares
     * them as mel spectrograms after undoing the training corpus's standardization (magnitude mels,
     * as AudioLDM's), so lsd_db and snr_db are in decibels of the spectrogram, not of the model's units.
     */
    @Override
    public OutputDecoder outputDecoder() {
        MelSegments.Stats stats = audio().stats();
        return s -> Decoders.mel(s, stats, MelConfig.AUDIOLDM.power(), true);
    }

    @Override
    public Recipe recipe() {
        return new Recipe(400, 16, 1e-3, 0.1);
    }

    @Override
    public double guidance() {
        return 2.5;
    }

    @Override
    public double clipSample() {
        return 5;
    }

    @Override
    public Shape sampleShape(int n) {
        return new Shape(n, 1, AudioData.BANDS, AudioData.FRAMES);
    }

    @Override
    public NDArray sampleCond(NDManager manager, int first, int n) {
        // one label for every sample: the corpus has no captions
        return Labels.oneHot(manager, new int[n], 1);
    }

    @Override
    public Path writePreview(TinyNet net, Samples samples, Path dir) {
        long[] s = samples.shape();
        Path file = dir.resolve("samples.png");
        ImageGrid.write(file, samples.values(), (int) s[0], (int) s[2], (int) s[3], -2.5f, 2.5f, 6);
        return file;
    }

    @Override
    public String card() {
        return """
                The same UNet layout as the tiny sd15 (see models/sd15/MODEL.md) on 32 x 32 spectrogram patches: down blocks at
                32 / 16 / 8 px, spatial transformers (self-attention, cross-attention, **GEGLU** with exact gelu, expansion 4) at 16 and
                8 px, in the down, mid and up paths. AudioLDM's UNet is this SD-style UNet on a mel-spectrogram VAE latent; its
                conditioning is a CLAP embedding. The corpus here has no captions, so the context is 4 learned tokens of a single
                'speech' label plus the null label that classifier-free guidance (scale 2.5, AudioLDM's default) needs.

                Differences from AudioLDM: the log-mel patch itself (32 bands x 0.32 s) instead of a VAE latent of a 10 s clip,
                channels 16-32 instead of 128-512, no CLAP conditioning, synthesized speech instead of AudioCaps.
                `samples.png` shows the sampled spectrogram patches (frequency up, time right, standardized log-mel, +-2.5 std).

                Samples, honestly: after 400 steps the patches are mostly noise-like texture; one of four shows faint low-band
                harmonic striping as speech does. The held-out denoising loss is low because speech patches are smooth and easy to
                denoise at most noise levels, not because the samples are good.""";
    }
}
