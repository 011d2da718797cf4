package org.colsparse.onnx.sampling;

import org.colsparse.onnx.HostTensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.Samples;
import org.colsparse.onnx.card.ModelCard;
import org.colsparse.onnx.card.ModelCard.Batching;
import org.colsparse.onnx.card.ModelCard.ClassOfSample;
import org.colsparse.onnx.card.ModelCard.Conditioning;
import org.colsparse.onnx.card.ModelCard.Constant;
import org.colsparse.onnx.card.ModelCard.Dtype;
import org.colsparse.onnx.card.ModelCard.FromFile;
import org.colsparse.onnx.card.ModelCard.Guidance;
import org.colsparse.onnx.card.ModelCard.PairOrder;
import org.colsparse.onnx.card.ModelCard.Prediction;
import org.colsparse.onnx.card.ModelCard.SamplerSpec;
import org.colsparse.onnx.card.ModelCard.TensorSpec;
import org.colsparse.onnx.card.ModelCard.TimestepConvention;
import org.colsparse.onnx.card.ModelCard.Value;
import org.colsparse.onnx.sampling.CallListener.Branch;
import org.colsparse.runtime.GaussianPair;
import org.colsparse.sampler.DdimSampler;
import org.colsparse.sampler.DdpmSampler;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.FlowSdeSampler;
import org.colsparse.sampler.IddpmRespacing;
import org.colsparse.sampler.LearnedRangeDdpmSampler;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.Sampler;
import org.colsparse.sampler.StepListener;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A card's sampler run over a {@link Denoiser}: the schedules, update rules and noise of
 * {@code org.colsparse.sampler} (so a card describing a built-in workload samples as it does, bit for
 * bit), with the card's inputs built for every call. One sample per run, as the profiler runs the
 * built-in workloads ({@code sample(i, 1, steps, seed + i, ...)}); its noise comes from the seed alone.
 */
public final class CardSampler {
    private final ModelCard card;
    private final SamplerSpec spec;
    private final Guidance guidance;
    private final boolean pair;
    /** Per conditioning input, the rows a file gives (loaded once). */
    private final Map<String, HostTensor> fileRows = new LinkedHashMap<>();

    public CardSampler(ModelCard card) {
        this.card = card;
        this.spec = card.sampler();
        this.guidance = spec.guidance();
        this.pair = guidance != null && guidance.batching() == Batching.PAIR;
        for (Conditioning c : card.conditioning()) {
            for (Value v : new Value[] {c.value(), c.unconditional()}) {
                if (v instanceof FromFile f) {
                    fileRows.computeIfAbsent(key(f), k -> readRow(f, c.tensor()));
                }
            }
        }
    }

    /** The shape of the sampler's state (and of {@code --init-noise}): the sample input's, one row. */
    public long[] latentShape() {
        return latentShape(card);
    }

    /** {@link #latentShape()} of {@code card}'s sampler, without reading its conditioning files. */
    public static long[] latentShape(ModelCard card) {
        long[] s = card.sample().shape();
        s[0] = 1;
        return s;
    }

    /**
     * Runs the card's sampler for run sample {@code sample} and returns its final state (clipped as the
     * card says).
     *
     * @param seed      this sample's seed (the profiler's {@code seed + i})
     * @param initNoise the starting noise instead of the seed's ({@link InitNoise#read}; {@code --init-noise} gives it
     *                  for sample 0 only), or null
     */
    public Samples sample(NDManager manager, int sample, long seed, float[] initNoise, Denoiser denoiser,
                          StepListener steps, CallListener calls) {
        return sample(manager, sample, spec.steps(), seed, initNoise, denoiser, steps, calls);
    }

    /**
     * {@link #sample(NDManager, int, long, float[], Denoiser, StepListener, CallListener)} at
     * {@code stepCount} steps instead of the card's, so one sampler (its conditioning files read once)
     * serves a run at any step count.
     */
    public Samples sample(NDManager manager, int sample, int stepCount, long seed, float[] initNoise, Denoiser denoiser,
                          StepListener steps, CallListener calls) {
        Loop loop = new Loop(sample, denoiser, steps, calls);
        Shape shape = new Shape(latentShape());
        try (NDManager run = manager.newSubManager()) {
            NDArray x = switch (spec.kind()) {
                case FLOW_EULER -> flow(run, shape, stepCount, seed, initNoise, loop);
                case DDPM, DDIM -> discrete(run, shape, stepCount, seed, initNoise, loop);
                case EULER -> euler(run, shape, stepCount, seed, initNoise, loop);
            };
            if (spec.clip() != null) {
                x = x.clip(spec.clip()[0], spec.clip()[1]);
            }
            return new Samples(x.toFloatArray(), latentShape());
        }
    }

