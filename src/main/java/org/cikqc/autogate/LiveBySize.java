package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.List;

import org.cikqc.transform.Transform;

/**
 * Reads the brighter populations of a viability-dye fit by cell size, as an analyst reads FSC-A against the dye.
 *
 * <p>Dead and dying cells are smaller than live ones: they shrink, and lose membrane (domain study, gating step 4:
 * "dead cells have low FSC"). The largest live cells of an expanded product, its activated blasts, are brighter in
 * the dye channel than the resting ones: their autofluorescence grows with size and activation, and an
 * amine-reactive dye binds surface protein, which grows with the surface. A density fit sees such blasts as a
 * peak (or shoulder) of their own above the resting cells, and its valley counts them dead: on an independent
 * simulator's DAPI and amine-dye products viability was 27-31 % for true 91-97 %.
 *
 * <p>So, starting from the fitted threshold: the events from it up to the next valley of the density (or all
 * events above it when no valley follows) are read as live when their median FSC-A is at least
 * {@link Options#minRatio()} times that of the events below the threshold (the live reading so far), and the
 * threshold moves up to that valley; the step repeats until a population above is not larger (the dead ones).
 * When the topmost peak is read as live, dying and dead cells not resolved from it lie on its upper flank, smaller
 * than the live cells: going up from its mode in bins of {@link Options#minShare()} of the events, the threshold goes
 * where a bin's median FSC-A first falls below the geometric mean of the peak's lower half's and the viable
 * reading's (the two sizes equally likely), at most to its upper tail (mode + k·σ, σ its narrower side's half width
 * at half maximum / 1.1774). A population holding less than {@link Options#minShare()} of the events is too small to
 * read.
 *
 * <p>The result is the fit's, with the new threshold, {@link DensityThreshold.Method#LIVE_BY_SIZE}, and an INFO
 * {@link FitIssue.Code#LIVE_BY_SIZE} naming each population moved and the size ratio that moved it. Issues about
 * the valley or shoulder the threshold left ({@link FitIssue.Code#SHALLOW_VALLEY}, {@link FitIssue.Code#DIM_SHOULDER})
 * are dropped with their plausible range; a shallow valley at the new threshold is flagged again, and so is a new
 * threshold outside the allowed window.
 */
public final class LiveBySize {
    private LiveBySize() { }

    /**
     * @param minRatio  median FSC-A of a population above the threshold over that of the events below it, from
     *                  which the population is read as live (larger cells). Measured: live blasts 2.15-2.42 (all
     *                  11 such populations of a fourth independent simulator's 40 products); dying, dead or mixed
     *                  populations 0.57-1.34 there (1.34: apoptotic blasts on a FACSCalibur's FSC-H, 1.22: dying
     *                  cells above the blasts) and 0.57-0.88 on a third simulator's 84 products (80 read); 1.27 for
     *                  one population of a real 1,476-event spectral file (corpus). 1.5 lies between
     * @param minShare  fewest events a population must hold, as a fraction of the fitted events
     * @param tailSigmas k of the upper tail of a topmost peak read as live
     * @param shallowValley valley depth below which the new threshold's valley is flagged
     * @param maxDyingRatio median FSC-A of dim events smeared over the viable peak over that of the events below
     *                  them, up to which they are read as dying ({@link #dyingBySize}). Measured on a sixth
     *                  independent simulator's 46 products: 0.82 and 0.84 for its two amine-dye smears of dying
     *                  cells (0.8 times the live cells' size, mixed with the live peak's own tail), 1.04 for a PI
     *                  product's skewed live peak; 1.08-1.48 for a fifth simulator's six smears. 0.9 lies between
     */
    public record Options(double minRatio, double minShare, double tailSigmas, double shallowValley,
                          double maxDyingRatio) {
        public Options {
            if (!(minRatio > 1) || !(minShare > 0 && minShare < 1) || !(tailSigmas > 0)
                    || !(shallowValley >= 0 && shallowValley < 1) || !(maxDyingRatio > 0 && maxDyingRatio < 1)) {
                throw new IllegalArgumentException("invalid live-by-size options");
            }
        }

        /**
         * Ratio 1.5, populations of at least 1 % of the events, 3 σ tails, shallow valley below depth 0.2, dying
         * smears up to 0.9 times the viable cells' size.
         */
        public static Options defaults() { return new Options(1.5, 0.01, 3.0, 0.2, 0.9); }
    }

