package org.cikqc.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.Transform;
import org.junit.jupiter.api.Test;

/**
 * Memberships are kept 64 events per word: batches of every length around word and block boundaries, non-finite
 * values, parents, boolean complements and quadrants give, event for event, what the gates' own single-point tests
 * give, with both accelerated and exact transforms.
 */
class BitPackedMembershipTest {
    private static final Dimension A = FcsDimension.of("A");
    private static final Dimension B = FcsDimension.of("B");
    private static final Dimension LA = new FcsDimension("A", Dimension.UNCOMPENSATED, "L");
    private static final Dimension LB = new FcsDimension("B", Dimension.UNCOMPENSATED, "L");
    private static final Transform LOGICLE = new LogicleTransform(262144, 0.5, 4.5, 0);

    private static List<PolygonGate.Vertex> vertices(double... xy) {
        List<PolygonGate.Vertex> v = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) v.add(new PolygonGate.Vertex(xy[i], xy[i + 1]));
        return v;
    }

    private static GatingStrategy strategy() {
        double inf = Double.POSITIVE_INFINITY;
        List<Gate> g = new ArrayList<>();
        g.add(new RectangleGate("R", null, List.of(new RectangleGate.Range(A, -500, inf))));
        g.add(new PolygonGate("P", "R", A, B, vertices(0, 0, 3000, 200, 2500, 4000, 200, 2500)));
        g.add(new PolygonGate("LP", null, LA, LB, vertices(0.2, 0.2, 0.8, 0.25, 0.7, 0.9, 0.25, 0.7)));
        g.add(new EllipsoidGate("E", "R", List.of(LA, LB), new double[] {0.5, 0.45},
                new double[][] {{0.02, 0.004}, {0.004, 0.03}}, 1));
        g.add(new RectangleGate("LR", null, List.of(new RectangleGate.Range(LA, 0.3, 0.75),
                new RectangleGate.Range(LB, 0.2, inf))));
        g.add(new QuadrantGate("Q", "P", List.of(new QuadrantGate.Divider("da", LA, List.of(0.5)),
                new QuadrantGate.Divider("db", B, List.of(1000.0))),
                List.of(quadrant("Q00", 0, 0), quadrant("Q10", 1, 0), quadrant("Q01", 0, 1), quadrant("Q11", 1, 1))));
        g.add(new BooleanGate("NOTP", null, BooleanGate.Operator.NOT, List.of(BooleanGate.Operand.of("P"))));
        g.add(new BooleanGate("NOTNOT", "R", BooleanGate.Operator.NOT, List.of(new BooleanGate.Operand("LP", true))));
        g.add(new BooleanGate("AND", null, BooleanGate.Operator.AND, List.of(BooleanGate.Operand.of("E"),
                new BooleanGate.Operand("LR", true), new BooleanGate.Operand("Q11", true))));
        g.add(new BooleanGate("OR", "LP", BooleanGate.Operator.OR, List.of(new BooleanGate.Operand("E", true),
                BooleanGate.Operand.of("Q00"))));
        return GatingStrategy.of(g, List.of(new ScaleTransformation("L", LOGICLE)), List.of());
    }

    private static QuadrantGate.Quadrant quadrant(String id, int a, int b) {
        return new QuadrantGate.Quadrant(id, List.of(new QuadrantGate.Position("da", a == 1 ? 0.6 : 0.1),
                new QuadrantGate.Position("db", b == 1 ? 2000 : 0)));
    }

    /** Every population of event (a, b) by the gates' single-point tests. */
    private static boolean[] reference(GatingStrategy s, double a, double b) {
        List<String> ids = s.populationIds();
        boolean[] in = new boolean[ids.size()];
        double la = LOGICLE.apply(a);
        double lb = LOGICLE.apply(b);
        for (Gate g : s.evaluationOrder()) {
            boolean parent = g.parentId() == null || in[ids.indexOf(g.parentId())];
            if (g instanceof RectangleGate r) {
                double[] p = new double[r.dimensions().size()];
                for (int k = 0; k < p.length; k++) p[k] = r.dimensions().get(k) == A ? a : (r.dimensions().get(k) == LA ? la : lb);
                in[ids.indexOf(g.id())] = parent && r.contains(p);
            } else if (g instanceof PolygonGate p) {
                in[ids.indexOf(g.id())] = parent && (p.dimensions().get(0) == A ? p.contains(a, b) : p.contains(la, lb));
            } else if (g instanceof EllipsoidGate e) {
                in[ids.indexOf(g.id())] = parent && e.contains(la, lb);
            } else if (g instanceof QuadrantGate q) {
                for (QuadrantGate.Quadrant qu : q.quadrants()) in[ids.indexOf(qu.id())] = parent && q.contains(qu.id(), la, b);
            } else if (g instanceof BooleanGate bg) {
                boolean v = bg.operator() == BooleanGate.Operator.AND;
                for (BooleanGate.Operand o : bg.operands()) {
                    boolean x = in[ids.indexOf(o.ref())] != o.complement();
                    v = bg.operator() == BooleanGate.Operator.AND ? v && x : v || x;
                }
                if (bg.operator() == BooleanGate.Operator.NOT) v = !v;
                in[ids.indexOf(g.id())] = parent && v;
            }
        }
        return in;
    }

    private static double value(Random r, int i) {
        return switch (r.nextInt(24)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> -r.nextDouble() * 1000;
            default -> Math.exp(r.nextGaussian() * 1.5 + 6.5);
        };
    }

    @Test
    void everyBatchLengthAgreesWithTheSinglePointTests() {
        GatingStrategy s = strategy();
        List<org.cikqc.fcs.FcsParameter> params = GatingEngineTest.params("A", "B");
        Random r = new Random(23);
        for (GatingEngine.Options options : List.of(GatingEngine.Options.DEFAULT, GatingEngine.Options.EXACT)) {
            CompiledStrategy c = GatingEngine.compile(s, params, null, options);
            long[] total = new long[s.populationIds().size()];
            long events = 0;
            for (int n : new int[] {1, 63, 64, 65, 127, 128, 2047, 2048, 2049, 4095, 4161, 0, 5000, 7}) {
                double[][] cols = new double[2][n];
                for (int i = 0; i < n; i++) {
                    cols[0][i] = value(r, i);
                    cols[1][i] = value(r, i);
                }
                BatchResult res = c.evaluate(cols, n, events);
                for (int p = 0; p < total.length; p++) {
                    boolean[] m = res.membership(p);
                    int count = 0;
                    for (int i = 0; i < n; i++) {
                        assertEquals(m[i], res.contains(p, i));
                        count += m[i] ? 1 : 0;
                    }
                    assertEquals(count, res.count(p), "batch of " + n + ": count of " + s.populationIds().get(p));
                    total[p] += count;
                }
                for (int i = 0; i < n; i++) {
                    boolean[] want = reference(s, cols[0][i], cols[1][i]);
                    for (int p = 0; p < want.length; p++) {
                        assertEquals(want[p], res.contains(p, i), options + ", batch of " + n + ", event " + i + " ("
                                + cols[0][i] + ", " + cols[1][i] + "): " + s.populationIds().get(p));
                    }
                }
                events += n;
            }
            for (int p = 0; p < total.length; p++) assertEquals(total[p], c.counts().count(p), s.populationIds().get(p));
            assertEquals(events, c.events());
        }
    }

    @Test
    void packedSetsKeepTheirTailClear() {
        long[] set = new long[3];
        GateKernel.fill(set, 64, 130);
        assertEquals(0, set[0]);
        assertEquals(-1L, set[1]);
        assertEquals(3L, set[2]);
        assertEquals(66, Bits.count(set, 64, 130));
        assertEquals(-1L, Bits.tail(128));
        assertEquals(1L, Bits.tail(1));
        Bits.put(set, 129, false);
        Bits.put(set, 5, true);
        assertEquals(1L, set[2]);
        assertEquals(true, Bits.get(set, 5));
        assertEquals(66, Bits.count(set, 0, 130));
    }
}
