package org.cikqc.sim;

/**
 * A small, fully specified pseudo-random generator (SplitMix64, Steele, Lea &amp; Flood 2014) with Marsaglia-polar
 * Gaussians, so that a seed gives the same stream on every JVM and JDK version (the JDK's generators do not
 * promise that). All transcendental functions go through {@link StrictMath} for the same reason. Not thread-safe.
 */
final class SplitMix64 {
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in (0, 1]: safe for logarithms. */
    double nextOpenDouble() {
        return ((nextLong() >>> 11) + 1) * DOUBLE_UNIT;
    }

    /** Standard normal deviate (Marsaglia polar method). */
    double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * f;
        hasSpare = true;
        return u * f;
    }

    /** Exponential deviate with mean 1. */
    double nextExponential() {
        return -StrictMath.log(nextOpenDouble());
    }

    /** Log-normal deviate with the given median and log-space standard deviation. */
    double nextLogNormal(double median, double sdlog) {
        return median * StrictMath.exp(sdlog * nextGaussian());
    }

    /** True with probability p. */
    boolean nextBoolean(double p) {
        return nextDouble() < p;
    }

    /** Uniform integer in [0, bound). */
    int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) % bound);
    }
}
