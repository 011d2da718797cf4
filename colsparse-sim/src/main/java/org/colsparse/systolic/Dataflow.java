package org.colsparse.systolic;

import org.colsparse.util.InputException;

import java.util.Locale;

/**
 * The three classic systolic dataflows, named as SCALE-Sim names them. What stays in the processing
 * elements decides which GEMM dimension streams through the array and therefore what a skipped
 * activation column can remove (docs/simulator.md).
 */
public enum Dataflow {
    /** Output stationary: each PE accumulates one output; A rows and W columns stream over K. */
    OS,
    /** Weight stationary: an R x C block of W is pinned; the M tokens stream through. */
    WS,
    /** Input stationary: an R x C block of A^T (R channels x C tokens) is pinned; the N weight columns stream. */
    IS;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dataflow parse(String s, String what) {
        for (Dataflow d : values()) {
            if (d.cliName().equalsIgnoreCase(s.trim())) {
                return d;
            }
        }
        throw new InputException(what + ": unknown dataflow '" + org.colsparse.util.Printable.excerpt(s) + "' (expected os, ws or is)");
    }
}
