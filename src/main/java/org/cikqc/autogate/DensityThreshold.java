package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.Transform;

/**
 * A one-dimensional threshold between a negative and a positive population, found in a transformed space from a
 * kernel density estimate, in the manner of flowDensity's {@code deGate} and openCyto's {@code mindensity}.
 *
 * <p>Steps: (1) drop non-finite values; (2) transform — by default a logicle whose width W is estimated from the
 * data as in flowCore's {@code estimateLogicle} (W = (M − log10(T/|r|))/2, r the 5th percentile of the negative
 * values, at least 0.5); (3) Gaussian KDE with a rule-of-thumb bandwidth; (4) peaks: local maxima that are high, prominent and
 * massive enough; the <em>negative</em> peak is the lowest one, the <em>positive</em> peak the next one up;
 * (5) the spread σ of the negative population: the smaller of its lower half's robust SD (median distance below
 * the mode / 0.6745, which positives cannot contaminate) and its upper half width at half maximum / 1.1774
 * (compensation spreading makes negatives left-heavy on a logicle scale); (6) the threshold by the chosen
 * {@link Mode}. Tails are measured in the fitting space, the space users see and gate in.
 *
 * <p>Fallbacks and flags. A single peak is read as negative or positive ({@link Options#singlePeak()}) and the
 * threshold is put {@link Options#tailSigmas()} robust standard deviations above (negative) or below (positive) it;
 * the result is flagged {@link FitIssue.Code#UNIMODAL}. A valley shallower than {@link Options#shallowValley()} is
 * flagged {@link FitIssue.Code#SHALLOW_VALLEY}; a threshold outside the caller's window is flagged
 * {@link FitIssue.Code#OUTSIDE_ALLOWED_WINDOW}. Too few events or data without spread give a failed result
 * (threshold NaN, ERROR issue). Never throws on data.
 */
public final class DensityThreshold {
    private DensityThreshold() { }

    /** Where the threshold goes when two peaks are found. */
    public enum Mode {
        /** At the lowest density between the negative peak and the next peak up ({@code deGate}). */
        VALLEY,
        /**
         * At the upper edge of the negative population, mode + k·σ (σ as in step 5, in the fitting space),
         * or at the valley when that is lower. For an FMO-like gate on data whose valley drifts into dim positives.
         * On the simulated CIK products the valley was at least as accurate for every marker, including CD56, so
         * this is not the default.
         */
        NEGATIVE_TAIL
    }

    /** How a single peak is read. */
    public enum PeakRole {
        /** Negative when its mode (data units) is at most {@link Options#negativeCeiling()}, else positive. */
        AUTO,
        /** The single peak is the negative population: threshold above it. */
        NEGATIVE,
        /** The single peak is the positive population: threshold below it. */
        POSITIVE
    }

    /** How the threshold was obtained. */
    public enum Method {
        /** Density valley between the negative and positive peaks. */
        VALLEY,
        /** Upper tail of the negative population (two peaks present). */
        NEGATIVE_TAIL,
        /**
         * Where a shoulder on the negative peak's upper flank begins, below the valley: a dim population not
         * resolved into a peak of its own is put on the positive side (see {@link Options#shoulderSignificance()}).
         */
        SHOULDER,
        /**
         * Single positive peak with negatives not resolved from it on its lower flank: midway between the peak's
         * tail and where the negatives are as dense as the peak (see {@link Options#negativeShoulderMass()}).
         */
        NEGATIVE_SHOULDER,
        /** Single peak: tail rule above a negative peak or below a positive one. */
        SINGLE_PEAK_TAIL,
        /**
         * Two or more peaks, the lowest above the negative ceiling with events of its own below it, at or under the
         * ceiling: the lowest peak is a dim positive population, not the negatives; threshold at its lower tail (see
         * {@link Options#dimLowestPeakMass()}).
         */
        DIM_LOWEST_PEAK,
        /**
         * Single negative peak with a brighter population not resolved from it on its upper flank: where the two
         * are equally dense, below the tail (see {@link Options#boundNegativeReading()}).
         */
        POSITIVE_SHOULDER,
        /**
         * Above brighter populations of cells larger than the viable ones, read as live (see {@link LiveBySize}):
         * a viability dye's later valley, or where the cells on its topmost peak's upper flank turn smaller (at
         * most that peak's upper tail).
         */
        LIVE_BY_SIZE,
        /** No threshold (failed fit). */
        NONE
    }

