package org.cikqc.autogate;

import java.util.Arrays;

/**
 * A closed polygon in data units of two named dimensions, for a Gating-ML {@code PolygonGate}: vertices in order,
 * the last joined back to the first. Immutable (arrays are copied in and out).
 *
 * @param xDimension name of the x parameter ($PnN), e.g. {@code FSC-A}
 * @param yDimension name of the y parameter ($PnN), e.g. {@code SSC-A}
 * @param xs         vertex x coordinates
 * @param ys         vertex y coordinates
 */
public record Polygon(String xDimension, String yDimension, double[] xs, double[] ys) {

    public Polygon {
        if (xs.length != ys.length || xs.length < 3) throw new IllegalArgumentException("a polygon needs >= 3 vertices");
        xs = xs.clone();
        ys = ys.clone();
    }

    @Override
    public double[] xs() { return xs.clone(); }

    @Override
    public double[] ys() { return ys.clone(); }

    /** Number of vertices. */
    public int size() { return xs.length; }

    /** Vertex i's x. */
    public double x(int i) { return xs[i]; }

    /** Vertex i's y. */
    public double y(int i) { return ys[i]; }

    /** Whether (x, y) is inside (even-odd crossing rule; NaN is never inside). */
    public boolean contains(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) return false;
        boolean in = false;
        int n = xs.length;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            if ((ys[i] > y) != (ys[j] > y)) {
                double cross = xs[j] + (y - ys[j]) * (xs[i] - xs[j]) / (ys[i] - ys[j]);
                if (x < cross) in = !in;
            }
        }
        return in;
    }

    /** Signed area (positive when counter-clockwise). */
    public double area() {
        double a = 0;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) a += xs[j] * ys[i] - xs[i] * ys[j];
        return a / 2;
    }

    @Override
    public String toString() {
        return "Polygon[" + xDimension + " x " + yDimension + ", " + Arrays.toString(xs) + ", " + Arrays.toString(ys) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Polygon p && xDimension.equals(p.xDimension) && yDimension.equals(p.yDimension)
                && Arrays.equals(xs, p.xs) && Arrays.equals(ys, p.ys);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * xDimension.hashCode() + yDimension.hashCode()) + 31 * Arrays.hashCode(xs) + Arrays.hashCode(ys);
    }
}
