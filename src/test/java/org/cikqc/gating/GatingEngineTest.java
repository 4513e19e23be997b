package org.cikqc.gating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.transform.BoundedTransform;
import org.cikqc.transform.LinearTransform;
import org.cikqc.transform.RatioTransform;
import org.junit.jupiter.api.Test;

/** The batch engine against the single-point reference semantics of the gate records. */
class GatingEngineTest {

    static List<FcsParameter> params(String... names) {
        List<FcsParameter> p = new ArrayList<>();
        for (int i = 0; i < names.length; i++) p.add(new FcsParameter(i + 1, names[i], null, 32, 262144, 'F', 1, 0, 0, 0));
        return p;
    }

    private static final Dimension A = FcsDimension.of("A");
    private static final Dimension B = FcsDimension.of("B");

    private static GatingStrategy strategy() {
        RectangleGate rect = new RectangleGate("Rect", null, List.of(new RectangleGate.Range(A, 10, 60),
                new RectangleGate.Range(B, -Double.POSITIVE_INFINITY, 50)));
        PolygonGate poly = new PolygonGate("Poly", null, A, B, List.of(new PolygonGate.Vertex(0, 0),
                new PolygonGate.Vertex(80, 10), new PolygonGate.Vertex(40, 90)));
        EllipsoidGate ell = new EllipsoidGate("Ell", "Poly", List.of(A, B), new double[] {40, 40},
                new double[][] {{300, 50}, {80, 200}}, 1.5);
        QuadrantGate quad = new QuadrantGate("Quad", null, List.of(new QuadrantGate.Divider("dA", A, List.of(50.0)),
                new QuadrantGate.Divider("dB", B, List.of(25.0, 75.0))),
                List.of(new QuadrantGate.Quadrant("lowA", List.of(new QuadrantGate.Position("dA", 0))),
                        new QuadrantGate.Quadrant("highA_midB", List.of(new QuadrantGate.Position("dA", 60),
                                new QuadrantGate.Position("dB", 30)))));
        BooleanGate and = new BooleanGate("AndNot", "lowA", BooleanGate.Operator.AND,
                List.of(BooleanGate.Operand.of("Rect"), new BooleanGate.Operand("Ell", true)));
        BooleanGate or = new BooleanGate("Or", null, BooleanGate.Operator.OR,
                List.of(BooleanGate.Operand.of("Ell"), BooleanGate.Operand.of("highA_midB")));
        BooleanGate not = new BooleanGate("Not", null, BooleanGate.Operator.NOT, List.of(BooleanGate.Operand.of("Or")));
        return GatingStrategy.of(List.of(not, rect, poly, ell, quad, and, or));
    }

    /** Reference membership of one event from the records' single-point tests. */
    private static boolean[] reference(GatingStrategy s, double a, double b) {
        java.util.Map<String, Boolean> m = new java.util.HashMap<>();
        for (Gate g : s.evaluationOrder()) {
            if (g instanceof QuadrantGate q) {
                for (QuadrantGate.Quadrant qu : q.quadrants()) {
                    boolean in = q.contains(qu.id(), a, b) && (g.parentId() == null || m.get(g.parentId()));
                    m.put(qu.id(), in);
                }
                continue;
            }
            boolean in;
            if (g instanceof RectangleGate r) in = r.contains(a, b);
            else if (g instanceof PolygonGate p) in = p.contains(a, b);
            else if (g instanceof EllipsoidGate e) in = e.contains(a, b);
            else {
                BooleanGate bg = (BooleanGate) g;
                boolean acc = bg.operator() == BooleanGate.Operator.AND;
                for (BooleanGate.Operand o : bg.operands()) {
                    boolean v = m.get(o.ref()) != o.complement();
                    acc = bg.operator() == BooleanGate.Operator.AND ? acc && v : bg.operator() == BooleanGate.Operator.OR
                            ? acc || v : !v;
                }
                in = acc;
            }
            if (g.parentId() != null) in &= m.get(g.parentId());
            m.put(g.id(), in);
        }
        boolean[] out = new boolean[s.populationIds().size()];
        for (int i = 0; i < out.length; i++) out[i] = m.get(s.populationIds().get(i));
        return out;
    }

    @Test
    void batchesMatchTheSinglePointSemantics() {
        GatingStrategy s = strategy();
        CompiledStrategy c = GatingEngine.compile(s, params("Time", "A", "B"), null);
        assertEquals(2, c.dimensions().size(), "each distinct dimension is computed once");
        Random rnd = new Random(7);
        int total = 0;
        long[] expectedCounts = new long[s.populationIds().size()];
        for (int batch = 0; batch < 5; batch++) {
            int n = 500 + batch * 300;
            double[][] cols = new double[3][n + 10];
            for (int i = 0; i < n; i++) {
                cols[1][i] = Math.round(rnd.nextDouble() * 1000) / 10.0;
                cols[2][i] = Math.round(rnd.nextDouble() * 1000) / 10.0;
            }
            cols[1][0] = Double.NaN;
            BatchResult r = c.evaluate(new EventBatch(cols, n, total));
            assertEquals(n, r.size());
            assertEquals(total, r.firstEvent());
            for (int i = 0; i < n; i++) {
                boolean[] ref = reference(s, cols[1][i], cols[2][i]);
                for (int p = 0; p < ref.length; p++) {
                    assertEquals(ref[p], r.contains(p, i), s.populationIds().get(p) + " event " + (total + i));
                    if (ref[p]) expectedCounts[p]++;
                }
            }
            total += n;
        }
        PopulationCounts counts = c.counts();
        assertEquals(total, counts.events());
        for (int p = 0; p < expectedCounts.length; p++) assertEquals(expectedCounts[p], counts.count(p));
        assertEquals(100.0 * counts.count("Ell") / counts.count("Poly"), counts.percentOfParent("Ell"), 1e-12);
        assertEquals(100.0 * counts.count("Rect") / total, counts.percentOfParent("Rect"), 1e-12);
        assertEquals("lowA", counts.parentId(s.populationIds().indexOf("AndNot")));
        CompiledStrategy fresh = c.fork();
        assertEquals(0, fresh.events());
    }