    /**
     * Fitting options. Defaults ({@link #defaults()}): VALLEY mode, AUTO single peak, 3 σ tails, Silverman
     * bandwidth × 1, 512 grid points, peaks ≥ 0.2 % of the highest, prominence ≥ 5 % of their height and ≥ 3
     * standard errors, basin mass ≥ 0.3 %; shallow valley below depth 0.2; at least 50 events; negatives below 1,000; logicle T = 262144, M = 4.5;
     * no allowed-window limit.
     *
     * @param mode            threshold rule when two peaks are found
     * @param singlePeak      reading of a single peak
     * @param tailSigmas      k of the tail rules
     * @param bandwidth       bandwidth rule
     * @param adjust          bandwidth multiplier
     * @param gridSize        KDE grid points
     * @param minPeakHeight   peak height relative to the highest peak
     * @param minProminence   peak prominence relative to its height
     * @param minPeakMass     fraction of events in a peak's basin
     * @param peakZ           prominence in standard errors of the density estimate
     * @param shallowValley   valley depth (1 − valley/lower peak) below which the result is flagged
     * @param minEvents       fewest finite events fitted
     * @param negativeCeiling data value below which a single peak is negative (AUTO)
     * @param transform       the transform to use, or null to estimate a logicle from the data
     * @param logicleT        T of the estimated logicle
     * @param logicleM        M of the estimated logicle
     * @param window          allowed threshold window (data units)
     * @param minorLowPeakRatio with three or more peaks, a lowest peak whose basin holds less than this fraction of
     *                        the next peak's basin (and less than {@code minorLowPeakMass} of the events) is not the
     *                        negative population: the next peak is, and the threshold is the valley above it. The
     *                        next peak must not be the topmost one, so a small negative population below one large
     *                        positive population is still read as negative. For a viability dye whose viable cells
     *                        stain dimly (amine-reactive dyes): a few unstained events (debris, non-leukocytes
     *                        without a CD45 gate) below the viable population are not the viable population. 0: off
     * @param minorLowPeakMass see {@code minorLowPeakRatio}
     * @param shoulderSignificance with two peaks, a shoulder on the negative peak's upper flank (the density's slope
     *                        recovers towards zero and falls again before the valley, by at least this fraction of
     *                        the flank's steepest slope both ways), at least 2 σ above the negative mode and with at
     *                        least {@code shoulderMass} of the events between it and the valley, is a dim population
     *                        of its own: the threshold goes to where it begins. For a viability dye, dying cells
     *                        (7-AAD-dim, intermediate amine-dye uptake) are not viable. 0: off
     * @param shoulderMass    see {@code shoulderSignificance}
     * @param shoulderValidated the shoulder is known to be a population of its own (the site validated, for its
     *                        viability dye and product, that it is dying cells): the threshold where it begins is
     *                        taken with an INFO {@link FitIssue.Code#DIM_SHOULDER} note and no plausible range.
     *                        False: it may as well be the negatives' brighter part, so a WARNING, and the valley is
     *                        the other end of the plausible range
     * @param floor           the channel's lowest value, where an integer channel piles up the events at or below
     *                        its first channel (off-scale low; a log-amplified channel's f2): values at or below it
     *                        are left out of the density, where their pile-up would be a peak of its own, and count
     *                        below any threshold. NaN: none
     * @param negativeShoulderMass with a single peak read as positive, negatives smeared into its lower flank (no
     *                        peak of their own) holding at least this fraction of the events beyond the peak's
     *                        mirror image (about its steady centre, beyond the estimate's noise: see
     *                        {@code excess}) leave the threshold anywhere from the peak's tail to where the density
     *                        first reaches twice that mirror image (the negatives as dense as the peak): it goes
     *                        midway, the result keeps both ends and is flagged {@link FitIssue.Code#NEGATIVE_SHOULDER}.
     *                        0: off
     * @param boundPositiveReading a single peak read as positive (AUTO: above {@code negativeCeiling}), with no
     *                        negative shoulder, may be the negatives: the threshold stays the positive reading's, the
     *                        result keeps the negative reading's as the other end of its plausible range and is
     *                        flagged {@link FitIssue.Code#AMBIGUOUS_SINGLE_PEAK}. The negative reading's threshold is
     *                        where a brighter population not resolved from the peak is as dense as it (the density
     *                        first twice the peak's mirror image above it) when the density above the peak exceeds
     *                        its mirror image by at least {@value #BRIGHTER_MASS} of the events (as for
     *                        {@code negativeShoulderMass}) and that point lies below the peak's upper tail; else that
     *                        tail. false: off
     * @param boundNegativeReading a single peak read as negative whose upper flank exceeds its mirror image by at
     *                        least {@value #BRIGHTER_MASS} of the events (a positive population not resolved from
     *                        it) has its threshold where the density first reaches twice the mirror image (the two
     *                        populations equally dense), when that lies below the tail; flagged
     *                        {@link FitIssue.Code#UNRESOLVED_POSITIVE}. false: off
     * @param dimLowestPeakMass with two or more peaks and {@link PeakRole#AUTO}, a lowest peak whose mode lies above
     *                        {@code negativeCeiling} is read as it would be alone (AUTO: positive) when at least this
     *                        fraction of the events lies below both its lower tail (mode − k·σ, σ as for a negative
     *                        peak) and the ceiling: the negatives are those events, too few or too spread to make a
     *                        peak (a 1 % CD3− plateau in a small sample), and the lowest peak is a dim positive
     *                        population (CD3-dim T cells); the threshold is its lower tail. The peak may as well
     *                        be the negatives, lifted by autofluorescence (activated blasts, monocytes) or
     *                        spreading, which the data alone cannot tell apart: the valley is the other end of the
     *                        plausible range, flagged {@link FitIssue.Code#DIM_LOWEST_PEAK}. 0: off
     * @param negativesUpToCeiling the negative ceiling splits the peaks: with three or more, every peak from the lowest
     *                        up whose mode lies at or below {@code negativeCeiling}, short of the topmost peak, is a
     *                        negative population (for CD3: monocytes, lifted above the lymphocytes by
     *                        autofluorescence and Fc binding, are CD3−), and the threshold is the valley above the
     *                        highest of them; with {@link PeakRole#POSITIVE} and every peak above the ceiling, all
     *                        are positive (for CD45: CD45-dim dead cells below the bright leukocytes), and the
     *                        threshold is the lowest one's lower tail, as for a single peak. An INFO
     *                        {@link FitIssue.Code#PEAKS_BY_CEILING} says which. false: off (the valley above the lowest
     *                        peak)
     * @param lowerFlankFloor a single peak read as positive whose density at its lower tail (mode − k·σ) is still
     *                        above this fraction of the peak's height has a dim population attached below it (for
     *                        CD45: dead and dying leukocytes, CD45-dim): the threshold goes on down the lower flank
     *                        to where the density first falls to that fraction, no lower than 0 (when it never does,
     *                        to the density's lowest point down to 0); an INFO {@link FitIssue.Code#DIM_LOWER_FLANK}
     *                        says so. 0: off
     * @param middlePeakRange with three or more peaks and the threshold at the valley above the negative peak, the
     *                        peaks between it and the topmost may be dim positives or lifted negatives (for CD3:
     *                        CD3-dim T cells, or monocytes and NK cells that bind the antibody through Fc receptors or
     *                        take up a cyanine tandem, CD3− whatever their CD3 signal), which the marker alone cannot
     *                        tell: the threshold stays at the valley above the negatives, and the valley below the
     *                        topmost peak is the other end of its plausible range, flagged
     *                        {@link FitIssue.Code#MIDDLE_PEAK}. Only when the middle peaks hold fewer events than
     *                        this multiple of the topmost's (for CD3, 1: a larger middle population is the main
     *                        positive one, with a bright minority above it, γδ T cells carrying more CD3; for CD56 on
     *                        CD3+ cells, infinity: CD4+ T cells lifted by a degraded PE-Cy7 tandem can outnumber the
     *                        CIK cells). 0: off
     */
    public record Options(Mode mode, PeakRole singlePeak, double tailSigmas, Density.BandwidthRule bandwidth,
                          double adjust, int gridSize, double minPeakHeight, double minProminence, double minPeakMass,
                          double peakZ, double shallowValley, int minEvents, double negativeCeiling, Transform transform,
                          double logicleT, double logicleM, AllowedWindow window, double minorLowPeakRatio,
                          double minorLowPeakMass, double shoulderSignificance, double shoulderMass, double floor,
                          double negativeShoulderMass, boolean boundPositiveReading, boolean boundNegativeReading,
                          double dimLowestPeakMass, boolean shoulderValidated, boolean negativesUpToCeiling,
                          double lowerFlankFloor, double middlePeakRange) {

        public Options {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(singlePeak, "singlePeak");
            Objects.requireNonNull(bandwidth, "bandwidth");
            Objects.requireNonNull(window, "window");
            if (!(tailSigmas > 0) || !(adjust > 0) || gridSize < 16 || minEvents < 3 || !(peakZ >= 0)
                    || !(minorLowPeakRatio >= 0) || !(minorLowPeakMass >= 0) || !(shoulderSignificance >= 0)
                    || !(shoulderMass >= 0) || !(negativeShoulderMass >= 0) || !(dimLowestPeakMass >= 0)
                    || !(lowerFlankFloor >= 0 && lowerFlankFloor < 1) || !(middlePeakRange >= 0)) {
                throw new IllegalArgumentException("invalid density-threshold options");
            }
        }

        /** The defaults listed above. */
        public static Options defaults() { return new Builder().build(); }

        /** A builder holding the defaults. */
        public static Builder builder() { return new Builder(); }

        /** A builder initialized from these options. */
        public Builder toBuilder() {
            Builder b = new Builder();
            b.mode = mode; b.singlePeak = singlePeak; b.tailSigmas = tailSigmas; b.bandwidth = bandwidth;
            b.adjust = adjust; b.gridSize = gridSize; b.minPeakHeight = minPeakHeight; b.minProminence = minProminence;
            b.minPeakMass = minPeakMass; b.peakZ = peakZ; b.shallowValley = shallowValley; b.minEvents = minEvents;
            b.negativeCeiling = negativeCeiling; b.transform = transform; b.logicleT = logicleT; b.logicleM = logicleM;
            b.window = window; b.minorLowPeakRatio = minorLowPeakRatio; b.minorLowPeakMass = minorLowPeakMass;
            b.shoulderSignificance = shoulderSignificance; b.shoulderMass = shoulderMass; b.floor = floor;
            b.negativeShoulderMass = negativeShoulderMass;
            b.boundPositiveReading = boundPositiveReading;
            b.boundNegativeReading = boundNegativeReading;
            b.dimLowestPeakMass = dimLowestPeakMass;
            b.shoulderValidated = shoulderValidated;
            b.negativesUpToCeiling = negativesUpToCeiling;
            b.lowerFlankFloor = lowerFlankFloor;
            b.middlePeakRange = middlePeakRange;
            return b;
        }

        /** Mutable builder for {@link Options}; starts from the defaults. */
        public static final class Builder {
            private Mode mode = Mode.VALLEY;
            private PeakRole singlePeak = PeakRole.AUTO;
            private double tailSigmas = 3.0;
            private Density.BandwidthRule bandwidth = Density.BandwidthRule.SILVERMAN;
            private double adjust = 1.0;
            private int gridSize = Density.DEFAULT_GRID;
            private double minPeakHeight = 0.002;
            private double minProminence = 0.05;
            private double minPeakMass = 0.003;
            private double peakZ = 3.0;
            private double shallowValley = 0.2;
            private int minEvents = 50;
            private double negativeCeiling = 1000;
            private Transform transform;
            private double logicleT = 262144;
            private double logicleM = 4.5;
            private AllowedWindow window = AllowedWindow.ANY;
            private double minorLowPeakRatio = 0;
            private double minorLowPeakMass = 0;
            private double shoulderSignificance = 0;
            private double shoulderMass = 0;
            private double floor = Double.NaN;
            private double negativeShoulderMass = 0;
            private boolean boundPositiveReading = false;
            private boolean boundNegativeReading = false;
            private double dimLowestPeakMass = 0;
            private boolean shoulderValidated = false;
            private boolean negativesUpToCeiling = false;
            private double lowerFlankFloor = 0;
            private double middlePeakRange = 0;

            private Builder() { }

            public Builder mode(Mode v) { mode = v; return this; }
            public Builder singlePeak(PeakRole v) { singlePeak = v; return this; }
            public Builder tailSigmas(double v) { tailSigmas = v; return this; }
            public Builder bandwidth(Density.BandwidthRule v) { bandwidth = v; return this; }
            public Builder adjust(double v) { adjust = v; return this; }
            public Builder gridSize(int v) { gridSize = v; return this; }
            public Builder minPeakHeight(double v) { minPeakHeight = v; return this; }
            public Builder minProminence(double v) { minProminence = v; return this; }
            public Builder minPeakMass(double v) { minPeakMass = v; return this; }
            public Builder peakZ(double v) { peakZ = v; return this; }
            public Builder shallowValley(double v) { shallowValley = v; return this; }
            public Builder minEvents(int v) { minEvents = v; return this; }
            public Builder negativeCeiling(double v) { negativeCeiling = v; return this; }
            /** The fitting-space transform, or null to estimate a logicle from the data. */
            public Builder transform(Transform v) { transform = v; return this; }
            public Builder logicle(double t, double m) { logicleT = t; logicleM = m; return this; }
            public Builder window(AllowedWindow v) { window = v; return this; }
            /**
             * A lowest peak holding less than {@code ratio} × the mass of the next peak up and less than
             * {@code mass} of the events is not read as the negative population when that next peak is not the
             * topmost one: the next peak is (see {@link Options#minorLowPeakRatio()}). Both 0 (the default): off.
             */
            public Builder minorLowPeak(double ratio, double mass) { minorLowPeakRatio = ratio; minorLowPeakMass = mass; return this; }
            /**
             * A shoulder on the negative peak's upper flank of at least {@code significance} (slope recovery as a
             * fraction of the steepest slope) and {@code mass} (fraction of the events between it and the valley)
             * is put on the positive side (see {@link Options#shoulderSignificance()}). Both 0 (the default): off.
             */
            public Builder shoulder(double significance, double mass) { shoulderSignificance = significance; shoulderMass = mass; return this; }
            /**
             * The shoulder is known to be a population of its own (for a viability dye: dying cells, as the site
             * validated): its threshold is taken with an INFO note and no plausible range (see
             * {@link Options#shoulderValidated()}). False (the default): a WARNING with the valley as the other end.
             */
            public Builder shoulderValidated(boolean v) { shoulderValidated = v; return this; }
            /** The channel's off-scale-low value (see {@link Options#floor()}); NaN (the default): none. */
            public Builder floor(double v) { floor = v; return this; }
            /**
             * Unresolved negatives below a single positive peak holding at least {@code mass} of the events bound its
             * threshold (see {@link Options#negativeShoulderMass()}). 0 (the default): off.
             */
            public Builder negativeShoulder(double mass) { negativeShoulderMass = mass; return this; }
            /**
             * A single peak read as positive has its threshold bounded by the negative reading (see
             * {@link Options#boundPositiveReading()}). false (the default): off.
             */
            public Builder boundPositiveReading(boolean v) { boundPositiveReading = v; return this; }
            /**
             * A single peak read as negative with a brighter population not resolved from it has its threshold where
             * the two are equally dense, when below the tail (see {@link Options#boundNegativeReading()}). false (the
             * default): off.
             */
            public Builder boundNegativeReading(boolean v) { boundNegativeReading = v; return this; }
            /**
             * With two or more peaks, a lowest peak above the negative ceiling is a dim positive population when at
             * least {@code mass} of the events lie below its lower tail and at or under the ceiling (see
             * {@link Options#dimLowestPeakMass()}). 0 (the default): off.
             */
            public Builder dimLowestPeak(double mass) { dimLowestPeakMass = mass; return this; }
            /**
             * A single positive peak's threshold goes on down its lower flank to where the density falls to
             * {@code fraction} of the peak's height (see {@link Options#lowerFlankFloor()}). 0 (the default): off.
             */
            public Builder lowerFlankFloor(double fraction) { lowerFlankFloor = fraction; return this; }
            /**
             * The negative ceiling splits the peaks: those at or below it short of the topmost are all negative, and
             * with a positive reading all of them above it all positive (see {@link Options#negativesUpToCeiling()}).
             * false (the default): off.
             */
            public Builder negativesUpToCeiling(boolean v) { negativesUpToCeiling = v; return this; }
            /**
             * Peaks between the negative peak and the topmost, holding fewer events than {@code ratio} times the
             * topmost, bound the threshold up to the valley below the topmost (see {@link Options#middlePeakRange()}).
             * 0 (the default): off.
             */
            public Builder middlePeakRange(double ratio) { middlePeakRange = ratio; return this; }

            public Options build() {
                return new Options(mode, singlePeak, tailSigmas, bandwidth, adjust, gridSize, minPeakHeight,
                        minProminence, minPeakMass, peakZ, shallowValley, minEvents, negativeCeiling, transform,
                        logicleT, logicleM, window, minorLowPeakRatio, minorLowPeakMass, shoulderSignificance,
                        shoulderMass, floor, negativeShoulderMass, boundPositiveReading, boundNegativeReading,
                        dimLowestPeakMass, shoulderValidated, negativesUpToCeiling, lowerFlankFloor, middlePeakRange);
            }
        }
    }

