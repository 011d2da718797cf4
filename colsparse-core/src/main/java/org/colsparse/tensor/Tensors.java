package org.colsparse.tensor;

/** Small whole-tensor computations shared by commands and tests. */
public final class Tensors {
    private static final int BLOCK = 1 << 16;

    private Tensors() {
    }

    /** Sum of all elements in double precision, added one by one in logical C order (reproducible, not compensated). */
    public static double sum(TensorData data) {
        long n = data.info().elementCount();
        double[] buf = new double[(int) Math.min(BLOCK, Math.max(n, 1))];
        double s = 0;
        for (long first = 0; first < n; first += buf.length) {
            int len = (int) Math.min(buf.length, n - first);
            data.readDoubles(first, buf, 0, len);
            for (int i = 0; i < len; i++) {
                s += buf[i];
            }
        }
        return s;
    }
}
