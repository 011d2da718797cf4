package org.colsparse.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.colsparse.util.InputException;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session over a (possibly rewritten) model, run one call at a time. Nodes run in
 * graph order on one intra-op and one inter-op thread unless asked otherwise: the same threads give
 * the same floats, and profiling machines run many jobs side by side (docs/definitions.md, last
 * section), and the basic optimization level, so a tap never changes what the graph computes. Native tensors live only for one call: {@link #run} copies what was asked for into Java
 * arrays and frees the rest, so no more than one call's activations is held.
 */
public final class OnnxRunner implements AutoCloseable {
    /** Threads for one session: within an op, and across independent ops (used only by parallel execution). */
    public record Threads(int intraOp, int interOp) {
        public static final Threads ONE = new Threads(1, 1);

        public Threads {
            if (intraOp < 1 || interOp < 1) {
                throw new InputException("threads: must be at least 1, got intra-op " + intraOp + ", inter-op " + interOp);
            }
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String source;
    /**
     * Output tensors ONNX Runtime writes into, for calls shaped like the last one: without them it
     * allocates every requested output anew each call, which for the taps cost more than the copy out.
     */
    private Pinned pinned;

    private record Pinned(String key, Map<String, OnnxTensor> tensors, Map<String, FloatBuffer> buffers, Map<String, long[]> shapes) {
        void close() {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    public OnnxRunner(OnnxModel model, Threads threads) {
        this.env = OrtEnvironment.getEnvironment();
        this.source = model.source();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads.intraOp());
            options.setInterOpNumThreads(threads.interOp());
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // The extended level fuses GELU patterns into com.microsoft ops, or does not, depending on
            // whether their values are graph outputs: a tapped graph would then compute other floats than
            // the untapped one (seen with the Pow form of the tanh pattern). The basic level (constant
            // folding, eliminations) computes the graph as written either way.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            // ONNX Runtime spins worker threads while waiting for work: with one thread there are none to spin
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = env.createSession(model.toBytes(), options);
        } catch (OrtException e) {
            throw new InputException(model.source() + ": ONNX Runtime refused the model: " + firstLine(e.getMessage()), e);
        }
    }

    public OnnxRunner(OnnxModel model) {
        this(model, Threads.ONE);
    }

    public Set<String> inputNames() {
        return session.getInputNames();
    }

    public Set<String> outputNames() {
        return session.getOutputNames();
    }

    /** Runs one call on {@code inputs} (by graph input name) and returns the outputs {@code wanted}, by name. */
    public Map<String, HostTensor> run(Map<String, HostTensor> inputs, List<String> wanted) {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            StringBuilder key = new StringBuilder(String.join("\u0000", wanted));
            for (Map.Entry<String, HostTensor> e : inputs.entrySet()) {
                HostTensor t = e.getValue();
                key.append('\u0001').append(e.getKey()).append(java.util.Arrays.toString(t.shape())).append(t.floats() != null);
                feeds.put(e.getKey(), t.floats() != null
                        ? OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), t.shape())
                        : OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), t.shape()));
            }
            if (pinned != null && pinned.key().equals(key.toString())) {
                try (OrtSession.Result ignored = session.run(feeds, Set.of(), pinned.tensors())) {
                    Map<String, HostTensor> out = new LinkedHashMap<>();
                    for (String name : wanted) {
                        FloatBuffer b = pinned.buffers().get(name).duplicate();
                        b.rewind();
                        float[] a = new float[b.remaining()];
                        b.get(a);
                        out.put(name, HostTensor.ofFloats(pinned.shapes().get(name), a));
                    }
                    return out;
                }
            }
            try (OrtSession.Result result = session.run(feeds, Set.copyOf(wanted))) {
                Map<String, HostTensor> out = new LinkedHashMap<>();
                for (String name : wanted) {
                    OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
                    out.put(name, host(name, (OnnxTensor) v));
                }
                pin(key.toString(), out);
                return out;
            }
        } catch (OrtException e) {
            throw new InputException(source + ": ONNX Runtime failed on this call: " + firstLine(e.getMessage()), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** Output tensors for the next call of the same shapes, when every output is float32. */
    private void pin(String key, Map<String, HostTensor> out) throws OrtException {
        if (pinned != null) {
            pinned.close();
            pinned = null;
        }
        if (out.values().stream().anyMatch(t -> t.floats() == null)) {
            return;
        }
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        Map<String, FloatBuffer> buffers = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, HostTensor> e : out.entrySet()) {
                FloatBuffer b = java.nio.ByteBuffer.allocateDirect(4 * e.getValue().floats().length)
                        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
                buffers.put(e.getKey(), b);
                shapes.put(e.getKey(), e.getValue().shape());
                tensors.put(e.getKey(), OnnxTensor.createTensor(env, b, e.getValue().shape()));
            }
        } catch (OrtException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw e;
        }
        pinned = new Pinned(key, tensors, buffers, shapes);
    }

    /** Runs one call and returns every graph output. */
    public Map<String, HostTensor> run(Map<String, HostTensor> inputs) {
        return run(inputs, new ArrayList<>(session.getOutputNames()));
    }

    private HostTensor host(String name, OnnxTensor t) {
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        switch (info.type) {
            case FLOAT: {
                FloatBuffer b = t.getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                return HostTensor.ofFloats(shape, a);
            }
            case INT64: {
                LongBuffer b = t.getLongBuffer();
                long[] a = new long[b.remaining()];
                b.get(a);
                return HostTensor.ofLongs(shape, a);
            }
            default:
                throw new InputException(source + ": output " + name + " is " + info.type + "; colsparse reads float32 and int64 outputs");
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    @Override
    public void close() {
        if (pinned != null) {
            pinned.close();
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
