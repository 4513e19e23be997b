package org.cikqc.sim;

/** The kind of acquisition anomaly the simulator puts into one segment of the Time axis. */
public enum ClogMode {
    /** No anomaly: constant Poisson event rate and stable signals throughout. */
    NONE,
    /**
     * A clog: no events arrive for the first third of the segment, then the held-back sample arrives as a burst at
     * {@link CikSimulator#BURST_RATE_FACTOR} times the normal rate for the remaining two thirds.
     */
    GAP_BURST,
    /**
     * A partial clog or bubble that changes the signal: normal event rate, but every scatter and fluorescence
     * signal of the events in the segment is multiplied by {@link CikSimulator#SIGNAL_SHIFT_FACTOR}.
     */
    SIGNAL_SHIFT
}
