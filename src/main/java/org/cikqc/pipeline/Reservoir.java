package org.cikqc.pipeline;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A bounded, seeded uniform sample of events (Vitter's algorithm R) over selected columns. Memory is
 * {@code capacity × columns} doubles, whatever the file size. The same seed and the same event stream give the same
 * sample; {@link #finish()} returns the rows in event order.
 */
final class Reservoir {
    private final int capacity;
    private final int[] columns;
    private final double[][] rows;   // [column][slot]
    private final long[] index;      // event index of each slot
    private final SplittableRandom rnd;
    private long seen;

    Reservoir(int capacity, int[] columns, long seed) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        this.columns = columns.clone();
        this.rows = new double[columns.length][capacity];
        this.index = new long[capacity];
        this.rnd = new SplittableRandom(seed);
    }

    /** Offers every event of a batch (column-major, first event index {@code first}). */
    void offer(double[][] batch, int n, long first) {
        for (int i = 0; i < n; i++) {
            int slot;
            if (seen < capacity) {
                slot = (int) seen;
            } else {
                long r = rnd.nextLong(seen + 1);
                if (r >= capacity) {
                    seen++;
                    continue;
                }
                slot = (int) r;
            }
            for (int c = 0; c < columns.length; c++) rows[c][slot] = batch[columns[c]][i];
            index[slot] = first + i;
            seen++;
        }
    }

    long seen() { return seen; }

    /** The sample, in event order: {@code [column][row]} plus the event indices. */
    Sample finish() {
        int n = (int) Math.min(seen, capacity);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(index[a], index[b]));
        double[][] out = new double[columns.length][n];
        long[] idx = new long[n];
        for (int k = 0; k < n; k++) {
            int s = order[k];
            idx[k] = index[s];
            for (int c = 0; c < columns.length; c++) out[c][k] = rows[c][s];
        }
        return new Sample(out, idx, seen);
    }

    /** A finished sample: values by sampled column, event indices, and how many events were offered. */
    record Sample(double[][] values, long[] eventIndex, long population) {
        int size() { return eventIndex.length; }
    }
}
