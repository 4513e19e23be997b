package org.cikqc.gating;

import java.util.List;

/**
 * A polygon with precomputed edges for fast point tests: even-odd crossing parity, points exactly on an edge (cross
 * product exactly zero within the edge's bounding box) inside. One edge cross product decides both the on-edge and
 * the crossing test, so the two can never disagree.
 */
final class PolygonRegion {
    private final int m;
    private final double[] ax;
    private final double[] ay;
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

    private PolygonRegion(List<PolygonGate.Vertex> v) {
        m = v.size();
        ax = new double[m];
        ay = new double[m];
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
            ax[e] = a.x();
            ay[e] = a.y();
            by[e] = b.y();
            dx[e] = b.x() - a.x();
            dy[e] = b.y() - a.y();
            exMin[e] = Math.min(a.x(), b.x());
            exMax[e] = Math.max(a.x(), b.x());
            eyMin[e] = Math.min(a.y(), b.y());
            eyMax[e] = Math.max(a.y(), b.y());
            x0 = Math.min(x0, a.x());
            x1 = Math.max(x1, a.x());
            y0 = Math.min(y0, a.y());
            y1 = Math.max(y1, a.y());
        }
        minX = x0;
        maxX = x1;
        minY = y0;
        maxY = y1;
    }

    static PolygonRegion of(List<PolygonGate.Vertex> vertices) { return new PolygonRegion(vertices); }

    /** Even-odd membership with edges inside; NaN coordinates are outside. */
    boolean contains(double px, double py) {
        if (!(px >= minX && px <= maxX && py >= minY && py <= maxY)) return false;
        boolean in = false;
        for (int e = 0; e < m; e++) {
            double cross = dx[e] * (py - ay[e]) - dy[e] * (px - ax[e]);
            if (cross == 0.0 && px >= exMin[e] && px <= exMax[e] && py >= eyMin[e] && py <= eyMax[e]) return true;
            if ((ay[e] > py) != (by[e] > py) && (cross > 0.0) == (dy[e] > 0.0)) in = !in;
        }
        return in;
    }

    /** {@code out[i] = contains(xs[i], ys[i])} for i in [from, to). */
    void evaluate(double[] xs, double[] ys, int from, int to, boolean[] out) {
        for (int i = from; i < to; i++) out[i] = contains(xs[i], ys[i]);
    }

    /** Cells per grid side. */
    static final int GRID = 64;
    static final byte OUTSIDE = 0;
    static final byte INSIDE = 1;
    static final byte BOUNDARY = 2;

    /**
     * A uniform grid over the bounding box whose cells record OUTSIDE/INSIDE when no edge comes within (ex, ey) (plus
     * a rounding margin) of the cell, so that every point of the cell, and every point within (ex, ey) of it, has the
     * cell's membership; other cells are BOUNDARY and need the edge loop.
     */
    record Grid(double x0, double y0, double invW, double invH, byte[] cells) { }

    /** The grid for coordinates known within (ex, ey), or null for a degenerate (zero-area) bounding box. */
    Grid grid(double ex, double ey) {
        double spanX = maxX - minX;
        double spanY = maxY - minY;
        if (!(spanX > 0 && spanY > 0)) return null;
        double w = spanX / GRID;
        double h = spanY / GRID;
        double mx = ex + 1e-9 * (spanX + Math.abs(minX) + Math.abs(maxX));
        double my = ey + 1e-9 * (spanY + Math.abs(minY) + Math.abs(maxY));
        byte[] cells = new byte[GRID * GRID];
        for (int j = 0; j < GRID; j++) {
            double cy0 = minY + j * h - my;
            double cy1 = minY + (j + 1) * h + my;
            for (int i = 0; i < GRID; i++) {
                double cx0 = minX + i * w - mx;
                double cx1 = minX + (i + 1) * w + mx;
                boolean touched = false;
                for (int e = 0; e < m && !touched; e++) touched = touches(e, cx0, cx1, cy0, cy1);
                cells[j * GRID + i] = touched ? BOUNDARY
                        : contains(minX + (i + 0.5) * w, minY + (j + 0.5) * h) ? INSIDE : OUTSIDE;
            }
        }
        return new Grid(minX, minY, GRID / spanX, GRID / spanY, cells);
    }

    /** Conservatively: may edge e meet the closed rectangle [x0, x1] × [y0, y1]? */
    private boolean touches(int e, double x0, double x1, double y0, double y1) {
        if (exMax[e] < x0 || exMin[e] > x1 || eyMax[e] < y0 || eyMin[e] > y1) return false;
        double slack = 1e-12 * (Math.abs(dx[e]) + Math.abs(dy[e])) * (Math.abs(x1 - x0) + Math.abs(y1 - y0)
                + Math.abs(ax[e]) + Math.abs(ay[e]) + Math.abs(x0) + Math.abs(y0));
        double c0 = dx[e] * (y0 - ay[e]) - dy[e] * (x0 - ax[e]);
        double c1 = dx[e] * (y0 - ay[e]) - dy[e] * (x1 - ax[e]);
        double c2 = dx[e] * (y1 - ay[e]) - dy[e] * (x0 - ax[e]);
        double c3 = dx[e] * (y1 - ay[e]) - dy[e] * (x1 - ax[e]);
        boolean allAbove = c0 > slack && c1 > slack && c2 > slack && c3 > slack;
        boolean allBelow = c0 < -slack && c1 < -slack && c2 < -slack && c3 < -slack;
        return !(allAbove || allBelow);
    }

    /**
     * Grid-accelerated membership of events [from, to): cells decide most events; BOUNDARY cells and points outside
     * the grid run the edge loop ({@link #evaluate(double[], double[], int, int, boolean[], boolean[], double, double,
     * double[])} semantics when {@code flags != null}).
     */
    void evaluate(double[] xs, double[] ys, int from, int to, boolean[] out, boolean[] flags, double ex, double ey,
                  double[] tol, Grid grid) {
        double gx0 = grid.x0();
        double gy0 = grid.y0();
        double invW = grid.invW();
        double invH = grid.invH();
        byte[] cells = grid.cells();
        double bx0 = minX - ex;
        double bx1 = maxX + ex;
        double by0 = minY - ey;
        double by1 = maxY + ey;
        for (int i = from; i < to; i++) {
            double px = xs[i];
            double py = ys[i];
            if (!(px >= bx0 && px <= bx1 && py >= by0 && py <= by1)) {
                out[i] = false;
                continue;
            }
            double fx = (px - gx0) * invW;
            double fy = (py - gy0) * invH;
            if (fx >= 0 && fx < GRID && fy >= 0 && fy < GRID) {
                byte st = cells[(int) fy * GRID + (int) fx];
                if (st != BOUNDARY) {
                    out[i] = st == INSIDE;
                    continue;
                }
            }
            if (flags == null) {
                out[i] = contains(px, py);
            } else {
                evaluate(xs, ys, i, i + 1, out, flags, ex, ey, tol);
            }
        }
    }

    /** Per-edge bounds of how much the cross product can change when x, y move by at most ex, ey (doubled for rounding). */
    double[] edgeTolerances(double ex, double ey) {
        double[] tol = new double[m];
        for (int e = 0; e < m; e++) tol[e] = 2 * (Math.abs(dx[e]) * ey + Math.abs(dy[e]) * ex);
        return tol;
    }

    /**
     * Like {@link #evaluate(double[], double[], int, int, boolean[])} on approximate coordinates (each within ex, ey of
     * the exact one), setting {@code flags[i]} when the exact point could be decided differently: it may lie on the
     * other side of an edge's line within the edge's y-range (edge cross product within its perturbation bound) or
     * on the other side of a vertex's y level (the crossing test). Points outside the polygon's bounding box grown by
     * (ex, ey) are outside for certain.
     */
    void evaluate(double[] xs, double[] ys, int from, int to, boolean[] out, boolean[] flags, double ex, double ey,
                  double[] tol) {
        double bx0 = minX - ex;
        double bx1 = maxX + ex;
        double by0 = minY - ey;
        double by1 = maxY + ey;
        for (int i = from; i < to; i++) {
            double px = xs[i];
            double py = ys[i];
            if (!(px >= bx0 && px <= bx1 && py >= by0 && py <= by1)) {
                out[i] = false;
                continue;
            }
            boolean in = false;
            boolean onEdge = false;
            boolean flag = false;
            for (int e = 0; e < m; e++) {
                double cross = dx[e] * (py - ay[e]) - dy[e] * (px - ax[e]);
                if (cross == 0.0 && px >= exMin[e] && px <= exMax[e] && py >= eyMin[e] && py <= eyMax[e]) onEdge = true;
                if ((ay[e] > py) != (by[e] > py) && (cross > 0.0) == (dy[e] > 0.0)) in = !in;
                if (Math.abs(cross) <= tol[e] && py >= eyMin[e] - ey && py <= eyMax[e] + ey) flag = true;
                if (ey > 0 && Math.abs(py - ay[e]) <= ey) flag = true;
            }
            out[i] = in || onEdge;
            if (flag) flags[i] = true;
        }
    }
}
