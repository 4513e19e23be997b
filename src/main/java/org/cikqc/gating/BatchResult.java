package org.cikqc.gating;

/**
 * The membership of every population for one batch, and the dimension values the gates were evaluated on. A view
 * owned by its {@link CompiledStrategy}: valid until the next {@link CompiledStrategy#evaluate} call; arrays are
 * longer than {@link #size()} and only the first size() entries are meaningful. Copy what you keep.
 *
 * <p>Memberships are held bit-packed; {@link #membership(int)} unpacks a population into a reused array on its first
 * call for the batch ({@link #contains} reads the bits directly).
 */
public final class BatchResult {
    private final CompiledStrategy owner;
    private int size;
    private long firstEvent;
    private long[][] members;
    private int[] counts;
    /** Per population, its unpacked membership (allocated on first use, as long as the batch capacity). */
    private boolean[][] unpacked;
    /** Per population, whether {@code unpacked} holds this batch's membership. */
    private boolean[] current;

    BatchResult(CompiledStrategy owner) { this.owner = owner; }

    void set(int size, long firstEvent, long[][] members, int[] counts) {
        this.size = size;
        this.firstEvent = firstEvent;
        this.members = members;
        this.counts = counts;
        if (current == null) {
            unpacked = new boolean[members.length][];
            current = new boolean[members.length];
        }
        java.util.Arrays.fill(current, false);
    }

    /** Events in the batch. */
    public int size() { return size; }

    /** Index of the batch's first event in the data set. */
    public long firstEvent() { return firstEvent; }

    /** Full membership (parents included) of population p (index into {@link CompiledStrategy#populationIds()}). */
    public boolean[] membership(int p) {
        if (!current[p]) {
            int cap = members[p].length << 6;
            if (unpacked[p] == null || unpacked[p].length < cap) unpacked[p] = new boolean[cap];
            Bits.unpack(members[p], size, unpacked[p]);
            current[p] = true;
        }
        return unpacked[p];
    }

    /** {@link #membership(int)} by population id. */
    public boolean[] membership(String populationId) { return membership(owner.populationIndex(populationId)); }

    /** Whether event i of this batch is in population p. */
    public boolean contains(int p, int i) { return Bits.get(members[p], i); }

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
