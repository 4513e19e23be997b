/**
 * A simulator of CIK (cytokine-induced killer) cell-product samples whose truth is known event by event, for
 * validating the reader, the auto-gating and the QC end to end.
 *
 * <p>{@link org.cikqc.sim.SimulationSpec} fixes everything (composition, panel, spillover, noise, debris, doublets,
 * a clog segment, saturation, seed); {@link org.cikqc.sim.CikSimulator} generates the events in chunks (streaming)
 * or into a {@link org.cikqc.sim.SimulatedSample}; {@link org.cikqc.sim.SimulatedFcs} writes them as an FCS 3.1
 * float32 file with the BD FACSDiva channel layout and {@code $SPILLOVER}; {@link org.cikqc.sim.TruthJson} writes
 * the {@link org.cikqc.sim.SimulationTruth}: the spec, per-class counts, one class character per event, and the
 * true QC metrics computed on the events a correct pipeline keeps (not in the clog segment, not at a margin).
 * Equal specs give byte-identical output on every JVM (own SplitMix64 generator, {@link java.lang.StrictMath}).
 * Uses {@code fcs} and {@code common}.
 */
package org.cikqc.sim;
