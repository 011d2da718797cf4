package org.colsparse.accel;

/** Sees every DRAM request the simulator issues, in issue order (e.g. to write a LoadStoreTrace). */
@FunctionalInterface
public interface RequestSink {
    void request(long addr, boolean write);
}