    private NDArray flow(NDManager run, Shape shape, int stepCount, long seed, float[] initNoise, Loop loop) {
        double w = guidance == null ? 1 : guidance.scale();
        double lo = guidance == null || !guidance.windowed() ? Double.NEGATIVE_INFINITY : guidance.windowStart();
        double hi = guidance == null || !guidance.windowed() ? Double.POSITIVE_INFINITY : guidance.windowEnd();
        FlowSdeSampler sampler = new FlowSdeSampler(stepCount, w, lo, hi, 0.0);
        FlowSdeSampler.Noise seeded = FlowSdeSampler.Noise.seeded(seed);
        FlowSdeSampler.Noise noise = initNoise == null ? seeded : new FlowSdeSampler.Noise() {
            private boolean first = true;

            @Override
            public float[] next(int n) {
                if (first) {
                    first = false;
                    return initNoise.clone();
                }
                return seeded.next(n);
            }
        };
        boolean velocity = card.output().predicts() == Prediction.FLOW_VELOCITY;
        NDArray[] pending = new NDArray[1];
        FlowSdeSampler.CleanModel model = (x, t, conditional) -> {
            NDArray out;
            if (guidance == null) {
                // weight 1 everywhere: the unconditional flow is multiplied by 0, so x itself (flow 0) stands in
                // for it and the graph is called once per step
                if (!conditional) {
                    return x.duplicate();
                }
                out = loop.call(x, t, Branch.PLAIN)[0];
            } else if (pair) {
                if (conditional) {
                    NDArray[] both = loop.call(x, t, Branch.PAIR);
                    pending[0] = both[1];
                    out = both[0];
                } else {
                    out = pending[0];
                }
            } else {
                out = loop.call(x, t, conditional ? Branch.CONDITIONAL : Branch.UNCONDITIONAL)[0];
            }
            // the sampler takes the clean sample; a velocity model's is x + (1 - t) v
            return velocity ? x.add(out.mul(1 - t)) : out;
        };
        return sampler.sample(run, shape, model, noise, loop.stepListener());
    }

    /** The trained schedule of the card (ddpm, ddim, euler; flow time has none). */
    public NoiseSchedule trainedSchedule() {
        ModelCard.BetaSchedule b = spec.betas();
        if (b == null) {
            throw new IllegalStateException(card.file() + ": sampler " + spec.kind().cardName() + " has no beta schedule");
        }
        return switch (b.kind()) {
            case LINEAR -> NoiseSchedule.linear(spec.trainingSteps(), b.betaStart(), b.betaEnd());
            case SCALED_LINEAR -> NoiseSchedule.scaledLinear(spec.trainingSteps(), b.betaStart(), b.betaEnd());
            case COSINE -> NoiseSchedule.cosine(spec.trainingSteps());
        };
    }

    /** The trained schedule kept at the card's steps: step k = 0 is the least noisy. */
    public NoiseSchedule schedule() {
        return schedule(spec.steps());
    }

    /** The trained schedule kept at {@code stepCount} steps, spaced as the card says. */
    public NoiseSchedule schedule(int stepCount) {
        NoiseSchedule trained = trainedSchedule();
        return switch (spec.spacing()) {
            case LEADING -> trained.leading(stepCount, spec.stepsOffset());
            case LINSPACE -> trained.respace(stepCount);
            case IDDPM -> IddpmRespacing.respace(trained, stepCount);
        };
    }

    private NDArray discrete(NDManager run, Shape shape, int stepCount, long seed, float[] initNoise, Loop loop) {
        NoiseSchedule trained = trainedSchedule();
        NoiseSchedule schedule = schedule(stepCount);
        Sampler sampler = switch (spec.kind()) {
            case DDIM -> new DdimSampler(schedule, spec.eta(), spec.finalAlphaOne() ? 1 : trained.alphaBars()[0]);
            default -> switch (spec.variance()) {
                case LEARNED_RANGE -> new LearnedRangeDdpmSampler(schedule);
                case FIXED_SMALL -> new DdpmSampler(schedule, DdpmSampler.Variance.FIXED_SMALL);
                case FIXED_LARGE -> new DdpmSampler(schedule, DdpmSampler.Variance.FIXED_LARGE);
            };
        };
        double[] alphaBars = trained.alphaBars();
        EpsModel model = (x, t) -> {
            NDArray out = guided(loop, x, t);
            return toEpsilon(out, x, alphaBars[t]);
        };
        if (initNoise == null) {
            return sampler.sample(run, shape, model, seed, loop.stepListener());
        }
        return sampler.sample(run, run.create(initNoise, shape), model, seed, loop.stepListener());
    }

