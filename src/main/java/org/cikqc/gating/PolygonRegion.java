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
