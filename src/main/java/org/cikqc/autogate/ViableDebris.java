package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.cikqc.transform.LogTransform;

/**
 * Debris among the viability-dye-negative events. Debris that overlaps the dead cells on FSC-A (both are smaller than
 * live cells) passes the cells-versus-debris gate; without CD45 all of it reaches the leukocytes, with CD45 the part
 * that carries CD45 fragments (membrane of broken leukocytes). The part of it that does not take up the dye is
 * counted as viable cells (CD3−CD56−, or CD3+ with CD3 fragments), diluting % CD3+ and raising viability. Among
 * dye-negative events the dead cells are gone, and the debris stands apart from the live cells on scatter
 * <em>size</em> √(FSC-A·SSC-A): it is small on both axes, where a dying cell loses FSC-A but gains SSC-A (so that
 * the dead cells, had they been there, would sit near the live cells on size); this finds it there.
 *
 * <p>On the density of log10 size of the dye-negative events (above the cells gate's FSC-A boundary): the live
 * cells' mode M is the highest-lying peak that holds at least {@link #MAIN_MIN_SHARE} of the events (debris may
 * outnumber them), else the tallest point; the <em>valley</em> is the point below M with the most density below it
 * relative to its own, among those with {@link Options#minEvents()} and {@link Options#minFraction()} of the events
 * below them (the dip between a debris peak, or the cells gate's cut through the debris, and the live cells). The
 * events below the valley are debris when all of these hold:
 * <ul>
 *   <li>the valley lies at or below {@link Options#valleyMaxRatio()} × M, and the highest density below it (the
 *       debris mode) at or below {@link Options#debrisMaxRatio()} × M: resting lymphocytes beside activated blasts
 *       sit at some 0.55–0.65 of the blasts' size (about 0.55 of their FSC-A, 0.6 of their SSC-A), debris at a
 *       third or less;</li>
 *   <li>the density below the valley rises to at least {@link Options#minPeakToValley()} × the valley's: a
 *       population of its own, not the live cells' lower tail (which falls monotonically towards small sizes);</li>
 *   <li>the events below the valley exceed what a flat density at the valley's level would put there by
 *       {@link Options#z()} Poisson standard errors, and number at least {@link Options#minEvents()} and
 *       {@link Options#minFraction()} of the dye-negative events.</li>
 * </ul>
 * The cut is the valley, as a size in data units; the region it bounds ({@link Result#sizeRegion}) is also below
 * the live cells' median on both axes. Dye-negative events in it are debris, neither viable nor dead; dye-positive
 * events in it stay (debris that takes up the dye cannot be told from dying cells for sure, and keeping it errs on
 * the safe side: it counts as dead).
 */
public final class ViableDebris {
    private ViableDebris() { }

    /**
     * Options. Defaults: valley at most 0.7 × the live mode, debris mode at most 0.45 × it, peak-to-valley at least
     * 1.5, at least 20 events and 0.2 % of the dye-negative events, 3 standard errors, at least 200 usable events.
     *
     * @param valleyMaxRatio  highest valley, as a fraction of the live-cell mode
     * @param debrisMaxRatio  highest debris mode, as a fraction of the live-cell mode
     * @param minPeakToValley lowest ratio of the highest density below the valley to the valley's
     * @param minFraction     fewest debris events, as a fraction of the usable dye-negative events
     * @param minEvents       fewest debris events
     * @param z               standard errors of the excess over a flat density at the valley's level
     * @param minUsable       fewest usable (positive, finite, above the lower bound) events to look at all
     */
    public record Options(double valleyMaxRatio, double debrisMaxRatio, double minPeakToValley, double minFraction,
                          int minEvents, double z, int minUsable) {
        public Options {
            if (!(valleyMaxRatio > 0 && valleyMaxRatio < 1) || !(debrisMaxRatio > 0 && debrisMaxRatio <= valleyMaxRatio)
                    || !(minPeakToValley >= 1) || !(minFraction >= 0 && minFraction < 1) || minEvents < 1 || !(z >= 0)
                    || minUsable < 10) {
                throw new IllegalArgumentException("invalid viable-debris options");
            }
        }

        public static Options defaults() { return new Options(0.7, 0.45, 1.5, 0.002, 20, 3, 200); }
    }

