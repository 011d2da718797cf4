package org.colsparse.cli;

import org.colsparse.onnx.OnnxRunner;
import org.colsparse.onnx.OnnxWorkload;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options that make an ONNX graph and its model card the workload, instead of {@code --workload} (docs/onnx.md). */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "FILE", description = "an exported denoiser graph (.onnx) to use as the workload, with --model-card (instead of --workload; docs/onnx.md)")
    Path model;

    @Option(names = "--model-card", paramLabel = "FILE", description = "the model card (YAML) of --model: its inputs, output and sampler (docs/model-card.md)")
    Path card;

    @Option(names = "--init-noise", paramLabel = "FILE", description = "with --model: sample 0 starts from this tensor instead of the seed's noise (e.g. your own PyTorch run's)")
    Path initNoise;

    /** The ONNX workload's files, or null when none was named; checked against {@code --workload}, which may not be given as well. */
    OnnxWorkload.Files files(CommandLine.Model.CommandSpec spec) {
        if (model == null && card == null) {
            if (initNoise != null) {
                throw new InputException("--init-noise: only with --model FILE.onnx --model-card CARD.yaml");
            }
            return null;
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--workload")) {
            throw new InputException("--model/--workload: name the workload one way, --workload ID or --model FILE.onnx --model-card CARD.yaml, not both");
        }
        for (String other : new String[] {"--checkpoint", "--preset", "--cond"}) {
            if (spec.commandLine().getParseResult().hasMatchedOption(other)) {
                throw new InputException(other + ": not for an ONNX workload (--model): its graph holds the weights and its card the conditioning");
            }
        }
        if (model == null) {
            throw new InputException("--model-card: needs --model FILE.onnx, the graph the card describes");
        }
        if (card == null) {
            throw new InputException("--model: needs --model-card CARD.yaml, which says how to call the graph (docs/model-card.md)");
        }
        OptionRules.inputFile("--model", model);
        OptionRules.inputFile("--model-card", card);
        OptionRules.inputFile("--init-noise", initNoise);
        return new OnnxWorkload.Files(model, card, initNoise);
    }

    /** The files of {@code files} an output folder may not hold. */
    static List<Path> inputs(OnnxWorkload.Files files) {
        List<Path> in = new ArrayList<>();
        if (files != null) {
            in.add(files.model());
            in.add(files.card());
            in.add(files.initNoise());
        }
        return in;
    }

    /** Opens the workload on {@code threads} intra-op threads (one inter-op). */
    static OnnxWorkload open(OnnxWorkload.Files files, int threads) {
        OptionRules.positive("--threads", threads);
        return OnnxWorkload.open(files, new OnnxRunner.Threads(threads, 1));
    }
}
