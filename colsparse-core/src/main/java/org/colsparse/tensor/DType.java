package org.colsparse.tensor;

/** Element types the readers understand. Float types can be analyzed; integer types only inspected. */
public enum DType {
    F16(2, true), BF16(2, true), F32(4, true), F64(8, true),
    I8(1, false), U8(1, false), I16(2, false), I32(4, false), I64(8, false), BOOL(1, false);

    private final int bytes;
    private final boolean floating;

    DType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return floating;
    }
}
