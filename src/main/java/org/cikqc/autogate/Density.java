package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-dimensional Gaussian kernel density estimate on an even grid (linear binning, then convolution with the
 * sampled kernel out to 4 bandwidths), with peak and valley analysis. Values are in whatever space the caller
 * passes (usually transformed display units). Immutable: array accessors return copies.
 *
 * @param grid      grid positions, ascending and evenly spaced
 * @param values    density at each grid position (integrates to the fraction of events inside the grid)
 * @param bandwidth kernel standard deviation
 * @param rule      the rule that chose the bandwidth
 * @param n         number of values estimated from
 */
public record Density(double[] grid, double[] values, double bandwidth, BandwidthRule rule, int n) {

    /** Default number of grid points (as R's {@code density}). */
    public static final int DEFAULT_GRID = 512;

    /** How the bandwidth is chosen from the data. */
    public enum BandwidthRule {
        /** Silverman's rule of thumb: 0.9 · min(sd, IQR/1.34) · n^(−1/5) (R's {@code bw.nrd0}). */
        SILVERMAN,
        /** Scott's rule: 1.06 · min(sd, IQR/1.34) · n^(−1/5) (R's {@code bw.nrd}). */
        SCOTT
    }

    /** A local maximum of the density. */
    public record Peak(int index, double position, double height, double prominence, double mass) {
        /** Prominence relative to the height, 0..1. */
        public double relativeProminence() { return height == 0 ? 0 : prominence / height; }
    }

    public Density {
        grid = grid.clone();
        values = values.clone();
        if (grid.length != values.length || grid.length < 3) throw new IllegalArgumentException("bad grid");
    }

    @Override
    public double[] grid() { return grid.clone(); }

    @Override
    public double[] values() { return values.clone(); }

    /** Grid spacing. */
    public double step() { return grid[1] - grid[0]; }

    /** Number of grid points. */
    public int size() { return grid.length; }

    /** Grid position i. */
    public double x(int i) { return grid[i]; }

    /** Density at grid position i. */
    public double y(int i) { return values[i]; }

    /** The bandwidth {@code rule} gives for {@code finite} values, times {@code adjust}; 0 when they have no spread. */
    public static double bandwidth(double[] finite, BandwidthRule rule, double adjust) {
        int n = finite.length;
        if (n < 2) return 0;
        double[] s = Stats.sorted(finite);
        double iqr = Stats.quantileSorted(s, 0.75) - Stats.quantileSorted(s, 0.25);
        double sd = Stats.sd(finite);
        double spread = Math.min(sd, iqr / 1.349);
        if (!(spread > 0)) spread = sd > 0 ? sd : 0; // more than half the values tied: fall back to the SD
        double factor = rule == BandwidthRule.SCOTT ? 1.06 : 0.9;
        return adjust * factor * spread * Math.pow(n, -0.2);
    }

    /**
     * Estimates the density of the finite {@code values}. The grid spans the data ± 3 bandwidths; when a few
     * extreme values would stretch it beyond 40 inter-quartile ranges, it is limited to the 0.05–99.95 % quantiles
     * widened by the same margin and values outside are left out of the grid (but still count in n).
     *
     * @throws IllegalArgumentException if fewer than 2 finite values or no spread (callers check first)
     */
    public static Density estimate(double[] values, BandwidthRule rule, double adjust, int gridSize) {
        double[] x = Stats.finite(values);
        double h = bandwidth(x, rule, adjust);
        if (x.length < 2 || !(h > 0)) throw new IllegalArgumentException("density needs >= 2 distinct finite values");
        double[] s = Stats.sorted(x);
        double lo = s[0];
        double hi = s[s.length - 1];
        double iqr = Stats.quantileSorted(s, 0.75) - Stats.quantileSorted(s, 0.25);
        if (iqr > 0 && hi - lo > 40 * iqr) {
            lo = Stats.quantileSorted(s, 0.0005);
            hi = Stats.quantileSorted(s, 0.9995);
        }
        lo -= 3 * h;
        hi += 3 * h;
        int g = Math.max(16, gridSize);
        double step = (hi - lo) / (g - 1);
        double[] grid = new double[g];
        for (int i = 0; i < g; i++) grid[i] = lo + i * step;
        // linear binning
        double[] w = new double[g];
        for (double v : x) {
            double pos = (v - lo) / step;
            if (pos < 0 || pos > g - 1) continue;
            int i = (int) Math.floor(pos);
            double f = pos - i;
            if (i >= g - 1) {
                w[g - 1] += 1;
            } else {
                w[i] += 1 - f;
                w[i + 1] += f;
            }
        }
        int reach = (int) Math.ceil(4 * h / step);
        double[] kernel = new double[reach + 1];
        double norm = 1.0 / (x.length * h * Math.sqrt(2 * Math.PI));
        for (int k = 0; k <= reach; k++) {
            double z = k * step / h;
            kernel[k] = norm * Math.exp(-0.5 * z * z);
        }
        double[] dens = new double[g];
        for (int i = 0; i < g; i++) {
            if (w[i] == 0) continue;
            int from = Math.max(0, i - reach);
            int to = Math.min(g - 1, i + reach);
            for (int j = from; j <= to; j++) dens[j] += w[i] * kernel[Math.abs(j - i)];
        }
        return new Density(grid, dens, h, rule, x.length);
    }

