package org.cikqc.gating;

import java.util.List;

/**
 * A polygon with precomputed edges for fast point tests: even-odd crossing parity, points exactly on an edge (cross
 * product exactly zero within the edge's bounding box) inside. One edge cross product decides both the on-edge and
 * the crossing test, so the two can never disagree.
 *
 * <p>A cross product multiplies two coordinate differences, which overflow to ±∞ (and ∞ − ∞ to NaN) once the
 * vertices pass about 2^511 ≈ 6.7e153: a triangle with vertices at ±5e307 held none of the events inside it. Such a
 * polygon is stored, and every point is tested, scaled by a power of two that brings its largest coordinate below
 * 2^510 (exact for every value above about 1e-150, so decisions are those of the unscaled arithmetic), and has no
 * acceleration grid. Points outside the bounding box are rejected before any arithmetic, so a point's coordinates
 * never exceed the vertices'.
 */
final class PolygonRegion {
    private final int m;
    private final double[] ax;
    private final double[] ay;
    private final double[] bx;
    private final double[] by;
    private final double[] dx;
    private final double[] dy;
    private final double[] exMin;
    private final double[] exMax;
    private final double[] eyMin;
    private final double[] eyMax;
    private final double minX;
    private final double maxX;
    private final double minY;
    private final double maxY;
    /** The power of two that vertices and points are multiplied by (1 unless the vertices pass 2^510). */
    private final double scale;

