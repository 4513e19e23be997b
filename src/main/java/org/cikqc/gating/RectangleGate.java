package org.cikqc.gating;

import java.util.List;
import java.util.Objects;

/**
 * A Gating-ML {@code RectangleGate} (a range gate when it has one dimension): an event is inside when
 * {@code min <= v < max} on every dimension (half-open; an absent bound is infinite, so +∞ is never inside).
 *
 * @param id       gate id
 * @param parentId parent population, or null
 * @param ranges   one interval per dimension
 */
public record RectangleGate(String id, String parentId, List<Range> ranges) implements Gate {

    /**
     * The interval on one dimension.
     *
     * @param dimension the axis
     * @param min       inclusive lower bound, {@code Double.NEGATIVE_INFINITY} when absent
     * @param max       exclusive upper bound, {@code Double.POSITIVE_INFINITY} when absent
     */
    public record Range(Dimension dimension, double min, double max) {
        public Range {
            Objects.requireNonNull(dimension, "dimension");
            if (Double.isNaN(min) || Double.isNaN(max)) throw new IllegalArgumentException("NaN range bound");
        }

        /**
         * True when {@code min <= v < max}, compared literally also for absent (infinite) bounds: -∞ is inside when
         * {@code min} is absent, +∞ is never inside (the compliance suite pins this for quadrant intervals; rectangles
         * follow the same rule), NaN is never inside.
         */
        public boolean contains(double v) { return inInterval(v, min, max); }
    }

    public RectangleGate {
        Objects.requireNonNull(id, "id");
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) throw GatingException.of(id, "gate '" + id + "': a rectangle gate needs at least one dimension");
    }

    /** The half-open interval test shared by rectangles and quadrants (see {@link Range#contains}). */
    static boolean inInterval(double v, double min, double max) { return v >= min && v < max; }

    @Override
    public List<Dimension> dimensions() { return ranges.stream().map(Range::dimension).toList(); }

    /** Geometric membership of one point (values in dimension order); the parent is not considered. */
    public boolean contains(double... point) {
        if (point.length != ranges.size()) throw new IllegalArgumentException("expected " + ranges.size() + " coordinates");
        for (int k = 0; k < point.length; k++) if (!ranges.get(k).contains(point[k])) return false;
        return true;
    }
}
