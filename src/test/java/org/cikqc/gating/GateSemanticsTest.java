package org.cikqc.gating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Geometry of single points, exactly as SEMANTICS.md pins it down. */
class GateSemanticsTest {
    private static final Dimension X = FcsDimension.of("X");
    private static final Dimension Y = FcsDimension.of("Y");
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void rectangleIsHalfOpen() {
        RectangleGate g = new RectangleGate("r", null, List.of(new RectangleGate.Range(X, 1, 2)));
        assertTrue(g.contains(1.0), "min is inclusive");
        assertTrue(g.contains(Math.nextDown(2.0)));
        assertFalse(g.contains(2.0), "max is exclusive");
        assertFalse(g.contains(Math.nextDown(1.0)));
        assertFalse(g.contains(Double.NaN));
    }

    @Test
    void rectangleAbsentBoundsAreInfiniteAndComparedLiterally() {
        RectangleGate open = new RectangleGate("r", null, List.of(
                new RectangleGate.Range(X, 10, INF), new RectangleGate.Range(Y, -INF, 5)));
        assertTrue(open.contains(Double.MAX_VALUE, -INF), "-inf >= -inf");
        assertFalse(open.contains(INF, 0), "+inf < +inf is false (pinned by set 4 myQuadrant_PN/PP)");
        assertTrue(open.contains(10, 4.999));
        assertFalse(open.contains(9.999, 0));
        assertFalse(open.contains(10, 5));
        assertFalse(open.contains(Double.NaN, 0));
    }

