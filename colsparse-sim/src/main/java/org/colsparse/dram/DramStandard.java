package org.colsparse.dram;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.colsparse.util.Printable;

/**
 * A DRAM standard as data, in the shape of a Ramulator 2.1 standard: its organization levels, its
 * commands (the level each addresses, whether it opens or closes rows), its timing parameters and
 * the timing constraints between commands, plus the org and timing presets of Ramulator's
 * implementation. {@link TimingTable} turns the constraints into the flat arrays the controller
 * checks on the hot path. Adding a standard is one such table (see {@link Gddr6}) and a line in
 * {@link Standards}.
 *
 * @param name           Ramulator's name ({@code GDDR6}), the value of {@code dram.impl}
 * @param levels         timing levels from the channel down to the bank (rows and columns address
 *                       within a bank and carry no constraints)
 * @param commands       the commands the controller issues
 * @param timingNames    every timing parameter, in Ramulator's order ({@code rate}, ..., {@code tCK_ps})
 * @param constraints    the timing constraints
 * @param dualCommandBus whether row and column commands have buses of their own (HBM) or share one
 * @param readLatency    cycles from RD to its last data beat, an expression over timings
 * @param refreshCycles  the timing an all-bank refresh blocks the channel for
 * @param orgPresets     organization presets by name
 * @param timingPresets  timing presets by name
 */
public record DramStandard(String name, List<String> levels, List<Command> commands, List<String> timingNames,
                           List<Constraint> constraints, boolean dualCommandBus, String readLatency,
                           String refreshCycles,
                           Map<String, DramOrg> orgPresets, Map<String, Timings> timingPresets) {

    /** What a command does to the rows of the banks it addresses. */
    public enum RowEffect { OPENS, CLOSES, NONE }

    /**
     * A command: Ramulator's name ({@code ACT}, {@code PREab}, ...), the level it addresses
     * ({@code channel} for all-bank commands, or the level all-bank commands stay within), its
     * effect on rows, and how many cycles it occupies its command bus (Ramulator's
     * {@code command_cycles}): an n-cycle command keeps its bus from every command of that bus for
     * n cycles, and every constraint counts from its last cycle to the first of the following one.
     */
    public record Command(String name, String scope, RowEffect effect, int cycles) {
        public Command(String name, String scope, RowEffect effect) {
            this(name, scope, effect, 1);
        }
    }

    /** The command's entry in {@link #commands()}, null if the standard has none of that name. */
    public Command command(String name) {
        for (Command c : commands) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * After any of {@code preceding} is issued to a node of {@code level}, none of {@code following}
     * may be issued to that node for {@code latency} cycles (an expression: timing names and integers
     * joined by + and -), counted from the {@code window}-th most recent preceding command (window
     * 4 is tFAW: at most four ACTs in any tFAW). A {@code sibling} constraint applies instead to
     * the other nodes of the level under the same parent (HBM3's nCCDR between stack ids).
     */
    public record Constraint(String level, List<String> preceding, List<String> following, String latency, int window,
                             boolean sibling) {
        public Constraint(String level, List<String> preceding, List<String> following, String latency) {
            this(level, preceding, following, latency, 1, false);
        }

        public Constraint(String level, List<String> preceding, List<String> following, String latency, int window) {
            this(level, preceding, following, latency, window, false);
        }
    }

    public DramStandard {
        levels = List.copyOf(levels);
        commands = List.copyOf(commands);
        timingNames = List.copyOf(timingNames);
        constraints = List.copyOf(constraints);
        orgPresets = Collections.unmodifiableMap(new LinkedHashMap<>(orgPresets));
        timingPresets = Collections.unmodifiableMap(new LinkedHashMap<>(timingPresets));
        // (the fields are not assigned yet in a compact constructor: check the arguments)
        for (Command c : commands) {
            Cmd.id(c.name());
            levelOf(name, levels, c.scope());
        }
        for (Constraint c : constraints) {
            levelOf(name, levels, c.level());
            c.preceding().forEach(Cmd::id);
            c.following().forEach(Cmd::id);
            evaluate(name, timingNames, c.latency(), null);
        }
        evaluate(name, timingNames, readLatency, null);
        evaluate(name, timingNames, refreshCycles, null);
    }

    /** Index of a level in {@link #levels()}, the channel being 0. */
    public int level(String level) {
        return levelOf(name, levels, level);
    }

    private static int levelOf(String name, List<String> levels, String level) {
        int i = levels.indexOf(level);
        if (i < 0) {
            throw new IllegalArgumentException(name + ": no level '" + level + "' (levels: " + levels + ")");
        }
        return i;
    }

    public DramOrg org(String preset) {
        DramOrg o = orgPresets.get(preset);
        if (o == null) {
            throw new IllegalArgumentException("unknown " + name + " org_preset '" + Printable.excerpt(preset) + "' (known: "
                    + orgPresets.keySet() + ")");
        }
        return o;
    }

    public Timings timing(String preset) {
        Timings t = timingPresets.get(preset);
        if (t == null) {
            throw new IllegalArgumentException("unknown " + name + " timing_preset '" + Printable.excerpt(preset)
                    + "' (known: " + timingPresets.keySet() + ")");
        }
        return t;
    }

    /**
     * The value of a latency expression such as {@code nCWL + nBL + nWR} on a timing set ({@code t}
     * null: only checks that every name is one of the standard's timings).
     */
    public int evaluate(String expr, Timings t) {
        return evaluate(name, timingNames, expr, t);
    }

    private static int evaluate(String name, List<String> timingNames, String expr, Timings t) {
        long v = 0;
        int sign = 1;
        for (String tok : expr.trim().split("\\s+")) {
            if (tok.equals("+") || tok.equals("-")) {
                sign = tok.equals("+") ? 1 : -1;
                continue;
            }
            long term;
            if (Character.isDigit(tok.charAt(0))) {
                term = Long.parseLong(tok);
            } else if (!timingNames.contains(tok)) {
                throw new IllegalArgumentException(name + ": unknown timing '" + tok + "' in '" + expr + "'");
            } else {
                term = t == null ? 0 : t.get(tok);
            }
            v += sign * term;
        }
        return Math.toIntExact(v);
    }
}
