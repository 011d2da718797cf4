package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.dataset.CmuMocap;
import org.colsparse.motion.FeatureNormalizer;
import org.colsparse.motion.MotionClip;
import org.colsparse.motion.MotionFeatures;
import org.colsparse.motion.Resample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The CMU clips as training windows for the motion workloads: resampled, encoded as per-frame
 * position features ({@link MotionFeatures}), standardized. The last quarter of every clip is held
 * out (no training window touches it). Conditioning is either the clip's action (walk / hop, as
 * MDM's and MLD's action-conditioned modes) or per-frame dance-style features (EDGE).
 */
public final class MotionData {
    /** Actions of the shipped clips in file order: 131_01 walk, 131_02 walk, 131_03 hop. */
    public static final String[] ACTIONS = {"walk", "hop"};
    static final int CLASSES = ACTIONS.length;
    /** Per-frame dance-style conditioning channels (see {@link #danceFeatures}). */
    public static final int DANCE_FEATURES = 7;

    private final double fps;
    private final int frames;
    private final int dim;
    private final String[] names;
    private final int[] parents;
    private final FeatureNormalizer norm;
    private final FeatureNormalizer danceNorm;
    private final List<float[]> train = new ArrayList<>();
    private final List<float[]> trainDance = new ArrayList<>();
    private final List<Integer> trainAction = new ArrayList<>();
    private final List<float[]> held = new ArrayList<>();
    private final List<float[]> heldDance = new ArrayList<>();
    private final List<Integer> heldAction = new ArrayList<>();
    private final String source;

    public MotionData(double fps, int frames) {
        this.fps = fps;
        this.frames = frames;
        List<MotionClip> clips = CmuMocap.load();
        List<double[]> feats = new ArrayList<>();
        List<double[]> dance = new ArrayList<>();
        List<Integer> actions = new ArrayList<>();
        MotionClip first = null;
        StringBuilder desc = new StringBuilder();
        for (int c = 0; c < clips.size(); c++) {
            MotionClip m = Resample.toFps(clips.get(c), fps).inMetres();
            if (first == null) {
                first = m;
            }
            feats.add(MotionFeatures.encode(m));
            dance.add(danceFeatures(m));
            actions.add(c == 2 ? 1 : 0);
            desc.append(c == 0 ? "" : ", ").append(m.frameCount()).append(" frames");
        }
        names = first.names();
        parents = first.parents();
        dim = MotionFeatures.dimension(names.length);
        List<double[]> trainParts = new ArrayList<>();
        List<double[]> trainDanceParts = new ArrayList<>();
        int[] split = new int[feats.size()];
        for (int c = 0; c < feats.size(); c++) {
            int t = feats.get(c).length / dim;
            split[c] = t - Math.max(frames, t / 4);
            trainParts.add(java.util.Arrays.copyOf(feats.get(c), split[c] * dim));
            trainDanceParts.add(java.util.Arrays.copyOf(dance.get(c), split[c] * DANCE_FEATURES));
        }
        norm = FeatureNormalizer.fit(trainParts, dim);
        danceNorm = FeatureNormalizer.fit(trainDanceParts, DANCE_FEATURES);
        for (int c = 0; c < feats.size(); c++) {
            int t = feats.get(c).length / dim;
            double[] f = norm.normalize(feats.get(c));
            double[] d = danceNorm.normalize(dance.get(c));
            for (int s = 0; s + frames <= t; s++) {
                boolean isTrain = s + frames <= split[c];
                boolean isHeld = s >= split[c] && (s - split[c]) % 2 == 0;
                if (isTrain || isHeld) {
                    (isTrain ? train : held).add(window(f, s, frames, dim));
                    (isTrain ? trainDance : heldDance).add(window(d, s, frames, DANCE_FEATURES));
                    (isTrain ? trainAction : heldAction).add(actions.get(c));
                }
            }
        }
        source = String.format(Locale.ROOT, "CMU motion capture subject 131 (131_01 walk, 131_02 walk, 131_03 hop; mocap.cs.cmu.edu), "
                + "resampled 120 -> %.0f fps (%s), %d-D position features per frame (root height, root xz displacement, 30 joints "
                + "relative to the root), standardized; %d-frame windows at stride 1 from the first three quarters of each clip "
                + "(%d training windows), held-out = windows inside the last quarter (%d windows, stride 2)",
                fps, desc, dim, frames, train.size(), held.size());
    }

