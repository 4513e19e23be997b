package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.List;

/**
 * Long level shifts in a series of bin values (flow-rate counts, or a channel's bin medians) for
 * {@link AcquisitionQc}: the running-median baselines of its bin tests take in a change that lasts more than about
 * half their window, so a clog or a signal shift over a tenth or a quarter of the run would pass unseen.
 *
 * <p>The model is a straight course plus shifted segments, {@code y = a + b·u + Σ_S d_S·1_S + noise}, fitted by least
 * squares; the course takes in a steady trend (the sample running down, a slow drift). Candidate segments [s, e)
 * are scanned exhaustively: with the residual r of the series after projecting out the course (and the segments
 * already found) and Q an orthonormal basis of those, a segment's shift is {@code Σ_S r / (|S| − ‖Qᵀ1_S‖²)} and its
 * z {@code Σ_S r / (σ √(|S| − ‖Qᵀ1_S‖²))}, both from prefix sums, so the scan is quadratic in the points. σ is the
 * larger of the noise the caller expects of one point and the robust SD of successive differences (1.4826 × MAD /
 * √2: a shift moves only two differences, so it does not inflate σ).
 *
 * <p>A segment is accepted when its |z| reaches the threshold, its shift the minimum change, it is distinct from a
 * tilt of the course ({@link #MIN_DISTINCT}) and its edges are sharp ({@link #sharp}: a curved course, such as a
 * warm-up that fades, moves little between neighbouring points, a step by its whole size). Segments are found one
 * at a time, best first (each found segment joins the model), up to {@value #MAX_SHIFTS}, disjoint, each of at
 * least {@code minLength} points and at most {@value #MAX_FRACTION} of them, all together at most half: the longer
 * part is the run's normal course, so a run made of two halves is not decided.
 */
final class LevelShift {
    private LevelShift() { }

    /** Columns of the course: a + b·u. */
    private static final int COURSE = 2;
    /** Fewest and most points each side of an edge compared by {@link #sharp}. */
    static final int EDGE = 3;
    static final int EDGE_MAX = 8;
    /** Share of the shift a segment's edges must show ({@link #sharp}). */
    static final double EDGE_SHARE = 0.75;
    /** SEs of the difference across an edge that a segment's edges must show ({@link #sharp}). */
    static final double EDGE_Z = 3;
    /**
     * Least share of a segment's indicator the course and the other segments must leave unexplained
     * ({@code (|S| − ‖Qᵀ1_S‖²) / |S|}): below it, the segment is nearly a tilt of the course (a long segment at one
     * end of the run), and its z would rest on how well a straight line fits the rest.
     */
    static final double MIN_DISTINCT = 0.2;
    /** Shifted segments found at most. */
    static final int MAX_SHIFTS = 3;
    /** Largest fraction of the points one segment may span. */
    static final double MAX_FRACTION = 0.45;

    /**
     * A shifted segment of points [from, to) (indices into the series given).
     *
     * @param shift the fitted shift (segment level minus the course there)
     * @param z     shift / its standard error
     */
    record Shift(int from, int to, double shift, double z) { }

    /**
     * The shifts and the fitted course without them (what a point "should" be).
     *
     * @param shifts the shifted segments, in the order found
     * @param a      constant term of the course a + b·u, with u = 2 (t − t0) / span − 1
     * @param b      linear term
     * @param t0     first position of the series
     * @param span   last position minus the first
     */
    record Fit(List<Shift> shifts, double a, double b, double t0, double span) {
        /** The course at position t. */
        double course(double t) {
            double u = 2 * (t - t0) / span - 1;
            return a + b * u;
        }
    }