    /**
     * The fit read by size.
     *
     * @param fit    a viability-dye density fit of {@code values}
     * @param values the fitted dye values (data units, as given to {@link DensityThreshold#fit})
     * @param size   FSC-A of the same events, index for index
     * @param window the threshold's allowed window, checked again for a moved threshold
     * @return {@code fit} itself when nothing above its threshold is read as live (or the fit has fewer than two
     *         peaks, no threshold, a shoulder threshold the site validated as dying cells, or the arrays differ in
     *         length), else the moved result
     */
    public static DensityThreshold.Result apply(DensityThreshold.Result fit, double[] values, double[] size,
                                                Options o, AllowedWindow window) {
        if (values.length != size.length || fit.peaks().size() < 2 || fit.density() == null
                || !Double.isFinite(fit.threshold()) || fit.transform() == null || validatedShoulder(fit)) {
            return fit;
        }
        Transform tr = fit.transform();
        Density d = fit.density();
        List<DensityThreshold.PeakInfo> peaks = fit.peaks();
        // the valleys between consecutive peaks, in the fitting space, ascending
        double[] valleys = new double[peaks.size() - 1];
        for (int k = 0; k < valleys.length; k++) {
            valleys[k] = d.x(d.valleyBetween(d.indexOf(peaks.get(k).position()), d.indexOf(peaks.get(k + 1).position())));
        }
        double[][] pairs = finitePairs(values, size);
        double[] v = pairs[0];
        double[] s = pairs[1];
        int used = v.length;
        double t = fit.threshold(); // data units
        List<String> read = new ArrayList<>();
        double valleyAt = Double.NaN; // the new threshold's valley (fitting space), NaN when a tail
        int valleyIndex = -1;
        boolean topmost = false;
        while (!topmost) {
            double tT = tr.apply(t);
            int next = -1;
            for (int k = 0; k < valleys.length; k++) {
                if (valleys[k] > tT + d.step() / 2) {
                    next = k;
                    break;
                }
            }
            double upper = next < 0 ? Double.POSITIVE_INFINITY : tr.inverse(valleys[next]);
            double below = median(s, v, Double.NEGATIVE_INFINITY, t);
            double[] basin = select(s, v, t, upper);
            if (basin.length < Math.max(10, o.minShare() * used) || !(below > 0)) break;
            double above = Stats.median(basin);
            double ratio = above / below;
            if (!(ratio >= o.minRatio())) break;
            String what = Stats.fmt(100.0 * basin.length / used) + " % of the events from " + Stats.fmt(t) + " to "
                    + (next < 0 ? "the top" : "the valley at " + Stats.fmt(upper)) + ", median FSC-A "
                    + Stats.fmt(above) + " = " + Stats.fmt(ratio) + " × that below (" + Stats.fmt(below) + ")";
            if (next >= 0) {
                t = upper;
                valleyAt = valleys[next];
                valleyIndex = next;
            } else {
                // the topmost peak is live: dying and dead cells not resolved from it lie on its upper flank,
                // smaller than the live cells. Going up from its mode in bins of events, the threshold goes where a
                // bin's median FSC-A first falls below the geometric mean of the peak's lower half's (live, large)
                // and the viable reading's below it (the two sizes equally likely), at most at its upper tail
                // (mode + k σ, σ its narrower side's)
                DensityThreshold.PeakInfo top = peaks.get(peaks.size() - 1);
                if (!(top.dataValue() > t)) break; // no live peak above the threshold to read
                int idx = d.indexOf(top.position());
                double sigma = Math.min(DensityThreshold.halfWidth(d, idx, -1), DensityThreshold.halfWidth(d, idx, +1));
                double tail = tr.inverse(top.position() + o.tailSigmas() * sigma);
                double large = median(s, v, t, top.dataValue());
                double mid = Math.sqrt(large * below);
                double cut = smallerFrom(s, v, top.dataValue(), tail, mid, Math.max(10, (int) (o.minShare() * used)));
                double newT = Double.isNaN(cut) ? tail : cut;
                if (!(newT > t)) break;
                t = newT;
                valleyAt = Double.NaN;
                valleyIndex = -1;
                what += "; above the topmost peak's mode (" + Stats.fmt(top.dataValue()) + ") " + (Double.isNaN(cut)
                        ? "the cells stay larger than " + Stats.fmt(mid) + " (median FSC-A per " + Stats.fmt(100
                        * o.minShare()) + " % of the events) up to its upper tail (mode + " + Stats.fmt(o.tailSigmas())
                        + " σ), " + Stats.fmt(tail)
                        : "they turn smaller (median FSC-A per " + Stats.fmt(100 * o.minShare()) + " % of the events"
                        + " below " + Stats.fmt(mid) + ", between the large live and the viable reading's) from "
                        + Stats.fmt(cut));
            }
            read.add(what);
            topmost = next < 0;
        }
        if (read.isEmpty()) return fit;
        List<FitIssue> issues = new ArrayList<>();
        for (FitIssue fi : fit.issues()) {
            if (fi.code() != FitIssue.Code.SHALLOW_VALLEY && fi.code() != FitIssue.Code.DIM_SHOULDER
                    && fi.code() != FitIssue.Code.OUTSIDE_ALLOWED_WINDOW) {
                issues.add(fi);
            }
        }
        issues.add(FitIssue.info(FitIssue.Code.LIVE_BY_SIZE, "cells brighter in the dye than the viable peak but"
                + " larger (dead and dying cells shrink): read as live (activated blasts, brighter by"
                + " autofluorescence or surface protein): " + String.join("; then ", read) + "; threshold "
                + Stats.fmt(t) + " instead of " + Stats.fmt(fit.threshold())));
        double depth = Double.NaN;
        if (valleyIndex >= 0) {
            DensityThreshold.PeakInfo lo = peaks.get(valleyIndex);
            DensityThreshold.PeakInfo hi = peaks.get(valleyIndex + 1);
            depth = 1 - d.y(d.indexOf(valleyAt)) / Math.min(lo.height(), hi.height());
            if (depth < o.shallowValley()) {
                issues.add(FitIssue.warning(FitIssue.Code.SHALLOW_VALLEY, "valley depth " + Stats.fmt(depth) + " < "
                        + Stats.fmt(o.shallowValley()) + " between peaks at " + Stats.fmt(lo.dataValue()) + " and "
                        + Stats.fmt(hi.dataValue())));
            }
        }
        FitIssue w = window.check("threshold", t);
        if (w != null) issues.add(w);
        return new DensityThreshold.Result(t, tr.apply(t), DensityThreshold.Method.LIVE_BY_SIZE, tr,
                fit.transformRule(), fit.bandwidth(), peaks, valleyAt, depth, fit.negativeMode(),
                fit.negativeSpread(), fit.tail(), Double.NaN, Double.NaN, fractionAbove(values, t), fit.eventsUsed(),
                fit.nonFinite(), d, issues);
    }