    private static PolygonGate polygon(double... xy) {
        List<PolygonGate.Vertex> v = new java.util.ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) v.add(new PolygonGate.Vertex(xy[i], xy[i + 1]));
        return new PolygonGate("p", null, X, Y, v);
    }

    @Test
    void polygonPointsOnEdgesAndVerticesAreInside() {
        PolygonGate tri = polygon(0, 0, 200000, 100000, 0, 100000);
        float fx = 123457.0f;
        assertTrue(tri.contains(fx, fx / 2), "on the diagonal edge (float32 values)");
        assertTrue(tri.contains(0, 0), "vertex");
        assertTrue(tri.contains(200000, 100000), "vertex");
        assertTrue(tri.contains(100, 100000), "on the top edge");
        assertTrue(tri.contains(0, 50000), "on the left edge");
        assertTrue(tri.contains(10, 9), "inside");
        assertFalse(tri.contains(10, 4), "below the diagonal");
        assertFalse(tri.contains(200001, 100000), "beyond the last vertex");
        assertFalse(tri.contains(-1e-9, 50000));
        assertFalse(tri.contains(Double.NaN, 1));
    }

    @Test
    void polygonUsesEvenOddParity() {
        // pentagram: the central pentagon is covered twice (winding 2) → outside under even-odd
        double[] xy = new double[10];
        for (int k = 0; k < 5; k++) {
            double a = Math.PI / 2 + k * 4 * Math.PI / 5;
            xy[2 * k] = 100 * Math.cos(a);
            xy[2 * k + 1] = 100 * Math.sin(a);
        }
        PolygonGate star = polygon(xy);
        assertFalse(star.contains(0, 0), "centre has winding number 2: outside under even-odd");
        assertTrue(star.contains(0, 80), "a tip is inside");
        // concave polygon shaped like Polygon3NS: the notch is outside
        PolygonGate notch = polygon(10, 10, 500, 10, 500, 390, 100, 390, 100, 180, 200, 180, 200, 300, 10, 300);
        assertTrue(notch.contains(50, 50));
        assertTrue(notch.contains(150, 350), "upper arm");
        assertFalse(notch.contains(150, 250), "inside the notch");
        assertTrue(notch.contains(150, 180), "on the notch's lower edge");
    }

    @Test
    void polygonIsImplicitlyClosedAndTakesAnyOrientation() {
        PolygonGate cw = polygon(0, 0, 0, 10, 10, 10, 10, 0);
        PolygonGate ccw = polygon(0, 0, 10, 0, 10, 10, 0, 10);
        for (double[] p : new double[][] {{5, 5}, {0, 5}, {10, 10}, {10.0001, 5}, {5, -0.1}}) {
            assertEquals(cw.contains(p[0], p[1]), ccw.contains(p[0], p[1]));
        }
        assertTrue(cw.contains(5, 0), "closing edge (last vertex to first) counts");
    }

    @Test
    void ellipsoidMahalanobisIsInclusive() {
        // half-axes 10 and 5 rotated 45° (Ellipse1 in gates1.xml)
        EllipsoidGate e = new EllipsoidGate("e", null, List.of(X, Y), new double[] {0, 0},
                new double[][] {{62.5, 37.5}, {37.5, 62.5}}, 1);
        double s = Math.sqrt(0.5);
        assertTrue(e.contains(9.99 * s, 9.99 * s));
        assertFalse(e.contains(10.01 * s, 10.01 * s));
        assertTrue(e.contains(-4.99 * s, 4.99 * s));
        assertFalse(e.contains(-5.01 * s, 5.01 * s));
        EllipsoidGate unit = new EllipsoidGate("u", null, List.of(X, Y), new double[] {1, 1},
                new double[][] {{1, 0}, {0, 4}}, 1);
        assertTrue(unit.contains(2, 1), "boundary is inside (<=)");
        assertTrue(unit.contains(1, 3), "boundary is inside (<=)");
        assertFalse(unit.contains(2, 1.0001));
        assertThrows(GatingException.class, () -> new EllipsoidGate("s", null, List.of(X, Y), new double[] {0, 0},
                new double[][] {{1, 2}, {2, 4}}, 1), "singular covariance");
    }

    @Test
    void anEllipsoidsCovarianceIsJudgedWhateverItsUnits() {
        // 1e-12·I with distance² 1e14 is the ellipse 100·I with distance² 1 (radius 10): refused as singular by an
        // absolute pivot threshold
        EllipsoidGate small = new EllipsoidGate("s", null, List.of(X, Y), new double[] {40, 20},
                new double[][] {{1e-12, 0}, {0, 1e-12}}, 1e14);
        EllipsoidGate unit = new EllipsoidGate("u", null, List.of(X, Y), new double[] {40, 20},
                new double[][] {{100, 0}, {0, 100}}, 1);
        int inside = 0;
        for (double dx = -12; dx <= 12; dx += 0.5) {
            for (double dy = -12; dy <= 12; dy += 0.5) {
                if (Math.abs(dx * dx + dy * dy - 100) < 1e-9) continue; // on the boundary: decided by rounding
                assertEquals(unit.contains(40 + dx, 20 + dy), small.contains(40 + dx, 20 + dy), dx + ", " + dy);
                if (small.contains(40 + dx, 20 + dy)) inside++;
            }
        }
        assertTrue(inside > 1_000, "points inside: " + inside);
        // the scaling is exact: the inverse of a power-of-two multiple is that multiple of the inverse, bit for bit
        double[][] a = EllipsoidGate.inverse("a", new double[][] {{62.5, 37.5}, {37.5, 62.5}});
        double[][] b = EllipsoidGate.inverse("b", new double[][] {{62.5 * 0x1p-50, 37.5 * 0x1p-50},
                {37.5 * 0x1p-50, 62.5 * 0x1p-50}});
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) assertEquals(a[i][j], b[i][j] * 0x1p-50, 0.0);
        }
        // rank-deficient at any scale, non-finite
        for (double f : new double[] {1e-12, 1, 1e12}) {
            assertThrows(GatingException.class, () -> new EllipsoidGate("r", null, List.of(X, Y), new double[] {0, 0},
                    new double[][] {{f, 2 * f}, {2 * f, 4 * f}}, 1), "singular covariance × " + f);
        }
        GatingException nan = assertThrows(GatingException.class, () -> new EllipsoidGate("n", null, List.of(X, Y),
                new double[] {0, 0}, new double[][] {{1, Double.NaN}, {0, 1}}, 1));
        assertTrue(nan.getMessage().contains("must be finite"), nan.getMessage());
    }

    @Test
    void quadrantIntervalsAreHalfOpen() {
        QuadrantGate q = new QuadrantGate("q", null, List.of(
                new QuadrantGate.Divider("dx", X, List.of(100.0, 20.0)),
                new QuadrantGate.Divider("dy", Y, List.of(5.0))),
                List.of(new QuadrantGate.Quadrant("low", List.of(new QuadrantGate.Position("dx", 0),
                                new QuadrantGate.Position("dy", 0))),
                        new QuadrantGate.Quadrant("mid", List.of(new QuadrantGate.Position("dx", 20))),
                        new QuadrantGate.Quadrant("high", List.of(new QuadrantGate.Position("dx", 1e9),
                                new QuadrantGate.Position("dy", 5)))));
        assertArrayEquals(new double[] {20, 100}, q.dividers().get(0).intervalOf(20), "location on a value → upper");
        assertTrue(q.contains("low", 19.999, 4.999));
        assertFalse(q.contains("low", 20, 0), "divider value belongs to the upper interval");
        assertFalse(q.contains("low", 0, 5));
        assertTrue(q.contains("mid", 20, 1e12), "unpositioned divider does not constrain");
        assertFalse(q.contains("mid", 100, 0));
        assertTrue(q.contains("high", 100, 5));
        assertFalse(q.contains("high", INF, 5), "+inf is in no interval");
        assertTrue(q.contains("low", -INF, -INF), "-inf is in the lowest interval");
        assertFalse(q.contains("high", Math.nextDown(100.0), 5));
        assertEquals(List.of("low", "mid", "high"), q.populationIds());
    }

    @Test
    void quadrantRejectsUnknownDivider() {
        GatingException e = assertThrows(GatingException.class, () -> new QuadrantGate("q", null,
                List.of(new QuadrantGate.Divider("dx", X, List.of(1.0))),
                List.of(new QuadrantGate.Quadrant("a", List.of(new QuadrantGate.Position("dz", 0))))));
        assertTrue(e.getMessage().contains("'dz'"), e.getMessage());
    }

    @Test
    void booleanOperandCounts() {
        assertThrows(GatingException.class, () -> new BooleanGate("b", null, BooleanGate.Operator.NOT,
                List.of(BooleanGate.Operand.of("a"), BooleanGate.Operand.of("c"))));
        assertThrows(GatingException.class, () -> new BooleanGate("b", null, BooleanGate.Operator.AND,
                List.of(BooleanGate.Operand.of("a"))));
    }
}
