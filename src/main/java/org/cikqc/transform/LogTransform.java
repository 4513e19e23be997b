package org.cikqc.transform;

/**
 * Gating-ML 2.0 {@code flog}: {@code flog(x, T, M) = log10(x / T) / M + 1}, mapping (0, T] onto (-inf, 1] with M
 * decades per unit. Undefined for x &lt;= 0: following IEEE (and the reference vectors) x = 0 gives
 * {@code -Infinity} and x &lt; 0 gives {@code NaN}. Inverse: {@code x = T 10^((y - 1) M)}.
 *
 * <p>Constraints: T &gt; 0, M &gt; 0.
 *
 * @param t top of scale T
 * @param m number of decades M
 */
public record LogTransform(double t, double m) implements Transform {

    public LogTransform {
        TMath.positive("flog", "T", t);
        TMath.positive("flog", "M", m);
    }

    @Override
    public double apply(double x) { return Math.log10(x / t) / m + 1.0; }

    @Override
    public double inverse(double y) { return t * Math.pow(10.0, (y - 1.0) * m); }

    @Override
    public String describe() { return "flog(T=" + TMath.fmt(t) + ", M=" + TMath.fmt(m) + ")"; }
}
