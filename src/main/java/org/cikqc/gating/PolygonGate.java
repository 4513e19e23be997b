package org.cikqc.gating;

import java.util.List;
import java.util.Objects;

/**
 * A Gating-ML {@code PolygonGate} on two dimensions. The vertices are in order and the polygon is implicitly closed.
 * Membership is even-odd (crossing parity), and points exactly on an edge are inside.
 *
 * @param id       gate id
 * @param parentId parent population, or null
 * @param x        first dimension
 * @param y        second dimension
 * @param vertices at least three vertices
 */
public record PolygonGate(String id, String parentId, Dimension x, Dimension y, List<Vertex> vertices) implements Gate {

    /** One vertex (x, y). */
    public record Vertex(double x, double y) {
        public Vertex {
            if (!Double.isFinite(x) || !Double.isFinite(y)) throw new IllegalArgumentException("vertex must be finite");
        }
    }

    public PolygonGate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        vertices = List.copyOf(vertices);
        if (vertices.size() < 3) {
            throw GatingException.of(id, "gate '" + id + "': a polygon needs at least 3 vertices, has " + vertices.size());
        }
    }

    @Override
    public List<Dimension> dimensions() { return List.of(x, y); }

    /** Geometric membership of one point; the parent is not considered. */
    public boolean contains(double px, double py) { return PolygonRegion.of(vertices).contains(px, py); }
}
