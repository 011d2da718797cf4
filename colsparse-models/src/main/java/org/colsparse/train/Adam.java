package org.colsparse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.Params;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma & Ba 2015) with bias correction and global gradient-norm clipping, updating the
 * parameter store in place. Written out rather than DJL's {@code Adam} because its moments must be
 * saved and restored for {@code train --resume} to continue exactly where it stopped.
 */
public final class Adam implements AutoCloseable {
    private final Params params;
    private final List<String> names;
    private final double lr;
    private final double beta1 = 0.9;
    private final double beta2 = 0.999;
    private final double eps = 1e-8;
    private final double clip;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long t;

    public Adam(Params params, List<String> names, double lr, double clip) {
        this.params = params;
        this.names = List.copyOf(names);
        this.lr = lr;
        this.clip = clip;
        NDManager manager = params.manager();
        for (String n : names) {
            Shape s = params.get(n).getShape();
            m.put(n, manager.zeros(s));
            v.put(n, manager.zeros(s));
        }
    }

    public long steps() {
        return t;
    }

    /**
     * Applies one update from the gradients backward() left on the parameters, then zeroes them
     * (PyTorch accumulates gradients across backward passes).
     *
     * @return the global gradient norm before clipping
     */
    public double step() {
        t++;
        try (NDScope scope = new NDScope()) {
            double sq = 0;
            Map<String, NDArray> grads = new LinkedHashMap<>();
            for (String n : names) {
                NDArray g = gradient(n);
                grads.put(n, g);
                sq += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(sq);
            float scale = (float) (clip > 0 && norm > clip ? clip / norm : 1);
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (String n : names) {
                NDArray w = params.get(n);
                NDArray g = grads.get(n);
                NDArray gs = g.mul(scale);
                m.get(n).muli((float) beta1).addi(gs.mul((float) (1 - beta1)));
                v.get(n).muli((float) beta2).addi(gs.square().mul((float) (1 - beta2)));
                NDArray denom = v.get(n).div((float) bc2).sqrt().add((float) eps);
                w.subi(m.get(n).div(denom).mul((float) (lr / bc1)));
                g.muli(0f);
            }
            return norm;
        }
    }

    /** The parameter's gradient; the handle is a new reference, freed when the step's scope closes. */
    private NDArray gradient(String name) {
        return params.get(name).getGradient();
    }

    /** First and second moments, keyed {@code adam.m.<name>} / {@code adam.v.<name>}, for the training state. */
    public void save(SafetensorsWriter out) {
        for (String n : names) {
            long[] shape = m.get(n).getShape().getShape();
            out.put("adam.m." + n, m.get(n).toFloatArray(), shape);
            out.put("adam.v." + n, v.get(n).toFloatArray(), shape);
        }
    }

    /** Restores moments and the step count saved by {@link #save}. */
    public void restore(Map<String, float[]> state, long steps) {
        for (String n : names) {
            copyInto(m.get(n), state.get("adam.m." + n), n);
            copyInto(v.get(n), state.get("adam.v." + n), n);
        }
        t = steps;
    }

    private static void copyInto(NDArray target, float[] values, String name) {
        if (values == null || values.length != target.size()) {
            throw new org.colsparse.util.InputException("training state lacks optimizer moments for " + name);
        }
        try (NDArray src = target.getManager().create(values, target.getShape())) {
            target.muli(0f).addi(src);
        }
    }

    @Override
    public void close() {
        m.values().forEach(NDArray::close);
        v.values().forEach(NDArray::close);
    }
}
