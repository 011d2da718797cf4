package org.colsparse.sweep;

import org.colsparse.accuracy.AudioMetrics;
import org.colsparse.accuracy.ImageMetrics;
import org.colsparse.accuracy.MotionMetrics;
import org.colsparse.accuracy.VideoMetrics;
import org.colsparse.motion.MotionClip;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Compares a thresholded run's decoded output with the dense run's, with the metrics its modality has. */
public final class Fidelity {
    private Fidelity() {
    }

    /** Metric values in {@link Metric} order; PSNR and SNR are {@code +inf} where nothing changed. */
    public static Map<Metric, Double> compare(ModalOutput dense, ModalOutput test) {
        Map<Metric, Double> m = new EnumMap<>(Metric.class);
        if (dense instanceof ModalOutput.Image d) {
            ModalOutput.Image t = (ModalOutput.Image) test;
            m.put(Metric.PSNR, ImageMetrics.psnr(d.values(), t.values(), d.dataRange()));
            m.put(Metric.SSIM, ImageMetrics.ssim(d.values(), t.values(), d.planes(), d.height(), d.width(), d.dataRange()));
        } else if (dense instanceof ModalOutput.Video d) {
            video(d, (ModalOutput.Video) test, m);
        } else if (dense instanceof ModalOutput.Mel d) {
            ModalOutput.Mel t = (ModalOutput.Mel) test;
            m.put(Metric.LSD, AudioMetrics.logSpectralDistance(d.logMel(), t.logMel(), d.bands(), d.power()));
            m.put(Metric.SNR, AudioMetrics.snrDb(d.logMel(), t.logMel()));
        } else if (dense instanceof ModalOutput.Motion d) {
            motion(d, (ModalOutput.Motion) test, m);
        }
        return Collections.unmodifiableMap(m);
    }

    private static void video(ModalOutput.Video d, ModalOutput.Video t, Map<Metric, Double> m) {
        int frameSize = d.channels() * d.height() * d.width();
        int clipSize = d.frames() * frameSize;
        m.put(Metric.PSNR, ImageMetrics.psnr(d.values(), t.values(), d.dataRange()));
        m.put(Metric.SSIM, ImageMetrics.ssim(d.values(), t.values(), d.clips() * d.frames() * d.channels(), d.height(), d.width(),
                d.dataRange()));
        double worstPsnr = Double.POSITIVE_INFINITY;
        double worstSsim = Double.POSITIVE_INFINITY;
        double change = 0;
        for (int c = 0; c < d.clips(); c++) {
            double[] dc = Arrays.copyOfRange(d.values(), c * clipSize, (c + 1) * clipSize);
            double[] tc = Arrays.copyOfRange(t.values(), c * clipSize, (c + 1) * clipSize);
            for (double p : VideoMetrics.perFramePsnr(dc, tc, d.frames(), d.dataRange())) {
                worstPsnr = Math.min(worstPsnr, p);
            }
            for (int f = 0; f < d.frames(); f++) {
                worstSsim = Math.min(worstSsim, ImageMetrics.ssim(Arrays.copyOfRange(dc, f * frameSize, (f + 1) * frameSize),
                        Arrays.copyOfRange(tc, f * frameSize, (f + 1) * frameSize), d.channels(), d.height(), d.width(), d.dataRange()));
            }
            if (d.frames() > 1) {
                change += VideoMetrics.temporalChangeError(dc, tc, d.frames());
            }
        }
        m.put(Metric.FRAME_PSNR_MIN, worstPsnr);
        m.put(Metric.FRAME_SSIM_MIN, worstSsim);
        if (d.frames() > 1) {
            m.put(Metric.TEMPORAL_CHANGE_ERROR, change / d.clips());
        }
    }

    /** sum[0] += v, count[1] += 1, for a defined (non-NaN) v. */
    private static void addDefined(double[] sumCount, double v) {
        if (!Double.isNaN(v)) {
            sumCount[0] += v;
            sumCount[1]++;
        }
    }

    private static void motion(ModalOutput.Motion d, ModalOutput.Motion t, Map<Metric, Double> m) {
        List<MotionClip> dc = d.clips();
        List<MotionClip> tc = t.clips();
        if (dc.size() != tc.size()) {
            throw new IllegalArgumentException(dc.size() + " dense clips vs " + tc.size() + " test clips");
        }
        double mpjpe = 0, jerk = 0, jerkDense = 0;
        double[] skate = new double[2], skateDense = new double[2];
        boolean jerkDefined = true;
        for (int i = 0; i < dc.size(); i++) {
            mpjpe += MotionMetrics.mpjpeMetres(dc.get(i), tc.get(i));
            addDefined(skate, MotionMetrics.footSkate(tc.get(i), d.feet(), MotionMetrics.CONTACT_HEIGHT_M));
            addDefined(skateDense, MotionMetrics.footSkate(dc.get(i), d.feet(), MotionMetrics.CONTACT_HEIGHT_M));
            if (dc.get(i).frameCount() > 3) {
                jerk += MotionMetrics.jerk(tc.get(i));
                jerkDense += MotionMetrics.jerk(dc.get(i));
            } else {
                jerkDefined = false;
            }
        }
        int n = dc.size();
        m.put(Metric.MPJPE, mpjpe / n);
        // foot skate is undefined for a clip whose feet never touch the floor: the mean is over the clips where
        // it is defined, and the metric is absent when it is defined for none
        if (skate[1] > 0) {
            m.put(Metric.FOOT_SKATE, skate[0] / skate[1]);
        }
        if (skateDense[1] > 0) {
            m.put(Metric.FOOT_SKATE_DENSE, skateDense[0] / skateDense[1]);
        }
        if (jerkDefined) {
            m.put(Metric.JERK, jerk / n);
            m.put(Metric.JERK_DENSE, jerkDense / n);
        }
    }
}
