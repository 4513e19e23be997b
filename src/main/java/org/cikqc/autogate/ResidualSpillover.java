package org.cikqc.autogate;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.cikqc.transform.Transform;

/**
 * Spillover that compensation left in a detector, measured on the stained sample itself. Where the file's matrix
 * (or the one given) understates how much of a source fluorochrome reaches a target detector — a tandem dye that
 * has degraded since the matrix was made, or a matrix entry that is simply off — every cell bright in the source is
 * lifted in the target in proportion to its source signal, and the target's negative population, which should lie
 * level, climbs with the source (an overstated entry pushes it down instead). On a CD3 × CD56 plot this is the
 * leaning CD3+CD56− cluster an analyst sees and corrects by hand; left alone it lifts CD56− T cells into the CD56+
 * gate (a PE-Cy7 CD3 over PE CD56 with 3–8 % more spill than the matrix says turned 18 % CD3+CD56+ into 70 % on an
 * independent simulator).
 *
 * <p>The events are those of one population (CD3+ viable cells for CD56). They are sorted by their source value and
 * split into equal-count bins between two source quantiles; in each bin the target's lowest density peak (in the
 * target's fitting space, with the same density options as its threshold fit) is the level of its negative cells.
 * Compensation leaves that level the same in every bin; residual spillover makes it a straight line in the source,
 * level = intercept + slope × source, the slope being the missing (or excess) matrix entry. The slope counts only
 * when the line explains the levels (R² ≥ {@link Options#minR2()}), the levels move the same way from bin to bin
 * (monotone within the noise) and the first and last bins' levels differ by at least
 * {@link Options#minShift()} in the fitting space: climbing, or with {@link Options#falling()} falling as well (the
 * viability dye, where an overstated entry splits the live peak). A slope that the refinement on the corrected
 * target halves, doubles or reverses is not counted, nor are bins whose negatives pile up at the channel's floor.
 * Whether that matters is the caller's question: the target corrected by the slope
 * ({@code target − slope × source}) gives a second reading of its populations.
 */
public final class ResidualSpillover {

    private ResidualSpillover() { }

    /**
     * @param bins            equal-count bins of the source
     * @param minEventsPerBin fewer events than this per bin: not measured
     * @param lowQuantile     source quantile where the bins begin (the dimmest events carry no slope)
     * @param highQuantile    source quantile where they end (the brightest are the noisiest)
     * @param minPeakMass     a bin's negative peak must hold this share of its events at least
     * @param minR2           the line must explain this share of the levels' variance
     * @param minShift        first to last bin, the levels must move this far in the fitting space
     * @param falling         levels that fall with the source (an overstated matrix entry) count as found too
     */
    public record Options(int bins, int minEventsPerBin, double lowQuantile, double highQuantile, double minPeakMass,
                          double minR2, double minShift, boolean falling) {
        public Options {
            if (bins < 3 || minEventsPerBin < 50 || !(lowQuantile >= 0 && lowQuantile < highQuantile && highQuantile <= 1)
                    || !(minPeakMass > 0 && minPeakMass < 1) || !(minR2 >= 0 && minR2 <= 1) || !(minShift > 0)) {
                throw new IllegalArgumentException("bad residual-spillover options");
            }
        }

        /**
         * 8 bins of at least 250 events between the source's 10th and 98th percentiles, 10 % peaks, R² 0.8, 0.05;
         * climbing levels only.
         */
        public static Options defaults() { return new Options(8, 250, 0.10, 0.98, 0.10, 0.8, 0.05, false); }

        /** The same options, reading levels that fall with the source as well as those that climb. */
        public Options withFalling() {
            return new Options(bins, minEventsPerBin, lowQuantile, highQuantile, minPeakMass, minR2, minShift, true);
        }
    }

