package org.cikqc.gating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cikqc.transform.AsinhTransform;
import org.cikqc.transform.BoundedTransform;
import org.cikqc.transform.HyperlogTransform;
import org.cikqc.transform.LinearTransform;
import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.Transform;
import org.cikqc.transform.TransformTable;
import org.junit.jupiter.api.Test;

/**
 * Interpolated transforms stay within their stated tolerance, and the engine's memberships with them are identical
 * to exact evaluation even for events placed exactly on gate boundaries.
 */
class AcceleratedTransformTest {

    static double[] sample(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i % 4) {
                case 0 -> Math.exp(r.nextGaussian() * 4 + 5);
                case 1 -> -Math.exp(r.nextGaussian() * 3 + 2);
                case 2 -> r.nextGaussian() * 50;
                default -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(90) - 40);
            };
        }
        x[0] = 0;
        x[1] = -0.0;
        x[2] = Double.NaN;
        x[3] = Double.POSITIVE_INFINITY;
        x[4] = 1e300;
        x[5] = -1e-300;
        return x;
    }

    @Test
    void tablesRespectTheirTolerance() {
        List<Transform> ts = List.of(new LogicleTransform(262144, 0.5, 4.5, 0), new LogicleTransform(10000, 1, 4, 0.5),
                new HyperlogTransform(262144, 0.5, 4.5, 0), new HyperlogTransform(10000, 1, 4.5, 0),
                new AsinhTransform(262144, 4.5, 0), new AsinhTransform(1.1752011936438014, 0.43429448190325176, 0),
                new BoundedTransform(new LogicleTransform(262144, 0.3, 4.2, 0.5), 0.2, 0.8));
        Random r = new Random(3);
        for (Transform t : ts) {
            TransformTable table = TransformTable.of(t);
            assertNotNull(table, t.describe());
            assertTrue(table.tolerance() < 1e-4, t.describe() + " tolerance " + table.tolerance());
            double[] x = sample(r, 200_000);
            double[] y = new double[x.length];
            table.apply(x, y, x.length);
            for (int i = 0; i < x.length; i++) {
                double exact = t.apply(x[i]);
                if (Double.isNaN(exact)) {
                    assertTrue(Double.isNaN(y[i]));
                    continue;
                }
                assertTrue(Math.abs(y[i] - exact) <= table.tolerance() || y[i] == exact,
                        t.describe() + " at " + x[i] + ": " + y[i] + " vs " + exact + " tol " + table.tolerance());
                assertEquals(y[i], table.apply(x[i]), 0.0, "one value as in a batch, at " + x[i]);
            }
        }
        assertNull(TransformTable.of(new LinearTransform(10, 1)), "cheap transforms stay exact");
    }

    @Test
    void membershipIsIdenticalToExactEvenOnBoundaries() {
        Transform lg = new LogicleTransform(262144, 0.5, 4.5, 0);
        ScaleTransformation st = new ScaleTransformation("L", lg);
        ScaleTransformation hb = new ScaleTransformation("H", new BoundedTransform(new HyperlogTransform(262144, 0.5, 4.5, 0),
                0.1, 0.9));
        Dimension a = new FcsDimension("A", Dimension.UNCOMPENSATED, "L");
        Dimension b = new FcsDimension("B", Dimension.UNCOMPENSATED, "L");
        Dimension c = new FcsDimension("A", Dimension.UNCOMPENSATED, "H");
        Random r = new Random(11);
        int n = 40_000;
        double[][] cols = new double[2][n];
        for (int i = 0; i < n; i++) {
            cols[0][i] = Math.exp(r.nextGaussian() * 2 + 6) - 100;
            cols[1][i] = Math.exp(r.nextGaussian() * 2 + 6) - 100;
        }
        // boundaries exactly at the exact transformed values of some events
        double ya = lg.apply(cols[0][17]);
        double yb = lg.apply(cols[1][99]);
        double yc = hb.transform().apply(cols[0][5]);
        List<PolygonGate.Vertex> v = new ArrayList<>();
        v.add(new PolygonGate.Vertex(lg.apply(cols[0][1]), lg.apply(cols[1][1])));
        v.add(new PolygonGate.Vertex(lg.apply(cols[0][2]), lg.apply(cols[1][2])));
        v.add(new PolygonGate.Vertex(0.9, 0.1));
        v.add(new PolygonGate.Vertex(0.8, 0.9));
        v.add(new PolygonGate.Vertex(lg.apply(cols[0][3]), lg.apply(cols[1][3])));
        double mx = lg.apply(cols[0][7]);
        double my = lg.apply(cols[1][7]);
        GatingStrategy s = GatingStrategy.of(List.of(
                new RectangleGate("R", null, List.of(new RectangleGate.Range(a, ya, 0.7), new RectangleGate.Range(b, 0.2, yb))),
                new RectangleGate("RH", null, List.of(new RectangleGate.Range(c, yc, 0.9))),
                new PolygonGate("P", null, a, b, v),
                new EllipsoidGate("E", null, List.of(a, b), new double[] {mx + 0.01, my - 0.02},
                        new double[][] {{0.002, 0.0005}, {0.0007, 0.003}}, 1),
                new QuadrantGate("Q", "P", List.of(new QuadrantGate.Divider("d", a, List.of(ya))),
                        List.of(new QuadrantGate.Quadrant("Qlo", List.of(new QuadrantGate.Position("d", 0))),
                                new QuadrantGate.Quadrant("Qhi", List.of(new QuadrantGate.Position("d", 1))))),
                new BooleanGate("X", null, BooleanGate.Operator.OR, List.of(BooleanGate.Operand.of("E"),
                        new BooleanGate.Operand("Qhi", true)))), List.of(st, hb), List.of());
        // an ellipse through event 7's exact values: distance exactly computed
        List<org.cikqc.fcs.FcsParameter> params = GatingEngineTest.params("A", "B");
        CompiledStrategy fast = GatingEngine.compile(s, params, null, GatingEngine.Options.DEFAULT);
        CompiledStrategy exact = GatingEngine.compile(s, params, null, GatingEngine.Options.EXACT);
        assertTrue(fast.valueTolerance(fast.dimensionIndex(a)) > 0);
        assertEquals(0, exact.valueTolerance(exact.dimensionIndex(a)));
        BatchResult rf = fast.evaluate(cols, n, 0);
        boolean[][] mf = new boolean[s.populationIds().size()][];
        for (int p = 0; p < mf.length; p++) mf[p] = java.util.Arrays.copyOf(rf.membership(p), n);
        BatchResult re = exact.evaluate(cols, n, 0);
        for (int p = 0; p < mf.length; p++) {
            assertArrayEquals(java.util.Arrays.copyOf(re.membership(p), n), mf[p], s.populationIds().get(p));
        }
        assertTrue(fast.recheckedEvents() >= 3, "boundary events were re-evaluated: " + fast.recheckedEvents());
        assertTrue(rf.membership("R")[17] || !rf.membership("R")[17]);
        for (int p = 0; p < mf.length; p++) assertEquals(exact.counts().count(p), fast.counts().count(p));
    }

    @Test
    void rangeBoundsOnUntransformedValuesAreExactEverywhere() {
        Transform lg = new LogicleTransform(262144, 0.5, 4.5, 0);
        Transform bh = new BoundedTransform(new HyperlogTransform(262144, 0.5, 4.5, 0), 0.1, 0.9);
        Transform as = new AsinhTransform(262144, 4.5, 0);
        ScaleTransformation sl = new ScaleTransformation("L", lg);
        ScaleTransformation sh = new ScaleTransformation("H", bh);
        ScaleTransformation sa = new ScaleTransformation("S", as);
        Dimension a = new FcsDimension("A", Dimension.UNCOMPENSATED, "L");
        Dimension b = new FcsDimension("B", Dimension.UNCOMPENSATED, "H");
        Dimension c = new FcsDimension("B", Dimension.UNCOMPENSATED, "S");
        Random r = new Random(17);
        int n = 50_000;
        double[][] cols = new double[2][];
        cols[0] = sample(r, n);
        cols[1] = sample(r, n);
        double inf = Double.POSITIVE_INFINITY;
        // bounds: exact images of events, infinite, beyond the bounded transform's clip range, at its clip values,
        // and far beyond the scale's top (no finite pre-image: the bound stays on the transformed scale)
        double ya = lg.apply(cols[0][40]);
        double yb = bh.apply(cols[1][41]);
        double yc = as.apply(cols[1][44]);
        GatingStrategy s = GatingStrategy.of(List.of(
                new RectangleGate("R1", null, List.of(new RectangleGate.Range(a, ya, inf))),
                new RectangleGate("R2", null, List.of(new RectangleGate.Range(a, -inf, ya))),
                new RectangleGate("R3", null, List.of(new RectangleGate.Range(b, -5, 0.1), new RectangleGate.Range(a, 0.2, 0.8))),
                new RectangleGate("R4", null, List.of(new RectangleGate.Range(b, 0.1, yb))),
                new RectangleGate("R5", null, List.of(new RectangleGate.Range(b, 0.9, 7))),
                new RectangleGate("R6", null, List.of(new RectangleGate.Range(b, yb, 0.9))),
                new RectangleGate("R7", null, List.of(new RectangleGate.Range(a, 1e6, inf))),
                new RectangleGate("R8", null, List.of(new RectangleGate.Range(c, -inf, yc))),
                new RectangleGate("R9", null, List.of(new RectangleGate.Range(c, -1e9, -1e-12))),
                new QuadrantGate("Q", null, List.of(new QuadrantGate.Divider("da", a, List.of(ya, 0.3)),
                        new QuadrantGate.Divider("db", b, List.of(yb))),
                        List.of(quadrant("Q00", 0.0, 0.0), quadrant("Q10", 0.31, 0.0), quadrant("Q21", ya + 0.01, 0.95),
                                quadrant("Qm", -10, 0.95))),
                // one value per divider: all quadrants in one kernel; a position exactly at the split is the upper side
                new QuadrantGate("Q1", null, List.of(new QuadrantGate.Divider("ea", a, List.of(0.3)),
                        new QuadrantGate.Divider("eb", b, List.of(yb)), new QuadrantGate.Divider("ec", c, List.of(yc))),
                        List.of(position("Q1lo", "ea", 0.0, "eb", 0.0), position("Q1hi", "ea", 0.3, "eb", yb),
                                new QuadrantGate.Quadrant("Q1c", List.of(new QuadrantGate.Position("ec", yc))),
                                position("Q1ac", "ea", 0.5, "ec", -1)))), List.of(sl, sh, sa), List.of());
        List<org.cikqc.fcs.FcsParameter> params = GatingEngineTest.params("A", "B");
        CompiledStrategy fast = GatingEngine.compile(s, params, null, GatingEngine.Options.DEFAULT);
        CompiledStrategy exact = GatingEngine.compile(s, params, null, GatingEngine.Options.EXACT);
        for (int from = 0; from < n; from += 9_000) {
            int len = Math.min(9_000, n - from);
            double[][] batch = {java.util.Arrays.copyOfRange(cols[0], from, from + len),
                java.util.Arrays.copyOfRange(cols[1], from, from + len)};
            BatchResult rf = fast.evaluate(batch, len, from);
            boolean[][] mf = new boolean[s.populationIds().size()][];
            for (int p = 0; p < mf.length; p++) mf[p] = java.util.Arrays.copyOf(rf.membership(p), len);
            double[][] vf = new double[3][];
            for (int d = 0; d < 3; d++) vf[d] = java.util.Arrays.copyOf(rf.values(d), len);
            BatchResult re = exact.evaluate(batch, len, from);
            for (int p = 0; p < mf.length; p++) {
                assertArrayEquals(java.util.Arrays.copyOf(re.membership(p), len), mf[p], s.populationIds().get(p));
            }
            // dimensions the rectangles test untransformed are still available, transformed, on request
            for (Dimension d : List.of(a, b, c)) {
                double[] ve = re.values(d);
                double[] v = vf[fast.dimensionIndex(d)];
                double tol = fast.valueTolerance(fast.dimensionIndex(d));
                for (int i = 0; i < len; i++) {
                    assertTrue(v[i] == ve[i] || Math.abs(v[i] - ve[i]) <= tol || (Double.isNaN(v[i]) && Double.isNaN(ve[i])),
                            d.label() + " event " + (from + i) + ": " + v[i] + " vs " + ve[i]);
                }
            }
        }
        for (int p = 0; p < s.populationIds().size(); p++) {
            assertEquals(exact.counts().count(p), fast.counts().count(p), s.populationIds().get(p));
        }
        assertTrue(exact.counts().count(s.populationIds().indexOf("R1")) > 0);
        assertTrue(fast.recheckedEvents() >= 4, "boundary and non-finite events were re-evaluated: " + fast.recheckedEvents());
    }

    private static QuadrantGate.Quadrant position(String id, String d1, double l1, String d2, double l2) {
        return new QuadrantGate.Quadrant(id, List.of(new QuadrantGate.Position(d1, l1), new QuadrantGate.Position(d2, l2)));
    }

    private static QuadrantGate.Quadrant quadrant(String id, double la, double lb) {
        return new QuadrantGate.Quadrant(id, List.of(new QuadrantGate.Position("da", la), new QuadrantGate.Position("db", lb)));
    }

    @Test
    void bandsBracketTheExactCrossing() {
        Transform lg = new LogicleTransform(262144, 0.5, 4.5, 0);
        TransformTable t = TransformTable.of(lg);
        for (double v : new double[] {0, 0.05, 0.2, 0.45, 0.9, 1.0, -0.1, lg.apply(0), lg.apply(1e-3)}) {
            double[] band = t.band(v);
            assertNotNull(band, "v=" + v);
            assertTrue(band[0] < band[1]);
            assertTrue(lg.apply(band[0]) < v && lg.apply(Math.nextDown(band[0])) < v, "below the band: under v=" + v);
            assertTrue(lg.apply(band[1]) >= v && lg.apply(Math.nextUp(band[1])) >= v, "above the band: at least v=" + v);
            assertTrue(band[1] - band[0] < 1e-3 * (1 + Math.abs(band[0])), "narrow band for v=" + v);
        }
        assertNull(t.band(1e6), "a bound with no finite pre-image stays on the transformed scale");
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, t.band(Double.NEGATIVE_INFINITY));
        TransformTable bounded = TransformTable.of(new BoundedTransform(lg, 0.1, 0.9));
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, bounded.band(0.1));
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, bounded.band(0.95));
    }

    @Test
    void profileNamesEveryStageAndLeavesTheCountsAlone() {
        Transform lg = new LogicleTransform(262144, 0.5, 4.5, 0);
        Dimension a = new FcsDimension("A", Dimension.UNCOMPENSATED, "L");
        Dimension b = new FcsDimension("B", Dimension.UNCOMPENSATED, "L");
        GatingStrategy s = GatingStrategy.of(List.of(
                new RectangleGate("R", null, List.of(new RectangleGate.Range(a, 0.2, 0.8))),
                new PolygonGate("P", "R", a, b, List.of(new PolygonGate.Vertex(0.1, 0.1), new PolygonGate.Vertex(0.9, 0.2),
                        new PolygonGate.Vertex(0.5, 0.9)))), List.of(new ScaleTransformation("L", lg)), List.of());
        CompiledStrategy c = GatingEngine.compile(s, GatingEngineTest.params("A", "B"), null, GatingEngine.Options.DEFAULT);
        Random r = new Random(4);
        double[][] cols = {sample(r, 5000), sample(r, 5000)};
        c.evaluate(cols, 5000, 0);
        PopulationCounts before = c.counts();
        java.util.Map<String, Double> t = c.profile(cols, 5000, 3);
        assertEquals(List.of("dimension A [uncompensated, L]", "dimension B [uncompensated, L]", "rect R", "poly P",
                "exact re-evaluation",
                "counting 2 populations"), List.copyOf(t.keySet()), t.toString());
        for (double v : t.values()) assertTrue(v >= 0 && Double.isFinite(v), t.toString());
        assertEquals(before.count(0), c.counts().count(0));
        assertEquals(before.events(), c.counts().events());
    }
}
