package org.colsparse.runtime;

import org.colsparse.tensor.DType;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory float32 tensor file, for loader tests that need exact control over keys and shapes. */
public final class MapTensorSource implements TensorSource {
    private final String file;
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();

    public MapTensorSource(String file) {
        this.file = file;
    }

    public MapTensorSource put(String name, float[] data, long... shape) {
        infos.put(name, new TensorInfo(name, DType.F32, shape));
        values.put(name, data);
        return this;
    }

    /** Zero-filled tensor of the given shape. */
    public MapTensorSource put(String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return put(name, new float[Math.toIntExact(n)], shape);
    }

    public MapTensorSource remove(String name) {
        infos.remove(name);
        values.remove(name);
        return this;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public List<TensorInfo> tensors() {
        return new ArrayList<>(infos.values());
    }

    @Override
    public TensorData data(String name) {
        TensorInfo info = infos.get(name);
        float[] v = values.get(name);
        return new TensorData() {
            @Override
            public TensorInfo info() {
                return info;
            }

            @Override
            public void readFloats(long first, float[] dst, int off, int count) {
                System.arraycopy(v, Math.toIntExact(first), dst, off, count);
            }

            @Override
            public void readDoubles(long first, double[] dst, int off, int count) {
                for (int i = 0; i < count; i++) {
                    dst[off + i] = v[Math.toIntExact(first) + i];
                }
            }
        };
    }

    @Override
    public void close() {
    }
}