    /**
     * Finds the shifted segments of {@code y} at positions {@code t} (increasing).
     *
     * @param pointSd   the SD the caller expects of one point's noise (a floor for σ)
     * @param z         the |z| a segment must reach
     * @param minShift  the |shift| a segment must reach at level {@code level}: {@code minShift.applyAsDouble(level)}
     * @param minLength the fewest points a segment may span (≥ 2)
     * @return the fit, or null when there are too few points (fewer than 3 × minLength) to tell a shift from the
     *         course
     */
    static Fit find(double[] t, double[] y, double pointSd, double z, java.util.function.DoubleUnaryOperator minShift,
                    int minLength) {
        int n = y.length;
        minLength = Math.max(2, minLength);
        if (n < 3 * minLength || n < 6) return null;
        double t0 = t[0];
        double span = t[n - 1] - t[0];
        if (!(span > 0)) return null;
        double sigma = Math.max(pointSd, diffSd(y));
        if (!(sigma > 0)) return null;
        List<double[]> columns = new ArrayList<>();
        double[] one = new double[n];
        double[] lin = new double[n];
        for (int i = 0; i < n; i++) {
            one[i] = 1;
            lin[i] = 2 * (t[i] - t0) / span - 1;
        }
        columns.add(one);
        columns.add(lin);
        int maxLength = (int) Math.floor(MAX_FRACTION * n);
        List<Shift> shifts = new ArrayList<>();
        boolean[] taken = new boolean[n];
        int takenCount = 0;
        while (shifts.size() < MAX_SHIFTS) {
            double[][] q = orthonormal(columns);
            double[] r = residual(y, q);
            double[] course = courseOf(y, columns, shifts.size());
            double[] prefix = prefix(r);
            double[] coursePrefix = prefix(course);
            double[][] qp = new double[q.length][];
            for (int c = 0; c < q.length; c++) qp[c] = prefix(q[c]);
            int[] takenPrefix = new int[n + 1];
            for (int i = 0; i < n; i++) takenPrefix[i + 1] = takenPrefix[i] + (taken[i] ? 1 : 0);
            double bestZ = 0;
            Shift best = null;
            double bestLeast = 0;
            int room = n / 2 - takenCount;
            for (int s = 0; s < n; s++) {
                for (int e = s + minLength; e <= n && e - s <= Math.min(maxLength, room); e++) {
                    if (takenPrefix[e] - takenPrefix[s] > 0) break;
                    double proj = 0;
                    for (double[] p : qp) {
                        double d = p[e] - p[s];
                        proj += d * d;
                    }
                    double den = (e - s) - proj;
                    if (!(den >= MIN_DISTINCT * (e - s))) continue;
                    double sum = prefix[e] - prefix[s];
                    double zz = sum / (sigma * Math.sqrt(den));
                    if (Math.abs(zz) <= Math.abs(bestZ)) continue;
                    double shift = sum / den;
                    double level = (coursePrefix[e] - coursePrefix[s]) / (e - s);
                    double least = minShift.applyAsDouble(level);
                    if (Math.abs(shift) < least) continue;
                    bestZ = zz;
                    best = new Shift(s, e, shift, zz);
                    bestLeast = least;
                }
            }
            // the edges are tested once, on the best segment: tested on every candidate, some would pass by chance
            if (best == null || Math.abs(bestZ) < z
                    || !sharp(t, y, taken, best.from(), best.to(), best.shift(), bestLeast, sigma)) {
                break;
            }
            shifts.add(best);
            double[] ind = new double[n];
            for (int i = best.from(); i < best.to(); i++) {
                ind[i] = 1;
                taken[i] = true;
            }
            takenCount += best.to() - best.from();
            columns.add(ind);
        }
        // final shifts and z with every segment in the model; a segment a later one made insignificant is dropped
        while (true) {
            double[] coef = leastSquares(y, columns);
            List<Shift> out = new ArrayList<>();
            int weakest = -1;
            for (int k = 0; k < shifts.size(); k++) {
                Shift s = shifts.get(k);
                // standard error of the k-th indicator's coefficient: σ / ‖its component orthogonal to the others‖
                List<double[]> others = new ArrayList<>(columns);
                double[] ind = others.remove(COURSE + k);
                double[] rInd = residual(ind, orthonormal(others));
                double norm2 = 0;
                for (double v : rInd) norm2 += v * v;
                double d = coef[COURSE + k];
                Shift f = new Shift(s.from(), s.to(), d, d * Math.sqrt(norm2) / sigma);
                out.add(f);
                if (Math.abs(f.z()) < z && (weakest < 0 || Math.abs(f.z()) < Math.abs(out.get(weakest).z()))) {
                    weakest = k;
                }
            }
            if (weakest < 0) return new Fit(out, coef[0], coef[1], t0, span);
            shifts.remove(weakest);
            columns.remove(COURSE + weakest);
        }
    }

    /** The robust SD of one point's noise from successive differences: 1.4826 × MAD(Δy) / √2. */
    static double diffSd(double[] y) {
        if (y.length < 3) return Double.NaN;
        double[] d = new double[y.length - 1];
        for (int i = 1; i < y.length; i++) d[i - 1] = y[i] - y[i - 1];
        return Stats.mad(d, Stats.median(d)) * Stats.MAD_TO_SD / Math.sqrt(2);
    }

    /** The course a + b·u of the least-squares fit with the course columns and the first k segments. */
    private static double[] courseOf(double[] y, List<double[]> columns, int k) {
        double[] coef = leastSquares(y, columns.subList(0, COURSE + k));
        int n = y.length;
        double[] course = new double[n];
        for (int i = 0; i < n; i++) course[i] = coef[0] * columns.get(0)[i] + coef[1] * columns.get(1)[i];
        return course;
    }

    /**
     * Whether segment [s, e) has sharp edges. At each edge inside the series, a line through the k points just inside
     * and a line through the k nearest points just outside (skipping points of segments already found) each give
     * the level at their point next to the edge (or, see {@link #edge}, one point further); the difference, in the shift's direction, must reach
     * {@value #EDGE_SHARE} of the shift, the minimum change, and {@value #EDGE_Z} SEs of such a difference. k is half
     * the segment, between {@value #EDGE} and {@value #EDGE_MAX} points. A trend, or a curve such as a U-shaped
     * drift, hardly moves between neighbouring points, so its two levels nearly meet; a step separates them by its
     * whole size.
     */
    static boolean sharp(double[] t, double[] y, boolean[] taken, int s, int e, double shift, double least,
                         double sigma) {
        int k = Math.max(Math.min(EDGE, e - s), Math.min(EDGE_MAX, (e - s) / 2));
        double share = Math.max(least, EDGE_SHARE * Math.abs(shift));
        return (s == 0 || edge(t, y, taken, s, s - 1, -1, k, shift, share, sigma))
                && (e == y.length || edge(t, y, taken, e - 1, e, 1, k, shift, share, sigma));
    }

