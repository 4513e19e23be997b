package org.cikqc.gating;

/**
 * The compiled, batch-wise form of one gate (or one quadrant): reads dimension columns and other populations'
 * membership, writes its own population's membership. Implementations allocate nothing per batch.
 */
abstract sealed class GateKernel {
    /** The population written. */
    final int population;
    /** The parent population ANDed in, or -1. */
    final int parent;

    GateKernel(int population, int parent) {
        this.population = population;
        this.parent = parent;
    }

    /** Computes the geometric/boolean membership into {@code out[0..n)}. */
    abstract void evaluate(double[][] dims, boolean[][] members, int n, boolean[] out);

    /** Full membership: {@link #evaluate} then AND the parent. */
    final void run(double[][] dims, boolean[][] members, int n) {
        boolean[] out = members[population];
        evaluate(dims, members, n, out);
        if (parent >= 0) {
            boolean[] p = members[parent];
            for (int i = 0; i < n; i++) out[i] &= p[i];
        }
    }

    /** Rectangle, range and quadrant: {@code min <= v < max} per dimension, literally (so +∞ and NaN are outside). */
    static final class Rect extends GateKernel {
        private final int[] dims;
        private final double[] min;
        private final double[] max;

        Rect(int population, int parent, int[] dims, double[] min, double[] max) {
            super(population, parent);
            this.dims = dims.clone();
            this.min = min.clone();
            this.max = max.clone();
        }

        @Override
        void evaluate(double[][] cols, boolean[][] members, int n, boolean[] out) {
            java.util.Arrays.fill(out, 0, n, true);
            for (int k = 0; k < dims.length; k++) {
                double[] v = cols[dims[k]];
                double lo = min[k];
                double hi = max[k];
                for (int i = 0; i < n; i++) out[i] &= v[i] >= lo & v[i] < hi;
            }
        }
    }

    /** Polygon: even-odd with edges inside, precomputed edges. */
    static final class Poly extends GateKernel {
        private final int dx;
        private final int dy;
        private final PolygonRegion region;

        Poly(int population, int parent, int dx, int dy, PolygonRegion region) {
            super(population, parent);
            this.dx = dx;
            this.dy = dy;
            this.region = region;
        }

        @Override
        void evaluate(double[][] cols, boolean[][] members, int n, boolean[] out) {
            region.evaluate(cols[dx], cols[dy], n, out);
        }
    }

    /** Ellipsoid: Mahalanobis form with a precomputed inverse covariance. */
    static final class Ellipse extends GateKernel {
        private final int[] dims;
        private final double[] mean;
        private final double[][] inv;
        private final double distanceSquare;
        private final double[] diff;

        Ellipse(int population, int parent, int[] dims, double[] mean, double[][] inv, double distanceSquare) {
            super(population, parent);
            this.dims = dims.clone();
            this.mean = mean.clone();
            this.inv = inv;
            this.distanceSquare = distanceSquare;
            this.diff = new double[dims.length];
        }

        @Override
        void evaluate(double[][] cols, boolean[][] members, int n, boolean[] out) {
            int d = dims.length;
            if (d == 2) {
                double[] x = cols[dims[0]];
                double[] y = cols[dims[1]];
                double mx = mean[0];
                double my = mean[1];
                double a = inv[0][0];
                double b = inv[0][1] + inv[1][0];
                double c = inv[1][1];
                for (int i = 0; i < n; i++) {
                    double u = x[i] - mx;
                    double w = y[i] - my;
                    out[i] = u * (a * u + b * w) + c * w * w <= distanceSquare;
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) diff[j] = cols[dims[j]][i] - mean[j];
                double q = 0;
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    double[] row = inv[j];
                    for (int k = 0; k < d; k++) s += row[k] * diff[k];
                    q += diff[j] * s;
                }
                out[i] = q <= distanceSquare;
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

        @Override
        void evaluate(double[][] cols, boolean[][] members, int n, boolean[] out) {
            boolean[] a = members[operands[0]];
            boolean c = complement[0];
            switch (op) {
                case NOT -> {
                    for (int i = 0; i < n; i++) out[i] = a[i] == c;
                }
                case AND -> {
                    for (int i = 0; i < n; i++) out[i] = a[i] != c;
                    for (int k = 1; k < operands.length; k++) {
                        boolean[] b = members[operands[k]];
                        boolean ck = complement[k];
                        for (int i = 0; i < n; i++) out[i] &= b[i] != ck;
                    }
                }
                case OR -> {
                    for (int i = 0; i < n; i++) out[i] = a[i] != c;
                    for (int k = 1; k < operands.length; k++) {
                        boolean[] b = members[operands[k]];
                        boolean ck = complement[k];
                        for (int i = 0; i < n; i++) out[i] |= b[i] != ck;
                    }
                }
                default -> throw new IllegalStateException("operator " + op);
            }
        }
    }
}