    /** A density peak reported in both spaces. */
    public record PeakInfo(double position, double dataValue, double height, double relativeProminence, double mass) { }

    /**
     * The fitted threshold with its diagnostics. Positive events are those strictly above {@code threshold}.
     *
     * @param threshold            data units (NaN when failed)
     * @param thresholdTransformed the same in the transformed space
     * @param method               how it was obtained
     * @param transform            the transform of the fitting space (null when failed before choosing one)
     * @param transformRule        how the transform parameters were chosen
     * @param bandwidth            KDE bandwidth (transformed units), NaN when no density
     * @param peaks                the peaks found, ascending
     * @param valley               valley position (transformed), NaN when fewer than two peaks
     * @param valleyDepth          1 − density(valley) / min(density of the two peaks), 0..1; NaN when no valley
     * @param negativeMode         mode of the negative population (data units), NaN when none
     * @param negativeSpread       robust σ of the negative population (transformed units, see the class
     *                             description), NaN when none
     * @param tail                 negativeMode + k·negativeSpread (data units), NaN when none
     * @param plausibleLow         when the fit cannot place the threshold ({@link Method#NEGATIVE_SHOULDER}): the
     *                             lowest data value it could plausibly have (the peak's tail); NaN otherwise
     * @param plausibleHigh        the highest (where the negatives are as dense as a symmetric peak); NaN otherwise
     * @param fractionAbove        fraction of finite events above the threshold
     * @param eventsUsed           finite events fitted
     * @param nonFinite            NaN/infinite values ignored
     * @param density              the density estimate (for plots), or null
     * @param issues               issues
     */
    public record Result(double threshold, double thresholdTransformed, Method method, Transform transform,
                         String transformRule, double bandwidth, List<PeakInfo> peaks, double valley,
                         double valleyDepth, double negativeMode, double negativeSpread, double tail,
                         double plausibleLow, double plausibleHigh,
                         double fractionAbove, int eventsUsed, int nonFinite, Density density,
                         List<FitIssue> issues) implements FitResult {
        public Result {
            peaks = List.copyOf(peaks);
            issues = List.copyOf(issues);
        }

        /** True when {@code v} is above the threshold (false for NaN, or when the fit failed). */
        public boolean isPositive(double v) { return v > threshold; }

        /** True when the fit bounds its threshold ({@link #plausibleLow()} to {@link #plausibleHigh()}). */
        public boolean hasPlausibleRange() { return plausibleHigh > plausibleLow; }
    }

