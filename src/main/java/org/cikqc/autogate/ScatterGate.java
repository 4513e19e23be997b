package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.cikqc.transform.LogTransform;
import org.cikqc.transform.Transform;

/**
 * The cells-versus-debris gate on FSC-A × SSC-A, deliberately generous: CIK cells are activated blasts with a
 * larger FSC than resting lymphocytes, and dead cells (lower FSC, higher SSC) must stay in, because viability is
 * computed on the CD45+ singlets after this gate.
 *
 * <ol>
 *   <li>Events at the margins (FSC-A or SSC-A ≤ 0 or ≥ range − 1) are left out of the fit and out of the gate.</li>
 *   <li>Debris boundary on FSC-A: a KDE of log FSC-A ({@code flog(T = range, M = 5)}); the <em>debris peak</em> is
 *       the lowest significant peak whose mode is below {@link Options#debrisModeRatio()} × the mode of the
 *       largest peak (the cells); the boundary is the deepest point between it and the next peak up. Without a
 *       debris peak the boundary is {@link Options#fallbackModeRatio()} × the cell mode, well below dead cells
 *       (noted as {@link FitIssue.Code#NO_DEBRIS_PEAK}, not flagged: a clean sample has no debris peak).</li>
 *   <li>Main clouds: above the boundary, in log FSC × log SSC, every event whose robust standardized distance
 *       from the median is within the {@link Options#coreQuantile()} quantile; their convex hull, pushed outward
 *       by {@link Options#marginDecades()} decades, is the polygon (vertices in data units), clipped to FSC-A ≥
 *       boundary and to below the saturation limit of both axes.</li>
 * </ol>
 */
public final class ScatterGate {
    private ScatterGate() { }

    /**
     * Options. Defaults: range 262144, debris peaks below 0.3 × the cell mode, a boundary at 0.2 × the cell mode
     * without a debris peak, the 99.9 % core, 0.08 decades margin, at least 200 events, names FSC-A and SSC-A, any
     * boundary allowed.
     *
     * @param range           top of FSC-A's scale ($PnR for a linear channel): the T of the log FSC-A density; values
     *                        ≥ range − 1 are saturated
     * @param sscRange        top of SSC-A's scale; SSC-A values ≥ sscRange − 1 are saturated (instruments may put
     *                        FSC and SSC on different scales)
     * @param debrisModeRatio a peak below this fraction of the cell mode is debris
     * @param fallbackModeRatio boundary as a fraction of the cell mode when there is no debris peak
     * @param coreQuantile    fraction of above-boundary events whose hull forms the polygon
     * @param marginDecades   outward margin of the hull (log10 units)
     * @param minEvents       fewest usable events
     * @param fscName         $PnN of FSC-A (polygon x)
     * @param sscName         $PnN of SSC-A (polygon y)
     * @param window          allowed window for the FSC-A boundary (data units)
     */
    public record Options(double range, double sscRange, double debrisModeRatio, double fallbackModeRatio, double coreQuantile,
                          double marginDecades, int minEvents, String fscName, String sscName, AllowedWindow window) {
        public Options {
            Objects.requireNonNull(fscName, "fscName");
            Objects.requireNonNull(sscName, "sscName");
            Objects.requireNonNull(window, "window");
            if (!(range > 1) || !(sscRange > 1) || !(coreQuantile > 0 && coreQuantile <= 1) || !(marginDecades >= 0) || minEvents < 10) {
                throw new IllegalArgumentException("invalid scatter-gate options");
            }
        }

        public static Options defaults() {
            return new Options(262144, 262144, 0.3, 0.2, 0.999, 0.08, 200, "FSC-A", "SSC-A", AllowedWindow.ANY);
        }

        public Options withWindow(AllowedWindow w) {
            return new Options(range, sscRange, debrisModeRatio, fallbackModeRatio, coreQuantile, marginDecades,
                    minEvents, fscName, sscName, w);
        }

        /** The same options with FSC-A and SSC-A both on a scale whose top is {@code r}. */
        public Options withRange(double r) {
            return new Options(r, r, debrisModeRatio, fallbackModeRatio, coreQuantile, marginDecades, minEvents,
                    fscName, sscName, window);
        }
    }

    /** How the debris boundary was placed. */
    public enum Method { DEBRIS_VALLEY, CELL_MODE_FRACTION, NONE }

