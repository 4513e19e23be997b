package org.cikqc.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Something drawn over a plot: a gate (polygon, rectangle, threshold, quadrant) or a shaded time interval.
 * Coordinates are DATA units; the plot maps them with its {@link AxisScale}s. Percentages are text computed by
 * the caller (the plot computes no statistics), e.g. "87.4%"; null means "no percentage".
 */
public sealed interface Overlay
        permits Overlay.Polygon, Overlay.Rectangle, Overlay.Threshold, Overlay.Quadrant, Overlay.Interval {

    /** The axis a {@link Threshold} cuts. */
    enum Axis { X, Y }

    /** The gate or rule name shown in the label. */
    String name();

    /** One line describing the geometry in data units, for the dossier's gate record. */
    String describe();

    /**
     * A polygon gate. By default (as in Gating-ML, where a polygon is defined on the possibly transformed
     * dimensions) edges are straight in display space; with {@code straightInData} they are straight in data
     * space and drawn curved on a non-linear axis.
     *
     * @param vertices {x, y} pairs in data units, at least 3
     */
    record Polygon(String name, List<double[]> vertices, String percentText, boolean straightInData)
            implements Overlay {
        public Polygon {
            Objects.requireNonNull(name, "name");
            if (vertices == null || vertices.size() < 3) throw new IllegalArgumentException("a polygon needs >= 3 vertices");
            List<double[]> copy = new ArrayList<>(vertices.size());
            for (double[] v : vertices) {
                if (v == null || v.length != 2) throw new IllegalArgumentException("a vertex is an {x, y} pair");
                copy.add(v.clone());
            }
            vertices = List.copyOf(copy);
        }

        /** A copy of the vertex list (the arrays are copies too). */
        @Override
        public List<double[]> vertices() {
            List<double[]> out = new ArrayList<>(vertices.size());
            for (double[] v : vertices) out.add(v.clone());
            return out;
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder(name).append(": polygon");
            for (double[] v : vertices) sb.append(" (").append(num(v[0])).append(", ").append(num(v[1])).append(')');
            return withPct(sb, percentText);
        }
    }

    /** A rectangle gate; infinite bounds extend to the plot edges (a 1-D range gate on a histogram). */
    record Rectangle(String name, double xMin, double xMax, double yMin, double yMax, String percentText)
            implements Overlay {
        public Rectangle {
            Objects.requireNonNull(name, "name");
            if (!(xMax > xMin) || !(yMax > yMin)) throw new IllegalArgumentException("empty rectangle " + name);
        }

        @Override
        public String describe() {
            return withPct(new StringBuilder(name).append(": rectangle x [").append(num(xMin)).append(", ")
                    .append(num(xMax)).append("] y [").append(num(yMin)).append(", ").append(num(yMax)).append(']'),
                    percentText);
        }
    }

    /** The side of a threshold whose events the gate keeps, where its label goes first. */
    enum Side {
        /** The events below the line ("viable < 894"). */
        BELOW,
        /** The events at or above the line ("CD3+ ≥ 1,576"). */
        ABOVE,
        /** Not stated: the label goes on either side, the high one first ("CD4+" with the CD8+ line crossing it). */
        UNSTATED;

        /** Whether a label of this side is tried on the high side of its line first. */
        boolean highFirst() { return this != BELOW; }
    }

    /**
     * A threshold line (a density valley, a positivity cut-off), with the side of it the gate keeps.
     */
    record Threshold(String name, Axis axis, double value, Side gated, String percentText) implements Overlay {
        public Threshold {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(axis, "axis");
            Objects.requireNonNull(gated, "gated");
            if (!Double.isFinite(value)) throw new IllegalArgumentException("threshold must be finite");
        }

        @Override
        public String describe() {
            return withPct(new StringBuilder(name).append(": threshold ").append(axis == Axis.X ? "x" : "y")
                    .append(" = ").append(num(value)), percentText);
        }
    }

    /** A quadrant gate split at (x, y), with the four percentages drawn in the plot corners. */
    record Quadrant(String name, double x, double y, String upperLeft, String upperRight, String lowerLeft,
            String lowerRight) implements Overlay {
        public Quadrant {
            Objects.requireNonNull(name, "name");
            if (!Double.isFinite(x) || !Double.isFinite(y)) throw new IllegalArgumentException("quadrant centre must be finite");
        }

        @Override
        public String describe() {
            return name + ": quadrant split x = " + num(x) + ", y = " + num(y) + " (UL " + orDash(upperLeft)
                    + ", UR " + orDash(upperRight) + ", LL " + orDash(lowerLeft) + ", LR " + orDash(lowerRight) + ")";
        }
    }

    /**
     * A shaded interval of the x axis, labelled with its name: events removed by an acquisition-QC rule
     * ({@code removed}), or where an uncertain threshold could plausibly be (not {@code removed}).
     */
    record Interval(String name, double start, double end, boolean removed) implements Overlay {
        public Interval {
            Objects.requireNonNull(name, "name");
            if (!(end > start)) throw new IllegalArgumentException("empty interval " + name);
        }

        @Override
        public String describe() {
            String x = "x [" + num(start) + ", " + num(end) + "]";
            return removed ? name + ": removed " + x : name + " (" + x + ")";
        }
    }

    /** A polygon gate with straight edges in display space. */
    static Polygon polygon(String name, List<double[]> vertices, String percentText) {
        return new Polygon(name, vertices, percentText, false);
    }

    /** A rectangle gate. */
    static Rectangle rectangle(String name, double xMin, double xMax, double yMin, double yMax, String percentText) {
        return new Rectangle(name, xMin, xMax, yMin, yMax, percentText);
    }

    /** A 1-D range gate (for histograms): a rectangle unbounded in y. */
    static Rectangle range(String name, double min, double max, String percentText) {
        return new Rectangle(name, min, max, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, percentText);
    }

    /** A threshold line keeping the events on its {@code gated} side. */
    static Threshold threshold(String name, Axis axis, double value, Side gated, String percentText) {
        return new Threshold(name, axis, value, gated, percentText);
    }

    /** A quadrant split with the four corner labels (upper-left, upper-right, lower-left, lower-right). */
    static Quadrant quadrant(String name, double x, double y, String upperLeft, String upperRight, String lowerLeft,
            String lowerRight) {
        return new Quadrant(name, x, y, upperLeft, upperRight, lowerLeft, lowerRight);
    }

    /** A shaded x interval of removed events, labelled with a rule name. */
    static Interval interval(String ruleName, double start, double end) {
        return new Interval(ruleName, start, end, true);
    }

    /** A shaded x interval where an uncertain threshold could plausibly be. */
    static Interval uncertain(String name, double start, double end) {
        return new Interval(name, start, end, false);
    }

    private static String num(double v) {
        if (v == Double.POSITIVE_INFINITY) return "+inf";
        if (v == Double.NEGATIVE_INFINITY) return "-inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String orDash(String s) { return s == null ? "-" : s; }

    private static String withPct(StringBuilder sb, String pct) {
        if (pct != null) sb.append(" -> ").append(pct);
        return sb.toString();
    }
}
