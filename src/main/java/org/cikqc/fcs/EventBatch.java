package org.cikqc.fcs;

/**
 * A batch of consecutive events, column-major: {@code column(p)[i]} is parameter p (0-based) of event
 * {@code firstEvent() + i}. Arrays may be longer than {@link #size()}; only the first size() entries are valid.
 * A reader reuses its batch arrays: a consumer that keeps values past the next call must copy them.
 */
public final class EventBatch {
    private final double[][] columns;
    private int size;
    private long firstEvent;

    public EventBatch(int parameters, int capacity) {
        this.columns = new double[parameters][capacity];
    }

    /** Wraps existing columns (all of length ≥ size). */
    public EventBatch(double[][] columns, int size, long firstEvent) {
        this.columns = columns;
        this.size = size;
        this.firstEvent = firstEvent;
    }

    public int size() { return size; }

    public int capacity() { return columns.length == 0 ? 0 : columns[0].length; }

    public int parameterCount() { return columns.length; }

    public long firstEvent() { return firstEvent; }

    public double[] column(int p) { return columns[p]; }

    public double[][] columns() { return columns; }

    public double get(int event, int parameter) { return columns[parameter][event]; }

    public void reset(int size, long firstEvent) {
        this.size = size;
        this.firstEvent = firstEvent;
    }
}
