package org.cikqc.gating.gatingml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.cikqc.common.CikqcException;
import org.cikqc.gating.BooleanGate;
import org.cikqc.gating.CompensationMatrix;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.EllipsoidGate;
import org.cikqc.gating.FcsDimension;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.PolygonGate;
import org.cikqc.gating.QuadrantGate;
import org.cikqc.gating.RatioDimension;
import org.cikqc.gating.RatioTransformation;
import org.cikqc.gating.RectangleGate;
import org.cikqc.gating.ScaleTransformation;
import org.cikqc.testutil.Shared;
import org.cikqc.transform.AsinhTransform;
import org.cikqc.transform.BoundedTransform;
import org.cikqc.transform.FlowJoBiexTransform;
import org.cikqc.transform.HyperlogTransform;
import org.cikqc.transform.LinearTransform;
import org.cikqc.transform.LogTransform;
import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.RatioTransform;
import org.junit.jupiter.api.Test;

/** Export → import reproduces the strategy exactly (membership identity over real data: GatingMlComplianceTest). */
class GatingMlRoundTripTest {

    static GatingStrategy roundTrip(GatingStrategy s) {
        byte[] xml = GatingMlWriter.toBytes(s);
        return GatingMlReader.read(xml, "exported.xml");
    }

    @Test
    void channelNameThatXmlCannotHoldIsAnInputError() {
        // fuzz: a $PnN with an ESC byte (analyze writes the fitted gates as Gating-ML) escaped as an internal error
        GatingStrategy s = GatingStrategy.of(List.of(new RectangleGate("R", null, List.of(new RectangleGate.Range(
                new FcsDimension("PE\u001b[31m-A", Dimension.UNCOMPENSATED, null), 1, 2)))), List.of(), List.of());
        CikqcException e = assertThrows(CikqcException.class, () -> GatingMlWriter.toBytes(s));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("U+001B"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void complianceFilesRoundTripExactly() {
        Path dir = Shared.resolve("gatingml/Gml2/Gating-MLFiles");
        for (int i = 1; i <= 5; i++) {
            GatingStrategy s = GatingMlReader.read(dir.resolve("gates" + i + ".xml"));
            GatingStrategy back = roundTrip(s);
            assertEquals(s, back, "gates" + i + ".xml");
            assertEquals(s.populationIds(), back.populationIds());
            assertEquals(GatingMlWriter.toXml(s), GatingMlWriter.toXml(back), "writer output is deterministic");
        }
    }

    @Test
    void everyConstructRoundTripsWithExactNumbers() {
        Dimension a = new FcsDimension("FL1-A", Dimension.FCS, "Logicle");
        Dimension b = new FcsDimension("Comp-PE", "Unmix", "Asinh");
        Dimension r = new RatioDimension("Ratio", "Spill", "Log");
        Dimension s = new FcsDimension("SSC A", Dimension.UNCOMPENSATED, null);
        GatingStrategy st = GatingStrategy.of(List.of(
                new RectangleGate("Rect", null, List.of(new RectangleGate.Range(a, -0.0, 0.1 + 0.2),
                        new RectangleGate.Range(r, Double.NEGATIVE_INFINITY, 1e-300),
                        new RectangleGate.Range(s, 123456789.123456789, Double.POSITIVE_INFINITY))),
                new PolygonGate("Poly", "Rect", a, b, List.of(new PolygonGate.Vertex(Math.PI, -Math.E),
                        new PolygonGate.Vertex(1e15, 3), new PolygonGate.Vertex(-7, Double.MIN_VALUE))),
                new EllipsoidGate("Ell", "Poly", List.of(a, b, s), new double[] {1, 2, 3},
                        new double[][] {{2.5, 7.5, 17.5}, {7.5, 7, 13.5}, {15.5, 13.5, 4.3}}, 1.0 / 3),
                new QuadrantGate("Quad", null, List.of(new QuadrantGate.Divider("dA", a, List.of(0.25, 0.75)),
                        new QuadrantGate.Divider("dR", r, List.of(1.5))),
                        List.of(new QuadrantGate.Quadrant("Q_lo", List.of(new QuadrantGate.Position("dA", 0))),
                                new QuadrantGate.Quadrant("Q_hi", List.of(new QuadrantGate.Position("dA", 1),
                                        new QuadrantGate.Position("dR", 2))))),
                new BooleanGate("Not", null, BooleanGate.Operator.NOT, List.of(new BooleanGate.Operand("Q_hi", true))),
                new BooleanGate("Or", "Q_lo", BooleanGate.Operator.OR, List.of(BooleanGate.Operand.of("Ell"),
                        new BooleanGate.Operand("Not", true), BooleanGate.Operand.of("Rect")))),
                List.of(new ScaleTransformation("Logicle", new LogicleTransform(262144, 0.5, 4.5, 0)),
                        new ScaleTransformation("Asinh", new BoundedTransform(new AsinhTransform(262144, 4.5, 0),
                                Double.NEGATIVE_INFINITY, 0.8912345)),
                        new ScaleTransformation("Log", new LogTransform(100, 2)),
                        new ScaleTransformation("Lin", new BoundedTransform(new LinearTransform(10000, 500), 0.05, 100)),
                        new ScaleTransformation("Hyper", new HyperlogTransform(10000, 1, 4.5, 0)),
                        new RatioTransformation("Ratio", new RatioTransform(2.7, -100, -300), "Comp-PE", "Comp-APC", 0, 15.3)),
                List.of(new CompensationMatrix("Spill", List.of("Comp-PE", "Comp-APC"), List.of("PE-A", "APC-A"),
                                new double[][] {{1, 0.341872057}, {4.499925e-04, 1}}, false),
                        new CompensationMatrix("Unmix", List.of("Comp-PE", "Comp-APC"), List.of("PE-A", "APC-A", "FL1-A"),
                                new double[][] {{1.30203507, -0.3146035}, {-0.04635483, 0.5219464}, {-0.0434, 0.80698}},
                                true)));
        GatingStrategy back = roundTrip(st);
        assertEquals(st, back);
        assertEquals(-0.0, ((RectangleGate) back.gate("Rect")).ranges().get(0).min());
        assertTrue(1 / ((RectangleGate) back.gate("Rect")).ranges().get(0).min() < 0, "negative zero survives");
        String xml = GatingMlWriter.toXml(st);
        assertTrue(xml.contains("transforms:matrix-inverted-already=\"true\""), xml);
        assertTrue(xml.contains("transforms:boundMax=\"0.8912345\""), xml);
        assertTrue(!xml.contains("Infinity"), xml);
    }

    @Test
    void nestedBoundsAreFlattened() {
        ScaleTransformation nested = new ScaleTransformation("B", new BoundedTransform(
                new BoundedTransform(new LinearTransform(10, 0), 0, 0.8), 0.1, 1));
        GatingStrategy s = GatingStrategy.of(List.of(new RectangleGate("R", null, List.of(new RectangleGate.Range(
                new FcsDimension("X", Dimension.UNCOMPENSATED, "B"), 0, 1)))), List.of(nested), List.of());
        ScaleTransformation back = (ScaleTransformation) roundTrip(s).transformations().get("B");
        assertEquals(new BoundedTransform(new LinearTransform(10, 0), 0.1, 0.8), back.transform());
        for (double x = -5; x < 15; x += 0.25) assertEquals(nested.transform().apply(x), back.transform().apply(x));
    }

    @Test
    void flowJoBiexHasNoGatingMlForm() {
        GatingStrategy s = GatingStrategy.of(List.of(), List.of(new ScaleTransformation("Biex",
                new FlowJoBiexTransform(-10, 0, 4.41854, 262144))), List.of());
        CikqcException e = assertThrows(CikqcException.class, () -> GatingMlWriter.toBytes(s));
        assertEquals(CikqcException.Kind.INVALID_SPEC, e.kind());
        assertTrue(e.getMessage().contains("Biex"), e.getMessage());
    }

    @Test
    void emptyStrategyIsValidGatingMl() {
        byte[] xml = GatingMlWriter.toBytes(GatingStrategy.of(List.of()));
        assertTrue(new String(xml, StandardCharsets.UTF_8).contains("Gating-ML"));
        assertEquals(0, GatingMlReader.read(xml, "e").gates().size());
    }
}
