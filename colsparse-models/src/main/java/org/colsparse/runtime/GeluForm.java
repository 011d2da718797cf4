package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Which GELU a site computes: the exact erf form or the tanh approximation (DiT). */
public enum GeluForm {
    EXACT {
        @Override
        public NDArray apply(NDArray x) {
            return Activation.gelu(x);
        }
    },
    TANH {
        @Override
        public NDArray apply(NDArray x) {
            // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), the form DiT's MLP uses
            // tensor constants, not Java numbers: see Nn.constant (training differentiates this)
            NDArray inner = x.mul(x).mul(x).mul(Nn.constant(x, 0.044715f)).add(x).mul(Nn.constant(x, (float) Math.sqrt(2 / Math.PI)));
            return inner.tanh().add(1f).mul(x).mul(Nn.constant(x, 0.5f));
        }
    };

    public abstract NDArray apply(NDArray x);
}
