package org.cikqc.gating;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Gating-ML {@code QuadrantGate}: dividers split their dimension at one or more values into half-open intervals
 * {@code [v_k, v_k+1)} (with -∞ and +∞ at the ends, compared literally: a value of +∞ is in no interval, -∞ is in
 * the lowest); each {@link Quadrant} is the set of events whose value on every
 * divider it positions lies in the interval that contains the position's {@code location}. Dividers a quadrant does
 * not mention do not constrain it. The quadrants, not the quadrant gate, are the populations.
 *
 * @param id        gate id
 * @param parentId  parent population, or null
 * @param dividers  one or more dividers
 * @param quadrants one or more quadrants
 */
public record QuadrantGate(String id, String parentId, List<Divider> dividers, List<Quadrant> quadrants)
        implements Gate {

    /**
     * One divider.
     *
     * @param id        divider id (quadrant positions refer to it)
     * @param dimension the axis
     * @param values    the split values (any order; one or more)
     */
    public record Divider(String id, Dimension dimension, List<Double> values) {
        public Divider {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(dimension, "dimension");
            values = List.copyOf(values);
            if (values.isEmpty()) throw GatingException.of(id, "divider '" + id + "': needs at least one value");
            for (double v : values) {
                if (Double.isNaN(v)) throw GatingException.of(id, "divider '" + id + "': NaN value");
            }
        }

        /** The half-open interval [lo, hi) of this divider that contains {@code location}, as {lo, hi}. */
        public double[] intervalOf(double location) {
            double lo = Double.NEGATIVE_INFINITY;
            double hi = Double.POSITIVE_INFINITY;
            for (double v : values) {
                if (v <= location && v > lo) lo = v;
                if (v > location && v < hi) hi = v;
            }
            return new double[] {lo, hi};
        }
    }

    /**
     * A position of a quadrant on one divider.
     *
     * @param dividerRef the divider id
     * @param location   any value inside the wanted interval
     */
    public record Position(String dividerRef, double location) {
        public Position {
            Objects.requireNonNull(dividerRef, "dividerRef");
            if (Double.isNaN(location)) throw new IllegalArgumentException("NaN location");
        }
    }

    /**
     * One quadrant (a population).
     *
     * @param id        quadrant id
     * @param positions one or more positions
     */
    public record Quadrant(String id, List<Position> positions) {
        public Quadrant {
            Objects.requireNonNull(id, "id");
            positions = List.copyOf(positions);
            if (positions.isEmpty()) throw GatingException.of(id, "quadrant '" + id + "': needs at least one position");
        }
    }

    public QuadrantGate {
        Objects.requireNonNull(id, "id");
        dividers = List.copyOf(dividers);
        quadrants = List.copyOf(quadrants);
        if (dividers.isEmpty()) throw GatingException.of(id, "gate '" + id + "': a quadrant gate needs a divider");
        if (quadrants.isEmpty()) throw GatingException.of(id, "gate '" + id + "': a quadrant gate needs a quadrant");
        Set<String> dividerIds = new HashSet<>();
        for (Divider d : dividers) {
            if (!dividerIds.add(d.id())) {
                throw GatingException.of(id, "gate '" + id + "': duplicate divider id '" + d.id() + "'");
            }
        }
        for (Quadrant q : quadrants) {
            for (Position p : q.positions()) {
                if (!dividerIds.contains(p.dividerRef())) {
                    throw GatingException.of(q.id(), "quadrant '" + q.id() + "' of gate '" + id
                            + "': unknown divider reference '" + p.dividerRef() + "'");
                }
            }
        }
    }

    @Override
    public List<Dimension> dimensions() { return dividers.stream().map(Divider::dimension).toList(); }

    @Override
    public List<String> populationIds() { return quadrants.stream().map(Quadrant::id).toList(); }

    /** The divider with this id, or null. */
    public Divider divider(String dividerId) {
        for (Divider d : dividers) if (d.id().equals(dividerId)) return d;
        return null;
    }

    /**
     * The quadrant as a rectangle over this gate's dividers: {@code bounds[k] = {lo, hi}} for divider k (infinite when
     * the quadrant does not position on it; intersected when it positions twice).
     */
    public double[][] bounds(Quadrant q) {
        double[][] b = new double[dividers.size()][];
        for (int k = 0; k < b.length; k++) b[k] = new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (Position p : q.positions()) {
            int k = indexOfDivider(p.dividerRef());
            double[] iv = dividers.get(k).intervalOf(p.location());
            b[k][0] = Math.max(b[k][0], iv[0]);
            b[k][1] = Math.min(b[k][1], iv[1]);
        }
        return b;
    }

    /** Index of the divider with this id among {@link #dividers()}; throws for an unknown id. */
    int indexOfDivider(String dividerId) {
        for (int k = 0; k < dividers.size(); k++) if (dividers.get(k).id().equals(dividerId)) return k;
        throw new IllegalArgumentException("unknown divider " + dividerId);
    }

    /** Geometric membership of one point (values in divider order) in quadrant {@code quadrantId}. */
    public boolean contains(String quadrantId, double... point) {
        if (point.length != dividers.size()) throw new IllegalArgumentException("expected " + dividers.size() + " coordinates");
        for (Quadrant q : quadrants) {
            if (!q.id().equals(quadrantId)) continue;
            double[][] b = bounds(q);
            for (int k = 0; k < b.length; k++) if (!RectangleGate.inInterval(point[k], b[k][0], b[k][1])) return false;
            return true;
        }
        throw new IllegalArgumentException("no quadrant " + quadrantId + " in gate " + id);
    }

    /** The quadrant ids, in order. */
    public List<String> quadrantIds() { return new ArrayList<>(populationIds()); }
}
