package org.colsparse.cli;

import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.train.Trainer;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code colsparse train}: trains a tiny workload on its real data and writes weights, model card and samples. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a tiny workload's denoiser on real data (DJL autograd, Adam) and write model.safetensors (float16),",
                "MODEL.md, samples.png, train-log.csv and a resumable training state into the output folder.",
                "Progress goes to stderr, the final numbers to stdout."})
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workload", required = true, paramLabel = "ID", description = "the tiny workload to train, one per run: dit, mdm, mld, sd15, edge, audioldm, animatediff")
    String workload;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: out/models/<workload>, beside the shipped "
            + "models/<workload> rather than over it)")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "denoiser training steps (default: the workload's recipe)")
    Integer steps;

    @Option(names = "--resume", description = "continue from the training state in --out")
    boolean resume;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "seed of initialization, batches, timesteps and noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "250", paramLabel = "N", description = "save weights and state every N steps (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--log-every", defaultValue = "50", paramLabel = "N", description = "progress line every N steps (default: ${DEFAULT-VALUE})")
    int logEvery;

    @Option(names = "--held-out", defaultValue = "512", paramLabel = "N", description = "held-out examples for the final evaluation (default: ${DEFAULT-VALUE})")
    int heldOut;

    @Option(names = "--preview-steps", paramLabel = "N", description = "sampler steps of samples.png (default: the workload's default; 0 = no preview)")
    Integer previewSteps;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Override
    public Integer call() {
        Workload w = Catalog.runtime(workload);
        if (!(w instanceof TinyWorkload tiny)) {
            throw new InputException("--workload: '" + workload + "' has no training recipe (only the tiny presets are trained here)");
        }
        if (steps != null) {
            OptionRules.positive("--steps", steps);
        }
        OptionRules.positive("--checkpoint-every", checkpointEvery);
        OptionRules.positive("--log-every", logEvery);
        OptionRules.positive("--held-out", heldOut);
        if (previewSteps != null && previewSteps < 0) {
            throw new InputException("--preview-steps: must be >= 0 (0 = no preview), got " + previewSteps);
        }
        int preview = previewSteps != null ? previewSteps : w.info().defaultSteps();
        Path dir = out != null ? out : Path.of("out", "models", workload);
        PrintWriter err = spec.commandLine().getErr();
        Trainer.Result r = Trainer.run(tiny.spec(), dir, new Trainer.Options(steps == null ? 0 : steps, resume, seed, logEvery, checkpointEvery, heldOut, preview), err);
        PrintWriter o = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            Json.print(o, r);
        } else {
            Table t = new Table(List.of("workload", "parameters", "steps", "seconds", "final_loss", "held_out_trained", "held_out_untrained", "weights"));
            t.add(List.of(r.workload(), r.parameters(), r.steps(), String.format(Locale.ROOT, "%.1f", r.seconds()),
                    String.format(Locale.ROOT, "%.4f", r.finalLoss()), String.format(Locale.ROOT, "%.4f", r.heldOutTrained()),
                    String.format(Locale.ROOT, "%.4f", r.heldOutUntrained()), r.weights().toString()));
            t.print(o, format);
        }
        o.flush();
        return 0;
    }
}
