package org.colsparse.onnx.sampling;

import org.colsparse.onnx.HostTensor;
import java.util.Map;

/** Told before every denoiser call of a sampling loop, with exactly the inputs the call gets. */
@FunctionalInterface
public interface CallListener {
    CallListener NONE = call -> { };

    /** Which guidance branch a call computes. */
    enum Branch {
        /** No guidance: the one call of a step. */
        PLAIN,
        CONDITIONAL,
        UNCONDITIONAL,
        /** Both branches batched as two rows of one call. */
        PAIR
    }

    /**
     * @param sample   the run's sample number
     * @param step     0 for the first (noisiest) step
     * @param timestep what the step listener reports: the training step, or flow time in thousandths
     */
    record Call(int sample, int step, int steps, int timestep, Branch branch, Map<String, HostTensor> inputs) {
        public Call {
            inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        }
    }

    void beforeCall(Call call);
}