    @Test
    void transformsRatiosAndBoundsAreApplied() {
        ScaleTransformation lin = new ScaleTransformation("Lin", new LinearTransform(100, 0));
        ScaleTransformation clip = new ScaleTransformation("Clip", new BoundedTransform(new LinearTransform(100, 0), 0, 0.5));
        RatioTransformation ratio = new RatioTransformation("Rat", new RatioTransform(2, 0, 0), "a", "b", -1e9, 3);
        Dimension linA = new FcsDimension("A", Dimension.UNCOMPENSATED, "Lin");
        Dimension clipA = new FcsDimension("A", Dimension.UNCOMPENSATED, "Clip");
        Dimension rat = new RatioDimension("Rat", Dimension.FCS, null);
        Dimension ratLin = new RatioDimension("Rat", Dimension.FCS, "Lin");
        GatingStrategy s = GatingStrategy.of(List.of(
                new RectangleGate("L", null, List.of(new RectangleGate.Range(linA, 0.2, 0.4))),
                new RectangleGate("C", null, List.of(new RectangleGate.Range(clipA, 0.5, 1))),
                new RectangleGate("R", null, List.of(new RectangleGate.Range(rat, 2, 3.5))),
                new RectangleGate("RL", null, List.of(new RectangleGate.Range(ratLin, 0.02, 0.03))),
                new RectangleGate("L2", null, List.of(new RectangleGate.Range(linA, 0.3, 1)))),
                List.of(lin, clip, ratio), List.of());
        CompiledStrategy c = GatingEngine.compile(s, params("A", "B"), null);
        assertEquals(4, c.dimensions().size(), "L and L2 share the transformed column");
        double[][] cols = {{20, 40, 80, 10}, {10, 10, 10, 100}};
        BatchResult r = c.evaluate(cols, 4, 0);
        assertArrayEquals(new double[] {0.2, 0.4, 0.8, 0.1}, java.util.Arrays.copyOf(r.values(linA), 4), 1e-15);
        assertArrayEquals(new double[] {0.2, 0.4, 0.5, 0.1}, java.util.Arrays.copyOf(r.values(clipA), 4), 1e-15);
        assertArrayEquals(new double[] {3, 3, 3, 0.2}, java.util.Arrays.copyOf(r.values(rat), 4), 1e-15,
                "ratio 2·A/B clipped at boundMax 3; FCS without spillover is the identity");
        assertArrayEquals(new double[] {0.03, 0.03, 0.03, 0.002}, java.util.Arrays.copyOf(r.values(ratLin), 4), 1e-15);
        assertMembers(r, c, "L", true, false, false, false);
        assertMembers(r, c, "C", false, false, true, false);
        assertMembers(r, c, "R", true, true, true, false);
        assertMembers(r, c, "RL", false, false, false, false);
    }

    private static void assertMembers(BatchResult r, CompiledStrategy c, String id, boolean... expected) {
        boolean[] m = r.membership(id);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], m[i], id + " event " + i);
        assertEquals(c.populationIndex(id), c.populationIds().indexOf(id));
    }

    @Test
    void untransformedChannelsAreNotCopied() {
        GatingStrategy s = GatingStrategy.of(List.of(new RectangleGate("R", null,
                List.of(new RectangleGate.Range(B, 0, 1)))));
        CompiledStrategy c = GatingEngine.compile(s, params("A", "B"), null);
        double[][] cols = {{1, 2}, {0.5, 2}};
        BatchResult r = c.evaluate(cols, 2, 0);
        assertSame(cols[1], r.values(0));
        assertArrayEquals(new int[] {0}, c.gateDimensions("R"));
    }

    @Test
    void channelNamesMatchExactlyThenIgnoringCase() {
        GatingStrategy s = GatingStrategy.of(List.of(new RectangleGate("R", null,
                List.of(new RectangleGate.Range(FcsDimension.of("fsc-h"), 0, 1)))));
        GatingEngine.compile(s, params("FSC-H", "SSC-H"), null);
        GatingException amb = assertThrows(GatingException.class,
                () -> GatingEngine.compile(s, params("FSC-H", "Fsc-H"), null));
        assertTrue(amb.getMessage().contains("matches both"), amb.getMessage());
        GatingException unknown = assertThrows(GatingException.class,
                () -> GatingEngine.compile(s, params("FSC-A", "SSC-A"), null));
        assertEquals("gate 'R': unknown channel 'fsc-h': no $PnN names it (channels: FSC-A, SSC-A)", unknown.getMessage());
    }
}
