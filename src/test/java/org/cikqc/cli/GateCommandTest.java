package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsWriter;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateCommandTest {
    static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<gating:Gating-ML xmlns:gating=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\"\n"
            + "  xmlns:transforms=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\"\n"
            + "  xmlns:data-type=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">\n";

    record Run(int code, String out, String err) { }

    static Run cikqc(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static String range(String id, String comp, String channel, double min, double max, String extra) {
        return "  <gating:RectangleGate gating:id=\"" + id + "\"" + extra + ">\n"
                + "    <gating:dimension gating:compensation-ref=\"" + comp + "\" gating:min=\"" + min + "\" gating:max=\""
                + max + "\">\n      <data-type:fcs-dimension data-type:name=\"" + channel + "\"/>\n"
                + "    </gating:dimension>\n  </gating:RectangleGate>\n";
    }

    /** A file whose DATA lies wholly beyond its end: exit 3 and no membership.tsv, not an empty table. */
    @Test
    void aDataSetWithNoReadableEventIsRefused(@TempDir Path dir) throws IOException {
        Path f = fcs(dir, 10);
        byte[] b = Files.readAllBytes(f);
        int dataStart = Integer.parseInt(new String(b, 26, 8, java.nio.charset.StandardCharsets.US_ASCII).strip());
        Path cut = dir.resolve("header-only.fcs");
        Files.write(cut, java.util.Arrays.copyOf(b, dataStart));
        Path gml = dir.resolve("g.xml");
        Files.writeString(gml, HEAD + range("Lo", "uncompensated", "A", 0, 5, "") + "</gating:Gating-ML>\n");
        Run r = cikqc("gate", cut.toString(), "--gating-ml", gml.toString(), "--out", dir.resolve("cut").toString());
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("header-only.fcs: no event can be read: file is truncated"), r.err());
        assertFalse(Files.exists(dir.resolve("cut").resolve("membership.tsv")));
        Run ok = cikqc("gate", f.toString(), "--gating-ml", gml.toString(), "--out", dir.resolve("ok").toString());
        assertEquals(0, ok.code(), ok.err());
    }

    /** NaN in float DATA: the event is in no gate, and gate warns once, naming the defect and its first byte. */
    @Test
    void aFileRewrittenWhileItIsGatedOrExportedLeavesNoOutput(@TempDir Path dir) throws IOException {
        Path f = fcs(dir, 100);
        Path gml = dir.resolve("g.xml");
        Files.writeString(gml, HEAD + range("Lo", "uncompensated", "A", 0, 50, "") + "</gating:Gating-ML>\n");
        Path out = dir.resolve("out");
        assertEquals(0, cikqc("gate", f.toString(), "--gating-ml", gml.toString(), "--out", out.toString()).code());
        String before = Files.readString(out.resolve("membership.tsv"));
        Path csv = dir.resolve("e.csv");
        try {
            // an instrument still writing the file: it grows between the read and the commit
            StampedInput.beforeCheck = p -> {
                try {
                    Files.write(p, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            Run r = cikqc("gate", f.toString(), "--gating-ml", gml.toString(), "--out", out.toString());
            assertEquals(3, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(f + ": changed while it was gated (its size went from "), r.err());
            assertTrue(r.err().contains("nothing was written for it"), r.err());
            assertEquals(before, Files.readString(out.resolve("membership.tsv")), "the earlier output is untouched");

            Run e = cikqc("export", f.toString(), "--out", csv.toString());
            assertEquals(3, e.code(), e.err());
            assertTrue(e.err().contains(f + ": changed while it was exported (its size went from "), e.err());
            assertFalse(Files.exists(csv));
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                        "no temporary file is left");
            }
        } finally {
            StampedInput.beforeCheck = p -> { };
        }
        // untouched from here on: both run
        assertEquals(0, cikqc("gate", f.toString(), "--gating-ml", gml.toString(), "--out", out.toString()).code());
        assertEquals(0, cikqc("export", f.toString(), "--out", csv.toString()).code());
    }

    @Test
    void nonFiniteValuesAreInNoGateAndNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("nan.fcs");
        try (FcsWriter w = FcsWriter.create(f, List.of(new FcsParameter(1, "A", null, 32, 1024, 'F', 1, 0, 0, 0)),
                new LinkedHashMap<>(), 3)) {
            w.write(new double[][] {{1, Double.NaN, 2}}, 3);
        }
        Path gml = dir.resolve("g.xml");
        Files.writeString(gml, HEAD + range("All", "uncompensated", "A", -1e30, 1e30, "") + "</gating:Gating-ML>\n");
        Run r = cikqc("gate", f.toString(), "--gating-ml", gml.toString(), "--out", dir.resolve("o").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("All\n1\n0\n1\n", Files.readString(dir.resolve("o").resolve("membership.tsv")));
        assertTrue(r.err().contains("cikqc: warning: " + f + ": DATA holds 1 non-finite float value (NaN or infinity)"),
                r.err());
    }

    /** A small FCS file: A = i, B = 2·i (+ 0.5·A spill), for i in [0, n); $SPILLOVER says B gets 50 % of A. */
    static Path fcs(Path dir, int n) {
        List<FcsParameter> p = List.of(new FcsParameter(1, "A", null, 32, 1024, 'F', 1, 0, 0, 0),
                new FcsParameter(2, "B", null, 32, 1024, 'F', 1, 0, 0, 0));
        Map<String, String> kw = new LinkedHashMap<>();
        kw.put("$SPILLOVER", "2,A,B,1,0.5,0,1");
        Path f = dir.resolve("small.fcs");
        try (FcsWriter w = FcsWriter.create(f, p, kw, n)) {
            double[][] cols = new double[2][n];
            for (int i = 0; i < n; i++) {
                cols[0][i] = i;
                cols[1][i] = 2.0 * i + 0.5 * i;
            }
            w.write(cols, n);
        }
        return f;
    }

    static List<String[]> tsv(Path f) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String l : Files.readAllLines(f)) rows.add(l.split("\t", -1));
        return rows;
    }

    @Test
    void writesMembershipAndCounts(@TempDir Path dir) throws IOException {
        Path fcs = fcs(dir, 100);
        String quad = "  <gating:QuadrantGate gating:id=\"Q\" gating:parent_id=\"Lo\">\n"
                + "    <gating:divider gating:id=\"dA\" gating:compensation-ref=\"FCS\">\n"
                + "      <data-type:fcs-dimension data-type:name=\"A\"/>\n      <gating:value>10</gating:value>\n"
                + "    </gating:divider>\n"
                + "    <gating:Quadrant gating:id=\"QLo\"><gating:position gating:divider_ref=\"dA\" gating:location=\"0\"/>"
                + "</gating:Quadrant>\n"
                + "    <gating:Quadrant gating:id=\"QHi\"><gating:position gating:divider_ref=\"dA\" gating:location=\"20\"/>"
                + "</gating:Quadrant>\n  </gating:QuadrantGate>\n";
        Path gml = dir.resolve("g.xml");
        Files.writeString(gml, HEAD + range("Lo", "uncompensated", "A", 0, 50, "")
                + range("Bc", "FCS", "B", 40, 60, "") + range("Bu", "uncompensated", "B", 40, 60, "") + quad
                + "</gating:Gating-ML>\n");
        Path out = dir.resolve("out");
        Run r = cikqc("gate", fcs.toString(), "--gating-ml", gml.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String[]> m = tsv(out.resolve("membership.tsv"));
        assertEquals(List.of("Lo", "Bc", "Bu", "QLo", "QHi"), List.of(m.get(0)));
        assertEquals(101, m.size());
        for (int i = 0; i < 100; i++) {
            String[] row = m.get(i + 1);
            assertEquals(i < 50 ? "1" : "0", row[0]);
            assertEquals(i >= 20 && i < 30 ? "1" : "0", row[1], "compensated B = 2i: [40,60) ↔ i in [20,30)");
            assertEquals(i >= 16 && i < 24 ? "1" : "0", row[2], "uncompensated B = 2.5i");
            assertEquals(i < 10 ? "1" : "0", row[3]);
            assertEquals(i >= 10 && i < 50 ? "1" : "0", row[4], "quadrant ANDs its parent Lo");
        }
        List<String[]> c = tsv(out.resolve("counts.tsv"));
        assertEquals(List.of("gate_id", "parent_id", "count", "percent_of_parent"), List.of(c.get(0)));
        assertEquals(List.of("Lo", "", "50", "50.0000"), List.of(c.get(1)));
        assertEquals(List.of("QHi", "Lo", "40", "80.0000"), List.of(c.get(5)));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("counts.tsv", "membership.tsv"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left");
        }
    }

    @Test
    void externalMatrixReplacesFcsAndIsReferencedByItsBaseName(@TempDir Path dir) throws IOException {
        Path fcs = fcs(dir, 100);
        Path csv = dir.resolve("other_comp.csv");
        Files.writeString(csv, "A,B\n1,0.25\n0,1\n");
        Path gml = dir.resolve("g.xml");
        Files.writeString(gml, HEAD + range("ViaFcs", "FCS", "B", 40, 60, "")
                + range("ViaId", "other_comp", "B", 40, 60, "") + "</gating:Gating-ML>\n");
        Path out = dir.resolve("out");
        Run r = cikqc("gate", fcs.toString(), "--gating-ml", gml.toString(), "--out", out.toString(),
                "--compensation", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String[]> m = tsv(out.resolve("membership.tsv"));
        for (int i = 0; i < 100; i++) {
            String expected = i >= 18 && i < 27 ? "1" : "0"; // B - 0.25·A = 2.25 i in [40, 60)
            assertEquals(expected, m.get(i + 1)[0], "FCS uses the external matrix, event " + i);
            assertEquals(expected, m.get(i + 1)[1], "explicit reference, event " + i);
        }
        Path clash = dir.resolve("g2.xml");
        Files.writeString(clash, HEAD + range("other_comp", "FCS", "B", 40, 60, "") + "</gating:Gating-ML>\n");
        Run bad = cikqc("gate", fcs.toString(), "--gating-ml", clash.toString(), "--out", out.toString(),
                "--compensation", csv.toString());
        assertEquals(3, bad.code());
        assertTrue(bad.err().contains("duplicate id"), bad.err());
    }

    @Test
    void errorsAreOneLineWithExitCode3(@TempDir Path dir) throws IOException {
        Path fcs = fcs(dir, 10);
        Path out = dir.resolve("out");
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, HEAD + "  <gating:RectangleGate gating:id=\"R\">\n</gating:Gating-ML>\n");
        assertOneLineError(cikqc("gate", fcs.toString(), "--gating-ml", bad.toString(), "--out", out.toString()), "bad.xml:6: ");
        Path chan = dir.resolve("chan.xml");
        Files.writeString(chan, HEAD + range("R", "uncompensated", "CD3", 0, 1, "") + "</gating:Gating-ML>\n");
        assertOneLineError(cikqc("gate", fcs.toString(), "--gating-ml", chan.toString(), "--out", out.toString()),
                "chan.xml:5: gate 'R': unknown channel 'CD3'"); // the gate's line (fuzz 28 D10)
        Path matrix = dir.resolve("matrix.xml");
        Files.writeString(matrix, HEAD + range("R", "Spill9", "A", 0, 1, "") + "</gating:Gating-ML>\n");
        assertOneLineError(cikqc("gate", fcs.toString(), "--gating-ml", matrix.toString(), "--out", out.toString()),
                "matrix.xml:5: gate 'R': unknown compensation-ref 'Spill9'");
        Path gate = dir.resolve("gate.xml");
        Files.writeString(gate, HEAD + range("R", "FCS", "A", 0, 1, " gating:parent_id=\"Nope\"") + "</gating:Gating-ML>\n");
        assertOneLineError(cikqc("gate", fcs.toString(), "--gating-ml", gate.toString(), "--out", out.toString()),
                "gate.xml:5: gate 'R': unknown parent_id 'Nope'");
        assertOneLineError(cikqc("gate", dir.resolve("none.fcs").toString(), "--gating-ml", gate.toString(), "--out",
                out.toString()), "");
        Path huge = dir.resolve("huge.xml");
        Files.writeString(huge, HEAD + range("R", "uncompensated", "x".repeat(5_000_000), 0, 1, "") + "</gating:Gating-ML>\n");
        Run r = cikqc("gate", fcs.toString(), "--gating-ml", huge.toString(), "--out", out.toString());
        assertOneLineError(r, "huge.xml:5: gate 'R': unknown channel 'xxx");
        assertTrue(r.err().length() < 2_100, "a 5 MB channel name is not echoed whole: " + r.err().length());
        assertTrue(r.err().contains(" characters left out …]"), r.err().substring(0, 100));
        assertFalse(Files.exists(out.resolve("membership.tsv")));
    }

    private static void assertOneLineError(Run r, String prefix) {
        assertEquals(3, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("cikqc: " + prefix), lines[0]);
    }

    @Test
    void quadrantGatesGiveOneColumnPerQuadrantOnComplianceData(@TempDir Path dir) throws IOException {
        Path fcs = Shared.resolve("gatingml/Gml2/FCSFiles/data1.fcs");
        Path gml = Shared.resolve("gatingml/Gml2/Gating-MLFiles/gates1.xml");
        Run r = cikqc("gate", fcs.toString(), "--gating-ml", gml.toString(), "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> header = List.of(tsv(dir.resolve("membership.tsv")).get(0));
        assertTrue(header.containsAll(List.of("FL2P-FL4P", "FL2N-FL4P", "FL2N-FL4N", "FL2P-FL4N")));
        assertFalse(header.contains("Quadrant1"));
        Map<String, String> count = new LinkedHashMap<>();
        for (String[] row : tsv(dir.resolve("counts.tsv"))) count.put(row[0], row[2]);
        assertEquals("561", count.get("And1"));
        assertEquals("12", count.get("ParAnd2"));
    }

    @Test
    void aBatchsMembershipsStayWithin16MiBWhateverTheNumberOfPopulations() {
        for (int populations : new int[] {1, 15, 10_000, 100_000, 2_000_000}) {
            int batch = GateCommand.readOptions(populations).batchSize();
            assertTrue(batch >= 64 && (long) batch * populations <= Math.max(1L << 27, 64L * populations),
                    populations + " populations: " + batch + " events per batch");
        }
        assertEquals(org.cikqc.fcs.FcsReadOptions.LENIENT.batchSize(), GateCommand.readOptions(15).batchSize());
    }
}
