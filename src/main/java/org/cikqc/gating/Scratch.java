package org.cikqc.gating;

/**
 * Per-call scratch of the gate kernels, indexed by event like the columns: an int and two doubles per event. Owned
 * by one {@link CompiledStrategy} (one thread); grown when a larger batch arrives, never per event.
 */
final class Scratch {
    int[] codes = new int[0];
    double[] x = new double[0];
    double[] y = new double[0];

    /** Grows the arrays to hold event indices [0, n). */
    void ensure(int n) {
        if (codes.length >= n) return;
        codes = new int[n];
        x = new double[n];
        y = new double[n];
    }
}
