package org.colsparse.dram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.colsparse.util.Printable;

/**
 * The registry of DRAM standards and of the memory-system presets built on them. A new standard is
 * one table class and one {@link #register} line here.
 */
public final class Standards {
    private static final Map<String, DramStandard> STANDARDS = new LinkedHashMap<>();
    private static final Map<String, Supplier<DramConfig>> PRESETS = new LinkedHashMap<>();

    static {
        register(Gddr6.STANDARD, Gddr6.PRESETS);
        register(Hbm2.STANDARD, Hbm2.PRESETS);
        register(Hbm3.STANDARD, Hbm3.PRESETS);
        register(Ddr5.STANDARD, Ddr5.PRESETS);
    }

    private Standards() {
    }

    private static void register(DramStandard standard, Map<String, Supplier<DramConfig>> presets) {
        STANDARDS.put(standard.name(), standard);
        PRESETS.putAll(presets);
    }

    /** Standard names as Ramulator spells them ({@code GDDR6}). */
    public static Set<String> names() {
        return STANDARDS.keySet();
    }

    /** The standard named {@code name} (case-insensitive); unknown names throw IllegalArgumentException. */
    public static DramStandard get(String name) {
        for (DramStandard s : STANDARDS.values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown DRAM standard '" + Printable.excerpt(name) + "' (known: " + names() + ")");
    }

    public static boolean has(String name) {
        return STANDARDS.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(name));
    }

    public static Set<String> presets() {
        return PRESETS.keySet();
    }

    /** A built-in memory-system preset by name; unknown names throw IllegalArgumentException. */
    public static DramConfig preset(String name) {
        Supplier<DramConfig> p = PRESETS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown DRAM preset '" + Printable.excerpt(name) + "' (known: "
                    + String.join(", ", PRESETS.keySet()) + ")");
        }
        return p.get();
    }
}
