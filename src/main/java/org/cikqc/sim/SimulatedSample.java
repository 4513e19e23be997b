package org.cikqc.sim;

import java.util.List;

/**
 * A simulated sample held in memory: the columns as they are written to the FCS file, and the truth.
 *
 * @param channels parameters in file order
 * @param columns  {@code columns[p][i]}: parameter p of event i (float32, uncompensated)
 * @param truth    labels, flags, counts and true metrics
 */
public record SimulatedSample(List<SimChannel> channels, float[][] columns, SimulationTruth truth) {

    public SimulatedSample {
        channels = List.copyOf(channels);
        if (columns.length != channels.size()) throw new IllegalArgumentException("one column per channel required");
    }

    /** Number of events. */
    public int events() { return columns.length == 0 ? 0 : columns[0].length; }

    /** Index of the channel with $PnN {@code name}, or -1. */
    public int indexOf(String name) {
        for (int p = 0; p < channels.size(); p++) if (channels.get(p).name().equals(name)) return p;
        return -1;
    }

    /** A copy of channel {@code name} as doubles; throws IllegalArgumentException if the panel lacks it. */
    public double[] values(String name) {
        int p = indexOf(name);
        if (p < 0) throw new IllegalArgumentException("no channel " + name + " in this panel");
        float[] c = columns[p];
        double[] v = new double[c.length];
        for (int i = 0; i < c.length; i++) v[i] = c[i];
        return v;
    }
}
