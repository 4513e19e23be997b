package org.cikqc.sim;

/**
 * A run of consecutive simulated events, column-major, as handed to a streaming consumer. The arrays belong to
 * the consumer once delivered (the simulator allocates fresh arrays per chunk).
 *
 * @param firstEvent 0-based index of the first event in the file
 * @param size       number of events in this chunk
 * @param columns    {@code columns[p][i]}: parameter p (in {@link CikSimulator#channels()} order) of event i, as
 *                   written to the file (float32, uncompensated, spillover and noise applied)
 * @param classes    {@code classes[i]}: the {@link EventClass#ordinal()} of event i
 * @param subsets    {@code subsets[i]}: marker bits of event i (1 = CD8+, 2 = CD4+, 4 = CD16+), true expression
 * @param clog       {@code clog[i]}: event i lies in the anomalous Time segment
 * @param margin     {@code margin[i]}: event i has a value ≥ $PnR−1 in some parameter other than Time, or a scatter
 *                   value ≤ 0
 */
public record SimulatedChunk(long firstEvent, int size, float[][] columns, byte[] classes, byte[] subsets,
                             boolean[] clog, boolean[] margin) {

    /** The class of event i of this chunk. */
    public EventClass eventClass(int i) { return EventClass.values()[classes[i]]; }
}