    /**
     * Reads dim events smeared over the viable peak's upper flank by cell size: dying cells, not resolved from the
     * viable peak nor shaped as a shoulder of it ({@link DensityThreshold#smear}), are put on the non-viable side when
     * they are smaller than the viable cells, as an analyst reads them on FSC-A against the dye.
     *
     * <p>An amine-reactive dye stains dying cells dimly (an intermediate uptake, a few times the live cells', spread
     * over a decade): they fill the valley between the live and the dead peak, and the valley counted most of them
     * viable (a sixth independent simulator's products with 40-60 % dying or dead cells: 70.7 % for a true 45.7 %,
     * 80.9 % for 44.0 %). The density alone cannot tell such a smear from a skewed viable peak (an unstained DNA-dye
     * peak squeezed against zero has an exponential upper tail of live cells), but the size can: dying cells shrink
     * (domain study, gating step 4), a skewed tail of live cells does not, and activated blasts are larger.
     *
     * <p>So, for a fit whose threshold is a valley above the viable peak, with a smear on the peak's upper flank
     * (at least {@link DensityThreshold#SMEAR_MASS} of the events beyond what the peak alone gives): when the median
     * FSC-A of the events from where the smear begins (where it is as dense as the peak alone) up to the valley is at
     * most {@link Options#maxDyingRatio()} times that of the events below (the viable reading), the threshold goes where the smear
     * begins, {@link DensityThreshold.Method#SHOULDER}, with a {@link FitIssue.Code#DIM_SHOULDER} issue as for a
     * shoulder: a WARNING with the valley as the other end of the plausible range (the smear may still be live cells
     * of another kind), or an INFO without a range when the site validated its dim cells as dying.
     *
     * @param fit       a viability-dye density fit of {@code values}
     * @param values    the fitted dye values (data units)
     * @param size      FSC-A of the same events, index for index
     * @param o         {@link Options#maxDyingRatio()}, and {@link Options#minShare()}: fewest events the smear must
     *                  hold, as a fraction of the fitted events
     * @param validated the site validated the dim cells as dying ({@link DensityThreshold.Options#shoulderValidated()})
     * @param window    the threshold's allowed window, checked again for a moved threshold
     * @return {@code fit} itself when nothing is moved, else the moved result
     */
    public static DensityThreshold.Result dyingBySize(DensityThreshold.Result fit, double[] values, double[] size,
                                                      Options o, boolean validated, AllowedWindow window) {
        if (values.length != size.length || fit.method() != DensityThreshold.Method.VALLEY || fit.peaks().size() < 2
                || fit.density() == null || fit.transform() == null || !Double.isFinite(fit.threshold())
                || !Double.isFinite(fit.negativeMode())) {
            return fit;
        }
        Density d = fit.density();
        Transform tr = fit.transform();
        int peak = d.indexOf(tr.apply(fit.negativeMode()));
        int valley = d.indexOf(fit.thresholdTransformed());
        double[] smear = DensityThreshold.smear(d, peak, valley, o.minShare());
        if (smear == null) return fit;
        double cut = tr.inverse(d.x((int) smear[0]));
        double[][] pairs = finitePairs(values, size);
        double[] v = pairs[0];
        double[] s = pairs[1];
        int used = v.length;
        double below = median(s, v, Double.NEGATIVE_INFINITY, cut);
        double[] band = select(s, v, cut, fit.threshold());
        if (band.length < Math.max(10, o.minShare() * used) || !(below > 0)) return fit;
        double ratio = Stats.median(band) / below;
        if (!(ratio <= o.maxDyingRatio())) return fit;
        String seen = "dim events spread over the viable peak's upper flank (" + Stats.fmt(100 * smear[1]) + " % of"
                + " the events beyond what the peak at " + Stats.fmt(fit.negativeMode()) + " alone gives), not a peak"
                + " of their own, and " + SMALLER + " (" + Stats.fmt(100.0 * band.length / used)
                + " % of the events from " + Stats.fmt(cut) + " to the valley at " + Stats.fmt(fit.threshold())
                + ", median FSC-A " + Stats.fmt(ratio) + " × that below): dying cells, put on the non-viable side;"
                + " threshold where they are as dense as the viable peak, " + Stats.fmt(cut) + ", instead of the valley";
        List<FitIssue> issues = new ArrayList<>();
        for (FitIssue fi : fit.issues()) if (fi.code() != FitIssue.Code.OUTSIDE_ALLOWED_WINDOW) issues.add(fi);
        double low = Double.NaN;
        double high = Double.NaN;
        if (validated) {
            issues.add(FitIssue.info(FitIssue.Code.DIM_SHOULDER, seen + " (validated as a population of its own)"));
        } else {
            low = tr.inverse(d.x(DensityThreshold.lowerForShoulderBelow(d, peak, (int) smear[0])));
            high = fit.threshold();
            issues.add(FitIssue.warning(FitIssue.Code.DIM_SHOULDER, seen + "; they may as well be viable cells of"
                    + " another kind, so the threshold lies anywhere from there to the valley"));
        }
        FitIssue w = window.check("threshold", cut);
        if (w != null) issues.add(w);
        return new DensityThreshold.Result(cut, tr.apply(cut), DensityThreshold.Method.SHOULDER, tr,
                fit.transformRule(), fit.bandwidth(), fit.peaks(), fit.valley(), fit.valleyDepth(), fit.negativeMode(),
                fit.negativeSpread(), fit.tail(), low, high, fractionAbove(values, cut), fit.eventsUsed(),
                fit.nonFinite(), d, issues);
    }

