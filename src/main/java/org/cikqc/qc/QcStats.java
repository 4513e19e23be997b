package org.cikqc.qc;

/**
 * Counting statistics of a population fraction k/n: Wilson score interval, binomial standard error and counting
 * CV, Poisson CV of a count, and the LLOQ class. Pure functions; proportions are in [0, 1].
 */
public final class QcStats {

    /** The two-sided 95 % standard-normal quantile z(0.975). */
    public static final double Z95 = 1.959963984540054;

    private QcStats() { }

    /**
     * The Wilson score interval of k successes in n trials at the given z, as proportions in [0, 1]. For n = 0 the
     * interval is [0, 1] (nothing is known).
     *
     * @throws IllegalArgumentException when k &lt; 0, n &lt; 0, k &gt; n or z is not positive
     */
    public static Interval wilson(long k, long n, double z) {
        check(k, n);
        if (!(z > 0) || !Double.isFinite(z)) throw new IllegalArgumentException("z must be positive: " + z);
        if (n == 0) return new Interval(0, 1);
        double nn = n;
        double p = k / nn;
        double z2 = z * z;
        double denom = 1 + z2 / nn;
        double center = (p + z2 / (2 * nn)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
        double lo = k == 0 ? 0.0 : Math.max(0.0, center - half);
        double hi = k == n ? 1.0 : Math.min(1.0, center + half);
        return new Interval(lo, hi);
    }

    /** The Wilson 95 % interval of k/n as proportions. */
    public static Interval wilson95(long k, long n) { return wilson(k, n, Z95); }

    /** The binomial standard error sqrt(p(1−p)/n) of the proportion k/n; NaN for n = 0. */
    public static double binomialSe(long k, long n) {
        check(k, n);
        if (n == 0) return Double.NaN;
        double p = (double) k / n;
        return Math.sqrt(p * (1 - p) / n);
    }

    /**
     * The counting CV of the proportion k/n: SE / p = sqrt((1−p)/k). 0 when k = n; +∞ when k = 0; NaN for n = 0.
     * Example: 200 of 1,000 → 6.3 %; 2,000 of 10,000 → 2.0 % (domain study §2.6).
     */
    public static double countingCv(long k, long n) {
        check(k, n);
        if (n == 0) return Double.NaN;
        if (k == 0) return Double.POSITIVE_INFINITY;
        double p = (double) k / n;
        return Math.sqrt((1 - p) / k);
    }

    /** The Poisson CV 1/√k of a count (25 → 20 %, 100 → 10 %, 400 → 5 %); +∞ for k = 0. */
    public static double poissonCv(long k) {
        if (k < 0) throw new IllegalArgumentException("count must be ≥ 0: " + k);
        return k == 0 ? Double.POSITIVE_INFINITY : 1.0 / Math.sqrt(k);
    }

    /**
     * The LLOQ class of a population of {@code count} events: {@link Lloq#OK} at or above {@code minForLimit},
     * {@link Lloq#BELOW_LLOQ} below {@code lloq}, else {@link Lloq#IMPRECISE}.
     */
    public static Lloq classify(long count, long minForLimit, long lloq) {
        if (count < 0) throw new IllegalArgumentException("count must be ≥ 0: " + count);
        if (lloq > minForLimit) throw new IllegalArgumentException("lloq " + lloq + " > minForLimit " + minForLimit);
        if (count >= minForLimit) return Lloq.OK;
        if (count < lloq) return Lloq.BELOW_LLOQ;
        return Lloq.IMPRECISE;
    }

    private static void check(long k, long n) {
        if (k < 0 || n < 0 || k > n) throw new IllegalArgumentException("need 0 ≤ k ≤ n, got k=" + k + " n=" + n);
    }
}
