package org.cikqc.gating;

import java.util.Arrays;

import org.cikqc.transform.TransformTable;

/**
 * The compiled, batch-wise form of one gate (one quadrant, or all quadrants of a quadrant gate): reads dimension
 * columns and other populations' membership, writes its own populations' membership. Kernels are immutable and
 * shared by every {@link CompiledStrategy#fork() fork}; they allocate nothing per event (per-call scratch comes from
 * the caller, except the d-vector of an ellipsoid of more than two dimensions).
 *
 * <p>Memberships and flags are bit-packed ({@link Bits}); event ranges [from, to) start at a multiple of 64, and a
 * kernel leaves the bits of events at or beyond {@code to} zero in its output's last word. Each comparison becomes a
 * 0/1 long on its own ({@code x >= lo ? 1L : 0L}) and they are combined arithmetically: C2 compiles that without
 * branches, while one conditional over a compound condition measured 50 % slower.
 *
 * <p>Dimension columns may hold approximate values (see {@link TransformTable}); {@code eps[k]} bounds the error of
 * the kernel's k-th dimension (0 when exact). Given a {@code flags} set, a kernel with approximate dimensions sets
 * the bit of every event whose exact membership could differ; with {@code flags == null} it just evaluates (the
 * exact re-evaluation of flagged events).
 */