    /**
     * The outcome; sizes are √(FSC-A·SSC-A) in data units.
     *
     * @param cut          size below which dye-negative events are debris; NaN when none was found
     * @param debris       dye-negative events below the cut (0 when none)
     * @param used         usable dye-negative events
     * @param mainMode     size mode of the live cells (NaN when not estimated)
     * @param debrisMode   size of the highest density below the valley (NaN when not estimated)
     * @param valley       size at the valley (NaN when not estimated)
     * @param peakToValley density at the debris mode over the density at the valley (NaN when not estimated)
     * @param liveFsc      median FSC-A of the events at or above the cut (NaN when nothing was found)
     * @param liveSsc      median SSC-A of the events at or above the cut (NaN when nothing was found)
     * @param issues       what was found, or why nothing was (INFO)
     */
    public record Result(double cut, int debris, int used, double mainMode, double debrisMode, double valley,
                         double peakToValley, double liveFsc, double liveSsc, List<FitIssue> issues)
            implements FitResult {
        public Result {
            issues = List.copyOf(issues);
        }

        /** Whether debris was found (the cut is finite). */
        public boolean found() { return Double.isFinite(cut); }

        /**
         * The debris region as a polygon in the coordinates of {@code fx} (FSC-A) and
         * {@code fy} (SSC-A): below the line √(FSC-A·SSC-A) = cut (a straight line on log scales), and below the
         * live cells' median on both axes (an event as large as the median live cell on either is not debris).
         * Null when nothing was found.
         */
        public Polygon sizeRegion(LogTransform fx, LogTransform fy, String xName, String yName) {
            if (!found()) return null;
            double xm = fx.apply(liveFsc);
            double ym = fy.apply(liveSsc);
            // log10 F = M_F (x - 1) + log10 T_F, so log10 F + log10 S <= 2 log10 cut is a x + b y <= k
            double a = fx.m();
            double b = fy.m();
            double k = 2 * Math.log10(cut) - Math.log10(fx.t()) - Math.log10(fy.t()) + a + b;
            List<double[]> box = List.of(new double[] {REGION_FLOOR, REGION_FLOOR}, new double[] {xm, REGION_FLOOR},
                    new double[] {xm, ym}, new double[] {REGION_FLOOR, ym});
            List<double[]> p = clipBelowLine(box, a, b, k);
            if (p.size() < 3) return null;
            double[] xs = new double[p.size()];
            double[] ys = new double[p.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = p.get(i)[0];
                ys[i] = p.get(i)[1];
            }
            return new Polygon(xName, yName, xs, ys);
        }
    }

    /**
     * The outline of {@link Result#sizeRegion} in data units (FSC-A, SSC-A) for a figure, from FSC-A {@code fscFrom}
     * (the cells gate's boundary: the region's events are the cells gate's) on: along SSC-A 0 to the live cells'
     * median FSC-A, up to the curve FSC-A·SSC-A = cut² (straight on log axes), along it in {@code points} steps to
     * the live cells' median SSC-A (or to {@code fscFrom}), and back to {@code fscFrom}. Empty when nothing was
     * found or {@code fscFrom} is not below the live median.
     */
    public static List<double[]> sizeOutline(Result r, int points, double fscFrom) {
        double from = Double.isFinite(fscFrom) && fscFrom > 0 ? fscFrom : 0;
        if (!r.found() || points < 2 || !(from < r.liveFsc())) return List.of();
        double c2 = r.cut() * r.cut();
        double fMax = r.liveFsc();
        double sMax = r.liveSsc();
        double fMin = Math.max(from, Math.min(fMax, c2 / sMax)); // where the curve meets SSC-A = the live median
        List<double[]> out = new ArrayList<>();
        out.add(new double[] {from, 0});
        out.add(new double[] {fMax, 0});
        for (int i = 0; i < points; i++) {
            double f = fMax * Math.pow(fMin / fMax, (double) i / (points - 1));
            out.add(new double[] {f, Math.min(sMax, c2 / f)});
        }
        if (fMin > from) out.add(new double[] {from, sMax});
        return out;
    }

