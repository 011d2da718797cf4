package org.colsparse.motion;

/**
 * Changes a clip's frame rate, e.g. CMU's 120 fps to the 20 fps of HumanML3D (MDM, MLD) or the
 * 30 fps of EDGE.
 */
public final class Resample {
    private Resample() {
    }

    /**
     * Output frame {@code i} is the motion at time {@code i / targetFps}, linearly interpolated
     * between the two nearest source frames; the last output frame is the last one whose time lies
     * within the clip. When the source rate is an integer multiple of the target (120 -> 20, 120 -> 30)
     * this is plain decimation: every 6th or 4th source frame, unchanged. Positions are
     * interpolated, not Euler angles, so no angle wrap-around can creep in.
     */
    public static MotionClip toFps(MotionClip clip, double targetFps) {
        if (!(targetFps > 0)) throw new IllegalArgumentException("target fps must be positive: " + targetFps);
        int t = clip.frameCount();
        int stride = clip.jointCount() * 3;
        double step = clip.fps() / targetFps;
        // A tiny tolerance keeps 993 / 6 = 165.5 style counts from losing a frame to rounding.
        int outFrames = t == 0 ? 0 : (int) Math.floor((t - 1) / step + 1e-9) + 1;
        double[] out = new double[outFrames * stride];
        for (int i = 0; i < outFrames; i++) {
            double src = i * step;
            int lo = (int) Math.floor(src + 1e-9);
            double w = src - lo;
            if (w < 1e-9 || lo >= t - 1) {
                System.arraycopy(clip.xyz(), Math.min(lo, t - 1) * stride, out, i * stride, stride);
            } else {
                for (int k = 0; k < stride; k++) {
                    double a = clip.xyz()[lo * stride + k], b = clip.xyz()[(lo + 1) * stride + k];
                    out[i * stride + k] = a + (b - a) * w;
                }
            }
        }
        return new MotionClip(clip.names(), clip.parents(), targetFps, clip.metresPerUnit(), out);
    }
}