    /** The grid index nearest to position {@code v} (clamped). */
    public int indexOf(double v) {
        int i = (int) Math.round((v - grid[0]) / step());
        return Math.max(0, Math.min(grid.length - 1, i));
    }

    /** The estimated fraction of events between grid indices a and b (inclusive). */
    public double massBetween(int a, int b) {
        double m = 0;
        for (int i = a; i <= b; i++) m += values[i];
        return m * step();
    }

    /** Index of the highest density. */
    public int argMax() {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /** Index of the lowest density strictly between grid indices {@code a} and {@code b} (a &lt; b − 1). */
    public int argMinBetween(int a, int b) {
        int best = a + 1;
        for (int i = a + 1; i < b; i++) if (values[i] < values[best]) best = i;
        return best;
    }

    /**
     * The valley between grid indices a and b (exclusive): the lowest point, or, when the lowest value is held by a
     * run of neighbouring grid points (an empty gap between well separated populations, where the truncated kernel
     * gives exact zeros), the middle of that run rather than its first point, which would hug the lower
     * population's edge.
     */
    public int valleyBetween(int a, int b) {
        int best = argMinBetween(a, b);
        int end = best;
        while (end + 1 < b && values[end + 1] == values[best]) end++;
        return (best + end) / 2;
    }

    /**
     * The local maxima that are real peaks. First, a local maximum must have a topographic prominence (height
     * above the higher of the two saddles that separate it from higher ground) of at least {@code minProminence}
     * × its height and of at least {@code z} standard errors of the estimate (Var f̂(x) ≈ f(x) / (2√π n h) for a
     * Gaussian kernel), so that sampling noise does not make peaks. Then each surviving peak owns the basin between
     * the lowest points separating it from its surviving neighbours; a peak lower than {@code minHeight} × the
     * highest, or with less than {@code minMass} of the events in its basin, is merged into its neighbours (its
     * basin joins theirs) until all remaining peaks pass. Ascending by position.
     */
    public List<Peak> peaks(double minHeight, double minProminence, double minMass, double z) {
        double max = values[argMax()];
        int g = values.length;
        List<int[]> cand = new ArrayList<>(); // {index}
        List<Double> prom = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            double v = values[i];
            boolean rises = i == 0 || v > values[i - 1];
            boolean falls = i == g - 1 || v >= values[i + 1];
            if (!rises || !falls || v <= 0) continue;
            double leftMin = v;
            int j = i - 1;
            while (j >= 0 && values[j] <= v) leftMin = Math.min(leftMin, values[j--]);
            double rightMin = v;
            j = i + 1;
            while (j < g && values[j] <= v) rightMin = Math.min(rightMin, values[j++]);
            double prominence = v - Math.max(leftMin, rightMin);
            double base = v - prominence;
            double se = Math.sqrt((v + base) / (2 * Math.sqrt(Math.PI) * n * bandwidth));
            if (prominence >= minProminence * v && prominence >= z * se) {
                cand.add(new int[] {i});
                prom.add(prominence);
            }
        }
        while (true) {
            int k = cand.size();
            if (k == 0) return List.of();
            double[] mass = new double[k];
            for (int c = 0; c < k; c++) {
                int from = c == 0 ? 0 : argMinBetween(cand.get(c - 1)[0], cand.get(c)[0]);
                int to = c == k - 1 ? g - 1 : argMinBetween(cand.get(c)[0], cand.get(c + 1)[0]);
                mass[c] = massBetween(from, to);
            }
            int worst = -1;
            for (int c = 0; c < k; c++) {
                boolean fails = values[cand.get(c)[0]] < minHeight * max || mass[c] < minMass;
                if (fails && (worst < 0 || mass[c] < mass[worst])) worst = c;
            }
            if (worst < 0 || k == 1) {
                List<Peak> out = new ArrayList<>();
                for (int c = 0; c < k; c++) {
                    int i = cand.get(c)[0];
                    out.add(new Peak(i, grid[i], values[i], prom.get(c), mass[c]));
                }
                return out;
            }
            cand.remove(worst);
            prom.remove(worst);
        }
    }
}
