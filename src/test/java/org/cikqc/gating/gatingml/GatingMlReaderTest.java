package org.cikqc.gating.gatingml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cikqc.common.CikqcException;
import org.cikqc.gating.BooleanGate;
import org.cikqc.gating.CompensationMatrix;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.FcsDimension;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.QuadrantGate;
import org.cikqc.gating.RatioDimension;
import org.cikqc.gating.RatioTransformation;
import org.cikqc.gating.RectangleGate;
import org.cikqc.gating.ScaleTransformation;
import org.cikqc.testutil.Shared;
import org.cikqc.transform.BoundedTransform;
import org.cikqc.transform.LogicleTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatingMlReaderTest {
    static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<gating:Gating-ML xmlns:gating=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\"\n"
            + "  xmlns:transforms=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\"\n"
            + "  xmlns:data-type=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">\n";
    static final String TAIL = "</gating:Gating-ML>\n";

    static String range(String id, String extra, String channel) {
        return "  <gating:RectangleGate gating:id=\"" + id + "\"" + extra + ">\n"
                + "    <gating:dimension gating:compensation-ref=\"uncompensated\" gating:min=\"1\" gating:max=\"2\">\n"
                + "      <data-type:fcs-dimension data-type:name=\"" + channel + "\"/>\n"
                + "    </gating:dimension>\n"
                + "  </gating:RectangleGate>\n";
    }

    private static CikqcException fails(String xml) {
        CikqcException e = assertThrows(CikqcException.class,
                () -> GatingMlReader.read(xml.getBytes(StandardCharsets.UTF_8), "g.xml"));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void readsAMinimalDocument() {
        GatingStrategy s = GatingMlReader.read((HEAD + range("R", "", "FSC-H") + TAIL).getBytes(StandardCharsets.UTF_8), "g");
        RectangleGate r = (RectangleGate) s.gate("R");
        assertEquals(new RectangleGate.Range(new FcsDimension("FSC-H", Dimension.UNCOMPENSATED, null), 1, 2),
                r.ranges().get(0));
    }

    /**
     * Memory is bounded by the document's size only loosely (a node per element, a cell index per polygon): a
     * polygon of 280,000 vertices and 10,000 polygon gates ran out of memory (exit 1); both are input errors now.
     */
    @Test
    void tooManyElementsOrGatesAreInputErrorsWithTheLine() {
        StringBuilder poly = new StringBuilder(HEAD).append("  <gating:PolygonGate gating:id=\"P\">\n"
                + "    <gating:dimension gating:compensation-ref=\"uncompensated\"><data-type:fcs-dimension "
                + "data-type:name=\"A\"/></gating:dimension>\n"
                + "    <gating:dimension gating:compensation-ref=\"uncompensated\"><data-type:fcs-dimension "
                + "data-type:name=\"B\"/></gating:dimension>\n");
        for (int i = 0; i < GatingMlReader.MAX_ELEMENTS / 3 + 1; i++) {
            poly.append("<gating:vertex><gating:coordinate data-type:value=\"").append(i)
                    .append("\"/><gating:coordinate data-type:value=\"").append(i % 7).append("\"/></gating:vertex>\n");
        }
        poly.append("  </gating:PolygonGate>\n").append(TAIL);
        CikqcException e = fails(poly.toString());
        assertTrue(e.getMessage().matches("g\\.xml:\\d+: more than 300,000 XML elements.*"), e.getMessage());

        StringBuilder many = new StringBuilder(HEAD);
        for (int i = 0; i <= GatingMlReader.MAX_GATES; i++) many.append(range("R" + i, "", "FSC-H"));
        e = fails(many.append(TAIL).toString());
        assertTrue(e.getMessage().startsWith("g.xml:" + (5 + 5 * GatingMlReader.MAX_GATES) + ": more than 2,000 gates"),
                e.getMessage());
        many.setLength(0);
        many.append(HEAD);
        for (int i = 0; i < GatingMlReader.MAX_GATES; i++) many.append(range("R" + i, "", "FSC-H"));
        assertEquals(GatingMlReader.MAX_GATES, GatingMlReader.read(many.append(TAIL).toString()
                .getBytes(StandardCharsets.UTF_8), "g").populationIds().size());
    }

    @Test
    void doctypeIsRefused() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>\n"
                + HEAD.substring(HEAD.indexOf('\n') + 1) + range("R&b;", "", "FSC-H") + TAIL;
        CikqcException e = fails(xml);
        assertTrue(e.getMessage().startsWith("g.xml:2: DOCTYPE"), e.getMessage());
    }

    @Test
    void anUnknownOrViolatedEncodingIsAnInputErrorNamingIt() {
        String bogus = HEAD.replaceFirst("<\\?xml[^>]*\\?>", "<?xml version=\"1.0\" encoding=\"bogus-9\"?>");
        assertTrue(bogus.startsWith("<?xml version=\"1.0\" encoding=\"bogus-9\"?>"), bogus);
        assertEquals("g.xml:1: unsupported encoding 'bogus-9' in the XML declaration",
                fails(bogus + range("R", "", "FSC-H") + TAIL).getMessage());
        byte[] latin = (HEAD + range("R\u00e9", "", "FSC-H") + TAIL).getBytes(StandardCharsets.ISO_8859_1);
        CikqcException e = assertThrows(CikqcException.class, () -> GatingMlReader.read(latin, "g.xml"));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("g.xml"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void externalEntityIsRefusedWithoutBeingRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + HEAD.substring(HEAD.indexOf('\n') + 1) + range("R", "", "&x;") + TAIL;
        CikqcException e = fails(xml);
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET"));
        String dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE g SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
                + HEAD.substring(HEAD.indexOf('\n') + 1) + TAIL;
        assertTrue(fails(dtd).getMessage().contains("DOCTYPE"));
    }

    @Test
    void schemaLocationHintsAreIgnored() {
        String xml = HEAD.replace("datatypes\">", "datatypes\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                + " xsi:schemaLocation=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating http://127.0.0.1:9/x.xsd\">")
                + range("R", "", "FSC-H") + TAIL;
        assertEquals(1, GatingMlReader.read(xml.getBytes(StandardCharsets.UTF_8), "g").gates().size());
    }

    @Test
    void malformedXmlGivesTheLine() {
        String xml = HEAD + range("R", "", "FSC-H").replace("</gating:RectangleGate>", "</gating:RectangleGat>") + TAIL;
        CikqcException e = fails(xml);
        assertTrue(e.getMessage().startsWith("g.xml:9: "), e.getMessage());
    }

    @Test
    void schemaViolationGivesTheLine() {
        String xml = HEAD + range("R", "", "FSC-H").replace(" gating:compensation-ref=\"uncompensated\"", "") + TAIL;
        CikqcException e = fails(xml);
        assertTrue(e.getMessage().startsWith("g.xml:6: ") && e.getMessage().contains("compensation-ref"), e.getMessage());
        CikqcException unknownElement = fails(HEAD + "  <gating:TriangleGate gating:id=\"T\"/>\n" + TAIL);
        assertTrue(unknownElement.getMessage().startsWith("g.xml:5: ")
                && unknownElement.getMessage().contains("gating:TriangleGate"), unknownElement.getMessage());
        CikqcException notANumber = fails(HEAD + range("R", "", "FSC-H").replace("gating:min=\"1\"", "gating:min=\"one\"")
                + TAIL);
        assertTrue(notANumber.getMessage().startsWith("g.xml:6: "), notANumber.getMessage());
        assertTrue(fails("").getMessage().startsWith("g.xml"));
        assertTrue(fails("<a/>").getMessage().startsWith("g.xml:1: "));
    }

    @Test
    void unknownReferencesNameTheGateAndLine() {
        CikqcException parent = fails(HEAD + range("A", "", "FSC-H") + range("B", " gating:parent_id=\"Nope\"", "FSC-H") + TAIL);
        assertEquals("g.xml:10: gate 'B': unknown parent_id 'Nope'", parent.getMessage());
        String bool = "  <gating:BooleanGate gating:id=\"Both\">\n    <gating:and>\n"
                + "      <gating:gateReference gating:ref=\"A\"/>\n      <gating:gateReference gating:ref=\"Ghost\"/>\n"
                + "    </gating:and>\n  </gating:BooleanGate>\n";
        assertEquals("g.xml:10: gate 'Both': unknown gate reference 'Ghost'", fails(HEAD + range("A", "", "X") + bool + TAIL)
                .getMessage());
        String tr = range("T", "", "X").replace("gating:min", "gating:transformation-ref=\"Log9\" gating:min");
        assertEquals("g.xml:5: gate 'T': unknown transformation-ref 'Log9'", fails(HEAD + tr + TAIL).getMessage());
        String comp = range("C", "", "X").replace("\"uncompensated\"", "\"Spill7\"");
        assertTrue(fails(HEAD + comp + TAIL).getMessage().startsWith("g.xml:5: gate 'C': unknown compensation-ref 'Spill7'"));
        CikqcException dup = fails(HEAD + range("A", "", "X") + range("A", "", "Y") + TAIL);
        assertTrue(dup.getMessage().contains("'A'"), dup.getMessage());
        CikqcException cycle = fails(HEAD + range("A", " gating:parent_id=\"B\"", "X") + range("B", " gating:parent_id=\"A\"", "X")
                + TAIL);
        assertTrue(cycle.getMessage().matches("g\\.xml:\\d+: gate '[AB]': cyclic reference .*"), cycle.getMessage());
    }

    /**
     * Fuzz 28 D9: gates that can hold no event, or quadrants placed twice on one divider, were accepted silently (count
     * 0). Each is refused with its line.
     */
    @Test
    void emptyRangesAndQuadrantsWithoutOnePositionPerDividerAreRefused() {
        String backwards = range("R", "", "FSC-H").replace("gating:min=\"1\" gating:max=\"2\"",
                "gating:min=\"5\" gating:max=\"1\"");
        assertEquals("g.xml:6: gate 'R': dimension 1 (FSC-H [uncompensated]): min '5' is not below max '1', so the range [min, max)"
                + " holds no event", fails(HEAD + backwards + TAIL).getMessage());
        String equal = range("R", "", "FSC-H").replace("gating:max=\"2\"", "gating:max=\"1.0\"");
        assertTrue(fails(HEAD + equal + TAIL).getMessage().contains("min '1' is not below max '1.0'"));
        String minusInf = range("R", "", "FSC-H").replace("gating:min=\"1\" gating:max=\"2\"", "gating:max=\"-INF\"");
        assertTrue(fails(HEAD + minusInf + TAIL).getMessage().contains("min absent is not below max '-INF'"));
        String d2 = "    <gating:divider gating:id=\"E\" gating:compensation-ref=\"uncompensated\">\n"
                + "      <data-type:fcs-dimension data-type:name=\"SSC-H\"/>\n"
                + "      <gating:value>20</gating:value>\n"
                + "    </gating:divider>\n";
        String quadHead = "  <gating:QuadrantGate gating:id=\"Q\">\n"
                + "    <gating:divider gating:id=\"D\" gating:compensation-ref=\"uncompensated\">\n"
                + "      <data-type:fcs-dimension data-type:name=\"FSC-H\"/>\n"
                + "      <gating:value>10</gating:value>\n"
                + "    </gating:divider>\n" + d2;
        // no position on a divider is allowed (the compliance suite's gates1.xml): the quadrant spans that divider
        String missing = quadHead + "    <gating:Quadrant gating:id=\"Q1\">\n"
                + "      <gating:position gating:divider_ref=\"D\" gating:location=\"5\"/>\n"
                + "    </gating:Quadrant>\n  </gating:QuadrantGate>\n";
        GatingMlReader.read((HEAD + missing + TAIL).getBytes(StandardCharsets.UTF_8), "g.xml");
        String twice = quadHead + "    <gating:Quadrant gating:id=\"Q1\">\n"
                + "      <gating:position gating:divider_ref=\"D\" gating:location=\"3000\"/>\n"
                + "      <gating:position gating:divider_ref=\"E\" gating:location=\"0\"/>\n"
                + "      <gating:position gating:divider_ref=\"D\" gating:location=\"0\"/>\n"
                + "    </gating:Quadrant>\n  </gating:QuadrantGate>\n";
        assertEquals("g.xml:17: quadrant 'Q1' of gate 'Q': a second position on divider 'D' (location '0'; the first,"
                + " line 15, has '3000'): a quadrant has at most one position on a divider", fails(HEAD + twice + TAIL)
                .getMessage());
        String fine = quadHead + "    <gating:Quadrant gating:id=\"Q1\">\n"
                + "      <gating:position gating:divider_ref=\"E\" gating:location=\"0\"/>\n"
                + "      <gating:position gating:divider_ref=\"D\" gating:location=\"3000\"/>\n"
                + "    </gating:Quadrant>\n  </gating:QuadrantGate>\n";
        GatingMlReader.read((HEAD + fine + TAIL).getBytes(StandardCharsets.UTF_8), "g.xml");
    }

    @Test
    void nanBoundsAndLocationsAreInputErrorsWithTheLine() {
        // fuzz: gating:min="NaN" / gating:location="NaN" are schema-valid xs:double but escaped as internal errors
        String nanMin = range("R", "", "FSC-H").replace("gating:min=\"1\"", "gating:min=\"NaN\"");
        String m1 = fails(HEAD + nanMin + TAIL).getMessage();
        assertTrue(m1.startsWith("g.xml:6: gate 'R': min must not be NaN"), m1);
        String quad = "  <gating:QuadrantGate gating:id=\"Q\">\n"
                + "    <gating:divider gating:id=\"D\" gating:compensation-ref=\"uncompensated\">\n"
                + "      <data-type:fcs-dimension data-type:name=\"FSC-H\"/>\n"
                + "      <gating:value>10</gating:value>\n"
                + "    </gating:divider>\n"
                + "    <gating:Quadrant gating:id=\"Q1\">\n"
                + "      <gating:position gating:divider_ref=\"D\" gating:location=\"NaN\"/>\n"
                + "    </gating:Quadrant>\n"
                + "  </gating:QuadrantGate>\n";
        String m2 = fails(HEAD + quad + TAIL).getMessage();
        assertTrue(m2.startsWith("g.xml:11: gate 'Q': location must not be NaN"), m2);
        String huge = fails(HEAD + range("R", "", "FSC-H").replace("gating:min=\"1\"", "gating:min=\"1e400\"") + TAIL)
                .getMessage();
        assertTrue(huge.contains("'1e400' is beyond the range of a double"), huge);
        GatingMlReader.read((HEAD + range("R", "", "FSC-H").replace("gating:min=\"1\"", "gating:min=\"-INF\"") + TAIL)
                .getBytes(StandardCharsets.UTF_8), "g.xml");
    }

    @Test
    void invalidTransformParametersGiveTheLine() {
        String t = "  <transforms:transformation transforms:id=\"L\">\n"
                + "    <transforms:logicle transforms:T=\"262144\" transforms:W=\"3\" transforms:M=\"4.5\" transforms:A=\"0\"/>\n"
                + "  </transforms:transformation>\n";
        CikqcException e = fails(HEAD + t + TAIL);
        assertTrue(e.getMessage().startsWith("g.xml:6: transformation 'L': "), e.getMessage());
        String negT = t.replace("transforms:T=\"262144\"", "transforms:T=\"-1\"");
        assertTrue(fails(HEAD + negT + TAIL).getMessage().startsWith("g.xml:6: "), "PFloat64 enforced by the schema");
    }

    @Test
    void readsEveryConstructOfTheComplianceFiles() {
        Path dir = Shared.resolve("gatingml/Gml2/Gating-MLFiles");
        GatingStrategy g1 = GatingMlReader.read(dir.resolve("gates1.xml"));
        assertEquals(54, g1.gates().size());
        RatioTransformation rb = (RatioTransformation) g1.transformations().get("FL2Rat1Bound");
        assertEquals(15.3, rb.boundMax());
        assertEquals(Double.NEGATIVE_INFINITY, rb.boundMin());
        ScaleTransformation lb = (ScaleTransformation) g1.transformations().get("Logicle_10000_0.5_4.5_0_Bound");
        assertEquals(new BoundedTransform(new LogicleTransform(10000, 0.5, 4.5, 0), 0.4, Double.POSITIVE_INFINITY),
                lb.transform());
        BooleanGate and3 = (BooleanGate) g1.gate("And3");
        assertEquals(List.of(BooleanGate.Operand.of("Range1"), new BooleanGate.Operand("Ellipse1", true),
                BooleanGate.Operand.of("Polygon1")), and3.operands());
        RectangleGate rat = (RectangleGate) g1.gate("RatRange1a");
        assertEquals(new RatioDimension("FL2Rat1", Dimension.UNCOMPENSATED, "MyRatLog"), rat.ranges().get(0).dimension());
        QuadrantGate q2 = (QuadrantGate) g1.gate("Quadrant2");
        assertEquals(List.of(28.0654, 70.02725), q2.dividers().get(0).values());
        assertEquals("Range1", g1.parentOf("ParAnd3"));

        GatingStrategy g3 = GatingMlReader.read(dir.resolve("gates3.xml"));
        CompensationMatrix inv = g3.matrices().get("MyNonSquareSpectrumInvertedAlready");
        assertTrue(inv.invertedAlready());
        assertEquals(List.of("Deconvoluted2-P1", "Deconvoluted2-P2"), inv.fluorochromes());
        assertEquals(3, inv.detectors().size());
        assertEquals(-0.3146035, inv.coefficient(0, 1));
        assertEquals(List.of("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"), ((QuadrantGate) g3.gate("myQuadrantGate")).quadrantIds());
        for (int i = 2; i <= 5; i += 1) assertFalse(GatingMlReader.read(dir.resolve("gates" + i + ".xml")).gates().isEmpty());
    }

    @Test
    void missingFileIsAnInputError(@TempDir Path dir) {
        CikqcException e = assertThrows(CikqcException.class, () -> GatingMlReader.read(dir.resolve("none.xml")));
        assertEquals("none.xml: no such file", e.getMessage());
        assertInstanceOf(CikqcException.class, e);
    }
}
