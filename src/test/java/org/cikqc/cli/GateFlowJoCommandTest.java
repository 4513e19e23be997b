package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.cli.GateCommandTest.Run;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cikqc gate FILE --flowjo W.wsp}: FlowJo's own recorded counts reproduced, compensation, errors. */
class GateFlowJoCommandTest {

    /** counts.tsv rows as path → {count, flowjo_count}. */
    static Map<String, String[]> counts(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("counts.tsv"), StandardCharsets.UTF_8);
        assertEquals("gate_id\tparent_id\tcount\tpercent_of_parent\tflowjo_count\tdifference", lines.get(0));
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t", -1);
            out.put(f[0], new String[] {f[2], f[4]});
        }
        return out;
    }

    /**
     * Every shared workspace whose data file is shared too: each population's count equals the count FlowJo
     * recorded (quadrants, rectangles on linear, arcsinh and biex scales, an ellipse); the one recorded count that
     * FlowJo never updated (a polygon saved with count 0 that holds 50 of the 100 line points) is the exception the
     * reference names.
     */
    @Test
    void flowJosRecordedCountsAreReproduced(@TempDir Path dir) throws IOException {
        Path root = Shared.resolve("flowjo/FlowKit");
        Path diamond = root.resolve("simple_diamond_example/test_data_diamond_01.fcs");
        Path line = root.resolve("simple_line_example/data_set_simple_line_100.fcs");
        String[][] cases = {
            {"simple_diamond_example/simple_diamond_example_quad_gate.wsp", "d"},
            {"simple_diamond_example/test_data_diamond_asinh_rect.wsp", "d"},
            {"simple_diamond_example/test_data_diamond_asinh_rect2.wsp", "d"},
            {"simple_diamond_example/test_data_diamond_biex_rect.wsp", "d"},
            {"simple_line_example/single_ellipse_51_events.wsp", "l"},
            {"simple_line_example/simple_poly_and_rect.wsp", "l"},
            {"simple_line_example/simple_poly_and_rect_v2_poly50.wsp", "l"},
        };
        int compared = 0;
        for (String[] c : cases) {
            Path out = dir.resolve("o" + compared++);
            Run r = GateCommandTest.cikqc("gate", (c[1].equals("d") ? diamond : line).toString(), "--flowjo",
                    root.resolve(c[0]).toString(), "--out", out.toString());
            assertEquals(0, r.code(), c[0] + ": " + r.err());
            Map<String, String[]> got = counts(out);
            assertFalse(got.isEmpty(), c[0]);
            for (Map.Entry<String, String[]> e : got.entrySet()) {
                String want = e.getValue()[1];
                if (c[0].endsWith("v2_poly50.wsp") && e.getKey().equals("/poly1")) {
                    assertEquals("0", want, "FlowJo's stale recorded count");
                    want = "50";
                }
                if (want.isEmpty()) continue;
                assertEquals(want, e.getValue()[0], c[0] + " " + e.getKey());
            }
        }
        Run quad = GateCommandTest.cikqc("gate", diamond.toString(), "--flowjo",
                root.resolve("simple_diamond_example/simple_diamond_example_quad_gate.wsp").toString(), "--out",
                dir.resolve("q").toString());
        assertTrue(quad.err().contains("FlowJo's recorded counts: 4 of 4 populations equal"), quad.err());
        List<String> rows = Files.readAllLines(dir.resolve("q").resolve("membership.tsv"));
        assertEquals("/Q1: channel_A- , channel_B+\t/Q2: channel_A+ , channel_B+\t/Q3: channel_A+ , channel_B-\t"
                + "/Q4: channel_A- , channel_B-", rows.get(0));
        assertEquals(200_001, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            assertEquals(1, row.chars().filter(ch -> ch == '1').count(), "each event in exactly one quadrant: " + row);
        }
        Run poly = GateCommandTest.cikqc("gate", line.toString(), "--flowjo",
                root.resolve("simple_line_example/simple_poly_and_rect_v2_poly50.wsp").toString(), "--out",
                dir.resolve("p").toString());
        assertTrue(poly.err().contains("FlowJo's recorded counts: 1 of 2 populations equal; largest difference +50 events"
                + " at /poly1"), poly.err());
    }

    /** A FlowJo analysis of testdata/cik-pass.fcs with cikqc's own thresholds (no scatter or singlet gates). */
    static final String CIK_WSP = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
            "<Workspace version=\"20.0\" xmlns:gating=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\" xmlns:transforms=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\" xmlns:data-type=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">\n" +
            "<SampleList><Sample><DataSet uri=\"file:/C:/x/cik-pass.fcs\" sampleID=\"1\"/><Transformations/><Keywords/>\n" +
            "<SampleNode name=\"cik-pass.fcs\" count=\"28000\" sampleID=\"1\"><Subpopulations>\n" +
            "<Population name=\"CD45+\" count=\"24000\"><Gate><gating:RectangleGate><gating:dimension gating:min=\"837\"><data-type:fcs-dimension data-type:name=\"Comp-V500-A\"/></gating:dimension></gating:RectangleGate></Gate>\n" +
            "<Subpopulations>\n" +
            "<Population name=\"Live\" count=\"21000\"><Gate><gating:RectangleGate><gating:dimension gating:max=\"894\"><data-type:fcs-dimension data-type:name=\"Comp-PerCP-Cy5-5-A\"/></gating:dimension></gating:RectangleGate></Gate>\n" +
            "<Subpopulations>\n" +
            "<Population name=\"CD3+\" count=\"19000\"><Gate><gating:RectangleGate><gating:dimension gating:min=\"1576\"><data-type:fcs-dimension data-type:name=\"Comp-FITC-A\"/></gating:dimension></gating:RectangleGate></Gate>\n" +
            "<Subpopulations>\n" +
            "<Population name=\"CD56+\" count=\"8000\"><Gate><gating:RectangleGate><gating:dimension gating:min=\"463\"><data-type:fcs-dimension data-type:name=\"Comp-PE-A\"/></gating:dimension></gating:RectangleGate></Gate></Population>\n" +
            "</Subpopulations></Population>\n" +
            "</Subpopulations></Population>\n" +
            "</Subpopulations></Population>\n" +
            "</Subpopulations></SampleNode></Sample></SampleList></Workspace>\n";

    /**
     * {@code --result}: the result's metrics beside the same percentages of FlowJo's populations (found by name, or
     * given with {@code --map}), replayed on the file; a result of another file, and misused options, are refused.
     */
    @Test
    void aResultsMetricsAreComparedWithFlowJosPopulations(@TempDir Path dir) throws IOException {
        Path fcs = Path.of("testdata", "cik-pass.fcs");
        Path wsp = dir.resolve("cik.wsp");
        Files.writeString(wsp, CIK_WSP);
        Run analyze = GateCommandTest.cikqc("analyze", fcs.toString(), "--out", dir.resolve("a").toString(), "--no-plots",
                "--no-pdf");
        assertEquals(0, analyze.code(), analyze.err());
        Path result = dir.resolve("a").resolve("cik-pass").resolve("result.json");
        Path out = dir.resolve("g");
        Run r = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--result", result.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("no FlowJo population is named like nk_pct, cd3_cd56neg_pct, cd4_pct, cd8_pct"),
                r.err());
        assertTrue(r.err().contains("3 of 7 metrics of " + result + " compared"), r.err());
        Map<String, String[]> counts = counts(out);
        com.fasterxml.jackson.databind.JsonNode metrics = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(result.toFile()).path("metrics");
        List<String> rows = Files.readAllLines(out.resolve("comparison.tsv"), StandardCharsets.UTF_8);
        assertTrue(rows.get(0).startsWith("metric\tcikqc_percent\tcikqc_count\tcikqc_of\tuncertainty_pp"), rows.get(0));
        String[][] want = {{"viability_pct", "/CD45+/Live", "/CD45+"}, {"cd3_pct", "/CD45+/Live/CD3+", "/CD45+/Live"},
            {"cd3_cd56_pct", "/CD45+/Live/CD3+/CD56+", "/CD45+/Live"}};
        assertEquals(1 + want.length, rows.size(), String.join("\n", rows));
        for (int i = 0; i < want.length; i++) {
            String[] f = rows.get(i + 1).split("\t", -1);
            assertEquals(want[i][0], f[0]);
            assertEquals(metrics.path(f[0]).path("numerator").asText(), f[2]);
            assertEquals(want[i][1], f[5]);
            assertEquals(want[i][2], f[6]);
            assertEquals("by name", f[7]);
            long k = Long.parseLong(counts.get(want[i][1])[0]);
            long n = Long.parseLong(counts.get(want[i][2])[0]);
            assertEquals(k + "\t" + n, f[9] + "\t" + f[10]);
            double replay = 100.0 * k / n;
            assertEquals(replay, Double.parseDouble(f[8]), 1e-4);
            assertEquals(replay - metrics.path(f[0]).path("value").asDouble(), Double.parseDouble(f[12]), 1e-3);
            assertEquals("yes", f[15], "the same thresholds leave every metric on the same side of its limit");
        }
        // the validation-set summary of this one comparison
        Path agreement = dir.resolve("agreement.tsv");
        Run ag = GateCommandTest.cikqc("agreement", out.toString(), "--out", agreement.toString());
        assertEquals(0, ag.code(), ag.err());
        assertTrue(ag.out().startsWith("viability_pct: 1 sample, bias "), ag.out());
        assertEquals(4, Files.readAllLines(agreement).size());
        // a Bland-Altman plot per metric, PNG and SVG, the same bytes when drawn again
        Path plots = dir.resolve("plots");
        Run drawn = GateCommandTest.cikqc("agreement", out.toString(), "--plots", plots.toString());
        assertEquals(0, drawn.code(), drawn.err());
        for (String[] m : want) {
            Path png = plots.resolve("agreement-" + m[0] + ".png");
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
            assertEquals(833, img.getWidth(), "400 pt at 150 dpi");
            assertEquals(625, img.getHeight(), "4:3");
            assertTrue(Files.readString(plots.resolve("agreement-" + m[0] + ".svg")).contains(": FlowJo"
                    + " vs cikqc"), m[0]);
        }
        byte[] first = Files.readAllBytes(plots.resolve("agreement-cd3_pct.png"));
        assertEquals(0, GateCommandTest.cikqc("agreement", out.toString(), "--plots", plots.toString()).code());
        assertArrayEquals(first, Files.readAllBytes(plots.resolve("agreement-cd3_pct.png")));
        try (var listing = Files.list(plots)) {
            assertEquals(6, listing.count(), "nothing but the figures (no temporary files)");
        }
        Run missing = GateCommandTest.cikqc("agreement", dir.resolve("nowhere").toString());
        assertEquals(3, missing.code(), missing.err());
        assertEquals("cikqc: " + dir.resolve("nowhere") + ": comparison file not found", missing.err().strip());
        assertEquals(2, GateCommandTest.cikqc("agreement").code());
        // a given mapping: CD3+CD56+ as a share of the CD3+ cells
        Run given = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--result",
                result.toString(), "--map", "cd3_cd56_pct=/CD45+/Live/CD3+/CD56+@/CD45+/Live/CD3+", "--out", out.toString());
        assertEquals(0, given.code(), given.err());
        assertTrue(Files.readString(out.resolve("comparison.tsv")).contains(
                "\t/CD45+/Live/CD3+/CD56+\t/CD45+/Live/CD3+\tgiven\t"));
        // the result of another file
        Path other = Path.of("testdata", "cik-few-events.fcs");
        Run wrong = GateCommandTest.cikqc("gate", other.toString(), "--flowjo", wsp.toString(), "--sample", "cik-pass.fcs",
                "--result", result.toString(), "--out", dir.resolve("w").toString());
        assertEquals(3, wrong.code(), wrong.err());
        assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
        assertTrue(wrong.err().contains(result + ": a result for cik-pass.fcs (SHA-256 "), wrong.err());
        assertFalse(Files.exists(dir.resolve("w")));
        // usage errors
        List<Run> usage = List.of(
                GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--map", "cd3_pct=/CD45+",
                        "--out", out.toString()),
                GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--result", result.toString(),
                        "--map", "cd99_pct=/CD45+", "--out", out.toString()),
                GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--result", result.toString(),
                        "--map", "cd3_pct", "--out", out.toString()));
        for (Run u : usage) assertEquals(2, u.code(), u.err());
        Run unknownPop = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--result",
                result.toString(), "--map", "cd3_pct=/CD45+/Nope", "--out", out.toString());
        assertEquals(3, unknownPop.code(), unknownPop.err());
        assertEquals("cikqc: cik.wsp: no population /CD45+/Nope (--map cd3_pct)", unknownPop.err().strip());
        Run twice = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--result",
                result.toString(), "--map", "cd3_pct=/CD45+/Live/CD3+", "--map", "cd3_pct=/CD45+", "--out", out.toString());
        assertEquals(2, twice.code(), twice.err());
        assertTrue(twice.err().startsWith("cikqc: --map cd3_pct is given twice"), twice.err());
    }

    /**
     * A result that cannot be shown to be FILE's (no SHA-256), or whose metrics are not percentages, is refused
     * before anything is written; a population named with a '/' of its own ("Live/Dead-") is found by its whole
     * name; a run without --result removes the comparison.tsv an earlier run left.
     */
    @Test
    void resultsThatCannotBeComparedAreRefusedAndNamesAreReadWhole(@TempDir Path dir) throws IOException {
        Path fcs = Path.of("testdata", "cik-pass.fcs");
        Run analyze = GateCommandTest.cikqc("analyze", fcs.toString(), "--out", dir.resolve("a").toString(), "--no-plots",
                "--no-pdf");
        assertEquals(0, analyze.code(), analyze.err());
        Path result = dir.resolve("a").resolve("cik-pass").resolve("result.json");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Path wsp = dir.resolve("cik.wsp");
        Files.writeString(wsp, CIK_WSP.replace("name=\"Live\"", "name=\"Live/Dead-\""));
        String[][] bad = {
            {"nosha.json", "sample.sha256 is missing, so it cannot be shown to be a result for " + fcs},
            {"badsha.json", "sample.sha256 is not a SHA-256, so it cannot be shown to be a result for " + fcs},
            {"over.json", "metrics.cd3_pct.value 150.0 is not a percentage (0 to 100)"},
            {"inf.json", "metrics.cd3_pct.value 1E+400 is not a percentage (0 to 100)"},
            {"u.json", "metrics.cd3_pct.uncertainty -3.0 is not a number of percentage points (0 or more)"},
            {"nometrics.json", "no 'metrics' object; not a result.json of cikqc analyze"}};
        for (String[] c : bad) {
            com.fasterxml.jackson.databind.node.ObjectNode r =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(result.toFile());
            com.fasterxml.jackson.databind.node.ObjectNode cd3 =
                    (com.fasterxml.jackson.databind.node.ObjectNode) r.path("metrics").path("cd3_pct");
            switch (c[0]) {
                case "nosha.json" -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.path("sample")).remove("sha256");
                case "badsha.json" -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.path("sample")).put("sha256", "zz");
                case "over.json" -> cd3.put("value", 150.0);
                case "inf.json" -> cd3.put("value", 123.456); // written as 1e400 below
                case "u.json" -> cd3.put("uncertainty", -3.0);
                default -> r.remove("metrics");
            }
            Path f = dir.resolve(c[0]);
            json.writeValue(f.toFile(), r);
            if (c[0].equals("inf.json")) Files.writeString(f, Files.readString(f).replace("123.456", "1e400"));
            Path o = dir.resolve("out-" + c[0]);
            Run run = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--result", f.toString(),
                    "--out", o.toString());
            assertEquals(3, run.code(), c[0] + ": " + run.err());
            assertEquals("cikqc: " + f + ": " + c[1], run.err().strip());
            assertFalse(Files.exists(o), "nothing written for " + c[0]);
        }
        // "Live/Dead-" is the viable population, and so the denominator of CD3+ and CD3+CD56+
        Path out = dir.resolve("g");
        Run r = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--result", result.toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String tsv = Files.readString(out.resolve("comparison.tsv"));
        assertTrue(tsv.contains("viability_pct\t") && tsv.contains("\t/CD45+/Live/Dead-\t/CD45+\tby name\t"), tsv);
        assertTrue(tsv.contains("\t/CD45+/Live/Dead-/CD3+\t/CD45+/Live/Dead-\tby name\t"), tsv);
        // again without --result: the earlier comparison.tsv goes
        Run plain = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--out", out.toString());
        assertEquals(0, plain.code(), plain.err());
        assertFalse(Files.exists(out.resolve("comparison.tsv")));
        assertTrue(plain.err().contains("cikqc: note: removed " + out.resolve("comparison.tsv") + " of an earlier run"),
                plain.err());
        // agreement refuses its own input as --out, and the same comparison twice
        Run self = GateCommandTest.cikqc("agreement", tsvOf(dir, tsv).toString(), "--out", tsvOf(dir, tsv).toString());
        assertEquals(2, self.code(), self.err());
        assertTrue(self.err().contains("it would be replaced"), self.err());
        Run dup = GateCommandTest.cikqc("agreement", tsvOf(dir, tsv).toString(), dir.resolve("c").toString());
        assertEquals(2, dup.code(), dup.err());
        assertTrue(dup.err().contains("is given twice"), dup.err());
    }

    /** DIR/c/comparison.tsv holding {@code text}. */
    private static Path tsvOf(Path dir, String text) throws IOException {
        Path f = dir.resolve("c").resolve("comparison.tsv");
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    static String workspace(String spill, String rectChannel) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Workspace version=\"20.0\" "
                + "xmlns:gating=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\" "
                + "xmlns:transforms=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\" "
                + "xmlns:data-type=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">\n<SampleList><Sample>\n"
                + "<DataSet uri=\"file:/C:/x/small.fcs\" sampleID=\"1\"/>\n"
                + (spill == null ? "" : "<transforms:spilloverMatrix prefix=\"Comp-\" name=\"Acquisition-defined\" suffix=\"\">"
                + "<data-type:parameters><data-type:parameter data-type:name=\"A\"/><data-type:parameter data-type:name=\"B\"/>"
                + "</data-type:parameters>"
                + "<transforms:spillover data-type:parameter=\"A\"><transforms:coefficient data-type:parameter=\"A\" "
                + "transforms:value=\"1\"/><transforms:coefficient data-type:parameter=\"B\" transforms:value=\"" + spill
                + "\"/></transforms:spillover>"
                + "<transforms:spillover data-type:parameter=\"B\"><transforms:coefficient data-type:parameter=\"B\" "
                + "transforms:value=\"1\"/><transforms:coefficient data-type:parameter=\"A\" transforms:value=\"0\"/>"
                + "</transforms:spillover></transforms:spilloverMatrix>\n")
                + "<Transformations/><Keywords/>\n"
                + "<SampleNode name=\"small.fcs\" count=\"10\" sampleID=\"1\"><Subpopulations>\n"
                + "<Population name=\"low\" count=\"5\"><Gate><gating:RectangleGate>"
                + "<gating:dimension gating:min=\"0\" gating:max=\"9\"><data-type:fcs-dimension data-type:name=\""
                + rectChannel + "\"/></gating:dimension></gating:RectangleGate></Gate></Population>\n"
                + "</Subpopulations></SampleNode></Sample></SampleList></Workspace>\n";
    }

    /**
     * 'Comp-' dimensions are compensated with the sample's matrix from the workspace (not the file's $SPILLOVER);
     * without a matrix in the workspace, with the file's own. Data: A = i, B = 2.5 i, i = 0..9.
     */
    @Test
    void compDimensionsUseTheWorkspaceMatrix(@TempDir Path dir) throws IOException {
        Path fcs = GateCommandTest.fcs(dir, 10); // its $SPILLOVER: B receives 0.5 A
        String[][] cases = {
            {"0.5", "Comp-B", "5"}, // B - 0.5 A = 2 i < 9: i <= 4
            {"0", "Comp-B", "4"},   // 2.5 i < 9: i <= 3
            {"0.5", "B", "4"},      // uncompensated
            {null, "Comp-B", "5"},  // no matrix in the workspace: the file's own
        };
        int k = 0;
        for (String[] c : cases) {
            Path wsp = dir.resolve("w" + k + ".wsp");
            Files.writeString(wsp, workspace(c[0], c[1]));
            Path out = dir.resolve("out" + k++);
            Run r = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(c[2], counts(out).get("/low")[0], String.join(" ", java.util.Arrays.asList(c)));
            if (c[0] == null) assertTrue(r.err().contains("carries no spillover matrix"), r.err());
        }
    }

    @Test
    void usageAndInputErrorsAreOneLine(@TempDir Path dir) throws IOException {
        Path fcs = GateCommandTest.fcs(dir, 10);
        Path wsp = dir.resolve("w.wsp");
        Files.writeString(wsp, workspace("0.5", "Comp-B"));
        Path gml = dir.resolve("g.xml");
        Files.writeString(gml, GateCommandTest.HEAD + GateCommandTest.range("Lo", "uncompensated", "A", 0, 5, "")
                + "</gating:Gating-ML>\n");
        List<Run> usage = new ArrayList<>();
        usage.add(GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--gating-ml", gml.toString(),
                "--out", dir.resolve("o").toString()));
        usage.add(GateCommandTest.cikqc("gate", fcs.toString(), "--gating-ml", gml.toString(), "--sample", "x", "--out",
                dir.resolve("o").toString()));
        usage.add(GateCommandTest.cikqc("gate", fcs.toString(), "--out", dir.resolve("o").toString()));
        usage.add(GateCommandTest.cikqc("gate", fcs.toString(), "--gating-ml", gml.toString(), "--result", "r.json", "--out",
                dir.resolve("o").toString()));
        for (Run r : usage) assertEquals(2, r.code(), r.err());
        Run noSample = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--sample", "other.fcs",
                "--out", dir.resolve("o").toString());
        assertEquals(3, noSample.code(), noSample.err());
        assertEquals("cikqc: w.wsp: no sample 'other.fcs' (samples: 'small.fcs' (sampleID 1))", noSample.err().strip());
        Files.writeString(wsp, workspace("0.5", "Comp-Nope"));
        Run unknown = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--out",
                dir.resolve("o").toString());
        assertEquals(3, unknown.code(), unknown.err());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        assertTrue(unknown.err().contains("unknown channel 'Comp-Nope'"), unknown.err());
        assertFalse(Files.exists(dir.resolve("o").resolve("counts.tsv")));
        Files.writeString(wsp, "<Workspace><SampleList><Sample>");
        Run cut = GateCommandTest.cikqc("gate", fcs.toString(), "--flowjo", wsp.toString(), "--out",
                dir.resolve("o").toString());
        assertEquals(3, cut.code(), cut.err());
        assertTrue(cut.err().startsWith("cikqc: w.wsp:1: "), cut.err());
    }
}
