package org.colsparse.denoiser.full;

import org.colsparse.denoiser.DenoiserInfo;
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
 * unexpected: nothing is dropped without a rule that names it.
 */
final class FullCheckpoint implements TensorSource {
    /**
     * How a file's keys become the model's names.
     */
    @FunctionalInterface
    interface KeyRule {
        /** The model's name for {@code fileKey}, or null where a documented rule ignores the key. */
        String modelKey(String fileKey);
    }

    /**
     * What to tell a user whose file pickles Python objects beside the tensors (argparse args,
     * OmegaConf hyper-parameters, a data normalizer): the restricted reader never unpickles them, and
     * one line of torch saves the entry that holds the weights as a plain state dict.
     *
     * @param what   what the entry holds, for the message ("weights", "EMA weights")
     * @param entry  the top-level key of the weights in the pickled dict
     * @param output the file name suggested for the plain copy
     */
    record Export(String what, String entry, String output) {
        String advice(Path file) {
            return "keep only the " + what + " with python -c \"import torch; torch.save(torch.load('" + file.getFileName()
                    + "', map_location='cpu', weights_only=False)['" + entry + "'], '" + output + "')\" and pass that file";
        }
    }

    private final TensorSource file;
    /** Model name -> the tensor in the file, in file order. */
    private final Map<String, TensorInfo> byModelName = new LinkedHashMap<>();

    private FullCheckpoint(TensorSource file, KeyRule rule) {
        this.file = file;
        for (TensorInfo t : file.tensors()) {
            String name = rule.modelKey(t.name());
            if (name == null) {
                continue;
            }
            TensorInfo other = byModelName.putIfAbsent(name, t);
            if (other != null) {
                // a wrapped and a plain copy of one weight: which one the model should get is not ours to guess
                throw new InputException(file.file() + ": keys '" + other.name() + "' and '" + t.name() + "' both hold the model's " + name);
            }
        }
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
     *
     * @param export null where the official file is a bare state dict: a refused object then means
     *               the file is not the official one, and no export line would make it so
     */
    static FullCheckpoint open(Path path, Function<List<String>, KeyRule> ruleForKeys, Export export) {
        TensorSource file;
        try {
            file = TensorSources.open(path);
        } catch (InputException e) {
            if (export != null && e.getMessage() != null && e.getMessage().contains("refuses pickle global")) {
                throw new InputException(e.getMessage() + "; " + export.advice(path));
            }
            throw e;
        }
        try {
            return new FullCheckpoint(file, ruleForKeys.apply(file.tensors().stream().map(TensorInfo::name).toList()));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Loads {@code net}'s parameters from this file; a refused file closes {@code net}, so a failed load leaves no native memory behind. */
    void loadInto(FullNet net, String model) {
        try {
            net.params().load(this, model);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The tensor's info under its model name, or null. */
    TensorInfo info(String name) {
        TensorInfo t = byModelName.get(name);
        return t == null ? null : new TensorInfo(name, t.dtype(), t.shape());
    }

    @Override
    public String file() {
        return file.file();
    }

    @Override
    public List<TensorInfo> tensors() {
        List<TensorInfo> out = new ArrayList<>();
        byModelName.forEach((name, t) -> out.add(new TensorInfo(name, t.dtype(), t.shape())));
        return out;
    }

    @Override
    public TensorData data(String name) {
        TensorInfo t = byModelName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + name + " in " + file.file() + " under the model's names");
        }
        return file.data(t.name());
    }

    @Override
    public void close() {
        file.close();
    }
}