    /** How a {@link #dyingBySize} issue names the evidence. */
    private static final String SMALLER = "smaller than the viable cells";

    /**
     * True when the fit's threshold was placed by cell size: larger brighter cells read as live
     * ({@link DensityThreshold.Method#LIVE_BY_SIZE}), or a smear of smaller dim cells read as dying
     * ({@link #dyingBySize}).
     */
    public static boolean readBySize(DensityThreshold.Result fit) {
        return fit.method() == DensityThreshold.Method.LIVE_BY_SIZE
                || fit.method() == DensityThreshold.Method.SHOULDER && fit.issues().stream()
                .anyMatch(i -> i.code() == FitIssue.Code.DIM_SHOULDER && i.message().contains(SMALLER));
    }

    /** The events whose dye value and size are both finite: {values, sizes}, index for index. */
    private static double[][] finitePairs(double[] values, double[] size) {
        int used = 0;
        for (int i = 0; i < values.length; i++) if (Double.isFinite(values[i]) && Double.isFinite(size[i])) used++;
        double[] v = new double[used];
        double[] s = new double[used];
        for (int i = 0, j = 0; i < values.length; i++) {
            if (Double.isFinite(values[i]) && Double.isFinite(size[i])) {
                v[j] = values[i];
                s[j++] = size[i];
            }
        }
        return new double[][] {v, s};
    }