    /**
     * One edge of {@link #sharp}, between the segment's point {@code in} and the outside point {@code out}
     * ({@code step}: direction from in to out): the levels next to the edge, or one point further on both sides
     * (a bin the change covers in part sits next to the edge), whichever differ more.
     */
    private static boolean edge(double[] t, double[] y, boolean[] taken, int in, int out, int step, int k,
                                double shift, double share, double sigma) {
        double dir = Math.signum(shift);
        for (int skip = 0; skip <= 1; skip++) {
            double[] a = side(t, y, taken, in, -step, k, skip);
            double[] b = side(t, y, taken, out, step, k, skip);
            if (a == null || b == null) return b == null;
            if ((a[0] - b[0]) * dir >= Math.max(share, EDGE_Z * sigma * Math.hypot(a[1], b[1]))) return true;
        }
        return false;
    }

    /**
     * The line through up to k points not taken from {@code from} in direction {@code step}, after skipping the first
     * {@code skip} of them, at the first point used: {value, SE in units of σ}; with fewer than 3 points their mean
     * ({value, 1/√m}); null when none.
     */
    private static double[] side(double[] t, double[] y, boolean[] taken, int from, int step, int k, int skip) {
        double[] xs = new double[k];
        double[] ys = new double[k];
        int m = 0;
        int skipped = 0;
        for (int i = from; i >= 0 && i < y.length && m < k; i += step) {
            if (taken[i]) continue;
            if (skipped < skip) {
                skipped++;
                continue;
            }
            xs[m] = t[i];
            ys[m] = y[i];
            m++;
        }
        if (m == 0) return null;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < m; i++) {
            mx += xs[i];
            my += ys[i];
        }
        mx /= m;
        my /= m;
        if (m < 3) return new double[] {my, 1 / Math.sqrt(m)};
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < m; i++) {
            sxx += (xs[i] - mx) * (xs[i] - mx);
            sxy += (xs[i] - mx) * (ys[i] - my);
        }
        double d = xs[0] - mx;
        return new double[] {my + sxy / sxx * d, Math.sqrt(1.0 / m + d * d / sxx)};
    }


    /** Least-squares coefficients of y on the columns (normal equations via the orthonormal basis). */
    private static double[] leastSquares(double[] y, List<double[]> columns) {
        int p = columns.size();
        int n = y.length;
        double[][] a = new double[p][p + 1];
        for (int j = 0; j < p; j++) {
            double[] cj = columns.get(j);
            for (int k = 0; k < p; k++) {
                double[] ck = columns.get(k);
                double s = 0;
                for (int i = 0; i < n; i++) s += cj[i] * ck[i];
                a[j][k] = s;
            }
            double s = 0;
            for (int i = 0; i < n; i++) s += cj[i] * y[i];
            a[j][p] = s;
        }
        // Gaussian elimination with partial pivoting (p ≤ COURSE + MAX_SHIFTS)
        for (int c = 0; c < p; c++) {
            int piv = c;
            for (int r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] tmp = a[c];
            a[c] = a[piv];
            a[piv] = tmp;
            if (a[c][c] == 0) continue;
            for (int r = 0; r < p; r++) {
                if (r == c) continue;
                double f = a[r][c] / a[c][c];
                for (int k = c; k <= p; k++) a[r][k] -= f * a[c][k];
            }
        }
        double[] coef = new double[p];
        for (int c = 0; c < p; c++) coef[c] = a[c][c] == 0 ? 0 : a[c][p] / a[c][c];
        return coef;
    }

    /** An orthonormal basis of the columns' span (modified Gram–Schmidt; dependent columns dropped). */
    private static double[][] orthonormal(List<double[]> columns) {
        List<double[]> q = new ArrayList<>();
        for (double[] col : columns) {
            double[] v = col.clone();
            for (int pass = 0; pass < 2; pass++) { // twice is enough for double precision
                for (double[] b : q) {
                    double d = dot(v, b);
                    for (int i = 0; i < v.length; i++) v[i] -= d * b[i];
                }
            }
            double norm = Math.sqrt(dot(v, v));
            if (norm > 1e-9 * Math.sqrt(dot(col, col))) {
                for (int i = 0; i < v.length; i++) v[i] /= norm;
                q.add(v);
            }
        }
        return q.toArray(new double[0][]);
    }

    private static double[] residual(double[] y, double[][] q) {
        double[] r = y.clone();
        for (double[] b : q) {
            double d = dot(y, b);
            for (int i = 0; i < r.length; i++) r[i] -= d * b[i];
        }
        return r;
    }

    private static double[] prefix(double[] v) {
        double[] p = new double[v.length + 1];
        for (int i = 0; i < v.length; i++) p[i + 1] = p[i] + v[i];
        return p;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
