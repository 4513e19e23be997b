package org.cikqc.autogate;

import java.util.Random;

/** Seeded synthetic arrays for fitter tests. */
final class Synthetic {
    private Synthetic() { }

    /** n1 values N(m1, s1) followed by n2 values N(m2, s2). */
    static double[] mixture(long seed, int n1, double m1, double s1, int n2, double m2, double s2) {
        Random r = new Random(seed);
        double[] v = new double[n1 + n2];
        for (int i = 0; i < n1; i++) v[i] = m1 + s1 * r.nextGaussian();
        for (int i = 0; i < n2; i++) v[n1 + i] = m2 + s2 * r.nextGaussian();
        return v;
    }

    /** n log-normal values with the given median and log-SD. */
    static double[] logNormal(long seed, int n, double median, double sdlog) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = median * Math.exp(sdlog * r.nextGaussian());
        return v;
    }

    static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) n += p.length;
        double[] out = new double[n];
        int k = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }
}