    /** The share of the finite values above {@code t}. */
    private static double fractionAbove(double[] values, double t) {
        long positive = 0;
        int finite = 0;
        for (double x : values) {
            if (!Double.isFinite(x)) continue;
            finite++;
            if (x > t) positive++;
        }
        return finite == 0 ? 0 : (double) positive / finite;
    }

    /**
     * A shoulder the site validated as dying cells ({@link DensityThreshold.Options#shoulderValidated()}: an INFO
     * {@link FitIssue.Code#DIM_SHOULDER}) is not read again by size.
     */
    private static boolean validatedShoulder(DensityThreshold.Result fit) {
        return fit.method() == DensityThreshold.Method.SHOULDER && fit.issues().stream()
                .anyMatch(i -> i.code() == FitIssue.Code.DIM_SHOULDER && !i.flags());
    }

    /**
     * Going up through the events whose value lies in [lo, hi) in bins of {@code bin} consecutive values, the lowest
     * value of the first bin whose median size is below {@code limit}; NaN when none is.
     */
    private static double smallerFrom(double[] s, double[] v, double lo, double hi, double limit, int bin) {
        int n = 0;
        for (double x : v) if (x >= lo && x < hi) n++;
        double[][] pairs = new double[n][];
        for (int i = 0, j = 0; i < v.length; i++) if (v[i] >= lo && v[i] < hi) pairs[j++] = new double[] {v[i], s[i]};
        java.util.Arrays.sort(pairs, (a, b) -> Double.compare(a[0], b[0]));
        for (int start = 0; start + bin <= n; start += bin) {
            double[] sizes = new double[bin];
            for (int k = 0; k < bin; k++) sizes[k] = pairs[start + k][1];
            if (Stats.median(sizes) < limit) return pairs[start][0];
        }
        return Double.NaN;
    }

    /** Median of {@code s} over the events whose value lies in [lo, hi). */
    private static double median(double[] s, double[] v, double lo, double hi) {
        double[] x = select(s, v, lo, hi);
        return x.length == 0 ? Double.NaN : Stats.median(x);
    }

    private static double[] select(double[] s, double[] v, double lo, double hi) {
        int n = 0;
        for (double x : v) if (x >= lo && x < hi) n++;
        double[] out = new double[n];
        for (int i = 0, j = 0; i < v.length; i++) if (v[i] >= lo && v[i] < hi) out[j++] = s[i];
        return out;
    }
}
