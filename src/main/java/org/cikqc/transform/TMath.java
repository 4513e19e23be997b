package org.cikqc.transform;

import java.math.BigDecimal;

import org.cikqc.common.CikqcException;

/** Package-private numeric and validation helpers shared by the transforms. */
final class TMath {
    private TMath() { }

    static final double LN10 = Math.log(10.0);

    /** Accurate inverse hyperbolic sine (Java has none): log1p-based near 0, log(2|x|) for huge |x|. */
    static double asinh(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) return x;
        double ax = Math.abs(x);
        double r;
        if (ax > 1e150) {
            r = Math.log(ax) + Math.log(2.0);
        } else {
            double x2 = ax * ax;
            r = Math.log1p(ax + x2 / (1.0 + Math.sqrt(1.0 + x2)));
        }
        return x < 0 ? -r : r;
    }

    /** Compact decimal form for {@code describe()}: 262144, 0.5, -7.943282. */
    static String fmt(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Inf" : "-Inf";
        if (v == 0) return "0";
        String s = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s.length() <= 24 ? s : Double.toString(v);
    }

    /** Throws a spec error unless {@code v} is finite. */
    static void finite(String transform, String name, double v) {
        if (!Double.isFinite(v)) {
            throw CikqcException.spec(transform + ": " + name + "=" + fmt(v) + " must be a finite number");
        }
    }

    /** Throws a spec error unless {@code v} is finite and &gt; 0. */
    static void positive(String transform, String name, double v) {
        finite(transform, name, v);
        if (!(v > 0)) throw CikqcException.spec(transform + ": " + name + "=" + fmt(v) + " must be > 0");
    }

    /** Validates the logicle/hyperlog family constraints on W and A (T and M already checked). */
    static void widthAndA(String transform, double w, double m, double a, boolean zeroWidthAllowed) {
        if (zeroWidthAllowed ? !(w >= 0 && w <= m / 2) : !(w > 0 && w <= m / 2)) {
            throw CikqcException.spec(transform + ": W=" + fmt(w) + " must satisfy "
                    + (zeroWidthAllowed ? "0 <= W" : "0 < W") + " <= M/2 (M=" + fmt(m) + ")");
        }
        if (!(a >= -w && a <= m - 2 * w)) {
            throw CikqcException.spec(transform + ": A=" + fmt(a) + " must satisfy -W <= A <= M-2W (W=" + fmt(w)
                    + ", M=" + fmt(m) + ")");
        }
    }

    /** The precomputed constants of a biexponential (logicle, hyperlog) parameter set. */
    interface Scale {
        double scale(double value);

        double inverse(double scale);
    }

    /** The parameter checks shared by logicle and hyperlog: T, M positive, W and A finite, then the W/A bounds. */
    static void biexponential(String transform, double t, double w, double m, double a, boolean zeroWidthAllowed) {
        positive(transform, "T", t);
        positive(transform, "M", m);
        finite(transform, "W", w);
        finite(transform, "A", a);
        widthAndA(transform, w, m, a, zeroWidthAllowed);
    }

    /** {@code name(T=…, W=…, M=…, A=…)}. */
    static String describe(String name, double t, double w, double m, double a) {
        return name + "(T=" + fmt(t) + ", W=" + fmt(w) + ", M=" + fmt(m) + ", A=" + fmt(a) + ")";
    }

    /** {@code v[i] = s.scale(v[i])} for i in [0, n), with the constants looked up once. */
    static void scaleInPlace(Scale s, double[] v, int n) {
        if (n > v.length) throw new IndexOutOfBoundsException("n=" + n + " > length " + v.length);
        for (int i = 0; i < n; i++) v[i] = s.scale(v[i]);
    }

    /** {@code v[i] = s.inverse(v[i])} for i in [0, n). */
    static void inverseInPlace(Scale s, double[] v, int n) {
        if (n > v.length) throw new IndexOutOfBoundsException("n=" + n + " > length " + v.length);
        for (int i = 0; i < n; i++) v[i] = s.inverse(v[i]);
    }
}