    /**
     * The gate.
     *
     * @param polygon         the gate in FSC-A × SSC-A data units (null when failed)
     * @param fscThreshold    the debris boundary on FSC-A (data units)
     * @param method          how the boundary was placed
     * @param fscTransform    the transform of the FSC-A density
     * @param fscPeaks        peaks of the log FSC-A density (ascending)
     * @param valleyDepth     depth of the debris valley, NaN without one
     * @param saturationLimit events at or above this FSC-A value are outside (SSC-A: {@code sscRange − 1})
     * @param eventsUsed      usable events
     * @param marginEvents    events left out at the margins
     * @param fractionInside  fraction of usable events inside the polygon
     * @param issues          issues
     */
    public record Result(Polygon polygon, double fscThreshold, Method method, Transform fscTransform,
                         List<DensityThreshold.PeakInfo> fscPeaks, double valleyDepth, double saturationLimit,
                         int eventsUsed, int marginEvents, double fractionInside, List<FitIssue> issues)
            implements FitResult {
        public Result {
            fscPeaks = List.copyOf(fscPeaks);
            issues = List.copyOf(issues);
        }

        /** Whether (fsc, ssc) is inside the gate. */
        public boolean contains(double fsc, double ssc) {
            return polygon != null && polygon.contains(fsc, ssc);
        }
    }

    /** Fits with the defaults. */
    public static Result fit(double[] fscA, double[] sscA) {
        return fit(fscA, sscA, Options.defaults());
    }

