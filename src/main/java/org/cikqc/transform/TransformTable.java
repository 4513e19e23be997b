package org.cikqc.transform;


/**
 * A fast approximation of an expensive smooth scale transform (logicle, hyperlog and fasinh, optionally bounded)
 * with a verified absolute error bound {@link #tolerance()}. The table is indexed by the IEEE-754 bits of |x|:
 * 2^{@value #BITS} cells per octave for |x| in [2^{@value #MIN_EXP}, 2^{@value #MAX_EXP}), one table per sign, linear
 * interpolation inside a cell (x is linear in the low mantissa bits there). Zero is looked up exactly; other values
 * outside that range, infinities and NaN are computed exactly. Bounds are applied after interpolation (clipping cannot increase the
 * error). The bound is measured when the table is built: the interpolation error at three interior points of
 * every cell, doubled, plus a rounding allowance.
 *
 * <p>The gating engine never decides a membership on approximate values alone: an event whose approximate value lies
 * within the tolerance of a gate boundary is re-evaluated with exact values ({@code org.cikqc.gating.CompiledStrategy});
 * plots use tables for display coordinates. Immutable and thread-safe.
 */
public final class TransformTable {
    static final int BITS = 7;
    static final int MIN_EXP = -24;
    static final int MAX_EXP = 40;
    private static final int SHIFT = 52 - BITS;
    private static final int CELLS = (MAX_EXP - MIN_EXP) << BITS;
    /** CELLS is a power of two, 2^CELL_BITS, so that one shift tests 0 <= cell < CELLS. */
    private static final int CELL_BITS = Integer.numberOfTrailingZeros(CELLS);

    static {
        if (CELLS != 1 << CELL_BITS) throw new AssertionError("MAX_EXP - MIN_EXP must be a power of two");
    }
    private static final long BASE = (long) (1023 + MIN_EXP) << BITS;
    private static final long LOW_MASK = (1L << SHIFT) - 1;
    private static final double FRACTION = 1.0 / (1L << SHIFT);
    private static final long ABS_MASK = 0x7fffffffffffffffL;

    private final Transform exact;
    private final Transform inner;
    private final double boundMin;
    private final double boundMax;
    /**
     * Interleaved per cell: value at the cell's lower node, then slope (value difference to the next node); the
     * cells of positive x, then those of negative x (offset {@code 2 * CELLS}).
     */
    private final double[] cells;
    private final double tolerance;
    private final double zero;
    private final double negativeZero;

    private TransformTable(Transform exact, Transform inner, double boundMin, double boundMax) {
        this.exact = exact;
        this.inner = inner;
        this.boundMin = boundMin;
        this.boundMax = boundMax;
        double[] err = new double[1];
        double[] size = new double[1];
        double[] positive = build(inner, 1, err, size);
        double[] negative = build(inner, -1, err, size);
        this.cells = new double[4 * CELLS];
        System.arraycopy(positive, 0, cells, 0, 2 * CELLS);
        System.arraycopy(negative, 0, cells, 2 * CELLS, 2 * CELLS);
        this.tolerance = 2 * err[0] + 1e-12 * Math.max(1, size[0]);
        this.zero = inner.apply(0.0);
        this.negativeZero = inner.apply(-0.0);
    }

