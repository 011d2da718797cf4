package org.colsparse.train;

import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.tiny.TinySpec;
import org.colsparse.denoiser.tiny.TrainingData;

import java.util.Locale;

/** The {@code MODEL.md} that {@code train} writes next to the weights, every number from the run itself. */
final class ModelCard {
    private ModelCard() {
    }

    static String render(TinySpec spec, TrainingData data, Trainer.State state, Trainer.Result r, Trainer.Options o) {
        DenoiserInfo info = spec.info();
        TinySpec.Recipe recipe = spec.recipe();
        StringBuilder s = new StringBuilder();
        s.append("# Tiny ").append(info.id()).append(" (colsparse tiny preset)\n\n");
        s.append(info.description()).append(".\n\n");
        s.append(spec.card().strip()).append("\n\n");
        s.append("## GELU sites (").append(info.sites().size()).append(" per denoiser call, ").append(info.geluForm()).append(")\n\n");
        s.append("| site | K (channels) | rows per sample | role |\n|---|---|---|---|\n");
        for (SiteSpec site : info.sites()) {
            s.append("| ").append(site.name()).append(" | ").append(site.channels()).append(" | ").append(site.rowsPerSample())
                    .append(" | ").append(site.role().cliName()).append(" |\n");
        }
        s.append("\n## Training\n\n| | |\n|---|---|\n");
        row(s, "data", data.describe());
        row(s, "parameters", String.format(Locale.ROOT, "%,d (stored as float16 in model.safetensors)", r.parameters()));
        for (var e : state.stageSteps.entrySet()) {
            if (!e.getKey().equals("denoiser")) {
                row(s, e.getKey() + " stage", e.getValue() + " Adam steps before the denoiser (see the architecture notes above)");
            }
        }
        row(s, "objective", (spec.predictsX0() ? "DDPM clean-sample (x0) prediction MSE, as the original" : "DDPM epsilon-prediction MSE") + ", linear betas 1e-4..0.02 over " + TinySpec.TRAINING_TIMESTEPS
                + " steps, condition dropped with p = " + recipe.dropCond() + " for classifier-free guidance");
        row(s, "optimizer", String.format(Locale.ROOT, "Adam, lr %s, batch %d, gradient norm clipped at 1, seed %d", recipe.lr(), recipe.batch(), state.seed));
        row(s, "denoiser steps", Integer.toString(r.steps()));
        row(s, "training time", String.format(Locale.ROOT, "%.0f s (all stages), DJL %s engine on CPU with 1 PyTorch thread, on a 2-core machine shared with other jobs",
                r.seconds(), "PyTorch"));
        row(s, "final training loss", String.format(Locale.ROOT, "%.4f (mean over about the last 10 %% of steps)", r.finalLoss()));
        row(s, "held-out denoising loss, trained", String.format(Locale.ROOT, "**%.4f** (the shipped float16 weights; MSE of the " + (spec.predictsX0() ? "clean sample" : "noise") + ")", r.heldOutTrained()));
        row(s, "held-out denoising loss, untrained", String.format(Locale.ROOT, "%.4f (the same network at its seed-%d initialization)", r.heldOutUntrained(), state.seed));
        row(s, "held-out set", r.heldOutExamples() + " examples never used in training; timesteps and noise fixed by a seed, so both numbers see the same inputs");
        s.append("\nThe loss curve is in `train-log.csv` (mean loss per ").append(o.logEvery()).append(" steps).\n");
        s.append("\n## Samples\n\n![samples](samples.png)\n\n");
        s.append(String.format(Locale.ROOT, "`samples.png`: %d samples of the shipped weights, %s, %d steps, seed 0 — the default `profile` run.\n",
                info.defaultSamples(), info.sampler(), o.previewSteps()));
        s.append("\n## Reproduce\n\n```\n./colsparse train --workload ").append(info.id()).append(" --out models/").append(info.id())
                .append(r.steps() != recipe.steps() ? " --steps " + r.steps() : "").append("\n```\n\n");
        s.append("Training is deterministic for a given seed and machine (batches, timesteps and noise come from Java generators "
                + "seeded by step); `--resume` continues from `train-state.safetensors` (not shipped: float32 weights and Adam moments).\n");
        return s.toString();
    }

    private static void row(StringBuilder s, String k, String v) {
        s.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }
}
