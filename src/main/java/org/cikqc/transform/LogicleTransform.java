package org.cikqc.transform;

/**
 * Gating-ML 2.0 {@code logicle} (Parks, Roederer &amp; Moore 2006; Moore &amp; Parks 2012): y is the root of
 * {@code B(y) - x} with the modified biexponential {@code B(y) = a e^(by) - c e^(-dy) - f}, where
 * w = W/(M+A), x2 = A/(M+A), x1 = x2 + w, x0 = x2 + 2w, b = (M+A) ln10 and d solves
 * 2(ln d - ln b) + w(b + d) = 0.
 *
 * <p>Forward evaluation follows the Moore–Parks reference implementation: Halley iteration (tolerance 3 ulp of the
 * scale) started from a linear or logarithmic guess, with a 16-term Taylor series around x1 for |y - x1| &lt; w/4 so
 * that B is accurate near data zero; negative data use the symmetry B(2 x1 - y) = -B(y). The inverse is the closed
 * biexponential (Taylor series near x1). W = 0 is handled in closed form (then logicle equals
 * {@link AsinhTransform fasinh}). Constants are computed once per distinct parameter set and cached.
 *
 * <p>Constraints: T &gt; 0, M &gt; 0, 0 &lt;= W &lt;= M/2, -W &lt;= A &lt;= M - 2W.
 *
 * @param t top of scale T
 * @param w linearization width W in decades
 * @param m number of decades M
 * @param a additional negative decades A
 */
public record LogicleTransform(double t, double w, double m, double a) implements Transform {

    private static final ParamCache<LogicleTransform, Consts> CACHE = new ParamCache<>(Consts::new);

    public LogicleTransform {
        TMath.biexponential("logicle", t, w, m, a, true);
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
        return TMath.describe("logicle", t, w, m, a);
    }

    /** Precomputed constants of one parameter set (Moore–Parks naming). */
    static final class Consts implements TMath.Scale {
        private static final int TAYLOR_LENGTH = 16;
        private static final double EPSILON = Math.ulp(1.0);
        /** Above this |data| value exp(b y) could overflow; the pure exponential is exact to the ulp there. */
        private static final double HUGE = 1e250;

        final double tt;
        final double x1;
        final double b;
        final double d;
        final double a;
        final double c;
        final double f;
        final double xTaylor;
        final double[] taylor;
        /** W = 0: closed form y = x1 + asinh(x * asinhScale) / b. */
        final boolean closedForm;
        final double asinhScale;

        Consts(LogicleTransform p) {
            this.tt = p.t();
            double ww = p.w() / (p.m() + p.a());
            double x2 = p.a() / (p.m() + p.a());
            this.x1 = x2 + ww;
            double x0 = x2 + 2 * ww;
            this.b = (p.m() + p.a()) * TMath.LN10;
            this.d = solveD(b, ww);
            double ca = Math.exp(x0 * (b + d));
            double fa = Math.exp(b * x1) - ca / Math.exp(d * x1);
            this.a = p.t() / ((Math.exp(b) - fa) - ca / Math.exp(d));
            this.c = ca * a;
            this.f = -fa * a;
            this.xTaylor = x1 + ww / 4;
            this.taylor = new double[TAYLOR_LENGTH];
            double posCoef = a * Math.exp(b * x1);
            double negCoef = -c / Math.exp(d * x1);
            for (int i = 0; i < TAYLOR_LENGTH; i++) {
                posCoef *= b / (i + 1);
                negCoef *= -d / (i + 1);
                taylor[i] = posCoef + negCoef;
            }
            taylor[1] = 0; // exact by the choice of d: B''(x1) = 0
            this.closedForm = p.w() == 0;
            this.asinhScale = Math.sinh(p.m() * TMath.LN10) / p.t();
        }

        /** Solves 2(ln d - ln b) + w(b + d) = 0 for d in (0, b] (safeguarded Newton, Moore–Parks). */
        static double solveD(double b, double w) {
            if (w == 0) return b;
            double tolerance = 2 * b * EPSILON;
            double dLo = 0;
            double dHi = b;
            double dd = (dLo + dHi) / 2;
            double lastDelta = dHi - dLo;
            double fB = -2 * Math.log(b) + w * b;
            double ff = 2 * Math.log(dd) + w * dd + fB;
            double lastF = Double.NaN;
            for (int i = 1; i < 100; i++) {
                double df = 2 / dd + w;
                double delta;
                if (((dd - dHi) * df - ff) * ((dd - dLo) * df - ff) >= 0 || Math.abs(1.9 * ff) > Math.abs(lastDelta * df)) {
                    delta = (dHi - dLo) / 2;
                    dd = dLo + delta;
                    if (dd == dLo) return dd;
                } else {
                    delta = ff / df;
                    double prev = dd;
                    dd -= delta;
                    if (dd == prev) return dd;
                }
                if (Math.abs(delta) < tolerance) return dd;
                lastDelta = delta;
                ff = 2 * Math.log(dd) + w * dd + fB;
                if (ff == 0 || ff == lastF) return dd;
                lastF = ff;
                if (ff < 0) dLo = dd; else dHi = dd;
            }
            return dd; // converged to within the bracket's resolution
        }

        /** Taylor series of B around x1 (taylor[1] = 0 skipped). */
        double series(double scale) {
            double x = scale - x1;
            double sum = taylor[TAYLOR_LENGTH - 1] * x;
            for (int i = TAYLOR_LENGTH - 2; i >= 2; i--) sum = (sum + taylor[i]) * x;
            return (sum * x + taylor[0]) * x;
        }

        @Override
        public double scale(double value) {
            if (closedForm) return x1 + TMath.asinh(value * asinhScale) / b;
            if (value == 0) return x1;
            if (Double.isNaN(value)) return value;
            if (Double.isInfinite(value)) return value;
            boolean negative = value < 0;
            if (negative) value = -value;
            if (value > HUGE) {
                double big = Math.log(value / a) / b; // the other terms are below one ulp of value here
                return negative ? 2 * x1 - big : big;
            }
            // initial guess: linear in the quasi-linear region, else logarithmic
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
                double ce2mdx = c / Math.exp(d * x);
                double y;
                if (x < xTaylor) y = series(x) - value;
                else y = (ae2bx + f) - (ce2mdx + value);
                if (y == 0) break;
                if (y > 0) hi = Math.min(hi, x); else lo = Math.max(lo, x);
                double abe2bx = b * ae2bx;
                double cde2mdx = d * ce2mdx;
                double dy = abe2bx + cde2mdx;
                double ddy = b * abe2bx - d * cde2mdx;
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
            if (closedForm) return Math.sinh((scale - x1) * b) / asinhScale;
            if (Double.isNaN(scale)) return scale;
            boolean negative = scale < x1;
            if (negative) scale = 2 * x1 - scale;
            double inv;
            if (scale < xTaylor) inv = series(scale);
            else inv = (a * Math.exp(b * scale) + f) - c / Math.exp(d * scale);
            return negative ? -inv : inv;
        }
    }
}
