package org.colsparse.dataset;

import org.colsparse.util.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * English speech synthesized with espeak-ng from {@code data/speech/sentences.txt}: the audio
 * workload's training clips. {@code scripts/setup-data.sh} writes the full set (every sentence in
 * three voices) to {@code data/speech/generated/}; the repository ships the first eight sentences
 * in the default voice in {@code data/speech/}, so training works without the setup.
 */
public final class SpeechCorpus {
    private SpeechCorpus() {
    }

    /**
     * The override (system property {@code colsparse.speech} or environment variable
     * {@code COLSPARSE_SPEECH}, any folder of WAV files), else {@code data/speech/generated/} when
     * it holds WAVs, else the shipped {@code data/speech/}.
     */
    public static Path locate() {
        Optional<Path> o = DataRoot.override("colsparse.speech", "COLSPARSE_SPEECH");
        if (o.isPresent()) {
            if (wavs(o.get()).isEmpty()) throw new InputException("COLSPARSE_SPEECH: no .wav files in " + o.get());
            return o.get();
        }
        Path speech = DataRoot.locate().resolve("speech");
        Path generated = speech.resolve("generated");
        if (Files.isDirectory(generated) && !wavs(generated).isEmpty()) return generated;
        if (wavs(speech).isEmpty()) throw new InputException("no speech clips in " + speech + ": run scripts/setup-data.sh");
        return speech;
    }

    /** The WAV files of a folder, sorted by name (so training order is reproducible). */
    public static List<Path> wavs(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".wav") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir + ": cannot list speech clips: " + e.getMessage(), e);
        }
    }

    /** Every clip of the located corpus, resampled to {@code sampleRate}. */
    public static List<Audio> load(int sampleRate) {
        return wavs(locate()).stream().map(p -> AudioResample.toRate(Wav.read(p), sampleRate)).toList();
    }
}