    /**
     * @param measured  true when there were enough events and every bin had a negative peak
     * @param found     true when the levels climb (or fall) with the source as residual spillover does
     * @param slope     target units per source unit (the missing matrix entry; negative when overstated), refined
     *                  when found; NaN when not measured
     * @param r2        the share of the levels' variance the line explains
     * @param shift     last bin's level minus the first's, in the fitting space
     * @param source    each bin's median source value
     * @param level     each bin's negative level (target units)
     */
    public record Result(boolean measured, boolean found, double slope, double r2, double shift,
                         double[] source, double[] level) {
        public Result {
            source = source.clone();
            level = level.clone();
        }

        @Override
        public double[] source() { return source.clone(); }

        @Override
        public double[] level() { return level.clone(); }

        static Result notMeasured() {
            return new Result(false, false, Double.NaN, Double.NaN, Double.NaN, new double[0], new double[0]);
        }

        /** The target value of an event with the residual spillover removed. */
        public double correct(double target, double sourceValue) { return target - slope * sourceValue; }
    }

    /**
     * Measures how the negative level of {@code target} follows {@code source} over the same events.
     *
     * @param space   the target's fitting transform (its density space)
     * @param density the target's density options (bandwidth rule, adjust, grid, peak criteria)
     */
    public static Result fit(double[] source, double[] target, Transform space, DensityThreshold.Options density,
                             Options o) {
        Objects.requireNonNull(space, "space");
        if (source.length != target.length) throw new IllegalArgumentException("source and target differ in length");
        // the events in source order, once for every measure (NaN/infinite left out)
        int n = 0;
        int[] finite = new int[source.length];
        for (int e = 0; e < source.length; e++) {
            if (Double.isFinite(source[e]) && Double.isFinite(target[e])) finite[n++] = e;
        }
        int[] order = Arrays.copyOf(finite, n);
        Stats.sortIndicesBy(source, order);
        Result first = measure(source, target, order, space, density, o);
        if (!first.found()) return first;
        // the peak of a spread population sits a little below its centre on the fitting scale, more so where the
        // source (and the spreading) is brighter: the first slope falls short by some 10 %. Measured again on the
        // target corrected by it, the rest is added, until it changes the slope by less than 1 %
        double slope = first.slope();
        double[] corrected = new double[target.length];
        for (int round = 0; round < REFINEMENTS; round++) {
            for (int e = 0; e < target.length; e++) corrected[e] = target[e] - slope * source[e];
            Result rest = measure(source, corrected, order, space, density, o);
            if (!rest.measured() || !Double.isFinite(rest.slope())) break;
            slope += rest.slope();
            if (Math.abs(rest.slope()) < 0.01 * Math.abs(slope)) break;
        }
        // a real slope is refined by some 10 %; one the refinement halves, doubles or turns round was the levels'
        // noise (a bin of widely spread cells), not a line
        if (!(slope / first.slope() >= 0.5 && slope / first.slope() <= 2)) {
            return new Result(true, false, first.slope(), first.r2(), first.shift(), first.source, first.level);
        }
        return new Result(true, true, slope, first.r2(), first.shift(), first.source, first.level);
    }

    /** Rounds of {@link #fit}'s refinement at most. */
    static final int REFINEMENTS = 3;

