package org.cikqc.autogate;

import java.util.Objects;

import org.cikqc.common.Severity;

/**
 * Something a fitter noticed about its input or its fit. {@link Severity#INFO} is a note (e.g. a fallback that is
 * normal for clean data); {@link Severity#WARNING} or {@link Severity#ERROR} makes the result <em>flagged</em>,
 * which the QC turns into INDETERMINATE (review required). ERROR means there is no usable geometry.
 *
 * @param code     stable machine-readable code
 * @param severity INFO, WARNING or ERROR
 * @param message  one-line human explanation with the numbers involved
 */
public record FitIssue(Code code, Severity severity, String message) {

    /** Stable issue codes. */
    public enum Code {
        /** Too few finite events to fit. */
        TOO_FEW_EVENTS,
        /** NaN or infinite values were present and ignored. */
        NON_FINITE_IGNORED,
        /** The data have no spread (all values equal, or nearly). */
        DEGENERATE_DATA,
        /** Only one density peak was found where two were expected. */
        UNIMODAL,
        /**
         * One negative peak, yet a sizeable share of the events lies above its tail without a peak of its own: a
         * positive population is there but not resolved, so where it begins (the threshold) is uncertain.
         */
        UNRESOLVED_POSITIVE,
        /** The valley between the peaks is shallow: the threshold is uncertain. */
        SHALLOW_VALLEY,
        /** A fallback rule produced the result (named in the message). */
        FALLBACK_USED,
        /** A minor lowest density peak was not read as the negative population (see DensityThreshold.Options). */
        MINOR_LOW_PEAK,
        /** The lowest of several peaks, above the negative ceiling, was read as a dim positive population. */
        DIM_LOWEST_PEAK,
        /** A dim shoulder above the negative peak was put on the positive side (see DensityThreshold.Options). */
        DIM_SHOULDER,
        /**
         * Cells brighter in a viability dye than the viable peak, but larger than it, were read as live (see
         * LiveBySize).
         */
        LIVE_BY_SIZE,
        /**
         * A single positive peak's lower flank, still dense at its tail, moved its threshold down to where the flank
         * ends (see DensityThreshold.Options#lowerFlankFloor).
         */
        DIM_LOWER_FLANK,
        /**
         * The negative ceiling split the peaks: several at or below it were all read as negative, or all of them,
         * above it, as positive (see DensityThreshold.Options#negativesUpToCeiling).
         */
        PEAKS_BY_CEILING,
        /**
         * Peaks between the negative peak and the topmost one may be dim positives or lifted negatives: the threshold
         * is bounded by both readings (see DensityThreshold.Options#middlePeakRange).
         */
        MIDDLE_PEAK,
        /** Negatives below a single positive peak moved its threshold up (see DensityThreshold.Options). */
        NEGATIVE_SHOULDER,
        /**
         * A single peak read as positive from its position may be the negatives (with a brighter population not
         * resolved from it): its threshold is bounded by both readings (see DensityThreshold.Options).
         */
        AMBIGUOUS_SINGLE_PEAK,
        /** Events piled up at an integer channel's lowest value were left out of a density (see DensityThreshold). */
        OFF_SCALE_LOW,
        /** The fitted value lies outside the allowed window given by the caller. */
        OUTSIDE_ALLOWED_WINDOW,
        /** No debris peak below the cells on FSC-A (the debris boundary came from the cells' lower tail). */
        NO_DEBRIS_PEAK,
        /** Dye-negative debris was found below the live cells on FSC-A and excluded (see ViableDebris). */
        DYE_NEGATIVE_DEBRIS,
        /** Counting (or calibration) beads were found as a tight cluster and excluded from the cells (see CountingBeads). */
        BEADS,
        /** The robust regression did not converge or had too few inliers. */
        REGRESSION_UNSTABLE,
        /** Time values decrease somewhere. */
        TIME_NOT_MONOTONIC,
        /** Time counts in steps too coarse to bin the run (the time-based checks were skipped). */
        TIME_TOO_COARSE,
        /** The acquisition QC removed more than the allowed fraction of events. */
        EXCESSIVE_REMOVAL,
        /** Input arrays are inconsistent (different lengths, missing channel). */
        INVALID_INPUT
    }

    public FitIssue {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    /** True when this issue makes a result flagged (WARNING or ERROR). */
    public boolean flags() { return severity != Severity.INFO; }

    static FitIssue info(Code code, String message) { return new FitIssue(code, Severity.INFO, message); }

    static FitIssue warning(Code code, String message) { return new FitIssue(code, Severity.WARNING, message); }

    static FitIssue error(Code code, String message) { return new FitIssue(code, Severity.ERROR, message); }
}
