package org.colsparse.sweep;

import org.colsparse.motion.MotionClip;

import java.util.List;

/**
 * A sampler output decoded into the space its modality's metrics compare (images a person sees,
 * mel spectrograms, joint positions). The dense run and every thresholded run decode the same way,
 * so the metrics compare like with like.
 */
public sealed interface ModalOutput {

    /**
     * {@code planes} grey-scale {@code height x width} images back to back (NCHW: batch x channels
     * planes), values in {@code [0, dataRange]}.
     */
    record Image(double[] values, int planes, int height, int width, double dataRange) implements ModalOutput {
        public Image {
            if (values.length != (long) planes * height * width) {
                throw new IllegalArgumentException(values.length + " values are not " + planes + " planes of " + height + "x" + width);
            }
        }
    }

    /**
     * {@code clips} videos of {@code frames} frames, each frame {@code channels x height x width},
     * laid out (clip, frame, channel, row, column); values in {@code [0, dataRange]}.
     */
    record Video(double[] values, int clips, int frames, int channels, int height, int width, double dataRange)
            implements ModalOutput {
        public Video {
            if (values.length != (long) clips * frames * channels * height * width) {
                throw new IllegalArgumentException(values.length + " values are not " + clips + " clips x " + frames + " frames x "
                        + channels + "x" + height + "x" + width);
            }
        }
    }

    /**
     * {@code clips} natural-log mel spectrograms of {@code frames x bands}, frame-major, holding
     * {@code ln(|X|^power)} (power 1: magnitude, 2: power), already de-normalized.
     */
    record Mel(double[] logMel, int clips, int frames, int bands, double power) implements ModalOutput {
        public Mel {
            if (logMel.length != (long) clips * frames * bands) {
                throw new IllegalArgumentException(logMel.length + " values are not " + clips + " clips x " + frames + " frames x " + bands + " bands");
            }
        }
    }

    /**
     * Joint positions after decoding and forward kinematics, one clip per sample.
     *
     * @param feet joint indices whose sliding counts as foot skate (e.g. CMU's LeftToe, RightToe)
     */
    record Motion(List<MotionClip> clips, int[] feet) implements ModalOutput {
        public Motion {
            clips = List.copyOf(clips);
            feet = feet.clone();
        }

        @Override
        public int[] feet() {
            return feet.clone();
        }
    }

    /** No decoder is known for the workload: only the output-space relative L2 is compared. */
    record Raw() implements ModalOutput {
    }
}
