package org.cikqc.transform;

import org.cikqc.common.CikqcException;

/**
 * Gating-ML 2.0 {@code flin}: {@code flin(x, T, A) = (x + A) / (T + A)}, mapping [-A, T] linearly onto [0, 1]
 * (defined for every x). Inverse: {@code x = y (T + A) - A}.
 *
 * <p>Constraints: T &gt; 0 and -T &lt; A &lt;= T (the XSD's intended {@code T >= A}; A &gt; -T keeps the
 * denominator positive).
 *
 * @param t top of scale T
 * @param a bottom offset A
 */
public record LinearTransform(double t, double a) implements Transform {

    public LinearTransform {
        TMath.positive("flin", "T", t);
        TMath.finite("flin", "A", a);
        if (!(a > -t && a <= t)) {
            throw CikqcException.spec("flin: A=" + TMath.fmt(a) + " must satisfy -T < A <= T (T=" + TMath.fmt(t) + ")");
        }
    }

    @Override
    public double apply(double x) { return (x + a) / (t + a); }

    @Override
    public double inverse(double y) { return y * (t + a) - a; }

    @Override
    public String describe() { return "flin(T=" + TMath.fmt(t) + ", A=" + TMath.fmt(a) + ")"; }
}
