package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The singlet gate on FSC-A (x) × FSC-H (y): a robust straight line FSC-H = a + b · FSC-A through the singlets
 * and a prediction band around it, in the manner of openCyto's {@code gate_singlet} (robust linear model, 0.99
 * prediction band).
 *
 * <p>Doublets have about twice the area of a singlet at little more height, so they fall far below the line;
 * the regression must ignore them. The fit is iteratively reweighted least squares with Tukey's bisquare weights
 * (c = 4.685) on <em>relative</em> residuals e = (y − ŷ) / ŷ, started from the line through the origin with the
 * median FSC-H/FSC-A ratio; the scale is 1.4826 × MAD of e. Because pulse heights scatter in proportion to
 * their size, the band is relative too: ŷ (1 ± z s), with z the normal quantile of the prediction level, which
 * makes it a wedge whose two edges are straight lines; the polygon has four vertices from FSC-A = 0 to the
 * saturation limit.
 */
public final class SingletGate {
    private SingletGate() { }

    /** Bisquare tuning constant (95 % efficiency at the normal). */
    static final double BISQUARE_C = 4.685;
    /** Iterations looked back on when the fit has not met its tolerance at the iteration limit. */
    static final int SETTLE_WINDOW = 10;
    /**
     * A fit whose line moved, over the last {@link #SETTLE_WINDOW} iterations, by at most this fraction of the relative
     * residual SD (the band is about ±3.3 SD wide) has settled: the band moves by under 0.03 % of its half width.
     */
    static final double SETTLED_FRACTION_OF_SD = 1e-3;

    /**
     * Options. Defaults: 0.999 prediction level (wider than openCyto's 0.99: dead cells scatter more around the
     * line, and a narrow band would lose them preferentially and inflate viability; doublets lie some 20 robust
     * SDs below the line, far outside either band), 50 iterations, relative tolerance 1e-9, range 262144, at least
     * 50 events, at least 50 % inliers, names FSC-A and FSC-H, any slope allowed.
     *
     * @param level          two-sided prediction level of the band
     * @param maxIterations  IRLS iteration limit
     * @param tolerance      convergence tolerance on the coefficients (relative)
     * @param range          $PnR of FSC-A and FSC-H (saturated events are left out of the fit)
     * @param minEvents      fewest usable events
     * @param minInliers     fewest fraction of events with non-zero weight before the fit is flagged
     * @param areaName       $PnN of FSC-A (polygon x)
     * @param heightName     $PnN of FSC-H (polygon y)
     * @param slopeWindow    allowed window for the slope b
     */
    public record Options(double level, int maxIterations, double tolerance, double range, int minEvents,
                          double minInliers, String areaName, String heightName, AllowedWindow slopeWindow) {
        public Options {
            Objects.requireNonNull(areaName, "areaName");
            Objects.requireNonNull(heightName, "heightName");
            Objects.requireNonNull(slopeWindow, "slopeWindow");
            if (!(level > 0 && level < 1) || maxIterations < 1 || !(tolerance > 0) || !(range > 1) || minEvents < 3) {
                throw new IllegalArgumentException("invalid singlet-gate options");
            }
        }

        public static Options defaults() {
            return new Options(0.999, 50, 1e-9, 262144, 50, 0.5, "FSC-A", "FSC-H", AllowedWindow.ANY);
        }

        public Options withLevel(double l) {
            return new Options(l, maxIterations, tolerance, range, minEvents, minInliers, areaName, heightName,
                    slopeWindow);
        }

        public Options withSlopeWindow(AllowedWindow w) {
            return new Options(level, maxIterations, tolerance, range, minEvents, minInliers, areaName, heightName, w);
        }
    }

