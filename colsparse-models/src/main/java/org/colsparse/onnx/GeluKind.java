package org.colsparse.onnx;

/** Which function a GELU site computes (docs/onnx.md lists the graph forms of each). */
public enum GeluKind {
    /** x Φ(x), with the exact normal CDF (erf). */
    EXACT,
    /** 0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³))). */
    TANH,
    /** x σ(α x), com.microsoft {@code QuickGelu} (α = 1.702 unless the node says otherwise). */
    SIGMOID
}
