package org.colsparse.onnx;

import org.colsparse.runtime.SiteLayout;
import org.colsparse.workload.SiteRole;

import java.util.List;

/**
 * One GELU found in an ONNX graph (a docs/definitions.md site).
 *
 * @param index    position in graph order among the graph's sites
 * @param name     stable, unique name from the node's scope, e.g. {@code blocks.0.mlp.act}
 * @param output   the graph value holding the GELU's output, the one that is tapped
 * @param input    the value the GELU is applied to (before the bias, for the biased fused ops)
 * @param bias     the bias added to {@code input} first ({@code BiasGelu}, {@code FastGelu}), or empty
 * @param kind     which GELU
 * @param form     the graph form it was found in: an op ({@code Gelu}, {@code com.microsoft.FastGelu}, ...)
 *                 or {@code erf-pattern} / {@code tanh-pattern}
 * @param nodes    the nodes that compute it, in graph order (node names, or their first output when unnamed)
 * @param position the index in the graph's node list of the node producing {@code output}
 * @param role     what it feeds (docs/definitions.md "site roles")
 * @param consumer the MatMul/Gemm/Conv that reads the output unchanged (through the GEGLU product for a
 *                 gate), the GEMM whose columns its zeros let an accelerator skip; empty when none does
 * @param layout   where the channel axis of {@code output} lies: first for a convolution's input
 */
public record GraphSite(int index, String name, String output, String input, String bias, GeluKind kind, String form,
                        List<String> nodes, int position, SiteRole role, String consumer, SiteLayout layout) {
    public GraphSite {
        nodes = List.copyOf(nodes);
    }

    public boolean hasConsumer() {
        return !consumer.isEmpty();
    }
}
