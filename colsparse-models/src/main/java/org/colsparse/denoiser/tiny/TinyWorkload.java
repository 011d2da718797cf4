package org.colsparse.denoiser.tiny;

import org.colsparse.sweep.Decoders;
import org.colsparse.sweep.OutputDecoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.DdimSampler;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.Guidance;
import org.colsparse.sampler.StepListener;

import java.nio.file.Path;
import java.util.Map;
import java.util.List;

/** A tiny trained workload: the spec's network with its shipped weights, sampled with deterministic DDIM. */
public final class TinyWorkload implements Workload {
    private final TinySpec spec;

    public TinyWorkload(TinySpec spec) {
        this.spec = spec;
    }

    public TinySpec spec() {
        return spec;
    }

    @Override
    public DenoiserInfo info() {
        return spec.info();
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        Workload.refuseConditions(info(), conditions);
        Path file = Workload.weightsFile(checkpoint, spec.checkpoint(), "shipped with the repository; rebuild it with: colsparse train --workload " + spec.id() + " --out models/" + spec.id());
        TinyNet net = spec.build(manager);
        Workload.loadWeights(net.params(), file, spec.id(), net::close);
        return new Loaded(spec, net, manager);
    }

    /** A loaded tiny model; also what {@code train} samples its preview from. */
    public static final class Loaded implements LoadedWorkload {
        private final TinySpec spec;
        private final TinyNet net;
        private final NDManager manager;

        Loaded(TinySpec spec, TinyNet net, NDManager manager) {
            this.spec = spec;
            this.net = net;
            this.manager = manager;
        }

        public TinyNet net() {
            return net;
        }

        @Override
        public Decoders.Choice decoding() {
            OutputDecoder own = spec.outputDecoder();
            return own != null ? new Decoders.Choice(Decoders.OWN, own) : LoadedWorkload.super.decoding();
        }

        @Override
        public DenoiserInfo info() {
            return spec.info();
        }

        @Override
        public List<GeluSite> sites() {
            return net.sites();
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            DdimSampler sampler = new DdimSampler(spec.schedule().respace(steps), 0);
            try (NDManager run = manager.newSubManager()) {
                NDArray cond = spec.sampleCond(run, first, samples);
                EpsModel model;
                if (spec.guidance() > 1) {
                    // conditional and unconditional rows go through the network as one batch (docs/definitions.md)
                    NDArray both = NDArrays.concat(new NDList(cond, net.nullCond(cond)), 0);
                    model = Guidance.classifierFree((x, t) -> net.predict(x, x.getManager().full(new Shape(2L * samples), (float) t), both, tap),
                            spec.guidance());
                } else {
                    model = (x, t) -> net.predict(x, x.getManager().full(new Shape(samples), (float) t), cond, tap);
                }
                NDArray x = net.decode(sampler.sample(run, spec.sampleShape(samples), clipped(model, spec), seed, listener));
                return new Samples(x.toFloatArray(), x.getShape().getShape());
            }
        }

        /**
         * The noise estimate made consistent with a clean-sample estimate clipped to the spec's bound:
         * x0 = (x - sqrt(1 - ab) eps) / sqrt(ab), clipped, then eps = (x - sqrt(ab) x0) / sqrt(1 - ab).
         * The network's call (and its GELU sites) is unchanged; only the sampler's use of its output is.
         */
        private static EpsModel clipped(EpsModel model, TinySpec spec) {
            double bound = spec.clipSample();
            double[] alphaBars = spec.schedule().alphaBars();
            return (x, t) -> {
                float a = (float) Math.sqrt(alphaBars[t]);
                float s = (float) Math.sqrt(1 - alphaBars[t]);
                NDArray out = model.predict(x, t);
                // an x0-predicting network's output becomes the noise estimate the sampler works with
                NDArray eps = spec.predictsX0() ? x.sub(out.mul(a)).div(s) : out;
                NDArray x0 = x.sub(eps.mul(s)).div(a).clip(-bound, bound);
                return x.sub(x0.mul(a)).div(s);
            };
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            return spec.writePreview(net, samples, dir);
        }

        @Override
        public void close() {
            net.close();
        }
    }
}
