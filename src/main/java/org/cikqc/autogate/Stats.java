package org.cikqc.autogate;

import java.util.Arrays;
import java.util.Locale;

/** Small robust-statistics helpers on plain arrays (package-private; inputs are never modified). */
final class Stats {
    private Stats() { }

    /** 1 / Φ⁻¹(0.75): scales a MAD to a normal standard deviation. */
    static final double MAD_TO_SD = 1.482602218505602;

    /** The finite values of {@code v} (a new array). */
    static double[] finite(double[] v) {
        int n = 0;
        for (double x : v) if (Double.isFinite(x)) n++;
        if (n == v.length) return v.clone();
        double[] out = new double[n];
        int k = 0;
        for (double x : v) if (Double.isFinite(x)) out[k++] = x;
        return out;
    }

    /** A sorted copy. */
    static double[] sorted(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c;
    }

    /** Quantile p (0..1) of sorted values, linear interpolation between order statistics (R type 7). */
    /**
     * Sorts {@code idx} by {@code key[idx[i]]} ascending ({@link Double#compare} order), stably: indices of equal keys
     * keep their order. A merge sort on primitives (a boxed {@code Integer[]} sort allocates an object per event).
     */
    static void sortIndicesBy(double[] key, int[] idx) {
        int n = idx.length;
        if (n < 2) return;
        int[] a = idx;
        int[] b = new int[n];
        for (int lo = 0; lo < n; lo += INSERTION_RUN) { // short runs by insertion, then merges of doubling width
            int hi = Math.min(lo + INSERTION_RUN, n);
            for (int i = lo + 1; i < hi; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= lo && Double.compare(key[a[j]], key[v]) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }
        for (int width = INSERTION_RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) b[k++] = Double.compare(key[a[j]], key[a[i]]) < 0 ? a[j++] : a[i++];
                while (i < mid) b[k++] = a[i++];
                while (j < hi) b[k++] = a[j++];
            }
            int[] t = a;
            a = b;
            b = t;
        }
        if (a != idx) System.arraycopy(a, 0, idx, 0, n);
    }

    private static final int INSERTION_RUN = 32;

    static double quantileSorted(double[] s, double p) {
        if (s.length == 0) return Double.NaN;
        double h = (s.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    static double median(double[] v) {
        return quantileSorted(sorted(v), 0.5);
    }

    /** Median absolute deviation from {@code center}, unscaled. */
    static double mad(double[] v, double center) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = Math.abs(v[i] - center);
        return median(d);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) return Double.NaN;
        double m = mean(v);
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    /** Compact number for messages: 4 significant digits. */
    static String fmt(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+inf" : "-inf";
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
