package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class FcsCommandsTest {

    @TempDir
    Path dir;
    Path good;
    Path bad;

    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void files() throws IOException {
        good = floatFile(dir.resolve("good.fcs"), new double[][] {{1, 2, 3}, {0.5, -4, 100}});
        bad = dir.resolve("bad.fcs");
        Files.writeString(bad, "FCS3.1    garbage");
    }

    /** A float FCS 3.1 file of FSC-A and FITC-A (CD3) holding {@code columns} (3 events). */
    static Path floatFile(Path f, double[][] columns) throws IOException {
        try (FcsWriter w = FcsWriter.create(f, List.of(
                new FcsParameter(1, "FSC-A", null, 32, 262144, 'F', 1, 0, 0, 0),
                new FcsParameter(2, "FITC-A", "CD3", 32, 262144, 'F', 1, 0, 0, 0)), Map.of("$CYT", "Test"), 3)) {
            w.write(columns, 3);
        }
        return f;
    }

    @Test
    void inspectJsonHasTheDocumentedShape() throws IOException {
        Run r = run("inspect", "--json", "--stats", good.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out().strip());
        assertEquals(good.toString(), j.get("file").asText());
        assertEquals(64, j.get("sha256").asText().length());
        JsonNode ds = j.get("datasets").get(0);
        assertEquals(3, ds.get("events").asLong());
        JsonNode p2 = ds.get("parameters").get(1);
        assertEquals("FITC-A", p2.get("name").asText());
        assertEquals("CD3", p2.get("marker").asText());
        assertEquals("F", p2.get("datatype").asText());
        assertEquals("Test", ds.get("keywords").get("$CYT").asText());
        JsonNode st = ds.get("stats").get(1);
        assertEquals(-4, st.get("min").asDouble());
        assertEquals(100, st.get("max").asDouble());
        assertEquals(96.5, st.get("sum").asDouble());
        for (String k : List.of("index", "name", "marker", "bits", "range", "datatype", "gain", "logDecades", "logOffset")) {
            assertTrue(p2.has(k), k);
        }
    }

    @Test
    void inspectGoesOnAfterABadFileAndExits3() throws IOException {
        Run r = run("inspect", "--json", bad.toString(), good.toString());
        assertEquals(3, r.code());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode e = new ObjectMapper().readTree(lines[0]);
        assertEquals("FILE_TOO_SHORT", e.get("error").get("code").asText());
        assertEquals(0, e.get("error").get("offset").asLong());
        assertTrue(new ObjectMapper().readTree(lines[1]).has("datasets"));
        assertEquals(1, r.err().strip().split("\n").length, "one line per bad file: " + r.err());
        assertTrue(r.err().contains("bad.fcs"));
        assertEquals(1, r.err().split("bad.fcs", -1).length - 1, "file named once: " + r.err());
        assertFalse(r.err().contains("Exception"));
    }

    @Test
    void inspectAndValidateReportSpilloverDefects() throws IOException {
        // fuzz: a malformed $SPILLOVER (one coefficient short) was invisible to inspect and validate
        Path f = dir.resolve("spill.fcs");
        try (FcsWriter w = FcsWriter.create(f, List.of(
                new FcsParameter(1, "FSC-A", null, 32, 262144, 'F', 1, 0, 0, 0),
                new FcsParameter(2, "FITC-A", "CD3", 32, 262144, 'F', 1, 0, 0, 0),
                new FcsParameter(3, "PE-A", "CD56", 32, 262144, 'F', 1, 0, 0, 0)),
                Map.of("$SPILLOVER", "2,FITC-A,PE-A,1,0.1,0"), 3)) {
            w.write(new double[][] {{1, 2, 3}, {0.5, -4, 100}, {7, 8, 9}}, 3);
        }
        Run r = run("inspect", "--json", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode problems = new ObjectMapper().readTree(r.out().strip()).get("datasets").get(0).get("problems");
        assertTrue(problems.toString().contains("SPILLOVER_MALFORMED") && problems.toString().contains("$SPILLOVER"),
                problems.toString());
        Run v = run("validate", f.toString());
        assertEquals(3, v.code());
        assertTrue(v.out().contains("SPILLOVER_MALFORMED") && v.out().startsWith(f.toString()), v.out());
        Run s = run("inspect", "--strict", f.toString());
        assertEquals(3, s.code());
        assertEquals(1, s.err().strip().lines().count(), s.err());
        assertEquals(0, run("validate", good.toString()).code(), "a file without spillover keywords stays clean");
    }

    @Test
    void validateExitCodes() {
        assertEquals(0, run("validate", good.toString()).code());
        Run r = run("validate", bad.toString());
        assertEquals(3, r.code());
        assertTrue(r.out().contains("bad.fcs") && r.out().contains("FILE_TOO_SHORT"), r.out());
    }

    /**
     * Fuzz 28 D3: NaN and +Inf in float DATA read as a clean file. validate now exits 3, inspect --stats lists the
     * defect (inspect alone does not read the DATA), export writes the values and warns, naming the first byte.
     */
    @Test
    void nonFiniteFloatDataIsADefectEveryCommandNames() throws IOException {
        Path f = floatFile(dir.resolve("nan.fcs"), new double[][] {{1, Double.POSITIVE_INFINITY, 3},
            {0.5, Double.NaN, Double.NaN}});
        Run v = run("validate", f.toString());
        assertEquals(3, v.code(), v.out());
        assertTrue(v.out().contains("WARNING NON_FINITE_VALUE: DATA holds 3 non-finite float values (NaN or infinity)")
                && v.out().contains("$P1 (FSC-A) 1, $P2 (FITC-A) 2; the first is $P1 (FSC-A) of event 2 (at byte "),
                v.out());
        assertFalse(run("inspect", f.toString()).out().contains("NON_FINITE_VALUE"));
        Run s = run("inspect", "--stats", "--json", f.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("\"code\":\"NON_FINITE_VALUE\",\"severity\":\"WARNING\""), s.out());
        assertEquals(3, run("inspect", "--stats", "--strict", f.toString()).code());
        Run e = run("export", f.toString(), "--out", dir.resolve("nan.csv").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.err().contains("cikqc: warning: " + f + ": DATA holds 3 non-finite float values"), e.err());
        assertTrue(Files.readString(dir.resolve("nan.csv")).contains("Infinity"), "the values are exported as read");
        assertFalse(run("export", good.toString(), "--out", dir.resolve("g.csv").toString()).err().contains("non-finite"));
    }

    @Test
    void exportSaysWhenTheFileWasReadWithRepairs() throws IOException {
        // fuzz: a damaged TEXT exported "10,000 events" with no word of the repairs inspect lists
        Path f = floatFile(dir.resolve("repaired.fcs"), new double[][] {{1, 2, 3}, {0.5, -4, 100}});
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 12)); // the CRC and half of the last event gone
        Run r = run("export", f.toString(), "--out", dir.resolve("r.csv").toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("cikqc: warning: " + f + ": 1 defect(s) repaired or noted while reading it;")
                && lines.get(0).contains("truncated"), lines.get(0));
        assertTrue(lines.get(1).contains("exported 2 events"), lines.get(1));
        Run clean = run("export", good.toString(), "--out", dir.resolve("g.csv").toString());
        assertFalse(clean.err().contains("warning"), clean.err());
    }

    /**
     * A file whose DATA lies wholly beyond its end (fcsparser's header-only cytek sample): inspect still shows the
     * header, but export refuses it (exit 3) instead of writing an empty table for 3 declared events.
     */
    @Test
    void exportRefusesADataSetWithNoReadableEvent() throws IOException {
        byte[] b = Files.readAllBytes(good);
        int dataStart = Integer.parseInt(new String(b, 26, 8, java.nio.charset.StandardCharsets.US_ASCII).strip());
        Path f = dir.resolve("header-only.fcs");
        Files.write(f, java.util.Arrays.copyOf(b, dataStart));
        Run inspect = run("inspect", f.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("TRUNCATED_DATA"), inspect.out());
        Path out = dir.resolve("h.csv");
        Run r = run("export", f.toString(), "--out", out.toString());
        assertEquals(3, r.code(), r.err());
        assertFalse(Files.exists(out));
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("cikqc: " + f + ": no event can be read: file is truncated"), r.err());
    }

    @Test
    void exportWritesHeadersAndValues() throws IOException {
        Path out = dir.resolve("e.csv");
        Run r = run("export", good.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("FSC-A,FITC-A", lines.get(0));
        assertEquals("2,-4", lines.get(2));
        assertEquals("3,100", lines.get(3));
        Path tsv = dir.resolve("e.tsv");
        assertEquals(0, run("export", good.toString(), "--format", "tsv", "--values", "scale", "--out", tsv.toString()).code());
        assertEquals("1\t0.5", Files.readAllLines(tsv).get(1));
    }

    @Test
    void exportedFloatValuesReadBackExactly() throws IOException {
        // float32 values that have no short decimal: the text must give back the stored value as a double too
        Path f = dir.resolve("float.fcs");
        float[] stored = {1312.85f, 0.1f, -3.3e-5f, 16777215f, 2.5e7f};
        double[][] cols = new double[1][stored.length];
        for (int i = 0; i < stored.length; i++) cols[0][i] = stored[i];
        try (FcsWriter w = FcsWriter.create(f, List.of(new FcsParameter(1, "FL1-A", null, 32, 262144, 'F', 1, 0, 0, 0)),
                Map.of(), stored.length)) {
            w.write(cols, stored.length);
        }
        Path out = dir.resolve("float.csv");
        assertEquals(0, run("export", f.toString(), "--out", out.toString()).code());
        List<String> lines = Files.readAllLines(out);
        for (int i = 0; i < stored.length; i++) {
            assertEquals((double) stored[i], Double.parseDouble(lines.get(i + 1)), 0.0, lines.get(i + 1));
            assertEquals(stored[i], Float.parseFloat(lines.get(i + 1)), 0.0f, lines.get(i + 1));
        }
        assertEquals("1312.8499755859375", lines.get(1));
    }

    @Test
    void exportOfABadFileWritesNothing() {
        Path out = dir.resolve("x.csv");
        Run r = run("export", bad.toString(), "--out", out.toString());
        assertEquals(3, r.code());
        assertFalse(Files.exists(out));
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().startsWith("cikqc: " + bad), r.err());
        assertTrue(r.err().contains("at byte 0"), r.err());
    }

    @Test
    void usageErrorsExit2() {
        assertEquals(2, run("export", good.toString()).code());
        assertEquals(2, run("inspect").code());
    }

    @Test
    void exportCompensatedMatchesTheReference() throws IOException {
        Path fcs = org.cikqc.testutil.Shared.resolve("corpus/fcs/whitews__FlowKit/data__test_comp_example.fcs");
        Path ref = org.cikqc.testutil.Shared.resolve(
                "compensation/FlowKit_test_comp_example_embeddedSPILL_comp_first1000.tsv");
        Path out = dir.resolve("c.tsv");
        Run r = run("export", fcs.toString(), "--values", "compensated", "--format", "tsv", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> got = Files.readAllLines(out);
        List<String> want = Files.readAllLines(ref).stream().filter(l -> !l.startsWith("#")).toList();
        String[] head = got.get(0).split("\t");
        for (int e = 1; e <= 200; e++) {
            String[] g = got.get(e).split("\t");
            String[] w = want.get(e).split("\t");
            for (int c = 0; c < head.length; c++) {
                if (head[c].equals("Time")) continue;
                double a = Double.parseDouble(g[c]);
                double b = Double.parseDouble(w[c + 1]);
                assertEquals(b, a, 1e-9 * Math.max(1, Math.abs(b)), "event " + (e - 1) + " " + head[c]);
            }
        }
        Path t = dir.resolve("t.csv");
        assertEquals(0, run("export", fcs.toString(), "--values", "compensated", "--transform", "logicle",
                "--out", t.toString()).code());
        String[] row = Files.readAllLines(t).get(1).split(",");
        double ax488 = Double.parseDouble(row[3]);
        assertTrue(ax488 > 0 && ax488 < 1, "logicle display value in [0,1]: " + ax488);
        assertEquals(4, run("export", fcs.toString(), "--transform", "nonsense", "--out", t.toString()).code());
    }
}
