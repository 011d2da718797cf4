package org.colsparse.dram;

import java.util.Arrays;

/**
 * The commands a GenericDDR-style controller issues, as plain ints because they index the per-node
 * timing tables on the hot path. Names are Ramulator 2.1's; each standard's table
 * ({@link DramStandard#commands()}) says which level each addresses and what it does to rows.
 */
public final class Cmd {
    public static final int ACT = 0;
    public static final int PREAB = 1;
    public static final int PREPB = 2;
    public static final int RD = 3;
    public static final int WR = 4;
    public static final int RDA = 5;
    public static final int WRA = 6;
    public static final int REFAB = 7;
    public static final int REFPB = 8;
    public static final int COUNT = 9;

    private static final String[] NAMES = {"ACT", "PREab", "PREpb", "RD", "WR", "RDA", "WRA", "REFab", "REFpb"};

    private Cmd() {
    }

    public static String name(int cmd) {
        return NAMES[cmd];
    }

    /** Column commands go on the column command bus, all others on the row command bus. */
    static boolean isColumn(int cmd) {
        return cmd == RD || cmd == WR || cmd == RDA || cmd == WRA;
    }

    /** The id of a command name; names the controller does not issue throw IllegalArgumentException. */
    public static int id(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown command '" + name + "' (known: " + Arrays.toString(NAMES) + ")");
    }
}