    /**
     * With one negative peak, the share of events above its tail threshold from which the positive events are a
     * population of their own that the density does not resolve ({@link FitIssue.Code#UNRESOLVED_POSITIVE}); below
     * it they are read as a small positive tail (a few CD56+ cells, say), which the tail threshold handles.
     */
    static final double UNRESOLVED_POSITIVE_SHARE = 0.10;

    /** Fits with {@link Options#defaults()}. */
    public static Result fit(double[] values) {
        return fit(values, Options.defaults());
    }

    /** Fits a threshold to {@code values} (data units; NaN/infinite ignored). */
    public static Result fit(double[] values, Options o) {
        List<FitIssue> issues = new ArrayList<>();
        double[] x = Stats.finite(values);
        int nonFinite = values.length - x.length;
        if (nonFinite > 0) {
            issues.add(FitIssue.info(FitIssue.Code.NON_FINITE_IGNORED, nonFinite + " non-finite values ignored"));
        }
        if (x.length < o.minEvents()) {
            issues.add(FitIssue.error(FitIssue.Code.TOO_FEW_EVENTS,
                    x.length + " finite events, at least " + o.minEvents() + " needed"));
            return failed(null, "", x.length, nonFinite, issues);
        }
        String rule;
        Transform tr;
        if (o.transform() != null) {
            tr = o.transform();
            rule = "given";
        } else {
            LogicleChoice lc = estimateLogicle(x, o.logicleT(), o.logicleM());
            tr = lc.transform();
            rule = lc.rule();
        }
        double[] y = new double[x.length];
        int n = 0;
        int offScale = 0;
        for (double v : x) {
            if (v <= o.floor()) {
                offScale++;
                continue;
            }
            double t = tr.apply(v);
            if (Double.isFinite(t)) y[n++] = t;
        }
        if (offScale > 0) {
            issues.add(FitIssue.info(FitIssue.Code.OFF_SCALE_LOW, offScale + " events (" + Stats.fmt(100.0 * offScale
                    / x.length) + " %) at or below the channel's lowest value " + Stats.fmt(o.floor()) + " (off-scale"
                    + " low) are left out of the density and count as negative"));
            if (x.length - offScale < o.minEvents()) {
                issues.add(FitIssue.error(FitIssue.Code.TOO_FEW_EVENTS, (x.length - offScale) + " events above the"
                        + " channel's lowest value,"
                        + " at least " + o.minEvents() + " needed"));
                return failed(tr, rule, x.length, nonFinite, issues);
            }
        }
        double[] ys = java.util.Arrays.copyOf(y, n); // the finite transformed values above the floor, sorted
        java.util.Arrays.sort(ys);
        if (ys.length < o.minEvents() || !(ys[ys.length - 1] - ys[0] > 1e-9 * (1 + Math.abs(ys[0])))
                || !(Density.bandwidth(ys, o.bandwidth(), o.adjust()) > 0)) {
            issues.add(FitIssue.error(FitIssue.Code.DEGENERATE_DATA,
                    "the " + ys.length + " values have no spread (all equal to " + Stats.fmt(x[0]) + " or nearly)"));
            return failed(tr, rule, x.length, nonFinite, issues);
        }
        Density d = Density.estimate(ys, o.bandwidth(), o.adjust(), o.gridSize());
        List<Density.Peak> peaks = d.peaks(o.minPeakHeight(), o.minProminence(), o.minPeakMass(), o.peakZ());
        if (peaks.isEmpty()) {
            int i = d.argMax();
            peaks = List.of(new Density.Peak(i, d.x(i), d.y(i), d.y(i), 1.0));
        }
        List<PeakInfo> infos = new ArrayList<>();
        for (Density.Peak p : peaks) {
            infos.add(new PeakInfo(p.position(), tr.inverse(p.position()), p.height(), p.relativeProminence(), p.mass()));
        }
        double thrT;
        Method method;
        double valley = Double.NaN;
        double depth = Double.NaN;
        double negModeT = Double.NaN;
        double negSpread = Double.NaN;
        double tail = Double.NaN;
        double plausibleLow = Double.NaN;
        double plausibleHigh = Double.NaN;
        boolean allPositive = false;
        if (peaks.size() >= 2 && o.negativesUpToCeiling() && o.singlePeak() == PeakRole.POSITIVE
                && tr.inverse(peaks.get(0).position()) > o.negativeCeiling()) {
            allPositive = true;
            // every peak lies above the negative ceiling: all positive (for CD45: CD45-dim dead cells below the
            // bright leukocytes), so the threshold is the lowest one's lower tail, as for a single positive peak
            issues.add(FitIssue.info(FitIssue.Code.PEAKS_BY_CEILING, "all " + peaks.size() + " peaks lie above the"
                    + " negative ceiling (" + Stats.fmt(o.negativeCeiling()) + "): all positive populations;"
                    + " threshold below the lowest, at " + Stats.fmt(tr.inverse(peaks.get(0).position()))));
            peaks = List.of(peaks.get(0));
        }
        if (peaks.size() >= 2) {
            int first = 0;
            if (peaks.size() >= 3 && o.minorLowPeakRatio() > 0) {
                Density.Peak low = peaks.get(0);
                Density.Peak next = peaks.get(1);
                if (low.mass() < o.minorLowPeakRatio() * next.mass() && low.mass() < o.minorLowPeakMass()) {
                    first = 1;
                    issues.add(FitIssue.info(FitIssue.Code.MINOR_LOW_PEAK, "a minor peak at "
                            + Stats.fmt(tr.inverse(low.position())) + " (" + Stats.fmt(100 * low.mass())
                            + " % of events) below the peak at " + Stats.fmt(tr.inverse(next.position())) + " ("
                            + Stats.fmt(100 * next.mass()) + " %) is not read as the negative population"));
                }
            }
            if (o.negativesUpToCeiling() && o.singlePeak() != PeakRole.NEGATIVE) {
                int last = first;
                while (last + 2 < peaks.size() && tr.inverse(peaks.get(last).position()) <= o.negativeCeiling()
                        && tr.inverse(peaks.get(last + 1).position()) <= o.negativeCeiling()) {
                    last++;
                }
                if (last > first) {
                    String at = modes(peaks, first, last, tr);
                    issues.add(FitIssue.info(FitIssue.Code.PEAKS_BY_CEILING, "the peaks at " + at + " lie at or below"
                            + " the negative ceiling (" + Stats.fmt(o.negativeCeiling()) + "): all negative"
                            + " populations; threshold at the valley above the peak at "
                            + Stats.fmt(tr.inverse(peaks.get(last).position()))));
                    first = last;
                }
            }
            Density.Peak neg = peaks.get(first);
            Density.Peak pos = peaks.get(first + 1);
            int v = d.valleyBetween(neg.index(), pos.index());
            valley = d.x(v);
            depth = 1 - d.y(v) / Math.min(neg.height(), pos.height());
            negModeT = neg.position();
            negSpread = negativeSpread(ys, negModeT, d);
            double tailT = negModeT + o.tailSigmas() * negSpread;
            tail = tr.inverse(tailT);
            thrT = valley;
            method = Method.VALLEY;
            if (o.mode() == Mode.NEGATIVE_TAIL && tailT < valley) {
                thrT = tailT;
                method = Method.NEGATIVE_TAIL;
            }
            if (method == Method.VALLEY && o.shoulderSignificance() > 0) {
                int cut = shoulder(d, neg.index(), v, negSpread, o.shoulderSignificance(), o.shoulderMass(),
                        o.peakZ());
                if (cut >= 0) {
                    double share = d.massBetween(cut, v);
                    String seen = "a dim shoulder above the negative peak at " + Stats.fmt(tr.inverse(negModeT)) + " ("
                            + Stats.fmt(100 * share) + " % of events up to the valley at " + Stats.fmt(tr.inverse(valley))
                            + ") is put on the positive side: threshold where it begins, " + Stats.fmt(tr.inverse(d.x(cut)))
                            + " instead of the valley";
                    if (o.shoulderValidated()) {
                        issues.add(FitIssue.info(FitIssue.Code.DIM_SHOULDER, seen + " (validated as a population of"
                                + " its own)"));
                    } else {
                        // dying cells (dye-dim) or a brighter part of the negatives themselves (activated blasts:
                        // autofluorescence, or with an amine dye more surface protein): the data alone cannot tell,
                        // so the valley is the other end of the plausible range
                        plausibleLow = tr.inverse(d.x(lowerForShoulderBelow(d, neg.index(), cut)));
                        plausibleHigh = tr.inverse(valley);
                        issues.add(FitIssue.warning(FitIssue.Code.DIM_SHOULDER, seen + "; it may as well be negatives"
                                + " (activated blasts, brighter by autofluorescence or, with an amine dye, by more"
                                + " surface protein), so the threshold lies anywhere from there to the valley"));
                    }
                    thrT = d.x(cut);
                    method = Method.SHOULDER;
                }
            }
            if (o.dimLowestPeakMass() > 0 && o.singlePeak() == PeakRole.AUTO
                    && tr.inverse(negModeT) > o.negativeCeiling()) {
                // the lowest peak lies above the negative ceiling: alone it would be read as positive. Events below
                // both its lower tail and the ceiling, too few or too spread for a peak of their own in this sample,
                // are the negatives, and the lowest peak a dim positive population (CD3-dim T cells): its lower tail
                // is the threshold, not the valley above it
                double lowTailT = negModeT - o.tailSigmas() * negSpread;
                double limit = Math.min(lowTailT, tr.apply(o.negativeCeiling()));
                int below = offScale;
                for (int i = 0; i < n && ys[i] < limit; i++) below++;
                if (below >= o.dimLowestPeakMass() * x.length && lowTailT < thrT) {
                    String read = "the lowest peak, at " + Stats.fmt(tr.inverse(negModeT))
                            + ", lies above the negative ceiling (" + Stats.fmt(o.negativeCeiling()) + ") and "
                            + Stats.fmt(100.0 * below / x.length) + " % of the events lie below its lower tail and the"
                            + " ceiling: they are the negatives and the peak a dim positive population; threshold at its"
                            + " lower tail, " + Stats.fmt(tr.inverse(lowTailT)) + ", instead of the valley at "
                            + Stats.fmt(tr.inverse(valley));
                    // read as positive only by its position, as a single peak is: it may be the negatives (cells
                    // lifted by autofluorescence, as activated blasts and monocytes are, or by spreading), which the
                    // data alone cannot tell from a dim positive population
                    plausibleLow = tr.inverse(lowTailT);
                    plausibleHigh = tr.inverse(valley);
                    issues.add(FitIssue.warning(FitIssue.Code.DIM_LOWEST_PEAK, read + "; it may be the negatives"
                            + " (lifted by autofluorescence or spreading), so the threshold lies anywhere from that"
                            + " tail, read as positive, to the valley, read as negative; a control (FMO) would place it"));
                    thrT = lowTailT;
                    method = Method.DIM_LOWEST_PEAK;
                }
            }
            if (o.middlePeakRange() > 0 && method == Method.VALLEY && first + 2 < peaks.size()) {
                // peaks between the negatives and the topmost one: dim positives or lifted negatives
                Density.Peak top = peaks.get(peaks.size() - 1);
                int v2 = d.valleyBetween(peaks.get(peaks.size() - 2).index(), top.index());
                double middleMass = d.massBetween(v, v2);
                // lifted negatives are fewer than the positives above them; a middle population larger than the
                // topmost is the main positive one, with a bright minority above it (for CD3: γδ T cells)
                if (d.x(v2) > valley && middleMass < o.middlePeakRange() * d.massBetween(v2, d.size() - 1)) {
                    String at = modes(peaks, first + 1, peaks.size() - 2, tr);
                    boolean one = peaks.size() - first == 3;
                    plausibleLow = tr.inverse(valley);
                    plausibleHigh = tr.inverse(d.x(v2));
                    issues.add(FitIssue.warning(FitIssue.Code.MIDDLE_PEAK, "the peak" + (one ? "" : "s") + " at " + at
                            + " (" + Stats.fmt(100 * middleMass) + " % of events) between the negative peak"
                            + " at " + Stats.fmt(tr.inverse(negModeT)) + " and the brightest at "
                            + Stats.fmt(tr.inverse(top.position())) + " may be dim positive cells or negative cells"
                            + " lifted into this channel (antibody bound through Fc receptors or a tandem dye, as by"
                            + " monocytes and NK cells, or spillover the matrix does not correct), which this marker"
                            + " alone cannot tell: threshold at the valley above the negatives, "
                            + Stats.fmt(plausibleLow) + ", and anywhere up to the valley below the brightest peak, "
                            + Stats.fmt(plausibleHigh)));
                }
            }
            if (depth < o.shallowValley()) {
                issues.add(FitIssue.warning(FitIssue.Code.SHALLOW_VALLEY, "valley depth " + Stats.fmt(depth)
                        + " < " + Stats.fmt(o.shallowValley()) + " between peaks at " + Stats.fmt(tr.inverse(negModeT))
                        + " and " + Stats.fmt(tr.inverse(pos.position()))));
            }
        } else {
            Density.Peak only = peaks.get(0);
            double modeData = tr.inverse(only.position());
            boolean negative = switch (o.singlePeak()) {
                case NEGATIVE -> true;
                case POSITIVE -> false;
                case AUTO -> modeData <= o.negativeCeiling();
            };
            method = Method.SINGLE_PEAK_TAIL;
            double c = center(d, only.index());
            int firstAbove = Math.max(0, (int) Math.floor((c - d.x(0)) / d.step()) + 1); // first grid point above c
            if (negative) {
                negModeT = only.position();
                negSpread = negativeSpread(ys, negModeT, d);
                thrT = negModeT + o.tailSigmas() * negSpread;
                tail = tr.inverse(thrT);
                if (o.boundNegativeReading()) {
                    // a brighter population not resolved from the negative peak (its upper flank exceeds the mirror
                    // image of the lower one by at least BRIGHTER_MASS of the events): the threshold goes where the
                    // two are equally dense (the density first twice the mirror image), when that is below the tail
                    double excess = excess(d, c, firstAbove, d.size());
                    int cut = brighterCut(d, only.index(), excess, d.indexOf(thrT));
                    if (cut >= 0) {
                        plausibleLow = tr.inverse(d.x(cut));
                        plausibleHigh = tail;
                        thrT = d.x(cut);
                        method = Method.POSITIVE_SHOULDER;
                        issues.add(FitIssue.warning(FitIssue.Code.UNRESOLVED_POSITIVE, Stats.fmt(100 * excess)
                                + " % of the events lie above the negative peak at " + Stats.fmt(modeData)
                                + " beyond its own lower flank's mirror image: a positive population not resolved from"
                                + " it; threshold where the two are equally dense, " + Stats.fmt(plausibleLow)
                                + ", instead of the peak's tail, " + Stats.fmt(tail)
                                + "; a control (FMO) would place it"));
                    }
                }
            } else {
                // the lowest of several positive peaks: the events above its mode hold the others, so its spread
                // is its own lower half width
                double s = allPositive ? halfWidth(d, only.index(), -1) : upperSpread(ys, only.position(), d);
                thrT = only.position() - o.tailSigmas() * s;
                if (o.negativeShoulderMass() > 0) {
                    int cut = twiceMirror(d, only.index(), -1, d.indexOf(thrT));
                    double excess = cut < 0 ? 0 : excess(d, c, 0, Math.min(cut, firstAbove));
                    if (cut >= 0 && excess >= o.negativeShoulderMass()) {
                        // a compensated channel's negatives centre at or above 0 (autofluorescence; spreading is
                        // symmetric about it): a tail below 0 would count most of them positive, so the range
                        // starts no lower than 0 when the other end lies above it
                        double zeroT = tr.apply(0);
                        String clamped = "";
                        if (thrT < zeroT && d.x(cut) > zeroT) {
                            clamped = "0 (its tail, " + Stats.fmt(tr.inverse(thrT)) + ", lies below 0, where it would"
                                    + " count most negatives positive)";
                            thrT = zeroT;
                        }
                        plausibleLow = clamped.isEmpty() ? tr.inverse(thrT) : 0;
                        plausibleHigh = tr.inverse(d.x(cut));
                        thrT = (thrT + d.x(cut)) / 2;
                        method = Method.NEGATIVE_SHOULDER;
                        issues.add(FitIssue.warning(FitIssue.Code.NEGATIVE_SHOULDER, Stats.fmt(100 * excess)
                                + " % of the events lie below the positive peak at "
                                + Stats.fmt(modeData) + " beyond its own lower flank: negatives not resolved from it,"
                                + " so the threshold lies anywhere from " + (clamped.isEmpty()
                                ? "the peak's tail (" + Stats.fmt(plausibleLow) + ")" : clamped)
                                + " to where they are as dense as the peak (" + Stats.fmt(plausibleHigh)
                                + "); midway (fitting space): " + Stats.fmt(tr.inverse(thrT))
                                + "; a control (FMO) would place it"));
                    }
                }
                if (method == Method.SINGLE_PEAK_TAIL && o.boundPositiveReading() && o.singlePeak() == PeakRole.AUTO) {
                    double negTail = only.position() + o.tailSigmas() * negativeSpread(ys, only.position(), d);
                    double excess = excess(d, c, firstAbove, d.size());
                    int cut = brighterCut(d, only.index(), excess, d.indexOf(negTail));
                    plausibleLow = tr.inverse(thrT);
                    plausibleHigh = tr.inverse(cut >= 0 ? d.x(cut) : negTail);
                    issues.add(FitIssue.warning(FitIssue.Code.AMBIGUOUS_SINGLE_PEAK, "the single peak at "
                            + Stats.fmt(modeData) + " is read as positive only because it lies above the negative ceiling, "
                            + Stats.fmt(o.negativeCeiling()) + (excess >= BRIGHTER_MASS ? ", and " + Stats.fmt(100 * excess)
                            + " % of the events lie above it beyond its own upper flank (a brighter population not"
                            + " resolved from it)" : "") + ": it may be the negatives, so the threshold lies anywhere"
                            + " from its lower tail (" + Stats.fmt(plausibleLow) + "), read as positive, to "
                            + (cut >= 0 ? "where the brighter events are as dense as the peak (" : "its upper tail (")
                            + Stats.fmt(plausibleHigh) + "), read as negative; a control (FMO) would place it"));
                }
            }
            if (!negative && method == Method.SINGLE_PEAK_TAIL && o.lowerFlankFloor() > 0) {
                double floorY = o.lowerFlankFloor() * only.height();
                int i = Math.min(d.indexOf(thrT), only.index());
                int lowest = Math.max(0, Math.min(only.index(), d.indexOf(tr.apply(0))));
                if (i > lowest && d.y(i) > floorY) {
                    int start = i;
                    while (i > lowest && d.y(i) > floorY) i--;
                    if (d.y(i) > floorY) i = d.argMinBetween(lowest, start); // never that low: its lowest point
                    double lowered = d.x(i);
                    if (lowered < thrT) {
                        issues.add(FitIssue.info(FitIssue.Code.DIM_LOWER_FLANK, "the peak's lower flank is still at "
                                + Stats.fmt(100 * d.y(start) / only.height()) + " % of its height at its "
                                + Stats.fmt(o.tailSigmas()) + "-SD tail (" + Stats.fmt(tr.inverse(thrT)) + "): dim"
                                + " events attached below it; threshold where the density falls to "
                                + Stats.fmt(100 * o.lowerFlankFloor()) + " % of the peak (or its lowest point above 0), "
                                + Stats.fmt(tr.inverse(lowered))));
                        thrT = lowered;
                    }
                }
            }
            issues.add(FitIssue.warning(FitIssue.Code.UNIMODAL, "one density peak at " + Stats.fmt(modeData)
                    + ", read as " + (negative ? "negative" : "positive") + switch (method) {
                        case NEGATIVE_SHOULDER -> "";
                        case POSITIVE_SHOULDER -> "; threshold below its tail, where an unresolved brighter population is"
                                + " as dense as it";
                        default -> "; threshold " + Stats.fmt(o.tailSigmas()) + " robust SD "
                                + (negative ? "above" : "below") + " it";
                    }));
        }
        double thr = tr.inverse(thrT);
        int above = 0;
        for (double v : x) if (v > thr) above++;
        if (method == Method.SINGLE_PEAK_TAIL && !Double.isNaN(negModeT)
                && above >= UNRESOLVED_POSITIVE_SHARE * x.length) {
            issues.add(FitIssue.warning(FitIssue.Code.UNRESOLVED_POSITIVE, Stats.fmt(100.0 * above / x.length)
                    + " % of events lie above the negative peak's tail (" + Stats.fmt(thr) + ") without a peak of "
                    + "their own: a positive population is not resolved from the negative one, so the threshold is "
                    + "uncertain"));
        }
        FitIssue w = o.window().check("threshold", thr);
        if (w != null) issues.add(w);
        double negMode = Double.isNaN(negModeT) ? Double.NaN : tr.inverse(negModeT);
        return new Result(thr, thrT, method, tr, rule, d.bandwidth(), infos, valley, depth, negMode, negSpread, tail,
                plausibleLow, plausibleHigh,
                (double) above / x.length, x.length, nonFinite, d, issues);
    }

