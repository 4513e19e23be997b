package org.cikqc.gating.gatingml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.cikqc.common.CikqcException;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.FcsWriter;
import org.cikqc.gating.CompiledStrategy;
import org.cikqc.gating.EllipsoidGate;
import org.cikqc.gating.GatingEngine;
import org.cikqc.gating.PopulationCounts;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FlowJo workspace import: structure of every shared workspace, and membership semantics on synthetic data. */
class FlowJoWorkspaceTest {

    /** One row of a shared {@code *.wsp.counts.tsv}: what FlowJo recorded in the workspace. */
    record Recorded(String sample, String path, long count, String type) { }

    static List<Recorded> recorded(Path countsTsv) throws IOException {
        List<Recorded> out = new ArrayList<>();
        for (String line : Files.readAllLines(countsTsv, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.startsWith("sample\t") || line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            out.add(new Recorded(f[0], f[1], Long.parseLong(f[2]), f[3]));
        }
        return out;
    }

    static List<Path> workspaces() throws IOException {
        Path root = Shared.resolve("flowjo");
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".wsp")).sorted().toList();
        }
    }

    /**
     * Every shared workspace reads, and each sample's populations (paths, gate types, recorded counts) are those the
     * reference listing gives, in the same order.
     */
    @Test
    void everySharedWorkspaceGivesTheRecordedTreeOfEverySample() throws IOException {
        List<Path> all = workspaces();
        assertTrue(all.size() >= 14, "shared workspaces: " + all.size());
        int populations = 0;
        for (Path wsp : all) {
            List<Recorded> rec = recorded(wsp.resolveSibling(wsp.getFileName() + ".counts.tsv"));
            FlowJoWorkspace ws = FlowJoWorkspace.read(wsp);
            List<String> got = new ArrayList<>();
            for (FlowJoWorkspace.Sample s : ws.samples()) {
                got.add(s.name() + "\troot\t" + s.flowJoCount());
                for (FlowJoWorkspace.Population p : s.populations()) {
                    String type = p.kind();
                    got.add(s.name() + "\t" + p.path() + "\t" + p.flowJoCount() + "\t" + type);
                    populations++;
                }
            }
            List<String> want = new ArrayList<>();
            for (Recorded r : rec) {
                want.add(r.sample() + "\t" + r.path() + "\t" + r.count() + (r.path().equals("root") ? "" : "\t" + r.type()));
            }
            assertEquals(want, got, wsp.toString());
        }
        assertTrue(populations >= 230, "populations read: " + populations);
    }

    /**
     * Each sample of every shared workspace becomes an engine strategy on a data set with the sample's channels
     * (from the workspace's keywords), and the replayed populations keep FlowJo's semantics on any data: a child
     * within its parent, a NOT node = parent minus the operand, AND/OR nodes the intersection/union within the parent.
     */
    @Test
    void everySampleReplaysWithFlowJoSemanticsOnSyntheticData(@TempDir Path dir) throws IOException {
        int checkedBooleans = 0;
        int samples = 0;
        for (Path wsp : workspaces()) {
            FlowJoWorkspace ws = FlowJoWorkspace.read(wsp);
            for (FlowJoWorkspace.Sample s : ws.samples()) {
                if (s.populations().isEmpty()) continue;
                Path fcs = synthetic(dir, wsp, s);
                try (FcsFile f = FcsFile.open(fcs, FcsReadOptions.LENIENT)) {
                    List<String> channels = f.dataSet(0).parameters().stream().map(FcsParameter::name).toList();
                    FlowJoWorkspace.Imported imp = ws.strategy(s, channels);
                    CompiledStrategy c = imp.matrix() != null
                            ? GatingEngine.compile(imp.strategy(), f.dataSet(0).parameters(), imp.matrix())
                            : GatingEngine.compile(imp.strategy(), f.dataSet(0));
                    Map<String, boolean[]> member = memberships(f, c, imp);
                    checkedBooleans += checkSemantics(wsp, s, imp, member);
                    samples++;
                }
            }
        }
        assertTrue(samples >= 20, "samples replayed: " + samples);
        assertTrue(checkedBooleans >= 10, "boolean nodes checked: " + checkedBooleans);
    }

    private static Map<String, boolean[]> memberships(FcsFile f, CompiledStrategy c, FlowJoWorkspace.Imported imp) {
        int n = (int) f.dataSet(0).events();
        Map<String, boolean[]> out = new HashMap<>();
        List<String> ids = c.populationIds();
        for (int k = 0; k < imp.ids().size(); k++) out.put(imp.populations().get(k).path(), new boolean[n]);
        int at = 0;
        try (var r = f.events(0, org.cikqc.fcs.ValueKind.SCALE)) {
            org.cikqc.fcs.EventBatch b;
            while ((b = r.next()) != null) {
                var res = c.evaluate(b);
                for (int k = 0; k < imp.ids().size(); k++) {
                    int p = ids.indexOf(imp.ids().get(k));
                    boolean[] m = out.get(imp.populations().get(k).path());
                    for (int i = 0; i < res.size(); i++) m[at + i] = res.contains(p, i);
                }
                at += b.size();
            }
        }
        return out;
    }

    private static int checkSemantics(Path wsp, FlowJoWorkspace.Sample s, FlowJoWorkspace.Imported imp,
                                      Map<String, boolean[]> member) {
        int booleans = 0;
        String where = wsp.getFileName() + " " + s.name() + " ";
        for (FlowJoWorkspace.Population p : imp.populations()) {
            boolean[] m = member.get(p.path());
            boolean[] parent = p.parentPath() == null ? null : member.get(p.parentPath());
            if (parent != null) {
                for (int i = 0; i < m.length; i++) assertFalse(m[i] && !parent[i], where + p.path() + " outside its parent");
            }
            if (p.kind().endsWith("Node")) {
                List<String> deps = dependents(wsp, s, p);
                for (int e = 0; e < m.length; e++) {
                    final int i = e;
                    boolean in = parent == null || parent[i];
                    boolean want = switch (p.kind()) {
                        case "NotNode" -> in && !member.get(deps.get(0))[i];
                        case "AndNode" -> in && deps.stream().allMatch(d -> member.get(d)[i]);
                        default -> in && deps.stream().anyMatch(d -> member.get(d)[i]);
                    };
                    assertEquals(want, m[i], where + p.path() + " event " + i);
                }
                booleans++;
            }
        }
        return booleans;
    }

    /** The dependents of a Boolean node, read from the workspace text (a separate, plain reading of the XML). */
    private static List<String> dependents(Path wsp, FlowJoWorkspace.Sample s, FlowJoWorkspace.Population p) {
        try {
            String xml = Files.readString(wsp, StandardCharsets.UTF_8);
            int sample = xml.indexOf("<SampleNode name=\"" + s.name().replace("&", "&amp;") + "\"");
            String name = p.path().substring(p.path().lastIndexOf('/') + 1).replace("&", "&amp;");
            int node = xml.indexOf("<" + p.kind() + " name=\"" + name + "\"", sample);
            int end = xml.indexOf("</Dependents>", node);
            List<String> out = new ArrayList<>();
            int at = node;
            while ((at = xml.indexOf("<Dependent name=\"", at)) >= 0 && at < end) {
                int from = at + "<Dependent name=\"".length();
                out.add("/" + xml.substring(from, xml.indexOf('"', from)).replace("&amp;", "&"));
                at = from;
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An FCS file with the sample's channels ($PnN, $PnR from the workspace keywords) and spread-out values. */
    private static Path synthetic(Path dir, Path wsp, FlowJoWorkspace.Sample s) throws IOException {
        String xml = Files.readString(wsp, StandardCharsets.UTF_8);
        int sampleAt = xml.indexOf("sampleID=\"" + s.sampleId() + "\"", xml.indexOf("<SampleList>"));
        int kwEnd = xml.indexOf("</Keywords>", sampleAt);
        Map<Integer, String> names = new LinkedHashMap<>();
        Map<Integer, Double> ranges = new HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<Keyword name=\"\\$P(\\d+)([NR])\"\\s+value=\"([^\"]*)\"").matcher(xml.substring(sampleAt, kwEnd));
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (m.group(2).equals("N")) names.put(i, m.group(3));
            else ranges.put(i, Double.parseDouble(m.group(3)));
        }
        List<FcsParameter> params = new ArrayList<>();
        int k = 0;
        for (Map.Entry<Integer, String> e : new java.util.TreeMap<>(names).entrySet()) {
            k++;
            double r = ranges.getOrDefault(e.getKey(), 262144.0);
            params.add(new FcsParameter(k, e.getValue(), null, 32, r, 'F', 1, 0, 0, 0));
        }
        int n = 4000;
        SplittableRandom rnd = new SplittableRandom(params.size() * 7919L + n);
        double[][] cols = new double[params.size()][n];
        for (int p = 0; p < params.size(); p++) {
            double r = params.get(p).range();
            boolean time = params.get(p).name().equalsIgnoreCase("Time");
            for (int i = 0; i < n; i++) {
                cols[p][i] = time ? 200.0 * i / n
                        : rnd.nextDouble() < 0.3 ? rnd.nextDouble(-0.01 * r, 0.02 * r) : Math.pow(10, rnd.nextDouble(1, Math.log10(r)));
            }
        }
        Path f = dir.resolve("s" + Math.abs((wsp.toString() + s.sampleId()).hashCode()) + ".fcs");
        try (FcsWriter w = FcsWriter.create(f, params, Map.of(), n)) {
            w.write(cols, n);
        }
        return f;
    }

    // -- unit cases ---------------------------------------------------------------------------------------------------

    static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version=\"20.0\" "
            + "xmlns:gating=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\" "
            + "xmlns:transforms=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\" "
            + "xmlns:data-type=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">\n";

    static FlowJoWorkspace parse(String body) {
        return FlowJoWorkspace.read(new ByteArrayInputStream((HEAD + body + "</Workspace>\n").getBytes(StandardCharsets.UTF_8)),
                "w.wsp");
    }

    static String sample(String transforms, String subpopulations) {
        return "<SampleList><Sample><DataSet uri=\"file:/C:/data/my%20file.fcs\" sampleID=\"7\"/>"
                + "<Transformations>" + transforms + "</Transformations>"
                + "<Keywords><Keyword name=\"$P1N\" value=\"A\"/><Keyword name=\"$P1R\" value=\"1024\"/>"
                + "<Keyword name=\"$P2N\" value=\"B/x\"/><Keyword name=\"$P2R\" value=\"1024\"/></Keywords>"
                + "<SampleNode name=\"my file.fcs\" count=\"100\" sampleID=\"7\"><Graph><Axis name=\"A\"/></Graph>"
                + "<Subpopulations>" + subpopulations + "</Subpopulations></SampleNode></Sample></SampleList>";
    }

    static String rect(String name, String inside, String dims, String children) {
        return "<Population name=\"" + name + "\" count=\"5\"><Gate><gating:RectangleGate eventsInside=\"" + inside + "\">"
                + dims + "</gating:RectangleGate></Gate>" + children + "</Population>";
    }

    static String dim(String channel, String min, String max) {
        return "<gating:dimension" + (min == null ? "" : " gating:min=\"" + min + "\"") + (max == null ? "" : " gating:max=\""
                + max + "\"") + "><data-type:fcs-dimension data-type:name=\"" + channel + "\"/></gating:dimension>";
    }

    @Test
    void samplesAreChosenByNameFileOrIdAndAmbiguityIsAnError() {
        FlowJoWorkspace ws = parse(sample("", rect("R", "1", dim("A", "1", "2"), "")));
        FlowJoWorkspace.Sample s = ws.samples().get(0);
        assertEquals("my file.fcs", s.fileName());
        assertEquals(100, s.flowJoCount());
        assertEquals(s, ws.select(null, "my file.fcs"));
        assertEquals(s, ws.select("7", "other.fcs"));
        assertEquals(s, ws.select(null, "other.fcs"), "the only sample");
        CikqcException e = assertThrows(CikqcException.class, () -> ws.select("nope", "x.fcs"));
        assertEquals("w.wsp: no sample 'nope' (samples: 'my file.fcs' (sampleID 7))", e.getMessage());
    }

    @Test
    void rectanglesToTheDisplayEdgeAreOpenAndTheComplementStaysInTheParent() {
        String lin = "<transforms:linear transforms:minRange=\"0\" transforms:maxRange=\"1024\">"
                + "<data-type:parameter data-type:name=\"A\"/></transforms:linear>";
        FlowJoWorkspace ws = parse(sample(lin, rect("P", "1", dim("A", "100", "1024"),
                "<Subpopulations>" + rect("Out", "0", dim("A", "0", "500"), "") + "</Subpopulations>")));
        FlowJoWorkspace.Imported imp = ws.strategy(ws.samples().get(0), List.of("A", "B/x"));
        assertEquals(List.of("/P", "/P/Out"), imp.populations().stream().map(FlowJoWorkspace.Population::path).toList());
        var p = (org.cikqc.gating.RectangleGate) imp.strategy().gate(imp.ids().get(0));
        assertEquals(100, p.ranges().get(0).min());
        assertEquals(Double.POSITIVE_INFINITY, p.ranges().get(0).max(), "drawn to the top of the display: open");
        var shape = (org.cikqc.gating.RectangleGate) imp.strategy().gate(imp.ids().get(1) + "_shape");
        assertEquals(Double.NEGATIVE_INFINITY, shape.ranges().get(0).min(), "drawn to the bottom: open");
        assertEquals(500, shape.ranges().get(0).max());
        var out = (org.cikqc.gating.BooleanGate) imp.strategy().gate(imp.ids().get(1));
        assertEquals(imp.ids().get(0), out.parentId());
        assertEquals(org.cikqc.gating.BooleanGate.Operator.NOT, out.operator());
    }

    /** FlowJo writes '/' in a channel name as '_'; the data set's own $PnN is used. */
    @Test
    void slashesWrittenAsUnderscoresFindTheirChannel() {
        FlowJoWorkspace ws = parse(sample("", rect("R", "1", dim("B_x", "1", "2"), "")));
        FlowJoWorkspace.Imported imp = ws.strategy(ws.samples().get(0), List.of("A", "B/x"));
        var r = (org.cikqc.gating.RectangleGate) imp.strategy().gate(imp.ids().get(0));
        assertEquals("B/x", ((org.cikqc.gating.FcsDimension) r.ranges().get(0).dimension()).name());
    }

    /** A data set exported by FlowJo with compensated channels of its own: 'Comp-B' is that channel, as stored. */
    @Test
    void aCompChannelOfTheDataSetItselfIsUsedAsStoredWhenTheSampleHasNoMatrix() {
        FlowJoWorkspace ws = parse(sample("", rect("R", "1", dim("Comp-B", "1", "2"), "")));
        FlowJoWorkspace.Imported imp = ws.strategy(ws.samples().get(0), List.of("A", "Comp-B"));
        var d = (org.cikqc.gating.FcsDimension) ((org.cikqc.gating.RectangleGate) imp.strategy().gate(imp.ids().get(0)))
                .ranges().get(0).dimension();
        assertEquals("Comp-B", d.name());
        assertEquals(org.cikqc.gating.Dimension.UNCOMPENSATED, d.compensationRef());
        assertTrue(imp.notes().isEmpty(), imp.notes().toString());
        imp = ws.strategy(ws.samples().get(0), List.of("A", "B"));
        d = (org.cikqc.gating.FcsDimension) ((org.cikqc.gating.RectangleGate) imp.strategy().gate(imp.ids().get(0)))
                .ranges().get(0).dimension();
        assertEquals("B", d.name());
        assertEquals(org.cikqc.gating.Dimension.FCS, d.compensationRef());
    }

    @Test
    void defectsAreOneLineErrorsWithTheirLine() {
        CikqcException e = assertThrows(CikqcException.class, () -> {
            FlowJoWorkspace ws = parse(sample("", "<Population name=\"P\"><Gate><gating:CurlyQuad/></Gate></Population>"));
            ws.strategy(ws.samples().get(0), List.of("A"));
        });
        assertTrue(e.getMessage().matches("w\\.wsp:\\d+: population 'P': FlowJo gate type gating:CurlyQuad is not "
                + "supported .*"), e.getMessage());
        e = assertThrows(CikqcException.class, () -> {
            FlowJoWorkspace ws = parse(sample("", "<AndNode name=\"both\"><Dependents><Dependent name=\"nowhere\"/>"
                    + "<Dependent name=\"R\"/></Dependents></AndNode>" + rect("R", "1", dim("A", "1", "2"), "")));
            ws.strategy(ws.samples().get(0), List.of("A"));
        });
        assertTrue(e.getMessage().matches("w\\.wsp:\\d+: AndNode 'both' depends on 'nowhere', which is not a population of "
                + "sample 'my file.fcs' \\(sampleID 7\\)"), e.getMessage());
        e = assertThrows(CikqcException.class, () -> parse("<SampleList/>"));
        assertEquals("w.wsp: the workspace has no samples (no SampleList/Sample)", e.getMessage());
        e = assertThrows(CikqcException.class, () -> FlowJoWorkspace.read(new ByteArrayInputStream(
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Workspace>&e;</Workspace>"
                        .getBytes(StandardCharsets.UTF_8)), "evil.wsp"));
        assertTrue(e.getMessage().startsWith("evil.wsp:1: DOCTYPE declarations are not allowed"), e.getMessage());
        assertFalse(e.getMessage().contains("Gating-ML"), "a workspace is not Gating-ML: " + e.getMessage());
        e = assertThrows(CikqcException.class, () -> FlowJoWorkspace.read(new ByteArrayInputStream(
                "<?xml version=\"1.0\" encoding=\"bogus-9\"?><Workspace/>".getBytes(StandardCharsets.UTF_8)), "enc.wsp"));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertEquals("enc.wsp:1: unsupported encoding 'bogus-9' in the XML declaration", e.getMessage());
        e = assertThrows(CikqcException.class, () -> FlowJoWorkspace.read(new ByteArrayInputStream(
                "<Workspace><SampleList>".getBytes(StandardCharsets.UTF_8)), "cut.wsp"));
        assertTrue(e.getMessage().startsWith("cut.wsp:1: "), e.getMessage());
    }

    /**
     * A polygon drawn on biex axes has straight edges on the display, not in data units: the point (20000, 20000) lies
     * inside the data-unit triangle (10, 10), (100000, 10), (10, 100000) but outside the displayed one, and the engine
     * replays the displayed one; (300, 300) is inside both.
     */
    @Test
    void polygonEdgesAreStraightOnTheDisplayScale(@TempDir Path dir) throws IOException {
        String biex = "<transforms:biex transforms:length=\"256\" transforms:maxRange=\"262144\" transforms:neg=\"0\" "
                + "transforms:width=\"-10\" transforms:pos=\"4.418539922\"><data-type:parameter data-type:name=\"%s\"/>"
                + "</transforms:biex>";
        String tri = "<Population name=\"T\"><Gate><gating:PolygonGate>"
                + "<gating:dimension><data-type:fcs-dimension data-type:name=\"A\"/></gating:dimension>"
                + "<gating:dimension><data-type:fcs-dimension data-type:name=\"B/x\"/></gating:dimension>"
                + vertex(10, 10) + vertex(100000, 10) + vertex(10, 100000) + "</gating:PolygonGate></Gate></Population>";
        FlowJoWorkspace ws = parse(sample(String.format(biex, "A") + String.format(biex, "B_x"), tri));
        List<FcsParameter> params = List.of(new FcsParameter(1, "A", null, 32, 262144, 'F', 1, 0, 0, 0),
                new FcsParameter(2, "B/x", null, 32, 262144, 'F', 1, 0, 0, 0));
        Path f = dir.resolve("tri.fcs");
        double[][] cols = {{20000, 300, 150000}, {20000, 300, 5}};
        try (FcsWriter w = FcsWriter.create(f, params, Map.of(), 3)) {
            w.write(cols, 3);
        }
        var biexT = new org.cikqc.transform.FlowJoBiexTransform(-10, 0, 4.418539922, 262144);
        double d0 = biexT.apply(10);
        double d1 = biexT.apply(100000);
        double dm = biexT.apply(20000);
        assertTrue(2 * (dm - d0) > d1 - d0, "outside on the display");
        assertTrue(20000 + 20000 < 100010, "inside in data units");
        try (FcsFile fcs = FcsFile.open(f, FcsReadOptions.LENIENT)) {
            FlowJoWorkspace.Imported imp = ws.strategy(ws.samples().get(0), List.of("A", "B/x"));
            CompiledStrategy c = GatingEngine.compile(imp.strategy(), fcs.dataSet(0));
            boolean[] m = memberships(fcs, c, imp).get("/T");
            assertArrayEquals(new boolean[] {false, true, false}, m);
        }
    }

    static String vertex(double x, double y) {
        return "<gating:vertex><gating:coordinate data-type:value=\"" + x + "\"/><gating:coordinate data-type:value=\"" + y
                + "\"/></gating:vertex>";
    }

    /**
     * FlowJo's ellipse (foci, 4 rounded edge points on the 256 grid) becomes a display-scale ellipse whose boundary
     * passes through the exact major vertices and whose foci are the given ones.
     */
    @Test
    void ellipseFromFociAndEdgePoints() {
        double[][] foci = {{62.7724519002, 157.4044547167}, {94.2275480998, 93.5955452833}};
        double[][] edge = {{96, 90}, {61, 161}, {67, 113}, {90, 139}};
        double[][] e = FlowJoWorkspace.ellipseOnDisplay(foci, edge);
        assertNotNull(e);
        assertArrayEquals(new double[] {78.5 / 256, 125.5 / 256}, e[0], 1e-12);
        EllipsoidGate g = new EllipsoidGate("e", null, List.of(org.cikqc.gating.FcsDimension.of("x"),
                org.cikqc.gating.FcsDimension.of("y")), e[0], new double[][] {e[1], e[2]}, 1.0);
        double a = Math.hypot(17.5, 35.5);
        double ux = (94.2275480998 - 62.7724519002);
        double uy = (93.5955452833 - 157.4044547167);
        double len = Math.hypot(ux, uy);
        ux /= len;
        uy /= len;
        assertTrue(g.contains((78.5 + 0.999 * a * ux) / 256, (125.5 + 0.999 * a * uy) / 256));
        assertFalse(g.contains((78.5 + 1.001 * a * ux) / 256, (125.5 + 1.001 * a * uy) / 256));
        double c = len / 2;
        double b = Math.sqrt(a * a - c * c);
        assertTrue(g.contains((78.5 - 0.999 * b * uy) / 256, (125.5 + 0.999 * b * ux) / 256));
        assertFalse(g.contains((78.5 - 1.001 * b * uy) / 256, (125.5 + 1.001 * b * ux) / 256));
        // sum of distances to the foci is 2a on the boundary: a point on the minor axis at distance b
        double px = 78.5 - b * uy;
        double py = 125.5 + b * ux;
        double sum = Math.hypot(px - foci[0][0], py - foci[0][1]) + Math.hypot(px - foci[1][0], py - foci[1][1]);
        assertEquals(2 * a, sum, 1e-9);
        assertEquals(null, FlowJoWorkspace.ellipseOnDisplay(new double[][] {{0, 0}, {10, 0}},
                new double[][] {{6, 0}, {4, 0}, {5, 1}, {5, -1}}), "edge points inside the foci: no ellipse");
    }
}
