package org.colsparse.pipeline;

import org.colsparse.systolic.ActivationMask;

import java.util.HashMap;
import java.util.Map;

/**
 * The recorded calls' operand masks as estimate and simulate replay them: each call's masks are
 * built once and shared by both stages.
 */
public final class Replay {
    /** A call's operand masks by GEMM name. */
    @FunctionalInterface
    public interface Operands {
        Map<String, ActivationMask> of(RecordedMasks.Call call);
    }

    private final Operands headline;
    private final Operands others;

    public Replay(RecordedMasks masks) {
        Map<String, Map<String, ActivationMask>> built = new HashMap<>();
        Map<String, Map<String, ActivationMask>> builtOther = new HashMap<>();
        headline = call -> built.computeIfAbsent(call.name(), k -> masks.operands(call));
        others = call -> builtOther.computeIfAbsent(call.name(), k -> masks.otherOperands(call));
    }

    /** The headline consumers' masks: the only GEMMs that skip in the headline numbers. */
    public Operands headline() {
        return headline;
    }

    /** The masks of the consumers of sites outside the headline, reported beside it. */
    public Operands others() {
        return others;
    }
}