    private PolygonRegion(List<PolygonGate.Vertex> v) {
        m = v.size();
        double largest = 0;
        for (PolygonGate.Vertex a : v) largest = Math.max(largest, Math.max(Math.abs(a.x()), Math.abs(a.y())));
        scale = Math.getExponent(largest) < 510 ? 1 : Math.scalb(1.0, 509 - Math.getExponent(largest));
        ax = new double[m];
        ay = new double[m];
        bx = new double[m];
        by = new double[m];
        dx = new double[m];
        dy = new double[m];
        exMin = new double[m];
        exMax = new double[m];
        eyMin = new double[m];
        eyMax = new double[m];
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < m; e++) {
            PolygonGate.Vertex a = v.get(e);
            PolygonGate.Vertex b = v.get((e + 1) % m);
            double axe = a.x() * scale;
            double aye = a.y() * scale;
            double bxe = b.x() * scale;
            double bye = b.y() * scale;
            ax[e] = axe;
            ay[e] = aye;
            bx[e] = bxe;
            by[e] = bye;
            dx[e] = bxe - axe;
            dy[e] = bye - aye;
            exMin[e] = Math.min(axe, bxe);
            exMax[e] = Math.max(axe, bxe);
            eyMin[e] = Math.min(aye, bye);
            eyMax[e] = Math.max(aye, bye);
            x0 = Math.min(x0, axe);
            x1 = Math.max(x1, axe);
            y0 = Math.min(y0, aye);
            y1 = Math.max(y1, aye);
        }
        minX = x0;
        maxX = x1;
        minY = y0;
        maxY = y1;
    }

    static PolygonRegion of(List<PolygonGate.Vertex> vertices) { return new PolygonRegion(vertices); }

    /** Even-odd membership with edges inside; NaN coordinates are outside. */
    boolean contains(double px, double py) {
        if (scale != 1) {
            px *= scale;
            py *= scale;
        }
        if (!(px >= minX && px <= maxX && py >= minY && py <= maxY)) return false;
        boolean in = false;
        for (int e = 0; e < m; e++) {
            double cross = cross(e, px, py);
            if (cross == 0.0 && px >= exMin[e] && px <= exMax[e] && py >= eyMin[e] && py <= eyMax[e]) return true;
            if ((ay[e] > py) != (by[e] > py) && (cross > 0.0) == (dy[e] > 0.0)) in = !in;
        }
        return in;
    }

    /** Bound of the relative rounding error of {@link #cross}'s double arithmetic (four roundings, generously). */
    private static final double CROSS_ERROR = 8 * 0x1p-53;

    /**
     * Edge e's cross product with the point, (b − a) × (p − a), with its exact sign and exactly 0 on the edge's line.
     * In doubles the differences and products round, and with vertices far from the point (1e18 against events near
     * 1e3) both products round to the same value: the cross product came out 0 for points off the line, which then
     * counted as on the edge. When the double result is within its rounding error bound of 0, it is recomputed
     * exactly from the stored coordinates.
     */
    private double cross(int e, double px, double py) {
        double t1 = dx[e] * (py - ay[e]);
        double t2 = dy[e] * (px - ax[e]);
        double c = t1 - t2;
        if (Math.abs(c) > CROSS_ERROR * (Math.abs(t1) + Math.abs(t2)) + Double.MIN_NORMAL) return c;
        java.math.BigDecimal x0 = new java.math.BigDecimal(ax[e]);
        java.math.BigDecimal y0 = new java.math.BigDecimal(ay[e]);
        java.math.BigDecimal exact = new java.math.BigDecimal(bx[e]).subtract(x0)
                .multiply(new java.math.BigDecimal(py).subtract(y0))
                .subtract(new java.math.BigDecimal(by[e]).subtract(y0).multiply(new java.math.BigDecimal(px).subtract(x0)));
        double d = exact.doubleValue();
        return d != 0 || exact.signum() == 0 ? d : exact.signum() * Double.MIN_VALUE;
    }

    /** Event i of [from, to) (from a multiple of 64) into the bit-packed {@code out} when contains(xs[i], ys[i]). */
    void evaluate(double[] xs, double[] ys, int from, int to, long[] out) {
        for (int base = from; base < to; base += 64) {
            int end = Math.min(to, base + 64);
            long in = 0;
            for (int i = base; i < end; i++) in |= (contains(xs[i], ys[i]) ? 1L : 0L) << i;
            out[base >>> 6] = in;
        }
    }

    /** Cells per grid side over the bounding box. */
    static final int GRID = 256;
    /** Cells added outside the bounding box on every side (the outermost ring is never near an edge). */
    static final int BORDER = 3;
    static final byte OUTSIDE = 0;
    static final byte INSIDE = 1;
    static final byte BOUNDARY = 2;
    private static final byte UNSET = 3;

    /**
     * A uniform grid of {@code side × side} cells from (x0, y0) whose cells record OUTSIDE/INSIDE when no edge comes
     * within (ex, ey) (plus a rounding margin) of the cell, so that every point of the cell, and every point within
     * (ex, ey) of it, has the cell's membership; other cells are BOUNDARY and need the edge loop. The grid covers the
     * bounding box and a border of {@value #BORDER} cells, whose outermost ring is OUTSIDE: a point beyond the grid
     * (or NaN) is looked up in that ring by clamping its cell index.
     */
    record Grid(double x0, double y0, double invW, double invH, int side, byte[] cells) { }

    /**
     * The grid for coordinates known within (ex, ey), or null for a degenerate (zero-area) bounding box, one whose
     * cells would be narrower than the uncertainty, or one of a scaled polygon (vertices beyond 2^510). Each edge
     * marks, row by row, every cell its grown band can reach (generously: an extra cell either side), so a cell left
     * unmarked is certainly clear of every edge; within a row, a run of unmarked cells then lies on one side of every
     * edge and takes the membership of its first cell's centre.
     */
    Grid grid(double ex, double ey) {
        if (scale != 1) return null; // vertices near the double range: the edge loop alone
        double spanX = maxX - minX;
        double spanY = maxY - minY;
        if (!(spanX > 0 && spanY > 0)) return null;
        double w = spanX / GRID;
        double h = spanY / GRID;
        double mx = ex + 1e-9 * (spanX + Math.abs(minX) + Math.abs(maxX));
        double my = ey + 1e-9 * (spanY + Math.abs(minY) + Math.abs(maxY));
        if (!(4 * mx < w && 4 * my < h)) return null;
        int side = GRID + 2 * BORDER;
        double gx0 = minX - BORDER * w;
        double gy0 = minY - BORDER * h;
        byte[] cells = new byte[side * side];
        java.util.Arrays.fill(cells, UNSET);
        for (int e = 0; e < m; e++) {
            int j0 = Math.max(0, (int) Math.floor((eyMin[e] - my - gy0) / h) - 1);
            int j1 = Math.min(side - 1, (int) Math.floor((eyMax[e] + my - gy0) / h) + 1);
            for (int j = j0; j <= j1; j++) {
                double lo = Math.max(eyMin[e], gy0 + j * h - my);
                double hi = Math.min(eyMax[e], gy0 + (j + 1) * h + my);
                double xa;
                double xb;
                if (dy[e] == 0 || lo > hi) {
                    xa = exMin[e];
                    xb = exMax[e];
                } else {
                    double u = ax[e] + dx[e] * ((lo - ay[e]) / dy[e]);
                    double v = ax[e] + dx[e] * ((hi - ay[e]) / dy[e]);
                    xa = Math.max(exMin[e], Math.min(u, v));
                    xb = Math.min(exMax[e], Math.max(u, v));
                }
                int i0 = Math.max(0, (int) Math.floor((xa - mx - gx0) / w) - 1);
                int i1 = Math.min(side - 1, (int) Math.floor((xb + mx - gx0) / w) + 1);
                for (int i = i0; i <= i1; i++) cells[j * side + i] = BOUNDARY;
            }
        }
        for (int j = 0; j < side; j++) {
            byte run = UNSET;
            for (int i = 0; i < side; i++) {
                int c = j * side + i;
                if (cells[c] == BOUNDARY) {
                    run = UNSET;
                } else {
                    if (run == UNSET) run = contains(gx0 + (i + 0.5) * w, gy0 + (j + 0.5) * h) ? INSIDE : OUTSIDE;
                    cells[c] = run;
                }
            }
        }
        return new Grid(gx0, gy0, 1 / w, 1 / h, side, cells);
    }

    /**
     * Grid-accelerated membership of events [from, to) (from a multiple of 64) into the bit-packed {@code out}: cells
     * decide most events; BOUNDARY cells run the edge loop ({@link #classify} semantics when {@code flags != null},
     * setting their bits in the bit-packed {@code flags}). Three passes, the first two branch-free: every event's
     * cell index into {@code cell}, the lookups (listing the events of BOUNDARY cells), then the edge loop for those.
     *
     * <p>The cell index pass is split so that C2 vectorizes it: each coordinate's scaled offset is clamped to
     * [0, side − 1] in doubles (into {@code fx}, {@code fy}), then converted; fused into one loop with the integer
     * arithmetic it stays scalar and takes twice as long. The result is that of clamping the truncated int: NaN
     * gives 0 (both clamps return NaN, which converts to 0), values beyond either end give the outermost
     * (OUTSIDE) ring.
     *
     * @param cell scratch of at least {@code to} ints (overwritten in [from, to))
     * @param fx   scratch of at least {@code to} doubles (overwritten in [from, to))
     * @param fy   likewise
     */
    void evaluate(double[] xs, double[] ys, int from, int to, long[] out, long[] flags, double ex, double ey,
                  double[] tol, Grid grid, int[] cell, double[] fx, double[] fy) {
        double gx0 = grid.x0();
        double gy0 = grid.y0();
        double invW = grid.invW();
        double invH = grid.invH();
        int side = grid.side();
        double last = side - 1;
        for (int i = from; i < to; i++) fx[i] = Math.max(0.0, Math.min(last, (xs[i] - gx0) * invW));
        for (int i = from; i < to; i++) fy[i] = Math.max(0.0, Math.min(last, (ys[i] - gy0) * invH));
        for (int i = from; i < to; i++) cell[i] = (int) fy[i] * side + (int) fx[i];
        int boundary = lookup(grid, from, to, out, cell);
        for (int q = from; q < boundary; q++) {
            int i = cell[q];
            if (flags == null) {
                Bits.put(out, i, contains(xs[i], ys[i]));
            } else {
                int c = classify(xs[i], ys[i], ex, ey, tol);
                Bits.put(out, i, (c & MEMBER) != 0);
                if ((c & FLAG) != 0) Bits.put(flags, i, true);
            }
        }
    }

    /**
     * The lookup pass: the bits of events [from, to) whose cell ({@code cell[i]}) is INSIDE are set in {@code out}
     * (others cleared); the events of BOUNDARY cells are listed at the start of {@code cell[from..]} (over the
     * indices already read). Returns the end of that list.
     */
    static int lookup(Grid grid, int from, int to, long[] out, int[] cell) {
        byte[] cells = grid.cells();
        int boundary = from;
        for (int base = from; base < to; base += 64) {
            int end = Math.min(to, base + 64);
            long in = 0;
            for (int i = base; i < end; i++) {
                int st = cells[cell[i]];
                in |= ((long) st & INSIDE) << i; // OUTSIDE 0, INSIDE 1, BOUNDARY 2: branch-free
                cell[boundary] = i;
                boundary += st >> 1;
            }
            out[base >>> 6] = in;
        }
        return boundary;
    }

    /** Per-edge bounds of how much the cross product can change when x, y move by at most ex, ey (doubled for rounding). */
    double[] edgeTolerances(double ex, double ey) {
        double[] tol = new double[m];
        ex *= scale;
        ey *= scale;
        for (int e = 0; e < m; e++) tol[e] = 2 * (Math.abs(dx[e]) * ey + Math.abs(dy[e]) * ex);
        return tol;
    }

    /** {@link #classify} result bit: the point is a member (on the approximate coordinates). */
    static final int MEMBER = 1;
    /** {@link #classify} result bit: the exact point could be decided differently. */
    static final int FLAG = 2;

    /**
     * Like {@link #evaluate(double[], double[], int, int, long[])} on approximate coordinates (each within ex, ey of
     * the exact one), setting the bits of the bit-packed {@code flags} for events whose exact point could be decided
     * differently (see {@link #classify}).
     */
    void evaluate(double[] xs, double[] ys, int from, int to, long[] out, long[] flags, double ex, double ey,
                  double[] tol) {
        for (int base = from; base < to; base += 64) {
            int end = Math.min(to, base + 64);
            long in = 0;
            long flag = 0;
            for (int i = base; i < end; i++) {
                int c = classify(xs[i], ys[i], ex, ey, tol);
                in |= (long) (c & MEMBER) << i;
                flag |= (long) (c >>> 1) << i;
            }
            out[base >>> 6] = in;
            flags[base >>> 6] |= flag;
        }
    }

    /**
     * Membership of an approximate point (within ex, ey of the exact one) as {@link #MEMBER}, plus {@link #FLAG} when
     * the exact point could be decided differently: it may lie on the other side of an edge's line within the edge's
     * y-range (edge cross product within its perturbation bound) or on the other side of a vertex's y level (the
     * crossing test). Points outside the polygon's bounding box grown by (ex, ey) are outside for certain.
     */
    int classify(double px, double py, double ex, double ey, double[] tol) {
        if (scale != 1) {
            px *= scale;
            py *= scale;
            ex *= scale;
            ey *= scale;
        }
        if (!(px >= minX - ex && px <= maxX + ex && py >= minY - ey && py <= maxY + ey)) return 0;
        boolean in = false;
        boolean onEdge = false;
        boolean flag = false;
        for (int e = 0; e < m; e++) {
            double cross = cross(e, px, py);
            if (cross == 0.0 && px >= exMin[e] && px <= exMax[e] && py >= eyMin[e] && py <= eyMax[e]) onEdge = true;
            if ((ay[e] > py) != (by[e] > py) && (cross > 0.0) == (dy[e] > 0.0)) in = !in;
            if (Math.abs(cross) <= tol[e] && py >= eyMin[e] - ey && py <= eyMax[e] + ey) flag = true;
            if (ey > 0 && Math.abs(py - ay[e]) <= ey) flag = true;
        }
        return (in || onEdge ? MEMBER : 0) | (flag ? FLAG : 0);
    }
}
