package org.colsparse.onnx.sampling;

import org.colsparse.onnx.HostTensor;
import java.util.Map;

/** One call of a card's graph: its inputs by graph input name, to the card's output tensor. */
@FunctionalInterface
public interface Denoiser {
    HostTensor call(Map<String, HostTensor> inputs);
}
