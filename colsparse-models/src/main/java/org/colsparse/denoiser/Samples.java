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
}
