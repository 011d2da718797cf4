package org.colsparse.dram;

/**
 * GDDR6 timing parameters in DRAM command-clock cycles (names as in Ramulator 2.1), plus the clock
 * period {@code tCK_ps}. {@code rate} is the data rate in MT/s per pin (informational).
 */
public record DramTiming(int rate, int nBL, int nCL, int nRCDRD, int nRCDWR, int nRP, int nRAS, int nRC,
                         int nWR, int nRTP, int nCWL, int nCCDS, int nCCDL, int nRRDS, int nRRDL,
                         int nWTRS, int nWTRL, int nFAW, int nRFCpb, int nRREFD, int nREFI, int tCKps,
                         int nRFCab, int nPPD) {

    /** Parameter names in declaration order (Ramulator's spelling; {@code tCK_ps} for the clock). */
    public static final String[] NAMES = {"rate", "nBL", "nCL", "nRCDRD", "nRCDWR", "nRP", "nRAS", "nRC",
        "nWR", "nRTP", "nCWL", "nCCDS", "nCCDL", "nRRDS", "nRRDL", "nWTRS", "nWTRL", "nFAW", "nRFCpb", "nRREFD",
        "nREFI", "tCK_ps", "nRFCab", "nPPD"};

    /** Cycles from RD issue to the last data beat: nCL + nBL (Ramulator's read_latency). */
    public int readLatency() {
        return nCL + nBL;
    }

    public int[] values() {
        return new int[] {rate, nBL, nCL, nRCDRD, nRCDWR, nRP, nRAS, nRC, nWR, nRTP, nCWL, nCCDS, nCCDL, nRRDS,
            nRRDL, nWTRS, nWTRL, nFAW, nRFCpb, nRREFD, nREFI, tCKps, nRFCab, nPPD};
    }

    /** Builds a timing set from values in {@link #NAMES} order. */
    public static DramTiming of(int[] v) {
        if (v.length != NAMES.length) {
            throw new IllegalArgumentException("expected " + NAMES.length + " timing values, got " + v.length);
        }
        return new DramTiming(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23]);
    }
}
