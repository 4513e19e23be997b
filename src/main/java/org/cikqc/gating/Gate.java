package org.cikqc.gating;

import java.util.List;

/**
 * A Gating-ML 2.0 gate: geometry over {@link Dimension}s (rectangle, polygon, ellipsoid, quadrant) or a boolean
 * combination of other populations. An event's membership of a gate is its geometric membership AND its
 * membership of the parent population ({@code parentId}), if any.
 *
 * <p>Each gate defines populations that other gates may reference (as parent or boolean operand): a quadrant gate
 * defines one per {@link QuadrantGate.Quadrant} (the quadrant gate's own id is not a population); every other gate
 * defines one with its own id.
 */
public sealed interface Gate permits RectangleGate, PolygonGate, EllipsoidGate, QuadrantGate, BooleanGate {

    /** The gate id (an XML NCName, unique in the strategy). */
    String id();

    /** The parent population id, or null for a gate applied to all events. */
    String parentId();

    /** The axes the geometry uses, in order (empty for boolean gates). */
    List<Dimension> dimensions();

    /** The population ids this gate defines, in order. */
    default List<String> populationIds() { return List.of(id()); }
}
