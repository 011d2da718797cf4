package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.util.InputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The named tensors of one model, keyed by the checkpoint's own names. Blocks declare what they
 * need (name and shape) when they are built; a checkpoint is then loaded all at once, so every
 * missing, unexpected or mis-shaped key is reported together instead of one per run.
 */
public final class Params implements AutoCloseable {
    private final NDManager manager;
    private final LinkedHashMap<String, long[]> spec = new LinkedHashMap<>();
    private final Map<String, NDArray> values = new HashMap<>();
    /** Declared buffers a checkpoint may leave out, with how to rebuild them. */
    private final Map<String, Supplier<float[]>> rebuildable = new HashMap<>();

    public Params(NDManager manager) {
        this.manager = manager;
    }

    public NDManager manager() {
        return manager;
    }

    /** Declares a tensor; returns its name so blocks can keep it. */
    public String declare(String name, long... shape) {
        if (spec.putIfAbsent(name, shape.clone()) != null) {
            throw new IllegalStateException("parameter declared twice: " + name);
        }
        return name;
    }

    /**
     * Declares a buffer that follows from the architecture (a noise schedule): a checkpoint that
     * holds it is loaded as usual; one that leaves it out (a module that keeps its schedule outside
     * its state dict) gets {@code rebuild}'s values instead of a missing-key error, provided the rest
     * of the file fits.
     */
    public String declareRebuildable(String name, Supplier<float[]> rebuild, long... shape) {
        declare(name, shape);
        rebuildable.put(name, rebuild);
        return name;
    }

    /** Names and shapes in declaration order. */
    public Map<String, long[]> spec() {
        return Collections.unmodifiableMap(spec);
    }

    public NDArray get(String name) {
        NDArray a = values.get(name);
        if (a == null) {
            throw new IllegalStateException(spec.containsKey(name) ? "parameter not loaded: " + name : "parameter not declared: " + name);
        }
        return a;
    }

    /** Sets one declared tensor from row-major floats. */
    public void set(String name, float[] data) {
        long[] shape = spec.get(name);
        if (shape == null) {
            throw new IllegalStateException("parameter not declared: " + name);
        }
        if (data.length != new Shape(shape).size()) {
            throw new IllegalArgumentException(name + ": " + data.length + " values for shape " + Arrays.toString(shape));
        }
        NDArray old = values.put(name, manager.create(data, new Shape(shape)));
        if (old != null) {
            old.close();
        }
    }

    /**
     * Fills every declared tensor with seeded values: weights ~ N(0, 1/fan_in), 1-D tensors (biases
     * and norm scales) keep PyTorch's defaults of 0 and 1 by name. For shape tests and untrained baselines.
     */
    public void initRandom(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Map.Entry<String, long[]> e : spec.entrySet()) {
            long[] shape = e.getValue();
            float[] v = new float[Math.toIntExact(new Shape(shape).size())];
            String n = e.getKey();
            if (shape.length == 1 && (n.endsWith("bias") || n.endsWith(".b"))) {
                Arrays.fill(v, 0f);
            } else if (shape.length == 1) {
                Arrays.fill(v, 1f);
            } else {
                long fanIn = new Shape(shape).size() / shape[0];
                double std = 1 / Math.sqrt(fanIn);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (GaussianPair.next(rng) * std);
                }
            }
            set(n, v);
        }
    }

    /**
     * Loads every declared tensor from a checkpoint. Keys the model does not declare, declared keys
     * the file lacks, and shape mismatches are all collected into one {@link InputException}.
     *
     * @param model the workload's name, for the message
     * @return the rebuildable buffers the file lacked and that were rebuilt, in declaration order
     */
    public List<String> load(TensorSource source, String model) {
        Map<String, TensorInfo> found = new LinkedHashMap<>();
        for (TensorInfo t : source.tensors()) {
            found.put(t.name(), t);
        }
        TreeSet<String> missing = new TreeSet<>();
        List<String> rebuilt = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, long[]> e : spec.entrySet()) {
            TensorInfo t = found.get(e.getKey());
            if (t == null && rebuildable.containsKey(e.getKey())) {
                rebuilt.add(e.getKey());
            } else if (t == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                wrong.add(e.getKey() + " is " + t.shapeString() + ", expected " + Arrays.toString(e.getValue()));
            } else if (!t.dtype().isFloating()) {
                wrong.add(e.getKey() + " is " + t.dtype() + ", expected a floating-point tensor");
            }
        }
        TreeSet<String> unexpected = new TreeSet<>(found.keySet());
        unexpected.removeAll(spec.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrong.isEmpty()) {
            // a file that does not fit is no checkpoint of this model: every key it lacks is named, buffers that could be rebuilt too
            missing.addAll(rebuilt);
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add(missing.size() + " missing key(s) " + missing);
            }
            if (!unexpected.isEmpty()) {
                parts.add(unexpected.size() + " unexpected key(s) " + unexpected);
            }
            if (!wrong.isEmpty()) {
                parts.add(wrong.size() + " wrong shape(s) [" + String.join("; ", wrong) + "]");
            }
            throw new InputException(source.file() + ": not a " + model + " checkpoint: " + String.join("; ", parts));
        }
        for (String name : spec.keySet()) {
            if (rebuilt.contains(name)) {
                set(name, rebuildable.get(name).get());
                continue;
            }
            TensorData d = source.data(name);
            float[] v = new float[Math.toIntExact(d.info().elementCount())];
            d.readFloats(0, v, 0, v.length);
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new InputException(source.file() + ": tensor " + name + " holds NaN or Inf");
                }
            }
            set(name, v);
        }
        return rebuilt;
    }

    /** Row-major copy of one tensor, e.g. a schedule buffer the sampler needs on the Java side. */
    public float[] floats(String name) {
        return get(name).toFloatArray();
    }

    @Override
    public void close() {
        values.values().forEach(NDArray::close);
        values.clear();
    }
}