    /**
     * A shoulder on the upper flank of the peak at grid index {@code peak}, below the valley at {@code valley}: the
     * grid index where it begins, or -1.
     *
     * <p>Found on the flank's slope (central differences): past the steepest descent, a local maximum of the slope
     * (the flattest point of the shoulder) that rises above the lowest slope before it by at least
     * {@code minSignificance} × the steepest slope, and then drops again to the lowest slope after it (the shoulder's
     * own descent, before the valley) by at least {@code minSignificance} × that slope and by {@code z} standard
     * errors of the estimated slope (Var f̂'(x) ≈ f(x) / (4√π n h³) for a Gaussian kernel). A single skewed or
     * heavy-tailed peak has a slope that, once past its steepest, only recovers. The flattest point must lie at
     * least 2 σ ({@code spread}) above the peak and below {@value #SHOULDER_HEIGHT} of its height, hold at least
     * twice the density of its mirror image about the peak (the shoulder is more than the peak's own skew), and
     * at least {@code minMass} of the events must lie between it and the valley. A flat-topped or right-skewed peak
     * (a narrow lower side squeezed against zero) fails the last three.
     *
     * <p>A second mode is a shoulder whose slope turns positive, by more than {@code z} standard errors of the
     * slope's estimate above its lowest value before: the density dips and rises again, too shallowly for the peak
     * finder to part them. No skew makes a density rise again, so it needs only 1 σ from the peak and the mass, at
     * any height, and the cut is the dip. Dim 7-AAD dead cells as numerous as a third of the live ones, a factor of
     * 5 above them, made one: read as a shoulder test's reject, viability was 97 % for a true 70 % (the cut at the
     * dip: 78 %); on a third independent simulator's 84 products it took the largest viability error from 10.1 to
     * 4.6 pp.
     *
     * <p>The cut: where the density first reaches twice the peak's own mirror image ({@code f(x) ≥ 2 f(2m − x)}),
     * i.e. where the excess over a symmetric peak equals the peak's own share, the point at which the two
     * populations are equally dense, searching down from the flattest point but not into the peak's upper half
     * maximum.
     */
    static int shoulder(Density d, int peak, int valley, double spread, double minSignificance, double minMass,
                        double z) {
        int n = valley - peak;
        if (n < 6) return -1;
        double[] s = new double[n];
        for (int j = 1; j < n; j++) s[j] = (d.y(peak + j + 1) - d.y(peak + j - 1)) / (2 * d.step());
        double[] minBefore = new double[n];
        minBefore[1] = s[1];
        for (int j = 2; j < n; j++) minBefore[j] = Math.min(minBefore[j - 1], s[j]);
        double steep = minBefore[n - 1];
        if (!(steep < 0)) return -1;
        double[] minAfter = new double[n + 1];
        minAfter[n] = Double.POSITIVE_INFINITY;
        for (int j = n - 1; j >= 1; j--) minAfter[j] = Math.min(minAfter[j + 1], s[j]);
        int best = -1;
        double bestSig = 0;
        double h = d.bandwidth();
        double noise = 4 * Math.sqrt(Math.PI) * d.n() * h * h * h; // Var f̂'(x) ≈ f(x) / (4√π n h³), Gaussian kernel
        for (int j = 2; j < n - 1; j++) {
            if (!(s[j] >= s[j - 1] && s[j] > s[j + 1]) || !(minAfter[j] < 0)) continue;
            double drop = s[j] - minAfter[j];
            if (!(drop >= z * Math.sqrt(d.y(peak + j) / noise))) continue; // a ripple of the estimate
            double sig = Math.min((s[j] - minBefore[j]) / -steep, drop / -minAfter[j]);
            if (sig > bestSig) {
                bestSig = sig;
                best = j;
            }
        }
        if (best < 0 || bestSig < minSignificance) return -1;
        int flat = peak + best;
        // a second mode: the density rises again (the slope turns positive by more than z standard errors of its
        // estimate) before it falls to the valley, but the dip was too shallow for a peak of its own
        boolean mode = s[best] > 0 && s[best] - minBefore[best] >= z * Math.sqrt(d.y(flat) / noise);
        if (d.x(flat) - d.x(peak) < (mode ? 1 : 2) * spread || d.massBetween(flat, valley) < minMass) return -1;
        if (mode) {
            int dip = flat;
            for (int i = flat - 1; i > peak; i--) if (d.y(i) < d.y(dip)) dip = i;
            return dip;
        }
        double sigmaUp = halfWidth(d, peak, +1);
        if (d.y(flat) > SHOULDER_HEIGHT * d.y(peak) || !(d.y(flat) >= 2 * peakAlone(d, peak, flat, sigmaUp))) {
            return -1;
        }
        int half = upperHalfMaximum(d, peak, flat);
        int cut = flat;
        for (int i = flat - 1; i > half && d.y(i) >= 2 * peakAlone(d, peak, i, sigmaUp); i--) cut = i;
        return cut;
    }

