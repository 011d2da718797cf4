package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.dataset.Audio;
import org.colsparse.dataset.LogMel;
import org.colsparse.dataset.MelConfig;
import org.colsparse.dataset.MelSegments;
import org.colsparse.dataset.SpeechCorpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Log-mel spectrogram patches of the speech corpus for the tiny AudioLDM: AudioLDM's mel settings
 * (16 kHz, 64 mels, hop 10 ms), adjacent mel bands averaged in pairs to 32 bands, 32-frame windows
 * (0.32 s), standardized with the training mean and deviation. The last clip of the corpus is held out.
 */
public final class AudioData implements TrainingData {
    public static final int BANDS = 32;
    public static final int FRAMES = 32;
    private final List<float[]> train = new ArrayList<>();
    private final List<float[]> held = new ArrayList<>();
    private final String source;
    private final MelSegments.Stats stats;

    public AudioData() {
        List<Audio> clips = SpeechCorpus.load(MelConfig.AUDIOLDM.sampleRate());
        if (clips.size() < 2) {
            throw new org.colsparse.util.InputException(SpeechCorpus.locate() + ": need at least 2 speech clips (one is held out)");
        }
        List<float[]> specs = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        double sum = 0;
        double sq = 0;
        long count = 0;
        for (int c = 0; c < clips.size(); c++) {
            LogMel.Spectrogram s = LogMel.compute(clips.get(c), MelConfig.AUDIOLDM);
            float[] pooled = new float[s.frames() * BANDS];
            for (int f = 0; f < s.frames(); f++) {
                for (int b = 0; b < BANDS; b++) {
                    pooled[f * BANDS + b] = (s.get(f, 2 * b) + s.get(f, 2 * b + 1)) / 2;
                }
            }
            specs.add(pooled);
            lengths.add(s.frames());
            if (c < clips.size() - 1) {
                for (float v : pooled) {
                    sum += v;
                    sq += (double) v * v;
                    count++;
                }
            }
        }
        float mean = (float) (sum / count);
        float std = (float) Math.sqrt(sq / count - (sum / count) * (sum / count));
        stats = new MelSegments.Stats(mean, std);
        for (int c = 0; c < specs.size(); c++) {
            boolean isHeld = c == specs.size() - 1;
            float[] s = specs.get(c);
            int frames = lengths.get(c);
            for (int start = 0; start + FRAMES <= frames; start += isHeld ? FRAMES / 2 : 2) {
                float[] w = new float[BANDS * FRAMES];
                // image layout (band, frame): low bands at the bottom of the picture come last
                for (int b = 0; b < BANDS; b++) {
                    for (int f = 0; f < FRAMES; f++) {
                        w[(BANDS - 1 - b) * FRAMES + f] = (s[(start + f) * BANDS + b] - mean) / std;
                    }
                }
                (isHeld ? held : train).add(w);
            }
        }
        source = String.format(Locale.ROOT, "%d speech clips from %s (espeak-ng synthesized English sentences, shipped in data/speech or made by "
                + "scripts/setup-data.sh), log-mel with AudioLDM's settings (16 kHz, 1024-point STFT, hop 160, 64 Slaney mels, ln), "
                + "band pairs averaged to 32, standardized (mean %.2f, std %.2f); %d training windows of 32 frames (stride 2) from all "
                + "clips but the last, held-out = %d windows of the last clip; conditioning = one 'speech' label (the corpus has no captions)",
                clips.size(), SpeechCorpus.locate(), mean, std, train.size(), held.size());
    }

    @Override
    public Batch train(NDManager m, SplittableRandom rng, int size) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = rng.nextInt(train.size());
        }
        return batch(m, train, idx);
    }

    @Override
    public Batch heldOut(NDManager m, int from, int size) {
        return batch(m, held, MotionData.range(from, size));
    }

    private static Batch batch(NDManager m, List<float[]> src, int[] idx) {
        float[] x = new float[idx.length * BANDS * FRAMES];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(src.get(idx[i]), 0, x, i * BANDS * FRAMES, BANDS * FRAMES);
        }
        return new Batch(m.create(x, new Shape(idx.length, 1, BANDS, FRAMES)), Labels.oneHot(m, new int[idx.length], 1));
    }

    @Override
    public int heldOutCount() {
        return held.size();
    }

    /** The mean and deviation the patches were standardized with: what de-normalizes a sample back to log-mel. */
    public MelSegments.Stats stats() {
        return stats;
    }

    @Override
    public String describe() {
        return source;
    }
}
