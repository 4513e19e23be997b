package org.cikqc.transform;

/**
 * Gating-ML 2.0 {@code fasinh}:
 * {@code fasinh(x, T, M, A) = (asinh(x sinh(M ln10) / T) + A ln10) / ((M + A) ln10)}. It equals
 * {@code logicle(T, W=0, M, A)}. Inverse: {@code x = T sinh(((M + A) y - A) ln10) / sinh(M ln10)}.
 *
 * <p>Constraints: T &gt; 0, M &gt; 0, A &gt;= 0.
 *
 * @param t top of scale T
 * @param m number of decades M
 * @param a additional negative decades A
 */
public record AsinhTransform(double t, double m, double a) implements Transform {

    public AsinhTransform {
        TMath.positive("fasinh", "T", t);
        TMath.positive("fasinh", "M", m);
        TMath.finite("fasinh", "A", a);
        if (!(a >= 0)) throw org.cikqc.common.CikqcException.spec("fasinh: A=" + TMath.fmt(a) + " must be >= 0");
    }

    @Override
    public double apply(double x) {
        return (TMath.asinh(x * (Math.sinh(m * TMath.LN10) / t)) + a * TMath.LN10) / ((m + a) * TMath.LN10);
    }

    @Override
    public double inverse(double y) {
        return t * Math.sinh(((m + a) * y - a) * TMath.LN10) / Math.sinh(m * TMath.LN10);
    }

    @Override
    public void applyInPlace(double[] v, int n) {
        if (n > v.length) throw new IndexOutOfBoundsException("n=" + n + " > length " + v.length);
        double scale = Math.sinh(m * TMath.LN10) / t;
        double off = a * TMath.LN10;
        double den = (m + a) * TMath.LN10;
        for (int i = 0; i < n; i++) v[i] = (TMath.asinh(v[i] * scale) + off) / den;
    }

    @Override
    public String describe() {
        return "fasinh(T=" + TMath.fmt(t) + ", M=" + TMath.fmt(m) + ", A=" + TMath.fmt(a) + ")";
    }
}
