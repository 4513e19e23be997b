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
}