    /**
     * Lower corner of {@link Result#sizeRegion} on both transformed axes: far below any positive value (flog of the
     * smallest float on a 24-bit scale with M = 5 is about −9).
     */
    static final double REGION_FLOOR = -100;

    /** Sutherland–Hodgman clip of a polygon to the half-plane a·x + b·y ≤ k. */
    static List<double[]> clipBelowLine(List<double[]> poly, double a, double b, double k) {
        List<double[]> out = new ArrayList<>();
        int n = poly.size();
        for (int i = 0; i < n; i++) {
            double[] cur = poly.get(i);
            double[] prev = poly.get((i + n - 1) % n);
            double fc = a * cur[0] + b * cur[1] - k;
            double fp = a * prev[0] + b * prev[1] - k;
            if ((fc <= 0) != (fp <= 0)) {
                double t = fp / (fp - fc);
                out.add(new double[] {prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])});
            }
            if (fc <= 0) out.add(cur);
        }
        return out;
    }

    /**
     * Looks for debris among the dye-negative events on their scatter size √(FSC-A·SSC-A). Debris is small on both
     * axes; live cells are large on both; a dying cell shrinks on FSC-A but gains SSC-A, so its size stays near the
     * live cells'. Debris that overlaps the cells on FSC-A alone stands apart on size.
     *
     * @param fsc   FSC-A of the dye-negative events
     * @param ssc   their SSC-A (same length); events with a non-positive or non-finite value on either are left out
     * @param lower the cells gate's FSC-A boundary (events below it are left out); NaN for none
     */
    public static Result fit(double[] fsc, double[] ssc, double lower, Options o) {
        Objects.requireNonNull(fsc, "fsc");
        Objects.requireNonNull(ssc, "ssc");
        Objects.requireNonNull(o, "options");
        if (fsc.length != ssc.length) throw new IllegalArgumentException("FSC-A and SSC-A differ in length");
        double lo = Double.isFinite(lower) && lower > 0 ? lower : 0;
        double[] g = new double[fsc.length];
        double[] f = new double[fsc.length];
        double[] s = new double[fsc.length];
        int n = 0;
        for (int i = 0; i < fsc.length; i++) {
            double a = fsc[i];
            double b = ssc[i];
            if (a > lo && a < Double.POSITIVE_INFINITY && b > 0 && b < Double.POSITIVE_INFINITY) {
                g[n] = (Math.log10(a) + Math.log10(b)) / 2;
                f[n] = a;
                s[n] = b;
                n++;
            }
        }
        return fit(Arrays.copyOf(g, n), Arrays.copyOf(f, n), Arrays.copyOf(s, n), o);
    }

    /**
     * The search on the log10 sizes {@code lx} of the events whose FSC-A and SSC-A are {@code f} and {@code s}
     * (their medians above the cut are the live cells').
     */
    private static Result fit(double[] lx, double[] f, double[] s, Options o) {
        int n = lx.length;
        String on = "size sqrt(FSC-A x SSC-A)";
        List<FitIssue> issues = new ArrayList<>();
        if (n < o.minUsable()) {
            issues.add(FitIssue.info(FitIssue.Code.TOO_FEW_EVENTS, n + " usable dye-negative events, at least "
                    + o.minUsable() + " needed to look for debris"));
            return none(n, issues);
        }
        Density d;
        try {
            d = Density.estimate(lx, Density.BandwidthRule.SILVERMAN, 1, Density.DEFAULT_GRID);
        } catch (IllegalArgumentException e) {
            issues.add(FitIssue.info(FitIssue.Code.DEGENERATE_DATA, "dye-negative " + on + " has no spread"));
            return none(n, issues);
        }
        double min = lx[0];
        for (double v : lx) min = Math.min(min, v);
        int main = liveMode(d);
        int first = d.indexOf(min);
        double mainMode = Math.pow(10, d.x(main));
        if (main - first < 3) {
            return new Result(Double.NaN, 0, n, mainMode, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, List.of(FitIssue.info(FitIssue.Code.UNIMODAL, "no dye-negative events well below the"
                    + " live cells' " + on + " mode " + Stats.fmt(mainMode))));
        }
        // the valley is the point below the live mode with the most density somewhere below it for its own: the
        // dip between a debris peak and the live cells, or between the cells gate's cut through the debris and them;
        // only where enough events lie below to be debris at all (a lone outlier far below makes a bump beside a
        // dip to zero, an unbounded ratio over nothing)
        double fewest = Math.max(o.minEvents(), o.minFraction() * n) / n; // as a share of the density's mass
        int v = main;
        int peak = first;
        int high = first;
        double massBelow = d.y(first) * d.step();
        for (int i = first + 1; i < main; i++) {
            massBelow += d.y(i) * d.step();
            if (d.y(i) > d.y(high)) high = i;
            // d(high)/d(i) > d(peak)/d(v), without dividing by 0
            if (massBelow >= fewest && d.y(high) * d.y(v) > d.y(peak) * d.y(i)) {
                v = i;
                peak = high;
            }
        }
        double valley = Math.pow(10, d.x(v));
        double debrisMode = Math.pow(10, d.x(peak));
        double ratio = d.y(v) > 0 ? d.y(peak) / d.y(v) : (d.y(peak) > 0 ? Double.POSITIVE_INFINITY : 0);
        int below = 0;
        double cutLog = d.x(v);
        for (double x : lx) if (x < cutLog) below++;
        double expected = d.y(v) * (cutLog - min) * n;
        double excess = below - expected;
        String where = "dye-negative " + on + ": live mode " + Stats.fmt(mainMode) + ", valley " + Stats.fmt(valley)
                + ", highest density below it at " + Stats.fmt(debrisMode) + " (" + Stats.fmt(ratio) + " x the valley's), "
                + below + " of " + n + " events below the valley";
        String why = null;
        if (!(ratio >= o.minPeakToValley())) why = "no population of its own below the valley";
        else if (!(valley <= o.valleyMaxRatio() * mainMode)) why = "the valley is above " + Stats.fmt(o.valleyMaxRatio()) + " x the live mode";
        else if (!(debrisMode <= o.debrisMaxRatio() * mainMode)) why = "the lower population is above " + Stats.fmt(o.debrisMaxRatio()) + " x the live mode";
        else if (below < o.minEvents() || below < o.minFraction() * n) why = "too few events below the valley";
        else if (!(excess >= o.z() * Math.sqrt(Math.max(expected, 1)))) why = "the excess over the valley's level is not significant";
        if (why != null) {
            issues.add(FitIssue.info(FitIssue.Code.NO_DEBRIS_PEAK, "no dye-negative debris: " + why + " (" + where + ")"));
            return new Result(Double.NaN, 0, n, mainMode, debrisMode, valley, ratio, Double.NaN, Double.NaN,
                    issues);
        }
        int k = 0;
        double[] lf = new double[n];
        double[] ls = new double[n];
        for (int i = 0; i < n; i++) {
            if (lx[i] >= cutLog) {
                lf[k] = f[i];
                ls[k] = s[i];
                k++;
            }
        }
        double liveFsc = Stats.median(Arrays.copyOf(lf, k));
        double liveSsc = Stats.median(Arrays.copyOf(ls, k));
        issues.add(FitIssue.info(FitIssue.Code.DYE_NEGATIVE_DEBRIS, below + " dye-negative events below " + on + " "
                + Stats.fmt(valley) + " are debris, neither viable nor dead (" + where + ")"));
        return new Result(valley, below, n, mainMode, debrisMode, valley, ratio, liveFsc, liveSsc, issues);
    }

    /**
     * The live cells' mode: the highest of the density's peaks that hold at least {@link #MAIN_MIN_SHARE} of the
     * events each, else the highest point. Debris can outnumber the live cells, so the tallest peak is not always
     * theirs; live cells are the largest population that is a sizeable part of the events.
     */
    private static int liveMode(Density d) {
        List<Density.Peak> peaks = d.peaks(0, 0.1, MAIN_MIN_SHARE, 3);
        return peaks.isEmpty() ? d.argMax() : peaks.get(peaks.size() - 1).index();
    }

    /** Least share of the events in the live cells' peak when it is not the tallest. */
    static final double MAIN_MIN_SHARE = 0.2;

    private static Result none(int used, List<FitIssue> issues) {
        return new Result(Double.NaN, 0, used, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, issues);
    }
}
