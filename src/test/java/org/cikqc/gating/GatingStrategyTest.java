package org.cikqc.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cikqc.common.CikqcException;
import org.cikqc.transform.LinearTransform;
import org.cikqc.transform.RatioTransform;
import org.junit.jupiter.api.Test;

/** Strategy validation: references, ids, cycles; each failure is one line naming the gate and the reference. */
class GatingStrategyTest {
    private static final Dimension X = FcsDimension.of("X");

    private static RectangleGate range(String id, String parent) {
        return new RectangleGate(id, parent, List.of(new RectangleGate.Range(X, 0, 1)));
    }

    private static BooleanGate and(String id, String parent, String... refs) {
        return new BooleanGate(id, parent, BooleanGate.Operator.AND,
                java.util.Arrays.stream(refs).map(BooleanGate.Operand::of).toList());
    }

    private static GatingException fails(Runnable r) {
        GatingException e = assertThrows(GatingException.class, r::run);
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void unknownParent() {
        GatingException e = fails(() -> GatingStrategy.of(List.of(range("A", "Nope"))));
        assertEquals("gate 'A': unknown parent_id 'Nope'", e.getMessage());
        assertEquals("A", e.subject());
    }

    @Test
    void unknownBooleanOperand() {
        GatingException e = fails(() -> GatingStrategy.of(List.of(range("A", null), and("B", null, "A", "Ghost"))));
        assertEquals("gate 'B': unknown gate reference 'Ghost'", e.getMessage());
    }

    @Test
    void quadrantGateIdIsNotAPopulation() {
        QuadrantGate q = new QuadrantGate("Q", null, List.of(new QuadrantGate.Divider("d", X, List.of(1.0))),
                List.of(new QuadrantGate.Quadrant("lo", List.of(new QuadrantGate.Position("d", 0)))));
        GatingException e = fails(() -> GatingStrategy.of(List.of(q, range("A", "Q"))));
        assertTrue(e.getMessage().contains("quadrant gate") && e.getMessage().contains("[lo]"), e.getMessage());
        GatingStrategy ok = GatingStrategy.of(List.of(q, range("A", "lo")));
        assertEquals(List.of("lo", "A"), ok.populationIds());
        assertEquals("lo", ok.parentOf("A"));
    }

    @Test
    void unknownTransformationAndCompensationRefs() {
        RectangleGate t = new RectangleGate("T", null, List.of(new RectangleGate.Range(
                new FcsDimension("X", Dimension.UNCOMPENSATED, "Log9"), 0, 1)));
        assertEquals("gate 'T': unknown transformation-ref 'Log9'", fails(() -> GatingStrategy.of(List.of(t))).getMessage());
        RectangleGate c = new RectangleGate("C", null, List.of(new RectangleGate.Range(
                new FcsDimension("X", "Spill7", null), 0, 1)));
        assertTrue(fails(() -> GatingStrategy.of(List.of(c))).getMessage()
                .startsWith("gate 'C': unknown compensation-ref 'Spill7'"));
        RectangleGate r = new RectangleGate("R", null, List.of(new RectangleGate.Range(
                new RatioDimension("Lin", Dimension.FCS, null), 0, 1)));
        ScaleTransformation lin = new ScaleTransformation("Lin", new LinearTransform(10, 0));
        assertTrue(fails(() -> GatingStrategy.of(List.of(r), List.of(lin), List.of())).getMessage()
                .contains("not an fratio"));
        RatioTransformation rat = new RatioTransformation("Rat", new RatioTransform(1, 0, 0), "X", "Y");
        RectangleGate wrong = new RectangleGate("W", null, List.of(new RectangleGate.Range(
                new FcsDimension("X", Dimension.FCS, "Rat"), 0, 1)));
        assertTrue(fails(() -> GatingStrategy.of(List.of(wrong), List.of(rat), List.of())).getMessage()
                .contains("is an fratio"));
    }

    @Test
    void cyclesAreDetected() {
        GatingException self = fails(() -> GatingStrategy.of(List.of(range("A", "A"))));
        assertTrue(self.getMessage().contains("cyclic reference A -> A"), self.getMessage());
        GatingException parents = fails(() -> GatingStrategy.of(List.of(range("A", "C"), range("B", "A"), range("C", "B"))));
        assertTrue(parents.getMessage().contains("cyclic reference"), parents.getMessage());
        GatingException bool = fails(() -> GatingStrategy.of(List.of(range("A", null), and("B", null, "A", "C"),
                and("C", null, "A", "B"))));
        assertTrue(bool.getMessage().contains("B -> C -> B"), bool.getMessage());
        QuadrantGate q = new QuadrantGate("Q", "lo", List.of(new QuadrantGate.Divider("d", X, List.of(1.0))),
                List.of(new QuadrantGate.Quadrant("lo", List.of(new QuadrantGate.Position("d", 0)))));
        assertTrue(fails(() -> GatingStrategy.of(List.of(q))).getMessage().contains("cyclic"));
    }

    @Test
    void chainsOfAnyDepthAreOrderedWithoutRecursion() {
        // 100,000 gates declared child first: a recursive walk overflows the stack near 10,000
        int n = 100_000;
        java.util.List<Gate> chain = new java.util.ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) chain.add(range("P" + i, i == 0 ? null : "P" + (i - 1)));
        GatingStrategy parents = GatingStrategy.of(chain);
        assertEquals("P0", parents.evaluationOrder().get(0).id());
        assertEquals("P" + (n - 1), parents.evaluationOrder().get(n - 1).id());
        java.util.List<Gate> bools = new java.util.ArrayList<>(n + 1);
        for (int i = n - 1; i >= 1; i--) bools.add(and("B" + i, null, "B" + (i - 1), "R"));
        bools.add(and("B0", null, "R", "R"));
        bools.add(range("R", null));
        GatingStrategy ands = GatingStrategy.of(bools);
        assertEquals(List.of("R", "B0", "B1"), ands.evaluationOrder().subList(0, 3).stream().map(Gate::id).toList());
        CompiledStrategy c = GatingEngine.compile(parents, GatingEngineTest.params("X"), null);
        BatchResult r = c.evaluate(new org.cikqc.fcs.EventBatch(new double[][] {{0.5, 2}}, 2, 0));
        int leaf = parents.populationIds().indexOf("P" + (n - 1));
        assertTrue(r.contains(leaf, 0) && !r.contains(leaf, 1));
        java.util.List<Gate> cycle = new java.util.ArrayList<>(chain);
        cycle.set(n - 1, range("P0", "P" + (n - 1)));
        String message = fails(() -> GatingStrategy.of(cycle)).getMessage();
        assertTrue(message.matches("gate 'P\\d+': cyclic reference (P\\d+ -> ){8}\\.\\.\\. \\(100000 gates\\) -> P\\d+"), message);
    }

