package org.cikqc.gating;

/**
 * The membership of every population for one batch, and the dimension values the gates were evaluated on. A view
 * owned by its {@link CompiledStrategy}: valid until the next {@link CompiledStrategy#evaluate} call; arrays are
 * longer than {@link #size()} and only the first size() entries are meaningful. Copy what you keep.
 */
public final class BatchResult {
    private final CompiledStrategy owner;
    private int size;
    private long firstEvent;
    private boolean[][] members;
    private int[] counts;

    BatchResult(CompiledStrategy owner) { this.owner = owner; }

    void set(int size, long firstEvent, boolean[][] members, int[] counts) {
        this.size = size;
        this.firstEvent = firstEvent;
        this.members = members;
        this.counts = counts;
    }

    /** Events in the batch. */
    public int size() { return size; }

    /** Index of the batch's first event in the data set. */
    public long firstEvent() { return firstEvent; }

    /** Full membership (parents included) of population p (index into {@link CompiledStrategy#populationIds()}). */
    public boolean[] membership(int p) { return members[p]; }

    /** {@link #membership(int)} by population id. */
    public boolean[] membership(String populationId) { return members[owner.populationIndex(populationId)]; }

    /** Whether event i of this batch is in population p. */
    public boolean contains(int p, int i) { return members[p][i]; }

    /** Events of this batch in population p. */
    public int count(int p) { return counts[p]; }

    /**
     * Values of dimension d (index into {@link CompiledStrategy#dimensions()}): compensated and transformed, within
     * {@link CompiledStrategy#valueTolerance(int)} of the exact values. A dimension the gates only bound by ranges is
     * transformed on the first call for the batch.
     */
    public double[] values(int d) { return owner.values(d); }

    /** {@link #values(int)} by dimension. */
    public double[] values(Dimension d) { return owner.values(owner.dimensionIndex(d)); }
}