abstract sealed class GateKernel permits GateKernel.Rect, GateKernel.Poly, GateKernel.Ellipse, GateKernel.Bool,
        GateKernel.Quad {
    /** The population written. */
    final int population;
    /** The parent population ANDed in, or -1. */
    final int parent;

    GateKernel(int population, int parent) {
        this.population = population;
        this.parent = parent;
    }

    /**
     * Computes the geometric/boolean membership of events [from, to) into the words of {@code out}, flagging
     * uncertain events if flags != null; {@code scratch} holds at least {@code to} events, which the kernel may
     * overwrite in [from, to).
     */
    abstract void evaluate(double[][] dims, long[][] members, int from, int to, long[] out, long[] flags,
                           Scratch scratch);

    /** Marks the dimensions whose (transformed) value columns this kernel reads when evaluating with flags. */
    void needs(boolean[] values) { }

    /**
     * Full membership of events [from, to): {@link #evaluate} then AND the parent. {@code scratch} holds at least
     * {@code to} events; the kernel may overwrite those of [from, to).
     */
    void run(double[][] dims, long[][] members, int from, int to, long[] flags, Scratch scratch) {
        long[] out = members[population];
        evaluate(dims, members, from, to, out, flags, scratch);
        if (parent >= 0) Bits.and(out, members[parent], from, to);
    }

    /** Sets every event of [from, to) in {@code out} (tail bits beyond {@code to} zero). */
    static void fill(long[] out, int from, int to) {
        int end = Bits.words(to);
        Arrays.fill(out, from >>> 6, end, -1L);
        out[end - 1] &= Bits.tail(to);
    }

    private static boolean any(double[] eps) {
        for (double e : eps) if (e > 0) return true;
        return false;
    }

    /**
     * Rectangle, range and quadrant: {@code min <= v < max} per dimension, literally (so +∞ and NaN are outside).
     *
     * <p>A dimension whose transform is tabulated can instead be tested on its untransformed values (column
     * {@code rawColumn[k]}, ≥ 0): the transform is monotone, so {@code min <= T(x)} holds for every x above the band
     * {@code [lowBand[k][0], lowBand[k][1]]} and fails below it (likewise {@code T(x) < max} around
     * {@code highBand[k]}); only events inside a band are flagged for exact re-evaluation. No transform, and no
     * approximation, is needed for those dimensions at all.
     */
    static final class Rect extends GateKernel {
        private final int[] dims;
        private final double[] min;
        private final double[] max;
        private final double[] eps;
        private final int[] rawColumn;
        private final double[] sureLo;
        private final double[] maybeLo;
        private final double[] sureHi;
        private final double[] maybeHi;

        /**
         * @param rawColumn per dimension, the column of untransformed values to test instead, or -1
         * @param lowBand   per dimension with a raw column, {a, b} from {@link TransformTable#band} for min
         * @param highBand  likewise for max
         */
        Rect(int population, int parent, int[] dims, double[] min, double[] max, double[] eps, int[] rawColumn,
             double[][] lowBand, double[][] highBand) {
            super(population, parent);
            this.dims = dims.clone();
            this.min = min.clone();
            this.max = max.clone();
            this.eps = eps.clone();
            int d = dims.length;
            this.rawColumn = new int[d];
            this.sureLo = new double[d];
            this.maybeLo = new double[d];
            this.sureHi = new double[d];
            this.maybeHi = new double[d];
            for (int k = 0; k < d; k++) {
                boolean raw = rawColumn[k] >= 0;
                this.rawColumn[k] = raw ? rawColumn[k] : -1;
                if (raw) {
                    maybeLo[k] = lowBand[k][0];
                    sureLo[k] = lowBand[k][1];
                    sureHi[k] = highBand[k][0];
                    maybeHi[k] = highBand[k][1];
                }
            }
        }

        @Override
        void needs(boolean[] values) {
            for (int k = 0; k < dims.length; k++) if (rawColumn[k] < 0) values[dims[k]] = true;
        }

        @Override
        void evaluate(double[][] cols, long[][] members, int from, int to, long[] out, long[] flags, Scratch scratch) {
            if (dims.length == 0) {
                if (to > from) fill(out, from, to);
                return;
            }
            for (int k = 0; k < dims.length; k++) {
                boolean first = k == 0;
                if (flags != null && rawColumn[k] >= 0) {
                    raw(cols[rawColumn[k]], from, to, out, flags, first, k);
                    continue;
                }
                double[] v = cols[dims[k]];
                double lo = min[k];
                double hi = max[k];
                double e = eps[k];
                boolean flagging = flags != null && e > 0;
                for (int base = from; base < to; base += 64) {
                    int end = Math.min(to, base + 64);
                    long in = 0;
                    for (int i = base; i < end; i++) {
                        double x = v[i];
                        in |= ((x >= lo ? 1L : 0L) & (x < hi ? 1L : 0L)) << i;
                    }
                    int w = base >>> 6;
                    out[w] = first ? in : out[w] & in;
                    if (flagging) {
                        long flag = 0;
                        for (int i = base; i < end; i++) {
                            double x = v[i];
                            flag |= ((Math.abs(x - lo) <= e ? 1L : 0L) | (Math.abs(x - hi) <= e ? 1L : 0L)) << i;
                        }
                        flags[w] |= flag;
                    }
                }
            }
        }

        /** Dimension k on untransformed values: certain outside the bands, flagged inside them. */
        private void raw(double[] v, int from, int to, long[] out, long[] flags, boolean first, int k) {
            double sl = sureLo[k];
            double ml = maybeLo[k];
            double sh = sureHi[k];
            double mh = maybeHi[k];
            for (int base = from; base < to; base += 64) {
                int end = Math.min(to, base + 64);
                long sure = 0;
                long maybe = 0;
                for (int i = base; i < end; i++) {
                    double x = v[i];
                    sure |= ((x > sl ? 1L : 0L) & (x < sh ? 1L : 0L)) << i;
                    maybe |= ((x >= ml ? 1L : 0L) & (x <= mh ? 1L : 0L)) << i;
                }
                int w = base >>> 6;
                out[w] = first ? sure : out[w] & sure;
                flags[w] |= maybe & ~sure; // sure implies maybe
            }
        }
    }

    /** Polygon: even-odd with edges inside, precomputed edges. */
    static final class Poly extends GateKernel {
        private final int dx;
        private final int dy;
        private final PolygonRegion region;
        private final double ex;
        private final double ey;
        private final double[] tol;
        /** Valid for exact coordinates too: its INSIDE/OUTSIDE cells are at least (ex, ey) clear of every edge. */
        private final PolygonRegion.Grid grid;

        Poly(int population, int parent, int dx, int dy, PolygonRegion region, double ex, double ey) {
            super(population, parent);
            this.dx = dx;
            this.dy = dy;
            this.region = region;
            this.ex = ex;
            this.ey = ey;
            this.tol = region.edgeTolerances(ex, ey);
            this.grid = region.grid(ex, ey);
        }

        @Override
        void needs(boolean[] values) {
            values[dx] = true;
            values[dy] = true;
        }

        @Override
        void evaluate(double[][] cols, long[][] members, int from, int to, long[] out, long[] flags, Scratch scratch) {
            boolean flagging = flags != null && (ex > 0 || ey > 0);
            if (grid != null) {
                region.evaluate(cols[dx], cols[dy], from, to, out, flagging ? flags : null, ex, ey, tol, grid, scratch.codes,
                        scratch.x, scratch.y);
            } else if (flagging) {
                region.evaluate(cols[dx], cols[dy], from, to, out, flags, ex, ey, tol);
            } else {
                region.evaluate(cols[dx], cols[dy], from, to, out);
            }
        }
    }

    /** Ellipsoid: Mahalanobis form with a precomputed inverse covariance. */
    static final class Ellipse extends GateKernel {
        private final int[] dims;
        private final double[] mean;
        private final double[][] inv;
        private final double distanceSquare;
        private final double[] eps;
        private final boolean approximate;
        /** inv + invᵀ: the gradient of the quadratic form is sym · diff. */
        private final double[][] sym;
        private final double quadraticSlack;

        Ellipse(int population, int parent, int[] dims, double[] mean, double[][] inv, double distanceSquare,
                double[] eps) {
            super(population, parent);
            this.dims = dims.clone();
            this.mean = mean.clone();
            this.inv = inv;
            this.distanceSquare = distanceSquare;
            this.eps = eps.clone();
            this.approximate = any(eps);
            int d = dims.length;
            this.sym = new double[d][d];
            for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) sym[j][k] = inv[j][k] + inv[k][j];
            double s = 0;
            for (int j = 0; j < eps.length; j++) for (int k = 0; k < eps.length; k++) s += Math.abs(inv[j][k]) * eps[j] * eps[k];
            this.quadraticSlack = s;
        }

        @Override
        void needs(boolean[] values) {
            for (int d : dims) values[d] = true;
        }

        @Override
        void evaluate(double[][] cols, long[][] members, int from, int to, long[] out, long[] flags, Scratch scratch) {
            boolean flagging = flags != null && approximate;
            int d = dims.length;
            if (d == 2) {
                double[] x = cols[dims[0]];
                double[] y = cols[dims[1]];
                double mx = mean[0];
                double my = mean[1];
                double a = inv[0][0];
                double b = inv[0][1] + inv[1][0];
                double c = inv[1][1];
                double e0 = eps[0];
                double e1 = eps[1];
                for (int base = from; base < to; base += 64) {
                    int end = Math.min(to, base + 64);
                    long in = 0;
                    long flag = 0;
                    if (flagging) {
                        for (int i = base; i < end; i++) {
                            double u = x[i] - mx;
                            double w = y[i] - my;
                            double q = u * (a * u + b * w) + c * w * w;
                            in |= (q <= distanceSquare ? 1L : 0L) << i;
                            double bound = Math.abs(2 * a * u + b * w) * e0 + Math.abs(b * u + 2 * c * w) * e1 + quadraticSlack;
                            flag |= (Math.abs(q - distanceSquare) <= 2 * bound ? 1L : 0L) << i;
                        }
                        flags[base >>> 6] |= flag;
                    } else {
                        for (int i = base; i < end; i++) {
                            double u = x[i] - mx;
                            double w = y[i] - my;
                            in |= (u * (a * u + b * w) + c * w * w <= distanceSquare ? 1L : 0L) << i;
                        }
                    }
                    out[base >>> 6] = in;
                }
                return;
            }
            double[] diff = new double[d];
            Bits.clear(out, from, to);
            for (int i = from; i < to; i++) {
                for (int j = 0; j < d; j++) diff[j] = cols[dims[j]][i] - mean[j];
                double q = 0;
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    double[] row = inv[j];
                    for (int k = 0; k < d; k++) s += row[k] * diff[k];
                    q += diff[j] * s;
                }
                if (q <= distanceSquare) out[i >>> 6] |= 1L << i;
                if (!flagging) continue;
                double bound = quadraticSlack;
                for (int j = 0; j < d; j++) {
                    double g = 0;
                    double[] row = sym[j];
                    for (int k = 0; k < d; k++) g += row[k] * diff[k];
                    bound += Math.abs(g) * eps[j];
                }
                if (Math.abs(q - distanceSquare) <= 2 * bound) flags[i >>> 6] |= 1L << i;
            }
        }
    }

    /** Boolean and/or/not over other populations' full membership. */
    static final class Bool extends GateKernel {
        private final BooleanGate.Operator op;
        private final int[] operands;
        private final boolean[] complement;

        Bool(int population, int parent, BooleanGate.Operator op, int[] operands, boolean[] complement) {
            super(population, parent);
            this.op = op;
            this.operands = operands.clone();
            this.complement = complement.clone();
        }

        /** Word-wise over the packed memberships; a complemented operand is inverted (its tail bits masked off). */
        @Override
        void evaluate(double[][] cols, long[][] members, int from, int to, long[] out, long[] flags, Scratch scratch) {
            int w0 = from >>> 6;
            int w1 = Bits.words(to);
            if (w1 <= w0) return;
            // an operand taken as is: xor 0; complemented: xor all ones (NOT inverts a non-complemented operand)
            long x0 = complement[0] == (op == BooleanGate.Operator.NOT) ? 0L : -1L;
            long[] a = members[operands[0]];
            for (int w = w0; w < w1; w++) out[w] = a[w] ^ x0;
            for (int k = 1; k < operands.length; k++) {
                long[] b = members[operands[k]];
                long xk = complement[k] ? -1L : 0L;
                switch (op) {
                    case AND -> {
                        for (int w = w0; w < w1; w++) out[w] &= b[w] ^ xk;
                    }
                    case OR -> {
                        for (int w = w0; w < w1; w++) out[w] |= b[w] ^ xk;
                    }
                    default -> throw new IllegalStateException("operator " + op + " with " + operands.length + " operands");
                }
            }
            out[w1 - 1] &= Bits.tail(to);
        }
    }

    /**
     * All quadrants of a quadrant gate whose dividers each split at one value, in one pass per divider: per 64 events,
     * a word {@code up} (value in divider j's upper interval) and a word {@code none} (in no interval, i.e. NaN or
     * +∞), then each quadrant positioning on divider j ANDs {@code up} or its complement, and the complement of
     * {@code none}, into its own word. Divider j's values come from column {@code rawColumn[j]} (untransformed,
     * tested against the band of its value, events inside flagged) when ≥ 0, else from the dimension column
     * (approximate within {@code eps[j]}: events that close flagged). {@code none} is used only when deciding
     * exactly; with approximate or untransformed values a non-finite value is flagged for exact re-evaluation
     * instead.
     */
    static final class Quad extends GateKernel {
        static final int MAX_DIVIDERS = 16;
        private final int[] populations;
        private final int[] dims;
        private final double[] split;
        private final double[] eps;
        private final int[] rawColumn;
        private final double[] bandLo;
        private final double[] bandHi;
        private final int[] care;
        private final int[] want;

        /**
         * @param populations one population per quadrant
         * @param dims        per divider, its dimension
         * @param split       per divider, its one value
         * @param rawColumn   per divider, the untransformed column to test instead, or -1
         * @param bands       per divider with a raw column, {a, b} from {@link TransformTable#band} for its value
         * @param care        per quadrant, the dividers it positions on (bit j)
         * @param want        per quadrant, the dividers on which it takes the upper interval (bit j)
         */
        Quad(int[] populations, int parent, int[] dims, double[] split, double[] eps, int[] rawColumn, double[][] bands,
             int[] care, int[] want) {
            super(populations[0], parent);
            if (dims.length > MAX_DIVIDERS) throw new IllegalArgumentException("too many dividers: " + dims.length);
            this.populations = populations.clone();
            this.dims = dims.clone();
            this.split = split.clone();
            this.eps = eps.clone();
            this.rawColumn = rawColumn.clone();
            this.bandLo = new double[dims.length];
            this.bandHi = new double[dims.length];
            for (int j = 0; j < dims.length; j++) {
                if (rawColumn[j] >= 0) {
                    bandLo[j] = bands[j][0];
                    bandHi[j] = bands[j][1];
                }
            }
            this.care = care.clone();
            this.want = want.clone();
        }

        @Override
        void needs(boolean[] values) {
            for (int j = 0; j < dims.length; j++) if (rawColumn[j] < 0) values[dims[j]] = true;
        }

        @Override
        void run(double[][] cols, long[][] members, int from, int to, long[] flags, Scratch scratch) {
            if (to <= from) return;
            for (int population : populations) fill(members[population], from, to);
            for (int j = 0; j < dims.length; j++) {
                boolean raw = flags != null && rawColumn[j] >= 0;
                boolean near = !raw && flags != null && eps[j] > 0;
                double[] v = cols[raw ? rawColumn[j] : dims[j]];
                double t = split[j];
                double e = eps[j];
                double a = bandLo[j];
                double b = bandHi[j];
                int bit = 1 << j;
                for (int base = from; base < to; base += 64) {
                    int end = Math.min(to, base + 64);
                    int w = base >>> 6;
                    long up = 0;
                    long none = 0;
                    if (raw) {
                        long flag = 0;
                        for (int i = base; i < end; i++) {
                            double x = v[i];
                            up |= (x > b ? 1L : 0L) << i;
                            flag |= ((x >= a ? 1L : 0L) & (x <= b ? 1L : 0L) | (x - x != 0 ? 1L : 0L)) << i; // in the band, or not finite
                        }
                        flags[w] |= flag;
                    } else if (near) {
                        long flag = 0;
                        for (int i = base; i < end; i++) {
                            double x = v[i];
                            up |= (x >= t ? 1L : 0L) << i;
                            flag |= ((Math.abs(x - t) <= e ? 1L : 0L) | (x - x != 0 ? 1L : 0L)) << i;
                        }
                        flags[w] |= flag;
                    } else {
                        for (int i = base; i < end; i++) {
                            double x = v[i];
                            up |= (x >= t ? 1L : 0L) << i;
                            none |= (x < Double.POSITIVE_INFINITY ? 0L : 1L) << i;
                        }
                    }
                    for (int q = 0; q < populations.length; q++) {
                        if ((care[q] & bit) == 0) continue;
                        long side = (want[q] & bit) != 0 ? up : ~up;
                        members[populations[q]][w] &= side & ~none;
                    }
                }
            }
            if (parent >= 0) for (int population : populations) Bits.and(members[population], members[parent], from, to);
        }

        @Override
        void evaluate(double[][] dims, long[][] members, int from, int to, long[] out, long[] flags, Scratch scratch) {
            throw new UnsupportedOperationException("a quadrant set writes several populations: use run");
        }
    }
}