    @Test
    void idsAreUniqueNcNames() {
        assertTrue(fails(() -> GatingStrategy.of(List.of(range("A", null), range("A", null)))).getMessage()
                .contains("duplicate id"));
        ScaleTransformation lin = new ScaleTransformation("A", new LinearTransform(10, 0));
        assertTrue(fails(() -> GatingStrategy.of(List.of(range("A", null)), List.of(lin), List.of())).getMessage()
                .contains("also used by a transformation"));
        assertTrue(fails(() -> GatingStrategy.of(List.of(range("CD3+ T cells", null)))).getMessage()
                .contains("not a valid XML name"));
        assertTrue(fails(() -> GatingStrategy.of(List.of(range("3rd", null)))).getMessage()
                .contains("not a valid XML name"));
        assertTrue(GatingStrategy.isNcName("FL2N-FL4N"));
        assertTrue(GatingStrategy.isNcName("_a.b"));
        CompensationMatrix fcs = new CompensationMatrix("FCS", List.of("a", "b"), List.of("A", "B"),
                new double[][] {{1, 0}, {0, 1}}, false);
        assertTrue(fails(() -> GatingStrategy.of(List.of(), List.of(), List.of(fcs))).getMessage().contains("reserved"));
    }

    @Test
    void evaluationOrderPutsReferencesFirst() {
        GatingStrategy s = GatingStrategy.of(List.of(and("Both", "Root", "A", "B"), range("A", "Root"), range("B", null),
                range("Root", null)));
        List<String> order = s.evaluationOrder().stream().map(Gate::id).toList();
        assertTrue(order.indexOf("Root") < order.indexOf("A"));
        assertTrue(order.indexOf("A") < order.indexOf("Both"));
        assertTrue(order.indexOf("B") < order.indexOf("Both"));
        assertEquals(List.of("Both", "A", "B", "Root"), s.populationIds(), "populations keep document order");
    }

    @Test
    void matrixShapeIsChecked() {
        assertThrows(GatingException.class, () -> new CompensationMatrix("M", List.of("a", "b"), List.of("A", "B", "C"),
                new double[][] {{1, 0, 0}}, false));
        new CompensationMatrix("M", List.of("a", "b"), List.of("A", "B", "C"), new double[][] {{1, 0}, {0, 1}, {0, 0}}, true);
    }
}