    /** One measure of the levels over the events of {@code order} (indices of finite values, by source). */
    private static Result measure(double[] source, double[] target, int[] order, Transform space,
                                  DensityThreshold.Options density, Options o) {
        int n = order.length;
        int from = (int) Math.floor(o.lowQuantile() * n);
        int to = (int) Math.ceil(o.highQuantile() * n);
        int per = (to - from) / o.bins();
        if (per < o.minEventsPerBin()) return Result.notMeasured();
        double[] x = new double[o.bins()];
        double[] level = new double[o.bins()];
        double[] pos = new double[o.bins()];
        for (int b = 0; b < o.bins(); b++) {
            int lo = from + b * per;
            double[] ys = new double[per];
            double[] xs = new double[per];
            for (int i = 0; i < per; i++) {
                xs[i] = source[order[lo + i]];
                ys[i] = space.apply(target[order[lo + i]]);
            }
            x[b] = Stats.quantileSorted(xs, 0.5); // xs is in source order already
            double p = lowestPeak(ys, density, o.minPeakMass(), space);
            if (Double.isNaN(p)) return Result.notMeasured();
            pos[b] = p;
            level[b] = space.inverse(p);
        }
        // least squares of level on source, then again without the bin the line explains worst (a bin of dim
        // cells of another kind, say), which must leave the others on one line
        double[] all = line(x, level, -1);
        if (all == null) return Result.notMeasured();
        int worst = -1;
        double worstResidual = -1;
        for (int b = 0; b < x.length; b++) {
            double r = Math.abs(level[b] - (all[1] + all[0] * x[b]));
            if (r > worstResidual) {
                worstResidual = r;
                worst = b;
            }
        }
        double[] fit = line(x, level, worst);
        if (fit == null) return Result.notMeasured();
        double slope = fit[0];
        int first = worst == 0 ? 1 : 0;
        int last = worst == x.length - 1 ? x.length - 2 : x.length - 1;
        double shift = pos[last] - pos[first];
        // a falling level is read as the mirror of a climbing one: the same tests on the negated positions
        double sign = o.falling() && slope < 0 ? -1 : 1;
        boolean found = sign * slope > 0 && fit[2] >= o.minR2() && sign * shift >= o.minShift()
                && monotone(pos, worst, shift / (x.length - 1), sign);
        return new Result(true, found, slope, fit[2], shift, x, level);
    }

    /** Slope, intercept and R² of y on x by least squares, leaving out point {@code skip} (or none); null if x is flat. */
    private static double[] line(double[] x, double[] y, int skip) {
        double mx = 0;
        double my = 0;
        int m = 0;
        for (int b = 0; b < x.length; b++) {
            if (b == skip) continue;
            mx += x[b];
            my += y[b];
            m++;
        }
        mx /= m;
        my /= m;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int b = 0; b < x.length; b++) {
            if (b == skip) continue;
            sxx += (x[b] - mx) * (x[b] - mx);
            sxy += (x[b] - mx) * (y[b] - my);
            syy += (y[b] - my) * (y[b] - my);
        }
        if (!(sxx > 0)) return null;
        double slope = sxy / sxx;
        return new double[] {slope, my - slope * mx, syy > 0 ? sxy * sxy / (sxx * syy) : 0};
    }

    /**
     * True when, leaving out bin {@code skip}, no bin's level is lower than the one before it by more than
     * {@code tolerance} (the mean step): the levels climb from bin to bin within the noise ({@code sign} −1: fall).
     */
    private static boolean monotone(double[] pos, int skip, double tolerance, double sign) {
        double previous = Double.NaN;
        for (int b = 0; b < pos.length; b++) {
            if (b == skip) continue;
            if (sign * (pos[b] - previous) < -Math.abs(tolerance)) return false;
            previous = pos[b];
        }
        return true;
    }

    /**
     * The position of the lowest density peak holding at least {@code minMass} of the values (in the fitting space);
     * NaN when none, or when that share of them lie at or below the channel's floor ({@link
     * DensityThreshold.Options#floor()}): the negatives are piled up off scale low there, and their level is not
     * seen (a pile in some bins and cells lifted clear of it in others made a step read as a line).
     */
    private static double lowestPeak(double[] ys, DensityThreshold.Options d, double minMass, Transform space) {
        if (!Double.isNaN(d.floor())) {
            double floorY = space.apply(d.floor());
            int at = 0;
            for (double y : ys) if (y <= floorY) at++;
            if (at >= minMass * ys.length) return Double.NaN;
            if (at > 0) {
                double[] above = new double[ys.length - at];
                int k = 0;
                for (double y : ys) if (!(y <= floorY)) above[k++] = y;
                ys = above;
            }
        }
        double[] f = Stats.finite(ys);
        if (f.length < 2 || Stats.sd(f) == 0) return Double.NaN;
        Density den = Density.estimate(f, d.bandwidth(), d.adjust(), d.gridSize());
        List<Density.Peak> peaks = den.peaks(d.minPeakHeight(), d.minProminence(), Math.max(d.minPeakMass(), minMass),
                d.peakZ());
        return peaks.isEmpty() ? Double.NaN : peaks.get(0).position();
    }

}
