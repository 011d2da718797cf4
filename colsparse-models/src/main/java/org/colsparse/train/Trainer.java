package org.colsparse.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.tiny.PreStage;
import org.colsparse.denoiser.tiny.TinyNet;
import org.colsparse.denoiser.tiny.TinySpec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.denoiser.tiny.TrainingData;
import org.colsparse.runtime.Params;
import org.colsparse.runtime.Torch;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Trains a tiny workload with DJL autograd: optional pre-stages (MLD's VAE), then the denoiser.
 * Every {@code checkpointEvery} steps it saves the shipped F16 weights and the F32 training state
 * (weights, Adam moments, step, elapsed time, loss log); {@code resume} continues from that state and
 * lands on the same numbers as an uninterrupted run, because each step's batch, timesteps and noise
 * come from a generator seeded by (seed, stage, step). At the end it measures the held-out denoising
 * loss of the shipped (F16) weights against the same network at its initialization, samples a
 * preview, and writes the model card.
 */
public final class Trainer {
    public static final String WEIGHTS = "model.safetensors";
    public static final String STATE = "train-state.safetensors";
    public static final String STATE_JSON = "train-state.json";
    public static final String LOG = "train-log.csv";
    public static final String CARD = "MODEL.md";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param steps           denoiser steps (pre-stages run at most this many), or 0 for the recipe's
     * @param heldOut         held-out examples for the final evaluation
     * @param previewSteps    sampler steps of the preview; 0 skips the preview (tests)
     */
    public record Options(int steps, boolean resume, long seed, int logEvery, int checkpointEvery, int heldOut, int previewSteps) {
    }

    /** What a run measured, as the model card reports it. */
    public record Result(String workload, long parameters, int steps, double seconds, double finalLoss,
                         double heldOutTrained, double heldOutUntrained, int heldOutExamples, Path weights) {
    }

    /** The persisted progress of a run. */
    public static final class State {
        public String workload;
        public long seed;
        public String stage;
        public int step;
        public double seconds;
        public List<double[]> losses = new ArrayList<>();
        public Map<String, Integer> stageSteps = new HashMap<>();
    }

    private Trainer() {
    }

    public static Result run(TinySpec spec, Path out, Options o, PrintWriter log) {
        Torch.configure(Torch.DEFAULT_THREADS);
        TinySpec.Recipe recipe = spec.recipe();
        int steps = o.steps() > 0 ? o.steps() : recipe.steps();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new InputException("--out: cannot create " + out + ": " + e.getMessage());
        }
        TrainingData data = spec.data();
        log.println("[" + spec.id() + "] data: " + data.describe());
        log.flush();
        try (NDManager manager = Torch.manager(); TinyNet net = spec.build(manager)) {
            State state = new State();
            Map<String, float[]> saved = null;
            Path stateJson = out.resolve(STATE_JSON);
            if (o.resume() && Files.isRegularFile(stateJson)) {
                state = readState(stateJson, spec.id());
                saved = readTensors(out.resolve(STATE));
                for (String n : net.params().spec().keySet()) {
                    float[] v = saved.get(n);
                    if (v == null) {
                        throw new InputException(out.resolve(STATE) + ": no tensor " + n + " (not a " + spec.id() + " training state)");
                    }
                    net.params().set(n, v);
                }
                log.println("[" + spec.id() + "] resuming " + state.stage + " at step " + state.step + " (" + fmt(state.seconds) + " s so far)");
            } else {
                if (o.resume()) {
                    log.println("[" + spec.id() + "] no training state in " + out + ": starting from scratch");
                }
                net.initialize(o.seed());
                state.workload = spec.id();
                state.seed = o.seed();
            }
            List<Stage> stages = new ArrayList<>();
            for (PreStage p : spec.preStages()) {
                stages.add(new Stage(p.name(), Math.min(p.defaultSteps(), steps), p.lr(), p.params(),
                        (m, rng) -> p.loss(net, data, m, rng)));
            }
            stages.add(new Stage("denoiser", steps, recipe.lr(), net.denoiserParams(),
                    (m, rng) -> Denoising.loss(net, spec.schedule(), data.train(m, rng, recipe.batch()), rng, recipe.dropCond(), spec.predictsX0())));
            boolean reached = state.stage == null;
            for (int si = 0; si < stages.size(); si++) {
                Stage stage = stages.get(si);
                if (!reached && !stage.name.equals(state.stage)) {
                    continue; // finished before the resume point
                }
                int start = reached ? 0 : state.step;
                reached = true;
                state.stage = stage.name;
                state.stageSteps.put(stage.name, stage.steps);
                trainStage(spec, net, stage, si, start, state, saved, out, o, log);
                saved = null;
                if (si + 1 < stages.size()) {
                    state.stage = stages.get(si + 1).name;
                    state.step = 0;
                }
            }
            return finish(spec, net, data, state, out, o, log);
        }
    }

    private record Stage(String name, int steps, double lr, Predicate<String> params,
                         java.util.function.BiFunction<NDManager, SplittableRandom, NDArray> loss) {
    }

    private static void trainStage(TinySpec spec, TinyNet net, Stage stage, int stageIndex, int start, State state,
                                   Map<String, float[]> saved, Path out, Options o, PrintWriter log) {
        Params params = net.params();
        List<String> names = params.spec().keySet().stream().filter(stage.params).toList();
        for (String n : params.spec().keySet()) {
            params.get(n).setRequiresGradient(names.contains(n));
        }
        try (Adam adam = new Adam(params, names, stage.lr, 1.0)) {
            if (saved != null && start > 0 && start < stage.steps) {
                adam.restore(saved, start);
            }
            double window = 0;
            int windowCount = 0;
            long t0 = System.nanoTime();
            double before = state.seconds;
            for (int step = start; step < stage.steps; step++) {
                SplittableRandom rng = new SplittableRandom(o.seed() * 0x9E3779B97F4A7C15L + stageIndex * 1_000_003L + step);
                float lossValue;
                try (NDManager m = params.manager().newSubManager(); NDScope scope = new NDScope()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = stage.loss.apply(m, rng);
                        lossValue = loss.getFloat();
                        gc.backward(loss);
                    }
                    if (!Float.isFinite(lossValue)) {
                        throw new IllegalStateException(spec.id() + " " + stage.name + ": loss became " + lossValue + " at step " + step);
                    }
                    adam.step();
                }
                window += lossValue;
                windowCount++;
                state.step = step + 1;
                state.seconds = before + (System.nanoTime() - t0) / 1e9;
                boolean last = step + 1 == stage.steps;
                if ((step + 1) % o.logEvery() == 0 || last) {
                    state.losses.add(new double[] {stageIndex, step + 1, window / windowCount});
                    double rate = (state.seconds - before) / (step + 1 - start);
                    log.printf(Locale.ROOT, "[%s] %s step %d/%d  loss %.4f  %.0f ms/step  %s s elapsed, ~%s s left%n", spec.id(), stage.name,
                            step + 1, stage.steps, window / windowCount, rate * 1000, fmt(state.seconds), fmt(rate * (stage.steps - step - 1)));
                    log.flush();
                    window = 0;
                    windowCount = 0;
                }
                if ((step + 1) % o.checkpointEvery() == 0 && !last) {
                    saveAll(net, adam, state, out);
                }
            }
            saveAll(net, adam, state, out);
        }
        for (String n : names) {
            params.get(n).setRequiresGradient(false);
        }
    }

    /** Writes the shipped F16 weights, the F32 training state with the stage's Adam moments, and the loss log. */
    private static void saveAll(TinyNet net, Adam adam, State state, Path out) {
        Params p = net.params();
        SafetensorsWriter weights = new SafetensorsWriter();
        SafetensorsWriter full = new SafetensorsWriter();
        for (Map.Entry<String, long[]> e : p.spec().entrySet()) {
            float[] v = p.floats(e.getKey());
            weights.put(e.getKey(), v, e.getValue());
            full.put(e.getKey(), v, e.getValue());
        }
        adam.save(full);
        weights.write(out.resolve(WEIGHTS), true);
        full.write(out.resolve(STATE), false);
        writeJsonAtomically(out.resolve(STATE_JSON), state);
        StringBuilder csv = new StringBuilder("stage,step,mean_loss\n");
        for (double[] l : state.losses) {
            csv.append((int) l[0]).append(',').append((int) l[1]).append(',').append(String.format(Locale.ROOT, "%.6f", l[2])).append('\n');
        }
        writeAtomically(out.resolve(LOG), csv.toString());
    }

    private static Result finish(TinySpec spec, TinyNet net, TrainingData data, State state, Path out, Options o, PrintWriter log) {
        NDManager manager = net.params().manager();
        long evalSeed = 20240601L;
        double trained;
        double untrained;
        long count = 0;
        // measure what ships: the F16 weights, loaded back
        try (TinyWorkload.Loaded shipped = (TinyWorkload.Loaded) new TinyWorkload(spec).load(manager, out.resolve(WEIGHTS))) {
            trained = Denoising.heldOut(shipped.net(), spec.schedule(), data, o.heldOut(), evalSeed, spec.predictsX0());
            try (TinyNet fresh = spec.build(manager)) {
                fresh.initialize(state.seed);
                // only the denoiser is "untrained": MLD's VAE (which makes the latents) stays the trained one
                Predicate<String> denoiser = fresh.denoiserParams();
                for (String n : fresh.params().spec().keySet()) {
                    if (!denoiser.test(n)) {
                        fresh.params().set(n, shipped.net().params().floats(n));
                    }
                }
                untrained = Denoising.heldOut(fresh, spec.schedule(), data, o.heldOut(), evalSeed, spec.predictsX0());
            }
            for (Map.Entry<String, long[]> e : net.params().spec().entrySet()) {
                long c = 1;
                for (long d : e.getValue()) {
                    c *= d;
                }
                count += c;
            }
            log.printf(Locale.ROOT, "[%s] held-out denoising loss: trained %.4f, untrained %.4f (%d examples)%n", spec.id(), trained, untrained,
                    Math.min(o.heldOut(), data.heldOutCount()));
            if (o.previewSteps() > 0) {
                Samples s = shipped.sample(spec.info().defaultSamples(), o.previewSteps(), 0, null, (a, b, c) -> { });
                Path pic = shipped.writePreview(s, out);
                log.println("[" + spec.id() + "] samples: " + pic);
            }
        }
        int steps = state.stageSteps.getOrDefault("denoiser", state.step);
        double finalLoss = finalLoss(state);
        Result r = new Result(spec.id(), count, steps, state.seconds, finalLoss, trained, untrained,
                Math.min(o.heldOut(), data.heldOutCount()), out.resolve(WEIGHTS));
        writeAtomically(out.resolve(CARD), ModelCard.render(spec, data, state, r, o));
        log.println("[" + spec.id() + "] wrote " + out.resolve(CARD));
        log.flush();
        return r;
    }

    /** Mean of the last logged windows of the denoiser stage (about the last 10 % of steps). */
    static double finalLoss(State state) {
        List<double[]> d = new ArrayList<>();
        int denoiserStage = state.losses.stream().mapToInt(l -> (int) l[0]).max().orElse(0);
        for (double[] l : state.losses) {
            if ((int) l[0] == denoiserStage) {
                d.add(l);
            }
        }
        int take = Math.max(1, d.size() / 10);
        double s = 0;
        for (int i = d.size() - take; i < d.size(); i++) {
            s += d.get(i)[2];
        }
        return d.isEmpty() ? Double.NaN : s / take;
    }

    private static State readState(Path file, String id) {
        try {
            State s = JSON.readValue(file.toFile(), State.class);
            if (!id.equals(s.workload)) {
                throw new InputException(file + ": training state of workload '" + s.workload + "', not '" + id + "'");
            }
            return s;
        } catch (IOException e) {
            throw new InputException(file + ": unreadable training state: " + e.getMessage());
        }
    }

    private static Map<String, float[]> readTensors(Path file) {
        Map<String, float[]> out = new HashMap<>();
        try (TensorSource src = TensorSources.open(file)) {
            for (TensorInfo t : src.tensors()) {
                TensorData d = src.data(t.name());
                float[] v = new float[Math.toIntExact(t.elementCount())];
                d.readFloats(0, v, 0, v.length);
                out.put(t.name(), v);
            }
        }
        return out;
    }

    private static void writeJsonAtomically(Path file, Object value) {
        try {
            writeAtomically(file, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeAtomically(Path file, String text) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String fmt(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }
}
