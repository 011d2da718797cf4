package org.colsparse.cli;

import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.Workload;
import org.colsparse.util.InputException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options that pick a workload's size and, for full-size models, its conditioning files. */
final class PresetOptions {
    @Option(names = "--preset", defaultValue = "tiny", paramLabel = "PRESET",
            description = "tiny: the shipped trained model; full: the real architecture at full size, which needs"
                    + " --checkpoint with the official weights (see 'colsparse workloads --preset full'; default: ${DEFAULT-VALUE})")
    Preset preset;

    @Option(names = "--cond", paramLabel = "NAME=FILE",
            description = "a conditioning tensor file (.npy/.safetensors/...) a full-size model needs, e.g. --cond text=emb.npy;"
                    + " 'colsparse workloads --preset full' lists the names and shapes")
    Map<String, Path> conditions = new LinkedHashMap<>();

    /** The workload, with the options checked against what it accepts. */
    Workload resolve(String id, Path checkpoint) {
        Workload w = Catalog.runtime(id, preset);
        // a full-size UNet may come as a diffusers folder; the tiny models' weights are one file
        if (preset == Preset.full) {
            OptionRules.inputFileOrFolder("--checkpoint", checkpoint);
        } else {
            OptionRules.inputFile("--checkpoint", checkpoint);
        }
        if (preset == Preset.full && checkpoint == null) {
            throw new InputException("--checkpoint: the full-size " + id + " has no shipped weights; give "
                    + w.info().checkpoint());
        }
        List<String> known = new ArrayList<>();
        for (ConditionInput c : w.conditions()) {
            known.add(c.name());
        }
        for (Map.Entry<String, Path> e : conditions.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new InputException("--cond: " + id + " (" + preset + ") takes " + (known.isEmpty() ? "no conditioning files"
                        : "only " + String.join(", ", known)) + ", got '" + e.getKey() + "'");
            }
            OptionRules.inputFile("--cond " + e.getKey() + "=", e.getValue());
        }
        return w;
    }

    /** The files this command reads besides the built-in ones: an output folder may not hold any of them. */
    List<Path> inputFiles(Path checkpoint) {
        List<Path> inputs = new ArrayList<>(conditions.values());
        inputs.add(checkpoint);
        return inputs;
    }
}