    /**
     * diffusers' EulerDiscreteScheduler over the card's kept steps: sigma_k = sqrt((1 - ab) / ab), the
     * state x = x0 + sigma eps starts at sigma_max sqrt(1 + 1 / sigma_max^2) times the noise (its exact
     * standard deviation), the model sees x / sqrt(sigma^2 + 1), and {@code x += eps (sigma_next - sigma)}
     * down to sigma 0.
     */
    private NDArray euler(NDManager run, Shape shape, int stepCount, long seed, float[] initNoise, Loop loop) {
        NoiseSchedule trained = trainedSchedule();
        NoiseSchedule schedule = schedule(stepCount);
        double[] ab = schedule.alphaBars();
        int[] ts = schedule.timesteps();
        int n = ab.length;
        double[] alphaBars = trained.alphaBars();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] z = initNoise != null ? initNoise : GaussianPair.floats(rng, Math.toIntExact(shape.size()));
        double sigmaMax = sigma(ab[n - 1]);
        NDArray x = run.create(z, shape).mul((float) Math.sqrt(sigmaMax * sigmaMax + 1));
        boolean bySigma = card.timestep().convention() == TimestepConvention.SIGMA;
        StepListener listener = loop.stepListener();
        for (int i = 0; i < n; i++) {
            int k = n - 1 - i;
            double sigma = sigma(ab[k]);
            double next = k == 0 ? 0 : sigma(ab[k - 1]);
            listener.beforeStep(i, n, ts[k]);
            try (NDScope scope = new NDScope()) {
                NDArray in = x.div((float) Math.sqrt(sigma * sigma + 1));
                NDArray out = guided(loop, in, bySigma ? sigma : ts[k]);
                NDArray eps = toEpsilon(out, in, alphaBars[ts[k]]);
                NDArray stepped = x.add(eps.mul((float) (next - sigma)));
                NDScope.unregister(stepped);
                stepped.attach(run);
                x.close();
                x = stepped;
            }
        }
        return x;
    }

    private static double sigma(double alphaBar) {
        return Math.sqrt((1 - alphaBar) / alphaBar);
    }

    /** The guided output of one step: one call, a pair call, or two calls, combined as Guidance does. */
    private NDArray guided(Loop loop, NDArray x, double fed) {
        if (guidance == null) {
            return loop.call(x, fed, Branch.PLAIN)[0];
        }
        NDArray cond;
        NDArray uncond;
        if (pair) {
            NDArray[] both = loop.call(x, fed, Branch.PAIR);
            cond = both[0];
            uncond = both[1];
        } else {
            cond = loop.call(x, fed, Branch.CONDITIONAL)[0];
            uncond = loop.call(x, fed, Branch.UNCONDITIONAL)[0];
        }
        // the same operations, in the same order, as Guidance.classifierFree
        NDArray mixed = uncond.add(cond.sub(uncond).mul((float) guidance.scale()));
        long channels = cond.getShape().get(1);
        if (guidance.channels() == 0 || guidance.channels() == channels) {
            return mixed;
        }
        // DiT's forward_with_cfg: the first channels guided, the rest as the conditional row has them
        return NDArrays.concat(new NDList(mixed.get(":, 0:" + guidance.channels()), cond.get(":, " + guidance.channels() + ":")), 1);
    }

    private NDArray toEpsilon(NDArray out, NDArray x, double alphaBar) {
        Prediction p = card.output().predicts();
        if (p == Prediction.EPSILON) {
            return out;
        }
        float a = (float) Math.sqrt(alphaBar);
        float s = (float) Math.sqrt(1 - alphaBar);
        return p == Prediction.V ? out.mul(a).add(x.mul(s)) : x.sub(out.mul(a)).div(s);
    }

    private final class Loop {
        private final int sample;
        private final Denoiser denoiser;
        private final StepListener steps;
        private final CallListener calls;
        private int step;
        private int stepCount;
        private int timestep;

        Loop(int sample, Denoiser denoiser, StepListener steps, CallListener calls) {
            this.sample = sample;
            this.denoiser = denoiser;
            this.steps = steps;
            this.calls = calls;
        }

        StepListener stepListener() {
            return (i, n, t) -> {
                step = i;
                stepCount = n;
                timestep = t;
                steps.beforeStep(i, n, t);
            };
        }

        /**
         * One graph call on state {@code x} (one row) at time {@code fed}; returns the output's rows in
         * (cond, uncond) order for a pair, else the one row.
         */
        NDArray[] call(NDArray x, double fed, Branch branch) {
            float[] row = x.toFloatArray();
            Map<String, HostTensor> inputs = new LinkedHashMap<>();
            TensorSpec s = card.sample();
            float[] sampleData = row;
            if (branch == Branch.PAIR) {
                sampleData = new float[2 * row.length];
                System.arraycopy(row, 0, sampleData, 0, row.length);
                System.arraycopy(row, 0, sampleData, row.length, row.length);
            }
            inputs.put(s.name(), HostTensor.ofFloats(s.shape(), sampleData));
            TensorSpec t = card.timestep().tensor();
            int nt = Math.toIntExact(t.elements());
            if (t.dtype() == Dtype.FLOAT32) {
                float[] v = new float[nt];
                Arrays.fill(v, (float) fed);
                inputs.put(t.name(), HostTensor.ofFloats(t.shape(), v));
            } else {
                long[] v = new long[nt];
                Arrays.fill(v, Math.round(fed));
                inputs.put(t.name(), HostTensor.ofLongs(t.shape(), v));
            }
            boolean condFirst = guidance == null || guidance.order() == PairOrder.COND_FIRST;
            for (Conditioning c : card.conditioning()) {
                List<Value> rows = switch (branch) {
                    case PLAIN, CONDITIONAL -> List.of(c.value());
                    case UNCONDITIONAL -> List.of(c.unconditional());
                    case PAIR -> condFirst ? List.of(c.value(), c.unconditional()) : List.of(c.unconditional(), c.value());
                };
                inputs.put(c.tensor().name(), rows(c.tensor(), rows));
            }
            calls.beforeCall(new CallListener.Call(sample, step, stepCount, timestep, branch, inputs));
            HostTensor out = denoiser.call(inputs);
            long[] want = card.output().shape();
            if (!Arrays.equals(out.shape(), want) || out.floats() == null) {
                throw new IllegalStateException(card.file() + ": output " + card.output().name() + " came back as "
                        + Arrays.toString(out.shape()) + (out.floats() == null ? " int64" : "") + ", the card says "
                        + Arrays.toString(want) + " float32");
            }
            long[] rowShape = want.clone();
            rowShape[0] = 1;
            NDManager m = x.getManager();
            if (branch != Branch.PAIR) {
                return new NDArray[] {m.create(out.floats(), new Shape(rowShape))};
            }
            int half = out.floats().length / 2;
            NDArray first = m.create(Arrays.copyOfRange(out.floats(), 0, half), new Shape(rowShape));
            NDArray second = m.create(Arrays.copyOfRange(out.floats(), half, 2 * half), new Shape(rowShape));
            return condFirst ? new NDArray[] {first, second} : new NDArray[] {second, first};
        }

        private HostTensor rows(TensorSpec t, List<Value> values) {
            int per = Math.toIntExact(t.elements() / t.shape()[0]);
            if (t.dtype() == Dtype.FLOAT32) {
                float[] d = new float[Math.toIntExact(t.elements())];
                for (int r = 0; r < values.size(); r++) {
                    Value v = values.get(r);
                    if (v instanceof Constant c) {
                        Arrays.fill(d, r * per, (r + 1) * per, (float) c.value());
                    } else if (v instanceof FromFile f) {
                        System.arraycopy(fileRows.get(key(f)).floats(), 0, d, r * per, per);
                    }
                }
                return HostTensor.ofFloats(t.shape(), d);
            }
            long[] d = new long[Math.toIntExact(t.elements())];
            for (int r = 0; r < values.size(); r++) {
                Value v = values.get(r);
                if (v instanceof Constant c) {
                    Arrays.fill(d, r * per, (r + 1) * per, (long) c.value());
                } else if (v instanceof FromFile f) {
                    System.arraycopy(fileRows.get(key(f)).longs(), 0, d, r * per, per);
                } else if (v instanceof ClassOfSample k) {
                    d[r * per] = Math.floorMod(sample, k.classes());
                }
            }
            return HostTensor.ofLongs(t.shape(), d);
        }
    }

    private static String key(FromFile f) {
        return f.row() + ":" + f.file();
    }

    private static HostTensor readRow(FromFile f, TensorSpec t) {
        try (TensorSource src = TensorSources.open(f.file())) {
            TensorData data = src.data(src.tensors().get(0).name());
            int per = Math.toIntExact(t.elements() / t.shape()[0]);
            long[] shape = t.shape();
            shape[0] = 1;
            if (t.dtype() == Dtype.FLOAT32) {
                float[] v = new float[per];
                data.readFloats((long) f.row() * per, v, 0, per);
                for (float e : v) {
                    if (!Float.isFinite(e)) {
                        throw new InputException(f.file() + ": holds NaN or infinity (input "
                                + t.name() + ")");
                    }
                }
                return HostTensor.ofFloats(shape, v);
            }
            double[] v = new double[per];
            data.readDoubles((long) f.row() * per, v, 0, per);
            long[] l = new long[per];
            for (int i = 0; i < per; i++) {
                if (v[i] != Math.rint(v[i]) || !Double.isFinite(v[i])) {
                    throw new InputException(f.file() + ": input " + t.name()
                            + " is int64 but the file holds " + v[i]);
                }
                l[i] = (long) v[i];
            }
            return HostTensor.ofLongs(shape, l);
        }
    }
}