    /**
     * The gate.
     *
     * @param intercept      a of FSC-H = a + b · FSC-A
     * @param slope          b
     * @param relativeScale  s: robust SD of (FSC-H − ŷ) / ŷ among singlets
     * @param z              band half-width in units of s
     * @param band           the band as a polygon in FSC-A × FSC-H data units (null when failed)
     * @param iterations     IRLS iterations run
     * @param converged      whether the coefficients converged
     * @param inlierFraction fraction of events with non-zero bisquare weight
     * @param eventsUsed     usable events
     * @param fractionInside fraction of usable events inside the band
     * @param issues         issues
     */
    public record Result(double intercept, double slope, double relativeScale, double z, Polygon band, int iterations,
                         boolean converged, double inlierFraction, int eventsUsed, double fractionInside,
                         List<FitIssue> issues) implements FitResult {
        public Result {
            issues = List.copyOf(issues);
        }

        /** The fitted FSC-H at FSC-A = x. */
        public double predict(double area) { return intercept + slope * area; }

        /** Whether (area, height) lies inside the band. */
        public boolean contains(double area, double height) {
            return band != null && band.contains(area, height);
        }
    }

    /**
     * The largest relative distance, at {@code xmin} and at {@code xmax}, between the line a + b·x and each of the
     * lines {@code lastA[k] + lastB[k]·x}.
     */
    static double moved(double[] lastA, double[] lastB, double a, double b, double xmin, double xmax) {
        double moved = 0;
        for (int k = 0; k < lastA.length; k++) {
            for (double xe : new double[] {xmin, xmax}) {
                double ref = Math.max(a + b * xe, 1e-12);
                moved = Math.max(moved, Math.abs(lastA[k] + lastB[k] * xe - (a + b * xe)) / ref);
            }
        }
        return moved;
    }

    /** Fits with the defaults. */
    public static Result fit(double[] area, double[] height) {
        return fit(area, height, Options.defaults());
    }