    /**
     * Dim events spread over the upper flank of the peak at grid index {@code peak} up to the valley at
     * {@code valley}, not a peak of their own and without the shape {@link #shoulder} looks for: found by mass, the
     * events between the peak and the valley beyond what the peak alone gives ({@link #peakAlone}, net of the
     * estimate's noise) being at least {@value #SMEAR_MASS} of all. The density alone cannot tell such a smear from
     * a skewed or heavy-tailed peak (an unstained DNA-dye peak squeezed against zero has an exponential upper
     * tail), so the caller must confirm it otherwise (by cell size: {@link LiveBySize#dyingBySize}).
     *
     * @return {grid index where the density first reaches twice what the peak alone gives, going up from the peak's
     *         upper half maximum (where the two are equally dense, as for a shoulder), with at least {@code minMass}
     *         of the events between it and the valley; the excess share}, or null
     */
    static double[] smear(Density d, int peak, int valley, double minMass) {
        if (valley - peak < 6) return null;
        double sigmaUp = halfWidth(d, peak, +1);
        double excess = 0;
        for (int i = peak + 1; i < valley; i++) excess += beyondNoise(d, d.y(i), peakAlone(d, peak, i, sigmaUp));
        excess *= d.step();
        if (excess < SMEAR_MASS) return null;
        for (int i = upperHalfMaximum(d, peak, valley); i < valley; i++) {
            if (d.y(i) >= 2 * peakAlone(d, peak, i, sigmaUp)) {
                return d.massBetween(i, valley) >= minMass ? new double[] {i, excess} : null;
            }
        }
        return null;
    }

