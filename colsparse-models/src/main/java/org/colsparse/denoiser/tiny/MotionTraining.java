package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDManager;

import java.util.SplittableRandom;

/** MDM / MLD training data: motion windows conditioned on the clip's action. */
final class MotionTraining implements TrainingData {
    private final MotionData data;

    MotionTraining(MotionData data) {
        this.data = data;
    }

    @Override
    public Batch train(NDManager m, SplittableRandom rng, int size) {
        int[] idx = data.randomTrain(rng, size);
        return new Batch(data.motion(m, false, idx), Labels.oneHot(m, data.actions(false, idx), MotionData.CLASSES));
    }

    @Override
    public Batch heldOut(NDManager m, int from, int size) {
        int[] idx = MotionData.range(from, size);
        return new Batch(data.motion(m, true, idx), Labels.oneHot(m, data.actions(true, idx), MotionData.CLASSES));
    }

    @Override
    public int heldOutCount() {
        return data.heldCount();
    }

    @Override
    public String describe() {
        return data.describe() + "; conditioning = the clip's action (walk / hop)";
    }
}
