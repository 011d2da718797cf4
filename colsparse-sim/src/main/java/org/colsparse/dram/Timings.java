package org.colsparse.dram;

import java.util.Arrays;
import java.util.List;

/**
 * One timing set of a standard: named values in DRAM command-clock cycles, keyed as in Ramulator 2.1
 * ({@code nCL}, {@code nRCDRD}, ...), plus {@code rate} (MT/s per pin, informational) and the clock
 * period {@code tCK_ps}. The names and their order are the standard's ({@link DramStandard#timingNames()}).
 */
public final class Timings {
    private final List<String> names;
    private final int[] values;

    Timings(List<String> names, int[] values) {
        if (names.size() != values.length) {
            throw new IllegalArgumentException("expected " + names.size() + " timing values, got " + values.length);
        }
        this.names = List.copyOf(names);
        this.values = values.clone();
    }

    /** The names, in the standard's order. */
    public List<String> names() {
        return names;
    }

    public boolean has(String name) {
        return names.contains(name);
    }

    /** The value of {@code name}; a name the standard does not have throws IllegalArgumentException. */
    public int get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no timing '" + name + "' (known: " + names + ")");
        }
        return values[i];
    }

    /** A copy with {@code name} set to {@code value}. */
    public Timings with(String name, int value) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no timing '" + name + "' (known: " + names + ")");
        }
        int[] v = values.clone();
        v[i] = value;
        return new Timings(names, v);
    }

    public int tCKps() {
        return get("tCK_ps");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timings t && names.equals(t.names) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(names.get(i)).append(": ").append(values[i]);
        }
        return b.append('}').toString();
    }
}