    /**
     * The low end of a dim shoulder's (or smear's) plausible range: the cut at grid index {@code cut} counts as
     * viable the part of the shoulder below it, inside the peak's own spread (dying cells overlap the live peak; an
     * independent simulator's dying cells at 2–6 × the live uptake read viability 4–6 pp above its truth at the
     * cut). That part is estimated as the density beyond what the peak alone gives ({@link #peakAlone}, net of the
     * estimate's noise) between the peak and the cut; the low end is the grid index below the cut with as much mass
     * between it and the cut, so that its reading counts that many fewer events viable. At most the peak's index;
     * {@code cut} itself when there is no such excess.
     */
    static int lowerForShoulderBelow(Density d, int peak, int cut) {
        if (cut - peak < 2) return cut;
        double sigmaUp = halfWidth(d, peak, +1);
        double excess = 0;
        for (int i = peak + 1; i < cut; i++) excess += beyondNoise(d, d.y(i), peakAlone(d, peak, i, sigmaUp));
        excess *= d.step();
        int low = cut;
        double mass = 0;
        while (low > peak && mass < excess) {
            low--;
            mass += d.y(low) * d.step();
        }
        return low;
    }

    /** The first grid index above the peak where its density is down to half its height, at most {@code limit}. */
    private static int upperHalfMaximum(Density d, int peak, int limit) {
        int half = peak;
        while (half < limit && d.y(half) > d.y(peak) / 2) half++;
        return half;
    }

    /** The share of the events beyond the negative peak alone, up to the valley, that makes a dim smear. */
    static final double SMEAR_MASS = 0.05;

    /**
     * What the peak alone would give at grid index i above it: the smaller of its mirror image (the density as far
     * below the peak) and a normal curve with the peak's height and upper half width. Compensation spreading makes
     * a dye-negative peak left-heavy in a logicle space, so its mirror image alone overstates its upper flank and
     * hid a shoulder of dying cells there (an independent simulator's amine-dye product: 14 % of the CD45+ cells
     * dye-intermediate, counted viable, viability 8.7 pp too high, a PASS for a true 77 %).
     */
    private static double peakAlone(Density d, int peak, int i, double sigmaUp) {
        double z = (d.x(i) - d.x(peak)) / sigmaUp;
        return Math.min(mirror(d, peak, i), d.y(peak) * Math.exp(-0.5 * z * z));
    }

    /**
     * A population not resolved from a single peak, on its lower ({@code dir} −1: negatives below a positive peak)
     * or upper flank (+1: a brighter population above a peak that may be the negatives): the grid index where the
     * density first reaches twice the peak's mirror image (its other side, free of that population), searching from
     * the peak towards {@code limit} (its tail threshold that way), i.e. where the excess is as dense as the peak; or
     * -1 when there is no such point before the limit. The caller weighs the excess ({@link #excess}), where the mirror image is taken about the peak's steady {@link #center} and noise is
     * discounted. The mirror, not {@link #peakAlone}: a symmetric heavy-tailed peak has no shoulder.
     */
    static int twiceMirror(Density d, int peak, int dir, int limit) {
        for (int i = peak + dir; dir < 0 ? i > limit : i < limit; i += dir) {
            if (d.y(i) >= 2 * mirror(d, peak, i)) return i;
        }
        return -1;
    }

    /**
     * Where a brighter population above a single peak, {@code excess} of the events beyond the peak's mirror image,
     * first is as dense as the peak (twice the mirror image) below grid index {@code limit}; -1 when the excess is
     * under {@value #BRIGHTER_MASS} (no population of its own) or the density never gets there.
     */
    private static int brighterCut(Density d, int peak, double excess, int limit) {
        return excess >= BRIGHTER_MASS ? twiceMirror(d, peak, +1, limit) : -1;
    }