    /** Tables recently built, by transform (transforms are value records): a few MiB at most. */
    private static final int CACHED = 16;
    private static final java.util.Map<Transform, java.util.Optional<TransformTable>> CACHE =
            new java.util.LinkedHashMap<>(32, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Transform, java.util.Optional<TransformTable>> e) {
                    return size() > CACHED;
                }
            };

    /**
     * A table for {@code t}, or null when {@code t} is cheap already or not known to be smooth. Tables are immutable;
     * the last {@value #CACHED} are kept, so compiling a strategy again (every sample of a batch, every pass) does
     * not rebuild them.
     */
    public static TransformTable of(Transform t) {
        synchronized (CACHE) {
            java.util.Optional<TransformTable> hit = CACHE.get(t);
            if (hit != null) return hit.orElse(null);
        }
        TransformTable built = build(t);
        synchronized (CACHE) {
            CACHE.put(t, java.util.Optional.ofNullable(built));
        }
        return built;
    }

    private static TransformTable build(Transform t) {
        Transform inner = t;
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        if (t instanceof BoundedTransform b) {
            inner = b.inner();
            lo = b.boundMin();
            hi = b.boundMax();
        }
        if (!(inner instanceof LogicleTransform || inner instanceof HyperlogTransform || inner instanceof AsinhTransform)) {
            return null;
        }
        TransformTable table = new TransformTable(t, inner, lo, hi);
        return Double.isFinite(table.tolerance) ? table : null;
    }

    private static double node(int i) { return Double.longBitsToDouble((i + BASE) << SHIFT); }

    private static double[] build(Transform f, int sign, double[] maxErr, double[] maxAbs) {
        double[] y = new double[CELLS + 1];
        for (int i = 0; i <= CELLS; i++) y[i] = f.apply(sign * node(i));
        double[] tab = new double[2 * CELLS];
        for (int i = 0; i < CELLS; i++) {
            double slope = y[i + 1] - y[i];
            tab[2 * i] = y[i];
            tab[2 * i + 1] = slope;
            double x0 = node(i);
            double dx = node(i + 1) - x0;
            for (double t = 0.25; t < 1; t += 0.25) {
                double e = Math.abs(y[i] + t * slope - f.apply(sign * (x0 + t * dx)));
                if (!(e <= maxErr[0])) maxErr[0] = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
            }
            maxAbs[0] = Math.max(maxAbs[0], Math.abs(y[i]));
        }
        return tab;
    }

    /** Maximum absolute difference between {@link #apply} and the exact transform. */
    public double tolerance() { return tolerance; }

    /** The exact transform this table approximates. */
    public Transform exact() { return exact; }

    /** {@code ≈ exact().apply(x)} within {@link #tolerance()}. */
    public double apply(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long abs = bits & ABS_MASK;
        long cell = (abs >>> SHIFT) - BASE;
        double y;
        if (cell >>> CELL_BITS == 0) { // 0 <= cell < CELLS
            int k = ((int) cell << 1) | ((int) (bits >>> 63) << (CELL_BITS + 1));
            y = cells[k] + (abs & LOW_MASK) * FRACTION * cells[k + 1];
        } else {
            y = abs == 0 ? (bits == 0 ? zero : negativeZero) : inner.apply(x);
        }
        return y < boundMin ? boundMin : (y > boundMax ? boundMax : y);
    }

    /** {@code dst[i] ≈ exact.apply(src[i])} within {@link #tolerance()}, for i in [0, n); src and dst may be the same. */
    public void apply(double[] src, double[] dst, int n) { apply(src, dst, 0, n); }

    /** {@code dst[i] ≈ exact.apply(src[i])} within {@link #tolerance()}, for i in [from, to); src and dst may be the same. */
    public void apply(double[] src, double[] dst, int from, int to) {
        double[] tab = cells;
        for (int i = from; i < to; i++) {
            double x = src[i];
            long bits = Double.doubleToRawLongBits(x);
            long abs = bits & ABS_MASK;
            long cell = (abs >>> SHIFT) - BASE;
            if (cell >>> CELL_BITS == 0) { // 0 <= cell < CELLS
                int k = ((int) cell << 1) | ((int) (bits >>> 63) << (CELL_BITS + 1));
                dst[i] = tab[k] + (abs & LOW_MASK) * FRACTION * tab[k + 1];
            } else {
                dst[i] = abs == 0 ? (bits == 0 ? zero : negativeZero) : inner.apply(x);
            }
        }
        if (boundMin != Double.NEGATIVE_INFINITY || boundMax != Double.POSITIVE_INFINITY) {
            double lo = boundMin;
            double hi = boundMax;
            for (int i = from; i < to; i++) {
                double y = dst[i];
                dst[i] = y < lo ? lo : (y > hi ? hi : y);
            }
        }
    }

    /**
     * Where the exact transform crosses {@code v}, in data (pre-transform) values: {a, b} with a &lt;= b such that
     * every x &lt; a has {@code exact(x) < v} and every x &gt; b has {@code exact(x) >= v} (x finite or infinite;
     * NaN is on neither side). Events with a &lt;= x &lt;= b must be decided on exact values. This lets a rectangle
     * bound on the transformed scale be tested on untransformed data. Null when no such narrow band is found (the
     * bound then stays on the transformed scale).
     */
    public double[] band(double v) {
        if (Double.isNaN(v)) return null;
        if (v <= boundMin) return new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        if (v > boundMax) return new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        if (Double.isInfinite(v)) return new double[] {v, v};
        double r = inner.inverse(v);
        if (!Double.isFinite(r)) return null;
        // exact(x) is strictly increasing in theory and accurate to ~1e-15 relative in practice; demand a margin far
        // above that at both ends of the band, so monotonicity carries the decision to every x beyond them
        double margin = 1e-11 * (1 + Math.abs(v));
        double scale = Math.abs(r) + 1; // the search starts far below any data unit and stops at the first verified width
        for (double rel = 1e-10; rel <= 1e-4; rel *= 4) {
            double d = rel * scale;
            double a = r - d;
            double b = r + d;
            if (inner.apply(a) < v - margin && inner.apply(b) > v + margin) return new double[] {a, b};
        }
        return null;
    }
}
