package org.cikqc.transform;

/**
 * Gating-ML 2.0 {@code hyperlog} (Bagwell 2005, as specified by Gating-ML): y is the root of {@code EH(y) - x} with
 * {@code EH(y) = a e^(by) + c y - f} for y &gt;= x1 and odd about x1 (EH(2 x1 - y) = -EH(y)); w = W/(M+A),
 * x2 = A/(M+A), x1 = x2 + w, x0 = x2 + 2w, b = (M+A) ln10, e0 = e^(b x0), ca = e0/w, fa = e^(b x1) + ca x1,
 * a = T/(e^b + ca - fa), c = ca a, f = fa a.
 *
 * <p>Evaluated like {@link LogicleTransform}: safeguarded Halley iteration, 16-term Taylor series around x1 for
 * |y - x1| &lt; w/4, closed-form inverse. Constants are cached per parameter set.
 *
 * <p>Constraints: T &gt; 0, M &gt; 0, 0 &lt; W &lt;= M/2 (W = 0 is invalid for hyperlog), -W &lt;= A &lt;= M - 2W.
 *
 * @param t top of scale T
 * @param w linearization width W in decades
 * @param m number of decades M
 * @param a additional negative decades A
 */
public record HyperlogTransform(double t, double w, double m, double a) implements Transform {

    private static final ParamCache<HyperlogTransform, Consts> CACHE = new ParamCache<>(Consts::new);

    public HyperlogTransform {
        TMath.biexponential("hyperlog", t, w, m, a, false);
    }

    private Consts consts() { return CACHE.get(this); }

    @Override
    public double apply(double x) { return consts().scale(x); }

    @Override
    public double inverse(double y) { return consts().inverse(y); }

    @Override
    public void applyInPlace(double[] v, int n) { TMath.scaleInPlace(consts(), v, n); }

    @Override
    public void inverseInPlace(double[] v, int n) { TMath.inverseInPlace(consts(), v, n); }

    @Override
    public String describe() {
        return TMath.describe("hyperlog", t, w, m, a);
    }

    /** Precomputed constants of one parameter set. */
    static final class Consts implements TMath.Scale {
        private static final int TAYLOR_LENGTH = 16;
        private static final double EPSILON = Math.ulp(1.0);
        /** Above this |data| value exp(b y) could overflow; the pure exponential is exact to the ulp there. */
        private static final double HUGE = 1e250;

        final double x1;
        final double b;
        final double a;
        final double c;
        final double f;
        final double xTaylor;
        final double[] taylor;

        Consts(HyperlogTransform p) {
            double ww = p.w() / (p.m() + p.a());
            double x2 = p.a() / (p.m() + p.a());
            this.x1 = x2 + ww;
            double x0 = x2 + 2 * ww;
            this.b = (p.m() + p.a()) * TMath.LN10;
            double e0 = Math.exp(b * x0);
            double ca = e0 / ww;
            double fa = Math.exp(b * x1) + ca * x1;
            this.a = p.t() / ((Math.exp(b) + ca) - fa);
            this.c = ca * a;
            this.f = fa * a;
            this.xTaylor = x1 + ww / 4;
            this.taylor = new double[TAYLOR_LENGTH];
            double coef = a * Math.exp(b * x1);
            for (int i = 0; i < TAYLOR_LENGTH; i++) {
                coef *= b / (i + 1);
                taylor[i] = coef;
            }
            taylor[0] += c; // the linear term of c y
        }

        /** Taylor series of EH around x1: sum taylor[i] (y - x1)^(i+1). */
        double series(double scale) {
            double x = scale - x1;
            double sum = taylor[TAYLOR_LENGTH - 1] * x;
            for (int i = TAYLOR_LENGTH - 2; i >= 1; i--) sum = (sum + taylor[i]) * x;
            return (sum + taylor[0]) * x;
        }

        @Override
        public double scale(double value) {
            if (value == 0) return x1;
            if (Double.isNaN(value) || Double.isInfinite(value)) return value;
            boolean negative = value < 0;
            if (negative) value = -value;
            if (value > HUGE) {
                double big = Math.log(value / a) / b; // the other terms are below one ulp of value here
                return negative ? 2 * x1 - big : big;
            }
            double x;
            if (value < taylor[0] * (xTaylor - x1)) {
                x = x1 + value / taylor[0];
            } else {
                x = Math.log(value / a) / b;
                if (!(x > x1)) x = x1 + value / taylor[0];
            }
            double tolerance = 3 * EPSILON * Math.max(1.0, Math.abs(x));
            double lo = x1;
            double hi = Double.POSITIVE_INFINITY;
            for (int i = 0; i < 60; i++) {
                double ae2bx = a * Math.exp(b * x);
                double y;
                if (x < xTaylor) y = series(x) - value;
                else y = (ae2bx + c * x) - (f + value);
                if (y == 0) break;
                if (y > 0) hi = Math.min(hi, x); else lo = Math.max(lo, x);
                double abe2bx = b * ae2bx;
                double dy = abe2bx + c;
                double ddy = b * abe2bx;
                double r = y / dy;
                double delta = r / (1 - r * (ddy / dy) / 2); // Halley step, written to avoid overflow of dy*dy
                if (Math.abs(delta) < tolerance) {
                    x -= delta;
                    break;
                }
                double next = x - delta;
                if ((next < lo || next > hi || Double.isNaN(next)) && Double.isFinite(hi)) {
                    next = (lo + hi) / 2; // safeguard: stay inside the bracket
                    if (next == lo || next == hi) break;
                }
                x = next;
                tolerance = 3 * EPSILON * Math.max(1.0, Math.abs(x));
            }
            return negative ? 2 * x1 - x : x;
        }

        @Override
        public double inverse(double scale) {
            if (Double.isNaN(scale)) return scale;
            boolean negative = scale < x1;
            if (negative) scale = 2 * x1 - scale;
            double inv;
            if (scale < xTaylor) inv = series(scale);
            else inv = (a * Math.exp(b * scale) + c * scale) - f;
            return negative ? -inv : inv;
        }
    }
}