    /**
     * The events' fraction at grid indices {@code from} (inclusive) to {@code to} (exclusive), all on one side of the
     * peak's centre {@code c}, beyond the peak's mirror image about {@code c}, net of the estimate's noise
     * ({@link #beyondNoise}): below the centre, negatives smeared into the peak; above it, a brighter population.
     */
    private static double excess(Density d, double c, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) m += beyondNoise(d, d.y(i), mirror(d, c, i));
        return m * d.step();
    }

    /** The highest a shoulder's flattest point may be, relative to the peak it sits on. */
    static final double SHOULDER_HEIGHT = 0.25;

    /**
     * The excess above a single peak, beyond its mirror image, that makes a brighter population of its own (see
     * {@link Options#boundPositiveReading()}).
     */
    static final double BRIGHTER_MASS = 0.05;

    /** Standard errors of the density estimate an excess over a mirror image must exceed to count. */
    static final double NOISE_Z = 3;

    /**
     * How far the density {@code y} exceeds its mirror image {@code m} beyond {@value #NOISE_Z} standard errors of
     * their difference (Var f̂(x) ≈ f(x) / (2√π n h) for a Gaussian kernel), or 0: a symmetric peak's estimate
     * differs from its own mirror image by chance. Over lone log-normal and log-t peaks (20 samples each of 300 to
     * 200,000 events) the excess on one flank reached 8 % of the events without this discount, under 0.7 % with it.
     */
    private static double beyondNoise(Density d, double y, double m) {
        double se = Math.sqrt((y + m) / (2 * Math.sqrt(Math.PI) * d.n() * d.bandwidth()));
        return Math.max(0, y - m - NOISE_Z * se);
    }

    /** The share of a peak's height above which its {@link #center} is taken. */
    static final double CENTER_LEVEL = 0.75;

    /**
     * The centre of the peak at grid index {@code peak}: the midpoint of where its density crosses
     * {@value #CENTER_LEVEL} of its height on either side (linearly interpolated). A kernel density's maximum wanders
     * over a flat top by a good part of its width from sample to sample, and mirrored about a wandered maximum a
     * symmetric peak shows an excess on one side of several per cent of its events (a shift of 0.05 σ alone moves
     * 4 %). At three quarters of its height the midpoint is steady, and a shoulder (lower) does not pull it.
     */
    static double center(Density d, int peak) {
        double level = CENTER_LEVEL * d.y(peak);
        return (crossing(d, peak, -1, level) + crossing(d, peak, +1, level)) / 2;
    }

    /** Where the density first falls to {@code level} going from {@code peak} in direction {@code dir}. */
    private static double crossing(Density d, int peak, int dir, double level) {
        int i = peak;
        while (i + dir >= 0 && i + dir < d.size() && d.y(i + dir) > level) i += dir;
        if (i + dir < 0 || i + dir >= d.size()) return d.x(i);
        double y0 = d.y(i);
        double y1 = d.y(i + dir);
        return d.x(i) + dir * d.step() * (y0 - level) / (y0 - y1);
    }

    /** The density at the mirror image of grid index i about {@code c}, linearly interpolated (0 beyond the grid). */
    private static double mirror(Density d, double c, int i) {
        double m = (2 * c - d.x(i) - d.x(0)) / d.step();
        int k = (int) Math.floor(m);
        if (k < 0 || k >= d.size() - 1) return 0;
        double f = m - k;
        return (1 - f) * d.y(k) + f * d.y(k + 1);
    }

    /** The density at the mirror image of grid index i about the peak (0 beyond the grid). */
    private static double mirror(Density d, int peak, int i) {
        int m = 2 * peak - i;
        return m >= 0 && m < d.size() ? d.y(m) : 0;
    }

    /** The data modes of peaks {@code from} to {@code to} (inclusive) as a list: "219.6, 480.1 and 871.4". */
    private static String modes(List<Density.Peak> peaks, int from, int to, Transform tr) {
        StringBuilder at = new StringBuilder();
        for (int k = from; k <= to; k++) {
            at.append(k == from ? "" : k == to ? " and " : ", ").append(Stats.fmt(tr.inverse(peaks.get(k).position())));
        }
        return at.toString();
    }

    private static Result failed(Transform tr, String rule, int used, int nonFinite, List<FitIssue> issues) {
        return new Result(Double.NaN, Double.NaN, Method.NONE, tr, rule, Double.NaN, List.of(), Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, used, nonFinite,
                null, issues);
    }

    /**
     * The spread of a negative population for its upper tail: the smaller of the robust σ of its lower half and
     * the σ implied by its half width at half maximum on the upper side (HWHM / 1.1774). Compensation spreading
     * makes negatives left-heavy in a logicle space, so the lower half overstates the upper tail; the upper half
     * width, taken at half height, is hardly touched by positives further up.
     */
    static double negativeSpread(double[] sorted, double mode, Density d) {
        return Math.min(lowerSpread(sorted, mode, d), halfWidth(d, d.indexOf(mode), +1));
    }

    /** Robust σ of the values below {@code mode}: median distance / 0.6745; the density's half width if few. */
    static double lowerSpread(double[] sorted, double mode, Density d) {
        int k = 0;
        while (k < sorted.length && sorted[k] < mode) k++;
        if (k >= 10) {
            double[] dist = new double[k];
            for (int i = 0; i < k; i++) dist[i] = mode - sorted[i];
            double s = Stats.median(dist) * Stats.MAD_TO_SD;
            if (s > 0) return Math.max(s, d.step());
        }
        return halfWidth(d, d.indexOf(mode), -1);
    }

    /** Robust σ of the values above {@code mode}. */
    static double upperSpread(double[] sorted, double mode, Density d) {
        int k = sorted.length;
        while (k > 0 && sorted[k - 1] > mode) k--;
        int m = sorted.length - k;
        if (m >= 10) {
            double[] dist = new double[m];
            for (int i = 0; i < m; i++) dist[i] = sorted[k + i] - mode;
            return Math.max(Stats.median(dist) * Stats.MAD_TO_SD, d.step());
        }
        return halfWidth(d, d.indexOf(mode), +1);
    }

    /** Half width at half maximum on one side, converted to a normal σ (HWHM / 1.1774). */
    static double halfWidth(Density d, int peak, int dir) {
        double half = d.y(peak) / 2;
        int i = peak;
        while (i + dir >= 0 && i + dir < d.size() && d.y(i) > half) i += dir;
        return Math.max(Math.abs(d.x(i) - d.x(peak)), d.step()) / 1.1774;
    }

    /** A logicle chosen from the data, with the rule that chose it. */
    record LogicleChoice(LogicleTransform transform, String rule) { }

    /**
     * Smallest logicle width used. With W near 0 the logicle is logarithmic down to tiny values, which spreads a
     * compact population of near-zero events (e.g. CD45− events at autofluorescence) over decades and breaks it
     * into noise peaks; 0.5 keeps the region of a few hundred units quasi-linear.
     */
    static final double MIN_LOGICLE_W = 0.5;

    /**
     * flowCore's {@code estimateLogicle}: W = (M − log10(T/|r|))/2 with r the 5th percentile of the negative
     * values, at least {@link #MIN_LOGICLE_W} (also when fewer than 10 values are negative) and at most M/2; A = 0.
     */
    static LogicleChoice estimateLogicle(double[] finite, double t, double m) {
        int neg = 0;
        for (double v : finite) if (v < 0) neg++;
        double w = 0;
        String rule;
        if (neg >= 10) {
            double[] negs = new double[neg];
            int k = 0;
            for (double v : finite) if (v < 0) negs[k++] = v;
            double r = Stats.quantileSorted(Stats.sorted(negs), 0.05);
            w = (m - Math.log10(t / Math.abs(r))) / 2;
            rule = "logicle W=max(" + MIN_LOGICLE_W + ", (M-log10(T/|r|))/2) with r=" + Stats.fmt(r)
                    + " (5th percentile of " + neg + " negative values)";
        } else {
            rule = "logicle W=" + MIN_LOGICLE_W + " (fewer than 10 negative values)";
        }
        w = Math.max(MIN_LOGICLE_W, Math.min(m / 2, w));
        return new LogicleChoice(new LogicleTransform(t, w, m, 0), rule);
    }
}
