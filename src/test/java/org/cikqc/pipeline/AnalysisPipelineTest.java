package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.cikqc.cli.Main;
import org.cikqc.sim.SimulationTruth;
import org.cikqc.sim.TruthJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** End-to-end: the bundled simulated samples give the expected verdicts and accurate metrics. */
class AnalysisPipelineTest {

    @TempDir
    Path out;

    private static JsonNode analyze(Path f) throws IOException {
        return new ObjectMapper().readTree(SampleRunner.resultBytes(f, AnalysisOptions.defaults()));
    }

    private static void assertClose(SimulationTruth t, JsonNode r) {
        assertEquals(t.metrics().viabilityPct(), r.path("metrics").path("viability_pct").path("value").asDouble(), 1.0,
                "viability vs truth");
        assertEquals(t.metrics().cd3PctOfViable(), r.path("metrics").path("cd3_pct").path("value").asDouble(), 1.0,
                "CD3+ vs truth");
        assertEquals(t.metrics().cd3cd56PctOfViable(), r.path("metrics").path("cd3_cd56_pct").path("value").asDouble(), 1.0,
                "CD3+CD56+ vs truth");
    }

    @Test
    void bundledSamplesGiveTheirExpectedVerdicts() throws IOException {
        Map<String, String> expected = Map.of("cik-pass", "PASS", "cik-fail-viability", "FAIL", "cik-fail-cd3cd56", "FAIL",
                "cik-few-events", "INDETERMINATE");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path f = TestData.file(e.getKey() + ".fcs");
            JsonNode r = analyze(f);
            assertEquals(e.getValue(), r.path("verdict").asText(), e.getKey() + ": " + r.path("reasons"));
            assertEquals("cikqc.result/1", r.path("schema").asText());
            SimulationTruth t = TruthJson.read(Path.of("testdata", e.getKey() + ".truth.json"));
            assertClose(t, r);
        }
    }

    /**
     * The spec file is read once, when the options are built, and a batch runs on that version: the result records
     * the hash of the bytes loaded, not of the file as it is when the sample finishes, and so does the audit entry.
     */
    @Test
    void aSpecFileEditedWhileABatchRunsIsRecordedAsTheVersionInUse() throws IOException {
        Path specFile = out.resolve("spec.json");
        Files.write(specFile, org.cikqc.qc.QcSpec.defaultSpec().canonicalBytes());
        String loaded = org.cikqc.common.Sha256.hex(specFile);
        org.cikqc.qc.QcSpec spec = org.cikqc.qc.QcSpec.load(specFile);
        assertEquals(loaded, spec.fileSha256());
        assertEquals(null, org.cikqc.qc.QcSpec.parse(spec.canonicalBytes(), "x").fileSha256());
        AnalysisOptions o = new AnalysisOptions(spec, specFile, Map.of(), Map.of(), null, -1, null, null);
        Files.writeString(specFile, "{\"edited\": true}\n"); // rewritten after it was loaded
        Path f = TestData.file("cik-pass.fcs");
        JsonNode r = new ObjectMapper().readTree(SampleRunner.resultBytes(f, o));
        assertEquals(loaded, r.path("provenance").path("inputs").path(specFile.toAbsolutePath().normalize().toString())
                .asText(), r.path("provenance").toString());
        AnalysisAudit audit = AnalysisAudit.at(out, "tester", o);
        SampleOutcome outcome = SampleRunner.run(f, o, new OutputOptions(false, false, false, 72, Instant.EPOCH), out);
        audit.recordOutcome(f, outcome, "analyze");
        String entry = Files.readString(out.resolve(AnalysisAudit.LOG_NAME));
        assertTrue(entry.contains(loaded), entry);
        assertTrue(!entry.contains(org.cikqc.common.Sha256.hex(specFile)), entry);
    }

    @Test
    void aShallowViabilityValleyFailsABatchThatFailsWhereverTheThresholdCouldBe() throws IOException {
        // most dead cells 7-AAD dim (median 400) and noisy detectors: the live and dead peaks merge (valley ~0.1)
        org.cikqc.sim.SimulationSpec.Builder b = org.cikqc.sim.SimulationSpec.builder().events(30_000).seed(7)
                .withCd4Cd8(false).deadDim(0.9).deadDimLevel(400).noise(3);
        JsonNode low = analyze(Sims.write(out, "v50.fcs", b.viability(0.5).build()));
        JsonNode issue = low.path("gatingIssues").get(0);
        assertEquals("VIABILITY threshold", issue.path("subject").asText(), low.path("gatingIssues").toString());
        // the dim dead cells have dim CD45 as well: the dye's lowest level falling with CD45 among all leukocytes is
        // biology, and is not read as spillover
        assertFalse(low.path("gatingIssues").toString().contains("VIABILITY compensation"),
                low.path("gatingIssues").toString());
        JsonNode range = issue.path("ranges").path("viability_pct");
        double high = range.path("high").asDouble();
        assertTrue(range.path("low").asDouble() < 49.7 && high > 49.7 && high < 76, range.toString());
        JsonNode check = null;
        for (JsonNode c : low.path("checks")) if (c.path("id").asText().equals("viability_pct")) check = c;
        assertEquals("FAIL", check.path("outcome").asText(), check.toString());
        assertTrue(check.path("reason").asText().contains("although its gate is uncertain"), check.toString());
        assertEquals("FAIL", low.path("verdict").asText(), low.path("reasons").toString());
        // 55 % viable: with the threshold at the dim dead peak it would be ~77 %, within reach of 80 %: undecided
        JsonNode near = analyze(Sims.write(out, "v55.fcs", b.viability(0.55).build()));
        assertEquals("INDETERMINATE", near.path("verdict").asText(), near.path("reasons").toString());
        assertTrue(near.path("reasons").get(0).asText().contains("not decided: affected by a gating issue on VIABILITY"),
                near.path("reasons").toString());
        JsonNode nearRanges = near.path("gatingIssues").get(0).path("ranges");
        assertTrue(nearRanges.path("cd3_cd56_pct").has("lowEvents") && nearRanges.path("cd3_pct").has("highEvents"),
                "attributes % of viable carry the range with the viable cells at either end: " + nearRanges);

        // noisier, dim dead cells nearer the live ones (a dim shoulder, viability 60-95 %) and 60 % CD3+: CD3+
        // fails wherever the viability threshold is, so the batch is FAIL, not undecided
        JsonNode cd3Low = analyze(Sims.write(out, "v55-cd3-60.fcs", org.cikqc.sim.SimulationSpec.builder().events(30_000)
                .seed(7).withCd4Cd8(false).deadDim(0.9).deadDimLevel(300).noise(4).viability(0.55).cd3(0.6).cd3cd56(0.3)
                .build()));
        JsonNode viability = check(cd3Low, "viability_pct");
        assertEquals("INDETERMINATE", viability.path("outcome").asText(), viability.toString());
        JsonNode cd3 = check(cd3Low, "cd3_pct");
        assertEquals("FAIL", cd3.path("outcome").asText(), cd3.toString());
        assertTrue(cd3.path("reason").asText().contains("although its gate is uncertain (VIABILITY threshold: "),
                cd3.toString());
        assertTrue(cd3.path("reason").asText().contains(", with the CD3 gate as fitted, it is "), cd3.toString());
        JsonNode r = cd3Low.path("gatingIssues").get(0).path("ranges").path("cd3_pct");
        double v = cd3.path("value").asDouble();
        assertTrue(r.path("low").asDouble() <= v && v <= r.path("high").asDouble() && r.path("high").asDouble() < 65,
                r.toString());
        assertTrue(r.path("lowEvents").asLong() != r.path("highEvents").asLong(), r.toString());
        assertEquals("FAIL", cd3Low.path("verdict").asText(), cd3Low.path("reasons").toString());
        // a dim shoulder's two ends are both readings of the data (dying or live), so they could pass it too; a
        // shallow valley's (the live and the dead peak) only bound the gate
        JsonNode shoulder = cd3Low.path("gatingIssues").get(0);
        assertTrue(shoulder.path("message").asText().contains("dim shoulder"), shoulder.toString());
        assertTrue(shoulder.path("ranges").path("viability_pct").path("bothReadings").asBoolean(), shoulder.toString());
        assertTrue(r.path("bothReadings").asBoolean(), r.toString());
        assertFalse(range.has("bothReadings"), range.toString());
    }

    private static JsonNode check(JsonNode result, String id) {
        for (JsonNode c : result.path("checks")) if (c.path("id").asText().equals(id)) return c;
        throw new AssertionError("no check " + id + " in " + result.path("checks"));
    }

    @Test
    void resultIsByteIdenticalForTheSameInputsAndOptions() {
        Path f = TestData.file("cik-fail-cd3cd56.fcs");
        assertArrayEquals(SampleRunner.resultBytes(f, AnalysisOptions.defaults()),
                SampleRunner.resultBytes(f, AnalysisOptions.defaults()));
    }

    @Test
    void runWritesACompleteSampleFolderAndGateReproducesTheCounts() throws IOException {
        Path f = TestData.file("cik-pass.fcs");
        OutputOptions oo = new OutputOptions(true, true, false, 72, Instant.parse("2026-01-01T00:00:00Z"));
        SampleOutcome o = SampleRunner.run(f, AnalysisOptions.defaults(), oo, out);
        assertEquals("PASS", o.verdict());
        for (String name : List.of("result.json", "gates.xml", "report.pdf", "plots/06-cd3-cd56.png", "plots/02-cells.png",
                "plots/01-acquisition.png", "plots/01-acquisition-signal.png")) {
            assertTrue(Files.isRegularFile(o.directory().resolve(name)), name);
        }
        try (var s = Files.list(out)) {
            assertEquals(1, s.count(), "only the sample folder, no staging left");
        }
        // the fitted strategy is ordinary Gating-ML: `cikqc gate` on the same file reproduces every count
        Path gateOut = out.resolve("gate");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"gate", f.toString(), "--gating-ml", o.directory().resolve("gates.xml").toString(),
                "--out", gateOut.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        List<String> counts = Files.readAllLines(gateOut.resolve("counts.tsv"));
        JsonNode pops = o.result().path("populations");
        Map<String, String> idOfPath = Map.of("/cells/singlets/CD45+/viable", "Viable",
                "/cells/singlets/CD45+/viable/CD3+CD56+", "CD3pos_CD56pos", "/cells/singlets/CD45+/viable/CD3+", "CD3pos");
        int checked = 0;
        for (JsonNode p : pops) {
            String id = idOfPath.get(p.path("path").asText());
            if (id == null) continue;
            String row = counts.stream().filter(l -> l.startsWith(id + "\t")).findFirst().orElseThrow();
            assertEquals(p.path("count").asLong(), Long.parseLong(row.split("\t")[2]), id);
            checked++;
        }
        assertEquals(3, checked);
        // same input again: the folder is replaced, not duplicated
        SampleOutcome again = SampleRunner.run(f, AnalysisOptions.defaults(), oo, out);
        assertEquals(o.directory(), again.directory());
        assertEquals(o.resultSha256(), again.resultSha256());
    }

    @Test
    void recordedOptionsAndInputRoundTrip() throws IOException {
        Path f = TestData.file("cik-few-events.fcs");
        JsonNode r = analyze(f);
        AnalysisOptions o = SampleRunner.recordedOptions(r);
        assertEquals(f.toAbsolutePath().normalize(), SampleRunner.recordedInput(r));
        assertArrayEquals(SampleRunner.resultBytes(f, AnalysisOptions.defaults()), SampleRunner.resultBytes(f, o));
    }
}