    private static float[] window(double[] f, int start, int length, int width) {
        float[] w = new float[length * width];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) f[start * width + i];
        }
        return w;
    }

    /**
     * Dance-style per-frame conditioning derived from the motion itself, a stand-in for EDGE's music
     * features (the clips have no music): left and right ankle heights, root vertical velocity,
     * root horizontal speed, a beat impulse at every foot strike (a local minimum of an ankle's
     * height) and the sine and cosine of the phase between consecutive beats.
     */
    static double[] danceFeatures(MotionClip m) {
        int t = m.frameCount();
        int la = m.indexOf("LeftAnkle");
        int ra = m.indexOf("RightAnkle");
        double[] out = new double[t * DANCE_FEATURES];
        boolean[] beat = new boolean[t];
        for (int f = 1; f + 1 < t; f++) {
            for (int a : new int[] {la, ra}) {
                double y = m.get(f, a, 1);
                if (y < m.get(f - 1, a, 1) && y <= m.get(f + 1, a, 1)) {
                    beat[f] = true;
                }
            }
        }
        int prev = -1;
        for (int f = 0; f < t; f++) {
            int o = f * DANCE_FEATURES;
            out[o] = m.get(f, la, 1);
            out[o + 1] = m.get(f, ra, 1);
            if (f > 0) {
                out[o + 2] = (m.get(f, 0, 1) - m.get(f - 1, 0, 1)) * m.fps();
                out[o + 3] = Math.hypot(m.get(f, 0, 0) - m.get(f - 1, 0, 0), m.get(f, 0, 2) - m.get(f - 1, 0, 2)) * m.fps();
            }
            out[o + 4] = beat[f] ? 1 : 0;
            if (beat[f]) {
                prev = f;
            }
            int next = f + 1;
            while (next < t && !beat[next]) {
                next++;
            }
            double phase = prev < 0 || next >= t ? 0 : (double) (f - prev) / (next - prev);
            out[o + 5] = Math.sin(2 * Math.PI * phase);
            out[o + 6] = Math.cos(2 * Math.PI * phase);
        }
        return out;
    }

    public int frames() {
        return frames;
    }

    public int dimension() {
        return dim;
    }

    public String describe() {
        return source;
    }

    public int trainCount() {
        return train.size();
    }

    public int heldCount() {
        return held.size();
    }

    /** (n, frames, dim) standardized features of the given windows. */
    public NDArray motion(NDManager m, boolean heldOut, int[] idx) {
        return stack(m, heldOut ? held : train, idx, dim);
    }

    /** (n, frames, DANCE_FEATURES) standardized dance features of the given windows. */
    public NDArray dance(NDManager m, boolean heldOut, int[] idx) {
        return stack(m, heldOut ? heldDance : trainDance, idx, DANCE_FEATURES);
    }

    public int[] actions(boolean heldOut, int[] idx) {
        int[] a = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            a[i] = (heldOut ? heldAction : trainAction).get(idx[i]);
        }
        return a;
    }

    private NDArray stack(NDManager m, List<float[]> src, int[] idx, int width) {
        float[] v = new float[idx.length * frames * width];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(src.get(idx[i]), 0, v, i * frames * width, frames * width);
        }
        return m.create(v, new Shape(idx.length, frames, width));
    }

    public int[] randomTrain(SplittableRandom rng, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = rng.nextInt(train.size());
        }
        return idx;
    }

    public static int[] range(int from, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = from + i;
        }
        return idx;
    }

    /** Standardized features back to a clip in metres. */
    public MotionClip decode(float[] normalized) {
        double[] d = new double[normalized.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = normalized[i];
        }
        return MotionFeatures.decode(norm.denormalize(d), names, parents, fps);
    }
}