    /** Fits the gate; arrays of different lengths give a failed result. */
    public static Result fit(double[] area, double[] height, Options o) {
        List<FitIssue> issues = new ArrayList<>();
        if (area.length != height.length) {
            issues.add(FitIssue.error(FitIssue.Code.INVALID_INPUT, "FSC-A has " + area.length + " values, FSC-H "
                    + height.length));
            return failed(issues, 0);
        }
        double sat = o.range() - 1;
        int n = 0;
        double[] x = new double[area.length];
        double[] y = new double[area.length];
        for (int i = 0; i < area.length; i++) {
            if (area[i] > 0 && area[i] < sat && height[i] > 0 && height[i] < sat) {
                x[n] = area[i];
                y[n] = height[i];
                n++;
            }
        }
        if (n < o.minEvents()) {
            issues.add(FitIssue.error(FitIssue.Code.TOO_FEW_EVENTS, n + " usable events, at least " + o.minEvents()
                    + " needed"));
            return failed(issues, n);
        }
        double[] ratio = new double[n];
        for (int i = 0; i < n; i++) ratio[i] = y[i] / x[i];
        double a = 0;
        double b = Stats.median(ratio);
        double s = Double.NaN;
        double[] w = new double[n];
        boolean converged = false;
        int it = 0;
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            xmin = Math.min(xmin, x[i]);
            xmax = Math.max(xmax, x[i]);
        }
        if (!(xmax > xmin)) {
            issues.add(FitIssue.error(FitIssue.Code.DEGENERATE_DATA, "all FSC-A values equal " + Stats.fmt(xmin)));
            return failed(issues, n);
        }
        double[] e = new double[n];
        // the last SETTLE_WINDOW lines, to tell a fit that settled into a tiny cycle from one still moving
        double[] lastA = new double[SETTLE_WINDOW];
        double[] lastB = new double[SETTLE_WINDOW];
        while (it < o.maxIterations()) {
            it++;
            for (int i = 0; i < n; i++) e[i] = (y[i] - (a + b * x[i])) / Math.max(a + b * x[i], 1e-12);
            s = Stats.mad(e, Stats.median(e)) * Stats.MAD_TO_SD;
            if (!(s > 0)) {
                issues.add(FitIssue.error(FitIssue.Code.DEGENERATE_DATA, "FSC-H is an exact multiple of FSC-A"
                        + " (no residual spread)"));
                return failed(issues, n);
            }
            double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int i = 0; i < n; i++) {
                double u = e[i] / (BISQUARE_C * s);
                double bw = Math.abs(u) < 1 ? (1 - u * u) * (1 - u * u) : 0;
                double fitted = Math.max(a + b * x[i], 1e-12);
                w[i] = bw / (fitted * fitted); // relative errors: variance grows with the square of the height
                sw += w[i];
                sx += w[i] * x[i];
                sy += w[i] * y[i];
                sxx += w[i] * x[i] * x[i];
                sxy += w[i] * x[i] * y[i];
            }
            double det = sw * sxx - sx * sx;
            if (!(sw > 0) || !(Math.abs(det) > 0)) break;
            double nb = (sw * sxy - sx * sy) / det;
            double na = (sy - nb * sx) / sw;
            boolean done = Math.abs(nb - b) <= o.tolerance() * Math.abs(b) + 1e-15
                    && Math.abs(na - a) <= o.tolerance() * (Math.abs(a) + Math.abs(b) * xmax) + 1e-12;
            a = na;
            b = nb;
            lastA[(it - 1) % SETTLE_WINDOW] = a;
            lastB[(it - 1) % SETTLE_WINDOW] = b;
            if (done) {
                converged = true;
                break;
            }
        }
        String settled = null;
        if (!converged && it == o.maxIterations() && it >= SETTLE_WINDOW && s > 0) {
            // heights quantized to a few hundred channels make the robust scale, and so the weights, jump between
            // neighbouring values: the fit can cycle among lines that differ far less than the band's width
            double moved = moved(lastA, lastB, a, b, xmin, xmax);
            if (moved <= SETTLED_FRACTION_OF_SD * s) {
                converged = true;
                settled = "IRLS did not meet its tolerance in " + it + " iterations but settled: over the last "
                        + SETTLE_WINDOW + " the line moved by at most " + Stats.fmt(100 * moved) + " % of its height, "
                        + Stats.fmt(moved / s) + " of the relative residual SD (" + Stats.fmt(100 * s) + " %)";
            }
        }
        int inliers = 0;
        for (int i = 0; i < n; i++) {
            e[i] = (y[i] - (a + b * x[i])) / Math.max(a + b * x[i], 1e-12);
        }
        s = Stats.mad(e, Stats.median(e)) * Stats.MAD_TO_SD;
        for (int i = 0; i < n; i++) if (Math.abs(e[i]) < BISQUARE_C * s) inliers++;
        double inlierFraction = (double) inliers / n;
        if (settled != null) {
            issues.add(FitIssue.info(FitIssue.Code.REGRESSION_UNSTABLE, settled));
        } else if (!converged) {
            issues.add(FitIssue.warning(FitIssue.Code.REGRESSION_UNSTABLE, "IRLS did not converge in " + it
                    + " iterations"));
        }
        if (inlierFraction < o.minInliers()) {
            issues.add(FitIssue.warning(FitIssue.Code.REGRESSION_UNSTABLE, "only " + Stats.fmt(100 * inlierFraction)
                    + " % of events fit the singlet line"));
        }
        if (!(b > 0)) {
            issues.add(FitIssue.error(FitIssue.Code.REGRESSION_UNSTABLE, "non-positive slope " + Stats.fmt(b)));
            return failed(issues, n);
        }
        FitIssue sw = o.slopeWindow().check("singlet slope", b);
        if (sw != null) issues.add(sw);
        double z = new NormalDistribution(null, 0, 1).inverseCumulativeProbability((1 + o.level()) / 2);
        double lo = 1 - z * s;
        double hi = 1 + z * s;
        double x0 = 0;
        double x1 = Math.nextDown(sat);
        double[] px = {x0, x1, x1, x0};
        double[] py = {(a + b * x0) * lo, (a + b * x1) * lo, (a + b * x1) * hi, (a + b * x0) * hi};
        Polygon band = new Polygon(o.areaName(), o.heightName(), px, py);
        int inside = 0;
        for (int i = 0; i < n; i++) if (band.contains(x[i], y[i])) inside++;
        return new Result(a, b, s, z, band, it, converged, inlierFraction, n, (double) inside / n, issues);
    }

    private static Result failed(List<FitIssue> issues, int used) {
        return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, 0, false, 0, used, 0, issues);
    }
}