    /** Fits the gate; arrays of different lengths give a failed result. */
    public static Result fit(double[] fscA, double[] sscA, Options o) {
        List<FitIssue> issues = new ArrayList<>();
        Transform flog = new LogTransform(o.range(), 5);
        double sat = o.range() - 1;
        double sscSat = o.sscRange() - 1;
        if (fscA.length != sscA.length) {
            issues.add(FitIssue.error(FitIssue.Code.INVALID_INPUT, "FSC-A has " + fscA.length + " values, SSC-A "
                    + sscA.length));
            return failed(flog, sat, 0, 0, issues);
        }
        int n = fscA.length;
        double[] fx = new double[n];
        double[] sx = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            double f = fscA[i];
            double s = sscA[i];
            if (f > 0 && f < sat && s > 0 && s < sscSat) {
                fx[m] = f;
                sx[m] = s;
                m++;
            }
        }
        int margin = n - m;
        if (m < o.minEvents()) {
            issues.add(FitIssue.error(FitIssue.Code.TOO_FEW_EVENTS, m + " usable scatter events, at least "
                    + o.minEvents() + " needed"));
            return failed(flog, sat, m, margin, issues);
        }
        fx = Arrays.copyOf(fx, m);
        sx = Arrays.copyOf(sx, m);
        // 1. debris boundary on log FSC-A
        DensityThreshold.Options dopts = DensityThreshold.Options.builder().transform(flog)
                .minEvents(o.minEvents()).singlePeak(DensityThreshold.PeakRole.POSITIVE).build();
        DensityThreshold.Result fscFit = DensityThreshold.fit(fx, dopts);
        if (fscFit.failed()) {
            issues.addAll(fscFit.issues());
            return failed(flog, sat, m, margin, issues);
        }
        List<DensityThreshold.PeakInfo> peaks = fscFit.peaks();
        Density d = fscFit.density();
        int main = 0;
        for (int k = 1; k < peaks.size(); k++) if (peaks.get(k).mass() > peaks.get(main).mass()) main = k;
        double cellMode = peaks.get(main).dataValue();
        double threshold;
        Method method;
        double depth = Double.NaN;
        if (main > 0 && peaks.get(0).dataValue() < o.debrisModeRatio() * cellMode) {
            int a = d.indexOf(peaks.get(0).position());
            int b = d.indexOf(peaks.get(1).position());
            int v = d.argMinBetween(a, b);
            threshold = flog.inverse(d.x(v));
            depth = 1 - d.y(v) / Math.min(d.y(a), d.y(b));
            method = Method.DEBRIS_VALLEY;
        } else {
            threshold = o.fallbackModeRatio() * cellMode;
            method = Method.CELL_MODE_FRACTION;
            issues.add(FitIssue.info(FitIssue.Code.NO_DEBRIS_PEAK, "no debris peak below "
                    + Stats.fmt(o.debrisModeRatio() * cellMode) + " on FSC-A; boundary at "
                    + Stats.fmt(o.fallbackModeRatio()) + " x the cell mode " + Stats.fmt(cellMode)));
        }
        FitIssue w = o.window().check("FSC-A debris boundary", threshold);
        if (w != null) issues.add(w);
        // 2. hull of the core of the clouds above the boundary, in log10 space
        int k = 0;
        double[] lx = new double[m];
        double[] lyy = new double[m];
        for (int i = 0; i < m; i++) {
            if (fx[i] >= threshold) {
                lx[k] = Math.log10(fx[i]);
                lyy[k] = Math.log10(sx[i]);
                k++;
            }
        }
        if (k < 3) {
            issues.add(FitIssue.error(FitIssue.Code.TOO_FEW_EVENTS, k + " events above the FSC-A boundary"));
            return failed(flog, sat, m, margin, issues);
        }
        lx = Arrays.copyOf(lx, k);
        lyy = Arrays.copyOf(lyy, k);
        double cx = Stats.median(lx);
        double cy = Stats.median(lyy);
        double sdx = Math.max(Stats.mad(lx, cx) * Stats.MAD_TO_SD, 1e-3);
        double sdy = Math.max(Stats.mad(lyy, cy) * Stats.MAD_TO_SD, 1e-3);
        double[] r = new double[k];
        for (int i = 0; i < k; i++) r[i] = Math.hypot((lx[i] - cx) / sdx, (lyy[i] - cy) / sdy);
        double rmax = Stats.quantileSorted(Stats.sorted(r), o.coreQuantile());
        List<double[]> core = new ArrayList<>();
        for (int i = 0; i < k; i++) if (r[i] <= rmax) core.add(new double[] {lx[i], lyy[i]});
        List<double[]> hull = convexHull(core);
        if (hull.size() < 3) {
            issues.add(FitIssue.error(FitIssue.Code.DEGENERATE_DATA, "the scatter core has no area"));
            return failed(flog, sat, m, margin, issues);
        }
        List<double[]> poly = new ArrayList<>();
        for (double[] p : hull) {
            double dx = p[0] - cx;
            double dy = p[1] - cy;
            double len = Math.hypot(dx, dy);
            double f = len == 0 ? 0 : o.marginDecades() / len;
            poly.add(new double[] {Math.pow(10, p[0] + dx * f), Math.pow(10, p[1] + dy * f)});
        }
        poly = clip(poly, 0, threshold, true);
        poly = clip(poly, 0, Math.nextDown(sat), false);
        poly = clip(poly, 1, Math.nextDown(sscSat), false);
        if (poly.size() < 3) {
            issues.add(FitIssue.error(FitIssue.Code.DEGENERATE_DATA, "the scatter polygon vanished when clipped"));
            return failed(flog, sat, m, margin, issues);
        }
        double[] px = new double[poly.size()];
        double[] py = new double[poly.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = poly.get(i)[0];
            py[i] = poly.get(i)[1];
        }
        Polygon polygon = new Polygon(o.fscName(), o.sscName(), px, py);
        int inside = 0;
        for (int i = 0; i < m; i++) if (polygon.contains(fx[i], sx[i])) inside++;
        return new Result(polygon, threshold, method, flog, peaks, depth, sat, m, margin, (double) inside / m, issues);
    }

    private static Result failed(Transform flog, double sat, int used, int margin, List<FitIssue> issues) {
        return new Result(null, Double.NaN, Method.NONE, flog, List.of(), Double.NaN, sat, used, margin, 0, issues);
    }

    /** Andrew's monotone chain; counter-clockwise, no repeated first vertex. */
    static List<double[]> convexHull(List<double[]> pts) {
        List<double[]> p = new ArrayList<>(pts);
        p.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        int n = p.size();
        if (n < 3) return p;
        double[][] h = new double[2 * n][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            while (k >= 2 && cross(h[k - 2], h[k - 1], p.get(i)) <= 0) k--;
            h[k++] = p.get(i);
        }
        for (int i = n - 2, t = k + 1; i >= 0; i--) {
            while (k >= t && cross(h[k - 2], h[k - 1], p.get(i)) <= 0) k--;
            h[k++] = p.get(i);
        }
        return new ArrayList<>(Arrays.asList(h).subList(0, Math.max(0, k - 1)));
    }

    private static double cross(double[] o, double[] a, double[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    /** Sutherland–Hodgman clip against axis {@code axis} ≥ {@code limit} (keepAbove) or ≤ {@code limit}. */
    static List<double[]> clip(List<double[]> poly, int axis, double limit, boolean keepAbove) {
        List<double[]> out = new ArrayList<>();
        int n = poly.size();
        for (int i = 0; i < n; i++) {
            double[] cur = poly.get(i);
            double[] prev = poly.get((i + n - 1) % n);
            boolean curIn = keepAbove ? cur[axis] >= limit : cur[axis] <= limit;
            boolean prevIn = keepAbove ? prev[axis] >= limit : prev[axis] <= limit;
            if (curIn != prevIn) {
                double t = (limit - prev[axis]) / (cur[axis] - prev[axis]);
                double[] q = new double[2];
                q[axis] = limit;
                q[1 - axis] = prev[1 - axis] + t * (cur[1 - axis] - prev[1 - axis]);
                out.add(q);
            }
            if (curIn) out.add(cur);
        }
        return out;
    }
}
