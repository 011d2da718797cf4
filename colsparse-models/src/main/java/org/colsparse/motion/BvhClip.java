package org.colsparse.motion;

/**
 * A parsed BVH file.
 *
 * @param source    file name, for messages
 * @param skeleton  the HIERARCHY section
 * @param frameTime seconds per frame ({@code Frame Time:})
 * @param frames    one row per frame, {@link Skeleton#channelCount()} values in file order
 *                  (positions in the skeleton unit, rotations in degrees)
 */
public record BvhClip(String source, Skeleton skeleton, double frameTime, double[][] frames) {
    public int frameCount() {
        return frames.length;
    }

    /** Exact rate from the header: {@code 1 / frameTime}. */
    public double fps() {
        return 1.0 / frameTime;
    }

    /**
     * The rate the file means: BVH writers truncate the frame time (CMU writes {@code .0083333} for
     * 120 fps), so a rate within 0.1 % of an integer is that integer.
     */
    public double nominalFps() {
        double fps = fps();
        double r = Math.rint(fps);
        return Math.abs(fps - r) <= 1e-3 * r ? r : fps;
    }
}
