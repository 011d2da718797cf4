package org.colsparse.denoiser.full;

import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Params;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An official checkpoint under the model's parameter names. Official files wrap the weights
 * (Lightning's {@code state_dict.}, a training script's {@code ema.}) and hold more than the model
 * (optimizer state, other modules); each workload states that as a {@link KeyRule}. A key the rule
 * keeps but the model does not declare stays visible, so {@link Params#load} reports it as
 * unexpected: nothing is dropped without a rule that names it. Files are opened with {@link
 * TensorSources#openWeights}: Python objects a training checkpoint pickles beside the tensors
 * (argparse args, OmegaConf hyper-parameters, a data normalizer) are skipped, never run.
 */
final class FullCheckpoint implements TensorSource {
    /**
     * How a file's keys become the model's names.
     */
    @FunctionalInterface
    interface KeyRule {
        /** The model's name for {@code fileKey}, or null where a documented rule ignores the key. */
        String modelKey(String fileKey);

        /**
         * How the file's names differ from the ones messages show (e.g. "CompVis keys, named here as
         * diffusers names them"), so a user can find a reported key; null where the rule only strips or
         * skips keys.
         */
        default String naming() {
            return null;
        }
    }

    /** One file of a checkpoint: where it is and how its keys become the model's names. */
    record Part(Path path, Function<List<String>, KeyRule> ruleForKeys) {
    }

    /** A tensor under its model name: the file that holds it and its name there. */
    private record Held(TensorSource file, TensorInfo tensor) {
    }

    private final List<TensorSource> files = new ArrayList<>();
    /** Each file as messages name it, with its rule's note. */
    private final List<String> described = new ArrayList<>();
    /** Model name -> the tensor in its file, in file order. */
    private final Map<String, Held> byModelName = new LinkedHashMap<>();

    private FullCheckpoint() {
    }

    /** The {@code --checkpoint} of a full workload, which has no default: the error names the official file. */
    static void required(Path checkpoint, DenoiserInfo info) {
        if (checkpoint == null) {
            throw new InputException("--checkpoint: the full-size " + info.id() + " needs the official weights, " + info.checkpoint());
        }
    }

    /**
     * Opens {@code path}. The rule may depend on the whole key set (e.g. "a training checkpoint if any
     * key starts with {@code ema.}"), so {@code ruleForKeys} sees the file's keys first.
     */
    static FullCheckpoint open(Path path, Function<List<String>, KeyRule> ruleForKeys) {
        return open(List.of(new Part(path, ruleForKeys)));
    }

    /**
     * Opens the files of a model that ships in several (AnimateDiff: the SD UNet and a motion module)
     * as one checkpoint, each under its own rule. No model name may come from two files.
     */
    static FullCheckpoint open(List<Part> parts) {
        FullCheckpoint checkpoint = new FullCheckpoint();
        try {
            parts.forEach(checkpoint::add);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
        return checkpoint;
    }

    /** Opens {@code part} and adds its tensors under the model's names; a name that some file already holds is an error. */
    private void add(Part part) {
        TensorSource file = TensorSources.openWeights(part.path());
        files.add(file);
        KeyRule rule = part.ruleForKeys().apply(file.tensors().stream().map(TensorInfo::name).toList());
        described.add(rule.naming() == null ? file.file() : file.file() + " (" + rule.naming() + ")");
        for (TensorInfo t : file.tensors()) {
            String name = rule.modelKey(t.name());
            if (name == null) {
                continue;
            }
            Held other = byModelName.putIfAbsent(name, new Held(file, t));
            if (other == null) {
                continue;
            }
            // a wrapped and a plain copy of one weight, or one weight in two files: which one the model should get is not ours to guess
            if (other.file() == file) {
                throw new InputException(file.file() + ": keys '" + other.tensor().name() + "' and '" + t.name() + "' both hold the model's " + name);
            }
            throw new InputException(file.file() + ": key '" + t.name() + "' holds the model's " + name + ", which " + other.file().file()
                    + " holds too (as '" + other.tensor().name() + "')");
        }
    }

    /** Loads {@code net}'s parameters from this file; a refused file closes {@code net}, so a failed load leaves no native memory behind. */
    void loadInto(Network net, String model) {
        try {
            net.params().load(this, model);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The tensor's info under its model name, or null. */
    TensorInfo info(String name) {
        Held h = byModelName.get(name);
        return h == null ? null : new TensorInfo(name, h.tensor().dtype(), h.tensor().shape());
    }

    /** The file, or the files joined by " + ", each with its rule's note on naming. */
    @Override
    public String file() {
        return String.join(" + ", described);
    }

    @Override
    public List<TensorInfo> tensors() {
        List<TensorInfo> out = new ArrayList<>();
        byModelName.forEach((name, h) -> out.add(new TensorInfo(name, h.tensor().dtype(), h.tensor().shape())));
        return out;
    }

    @Override
    public TensorData data(String name) {
        Held h = byModelName.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no tensor " + name + " in " + file() + " under the model's names");
        }
        return h.file().data(h.tensor().name());
    }

    @Override
    public void close() {
        files.forEach(TensorSource::close);
    }
}
