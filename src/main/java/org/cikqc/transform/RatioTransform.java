package org.cikqc.transform;

/**
 * Gating-ML 2.0 {@code fratio}: {@code fratio(x1, x2) = A (x1 - B) / (x2 - C)}, a new dimension computed from two
 * (compensated) FCS dimensions. Not a {@link Transform}: it takes two inputs and has no inverse.
 *
 * <p>Division follows IEEE 754 exactly as written: x2 = C gives {@code ±Infinity} when A (x1 - B) != 0 and
 * {@code NaN} when it is 0 (0/0); NaN inputs give NaN. No clamping or special-casing is applied, matching the
 * reference vectors (e.g. fratio(5, 0; A=1, B=0, C=0) = +Infinity).
 *
 * <p>Constraints: A, B, C finite.
 *
 * @param a scale A
 * @param b numerator offset B
 * @param c denominator offset C
 */
public record RatioTransform(double a, double b, double c) {

    public RatioTransform {
        TMath.finite("fratio", "A", a);
        TMath.finite("fratio", "B", b);
        TMath.finite("fratio", "C", c);
    }

    /** A (x1 - B) / (x2 - C). */
    public double apply(double x1, double x2) { return a * (x1 - b) / (x2 - c); }

    /** out[i] = apply(x1[i], x2[i]) for i in [0, n); out may alias x1 or x2. */
    public void apply(double[] x1, double[] x2, int n, double[] out) {
        for (int i = 0; i < n; i++) out[i] = a * (x1[i] - b) / (x2[i] - c);
    }

    /** Short description, e.g. {@code fratio(A=1, B=0, C=0)}. */
    public String describe() {
        return "fratio(A=" + TMath.fmt(a) + ", B=" + TMath.fmt(b) + ", C=" + TMath.fmt(c) + ")";
    }
}
