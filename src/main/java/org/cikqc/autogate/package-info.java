/**
 * Explainable, sequential automated gating (openCyto / flowDensity style) on plain arrays of a bounded sample.
 *
 * <p>Fitters: {@link org.cikqc.autogate.AcquisitionQc} (flow rate, signal drift, margins over Time → excluded
 * {@link org.cikqc.autogate.TimeInterval}s), {@link org.cikqc.autogate.ScatterGate} (generous FSC-A × SSC-A
 * {@link org.cikqc.autogate.Polygon}), {@link org.cikqc.autogate.SingletGate} (robust FSC-H ~ FSC-A line with a
 * prediction band polygon), {@link org.cikqc.autogate.DensityThreshold} (1-D KDE valley in a logicle space with
 * single-peak fallbacks) and {@link org.cikqc.autogate.ControlThreshold} (FMO percentile).
 * {@link org.cikqc.autogate.StepOptions} holds the tuned per-step density options; the analysis
 * ({@code org.cikqc.pipeline.StrategyFitter}) chains the fitters in the CIK gating order, adds control files and
 * the spec's windows, and turns each fit into an ordinary Gating-ML gate.
 *
 * <p>Every result is an immutable record with its geometry in data units (thresholds, polygons, time intervals),
 * the transform it was fitted in, its diagnostics (peaks, valley depth, bandwidth, scale, removal percentages)
 * and a list of {@link org.cikqc.autogate.FitIssue}s; a WARNING or ERROR issue makes it
 * {@link org.cikqc.autogate.FitResult#flagged() flagged} (the QC reports INDETERMINATE). Bad data (too few
 * events, no spread, one peak, NaN) never throws. Uses {@code transform} and {@code common}.
 */
package org.cikqc.autogate;
