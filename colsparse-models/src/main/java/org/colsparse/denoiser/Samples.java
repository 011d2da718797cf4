package org.colsparse.denoiser;

/** The final output of a sampling run, row-major, in the workload's data space. */
public record Samples(float[] values, long[] shape) {
    public Samples {
        values = values.clone();
        shape = shape.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The samples of several runs stacked along the first axis (the sample axis). */
    public static Samples concat(java.util.List<Samples> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        long[] shape = parts.get(0).shape;
        long rows = 0;
        int length = 0;
        for (Samples p : parts) {
            if (p.shape.length != shape.length || !java.util.Arrays.equals(p.shape, 1, p.shape.length, shape, 1, shape.length)) {
                throw new IllegalArgumentException("samples of shapes " + java.util.Arrays.toString(shape) + " and "
                        + java.util.Arrays.toString(p.shape) + " do not stack");
            }
            rows += p.shape[0];
            length += p.values.length;
        }
        float[] v = new float[length];
        int at = 0;
        for (Samples p : parts) {
            System.arraycopy(p.values, 0, v, at, p.values.length);
            at += p.values.length;
        }
        long[] out = shape.clone();
        out[0] = rows;
        return new Samples(v, out);
    }
}
