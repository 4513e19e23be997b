/**
 * Fluorescence compensation and spectral unmixing.
 *
 * <p>{@link org.cikqc.compensation.SpilloverMatrix} holds a spillover (or spectrum) matrix with rows = sources
 * (fluorochromes) and columns = detectors; {@link org.cikqc.compensation.SpilloverParser} reads one from FCS
 * keywords ({@code $SPILLOVER}, {@code SPILL}, {@code $SPILL}, {@code spillover}, {@code $COMP},
 * {@code $DFCiTOj}) or from a FlowJo-style CSV/TSV file; {@link org.cikqc.compensation.Compensator} applies it to
 * event columns: compensated = X[:, detectors] · S⁻¹ (square) or X[:, detectors] · pinv(S) (least-squares
 * unmixing for non-square spectrum matrices). This package uses {@code org.cikqc.fcs} and
 * {@code org.cikqc.common} only.
 */
package org.cikqc.compensation;
