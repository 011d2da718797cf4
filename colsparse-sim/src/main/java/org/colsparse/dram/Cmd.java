package org.colsparse.dram;

/**
 * DRAM command ids of the GDDR6 command set, as plain ints because they index the per-node timing
 * tables on the hot path. The set and its order follow Ramulator 2.1's GDDR6 standard.
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

    /** Commands that close a row (the scheduler must not close a bank with an activated request). */
    static boolean isClosing(int cmd) {
        return cmd == PREAB || cmd == PREPB || cmd == RDA || cmd == WRA;
    }

    /** Commands addressed to every bank of the channel rather than one. */
    static boolean isAllBank(int cmd) {
        return cmd == PREAB || cmd == REFAB;
    }
}
