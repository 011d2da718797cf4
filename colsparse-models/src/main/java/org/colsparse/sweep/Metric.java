package org.colsparse.sweep;

/**
 * The per-modality fidelity metrics of a sweep point, all against the dense output of the same
 * seed (definitions: docs/accuracy-metrics.md). The key carries the unit so a JSON or CSV reader
 * never has to guess it.
 */
public enum Metric {
    PSNR("psnr_db", "image, video", "PSNR of the [0, 1] picture, dB; +inf when identical; higher is better"),
    SSIM("ssim", "image, video", "mean SSIM (11x11 Gaussian window) of the [0, 1] picture; 1 when identical; higher is better"),
    FRAME_PSNR_MIN("frame_psnr_min_db", "video", "PSNR of the worst frame, dB; higher is better"),
    FRAME_SSIM_MIN("frame_ssim_min", "video", "SSIM of the worst frame; higher is better"),
    TEMPORAL_CHANGE_ERROR("temporal_change_error", "video",
            "error of the frame-to-frame change relative to the dense change (flicker), mean over clips; 0 when identical; lower is better"),
    LSD("lsd_db", "audio", "log-spectral distance of the mel spectrogram, dB; 0 when identical; lower is better"),
    SNR("snr_db", "audio", "SNR of the linear mel magnitudes, dB; +inf when identical; higher is better"),
    MPJPE("mpjpe_m", "motion, dance", "mean per-joint position error after forward kinematics, metres; 0 when identical; lower is better"),
    FOOT_SKATE("foot_skate_m_s", "motion, dance", "mean horizontal foot speed while in floor contact, m/s; compare with the dense value; "
            + "absent when no foot is on the floor two frames in a row (nothing to measure)"),
    FOOT_SKATE_DENSE("foot_skate_dense_m_s", "motion, dance", "foot skate of the dense output, m/s"),
    JERK("jerk_m_s3", "motion, dance", "mean joint jerk (jitter), m/s^3; compare with the dense value; lower is smoother"),
    JERK_DENSE("jerk_dense_m_s3", "motion, dance", "jerk of the dense output, m/s^3");

    private final String key;
    private final String modalities;
    private final String meaning;

    Metric(String key, String modalities, String meaning) {
        this.key = key;
        this.modalities = modalities;
        this.meaning = meaning;
    }

    /** The snake_case name used in JSON, CSV and table headers. */
    public String key() {
        return key;
    }

    public String modalities() {
        return modalities;
    }

    public String meaning() {
        return meaning;
    }
}
