package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimulatedFcs;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.SimulationTruth;
import org.cikqc.sim.TruthMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole analysis on simulated products against their truth: viability, %CD3+, %CD3+CD56+ and %NK within
 * 1 percentage point (CD4/CD8 of CD3+ within 1.5) across viability 50–98 %, CD3+CD56+ 5–70 %, spillover 0 and
 * 0.15, 5,000 and 50,000 events. (Spillover 0.3 is measured by {@code scripts/bench-accuracy}: CD3+CD56+ can then
 * be off by up to ~1 pp because dim CD56 cells sink into the spread negatives.)
 */
class PipelineAccuracyTest {

    static final double[][] COMPOSITIONS = {{0.50, 0.05}, {0.70, 0.20}, {0.90, 0.35}, {0.98, 0.70}, {0.80, 0.05},
        {0.95, 0.50}, {0.60, 0.60}};

    @TempDir
    static Path dir;

    static Stream<Arguments> grid() {
        List<Arguments> out = new ArrayList<>();
        long seed = 1;
        for (double spill : new double[] {0, 0.15}) {
            for (int events : new int[] {5_000, 50_000}) {
                for (double[] c : COMPOSITIONS) out.add(Arguments.of(c[0], c[1], spill, events, seed++));
            }
        }
        return out.stream();
    }

    private static JsonNode analyze(SimulationSpec spec, Path f) throws IOException {
        return new ObjectMapper().readTree(SampleRunner.resultBytes(f, AnalysisOptions.defaults()));
    }

    private static double value(JsonNode r, String key) {
        return r.path("metrics").path(key).path("value").asDouble(Double.NaN);
    }

    private static void close(Double truth, double got, double tol, String what) {
        if (truth == null) {
            assertTrue(Double.isNaN(got), what + ": no truth, so no value expected, got " + got);
            return;
        }
        assertEquals(truth, got, tol, what);
    }

    static void assertAccurate(TruthMetrics t, JsonNode r, String what) {
        close(t.viabilityPct(), value(r, "viability_pct"), 1.0, what + " viability");
        close(t.cd3PctOfViable(), value(r, "cd3_pct"), 1.0, what + " CD3+");
        close(t.cd3cd56PctOfViable(), value(r, "cd3_cd56_pct"), 1.0, what + " CD3+CD56+");
        close(t.nkPctOfViable(), value(r, "nk_pct"), 1.0, what + " NK");
        close(t.cd8PctOfCd3(), value(r, "cd8_pct"), 1.5, what + " CD8 of CD3+");
        close(t.cd4PctOfCd3(), value(r, "cd4_pct"), 1.5, what + " CD4 of CD3+");
    }

    @ParameterizedTest(name = "viability {0}, CD3+CD56+ {1}, spillover {2}, {3} events, seed {4}")
    @MethodSource("grid")
    void recoversTheTrueMetrics(double viability, double cd3cd56, double spill, int events, long seed) throws IOException {
        SimulationSpec spec = SimulationSpec.builder().events(events).seed(seed).viability(viability).cd3cd56(cd3cd56)
                .spillover(spill).build();
        Path f = dir.resolve("acc-" + seed + ".fcs");
        SimulationTruth truth = SimulatedFcs.write(new CikSimulator(spec), f);
        assertAccurate(truth.metrics(), analyze(spec, f), spec.toString());
    }

    /**
     * Counting beads (4 % of events, inside the cells gate's scatter region) are bright in 7-AAD and CD45, so
     * without their own gate they were CD45+ dead cells: viability read 3 pp low. They are found as a tight
     * cluster, reported as {@code /beads} (their count is the truth's, to the beads acquisition QC removed), left
     * out of the cells, and the gates file reproduces it.
     */
    @Test
    void countingBeadsAreFoundReportedAndLeftOutOfTheCells() throws IOException {
        SimulationSpec spec = SimulationSpec.builder().events(60_000).seed(21).viability(0.82).beads(0.04).build();
        Path f = dir.resolve("beads.fcs");
        SimulationTruth truth = SimulatedFcs.write(new CikSimulator(spec), f);
        JsonNode r = analyze(spec, f);
        assertAccurate(truth.metrics(), r, "with beads");
        JsonNode beads = r.path("populations").path(0);
        assertEquals("/beads", beads.path("path").asText(), r.path("populations").toString());
        long trueBeads = truth.classCountsKept()[org.cikqc.sim.EventClass.BEAD.ordinal()];
        assertEquals(trueBeads, beads.path("count").asLong(), 0.01 * trueBeads, beads.toString());
        // the beads' parent is what acquisition QC kept over Time, margin events included (beads saturated in a
        // channel are counted)
        assertTrue(beads.path("parentCount").asLong() >= r.path("populations").path(1).path("parentCount").asLong());
        JsonNode g = r.path("gates").path("beads");
        assertTrue(g.path("found").asBoolean(), g.toString());
        assertEquals("Beads", g.path("gate").asText());
        assertEquals(1, g.path("clusters").size());
        assertTrue(g.path("clusters").path(0).path("channels").has("PerCP-Cy5-5-A"), g.toString());
        // the same product without beads: the beads change no metric by more than counting noise
        SimulationSpec none = spec.toBuilder().beads(0).build();
        Path g0 = dir.resolve("nobeads.fcs");
        SimulatedFcs.write(new CikSimulator(none), g0);
        JsonNode r0 = analyze(none, g0);
        assertFalse(r0.path("gates").path("beads").path("found").asBoolean());
        assertEquals("/cells", r0.path("populations").path(0).path("path").asText());
        close(value(r0, "viability_pct"), value(r, "viability_pct"), 1.0, "viability with and without beads");
        assertTrue(r.path("absoluteCounts").isMissingNode(), "no absolute counts unless asked for");

        // absolute counts: 50,000 beads per tube, 50 µL of product; against the truth's cells per bead
        AnalysisOptions abs = new AnalysisOptions(org.cikqc.qc.QcSpec.defaultSpec(), null, Map.of(), Map.of(), null, -1,
                null, null, new AnalysisOptions.BeadCount(50_000, 50));
        JsonNode full = new ObjectMapper().readTree(SampleRunner.resultBytes(f, abs));
        JsonNode a = full.path("absoluteCounts");
        assertEquals(abs.beads(), SampleRunner.recordedOptions(full).beads(), "recorded for verify");
        assertEquals(beads.path("count").asLong(), a.path("beadEvents").asLong());
        assertEquals(a.path("beadEvents").asLong(), a.path("beads").asLong(), "no doublet cluster here");
        assertTrue(a.path("reason").isMissingNode(), a.toString());
        JsonNode cik = null;
        for (JsonNode p : a.path("populations")) if (p.path("path").asText().endsWith("/viable/CD3+CD56+")) cik = p;
        assertTrue(cik != null, a.toString());
        double perUl = cik.path("cellsPerUl").asDouble();
        assertEquals(cik.path("events").asLong() * 50_000.0 / a.path("beads").asLong() / 50, perUl, 0.01);
        long[] kept = truth.classCountsKept();
        double truePerUl = kept[org.cikqc.sim.EventClass.CD3POS_CD56POS.ordinal()] * 50_000.0
                / kept[org.cikqc.sim.EventClass.BEAD.ordinal()] / 50;
        assertEquals(truePerUl, perUl, 0.05 * truePerUl, "CD3+CD56+ cells/µL against the truth");
        assertTrue(cik.path("ci95").path(0).asDouble() < perUl && perUl < cik.path("ci95").path(1).asDouble());
        // without beads there is nothing to count against: said, not guessed
        JsonNode a0 = new ObjectMapper().readTree(SampleRunner.resultBytes(g0, abs)).path("absoluteCounts");
        assertEquals(0, a0.path("beadEvents").asLong());
        assertTrue(a0.path("populations").isNull() && a0.path("reason").asText().contains("no counting beads"), a0.toString());
    }

    /**
     * A clean product without a debris peak on FSC-A: the cells gate falls back to a boundary at a fraction of the
     * cell mode (it used to be put at 4 × the cell mode, which left no cells and made every attribute
     * INDETERMINATE).
     */
    @ParameterizedTest(name = "CD45 in the panel: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void sampleWithoutDebrisPeakKeepsItsCells(boolean withCd45) throws IOException {
        SimulationSpec spec = SimulationSpec.builder().events(40_000).seed(5).debris(0).nonLeukocytes(0)
                .withCd45(withCd45).build();
        Path f = dir.resolve("nodebris-" + withCd45 + ".fcs");
        SimulationTruth truth = SimulatedFcs.write(new CikSimulator(spec), f);
        JsonNode r = analyze(spec, f);
        assertEquals("CELL_MODE_FRACTION", r.path("gates").path("cells").path("method").asText(), r.path("gates").toString());
        assertTrue(r.path("gatingIssues").isEmpty(), r.path("gatingIssues").toString());
        assertEquals("PASS", r.path("verdict").asText(), r.path("reasons").toString());
        assertAccurate(truth.metrics(), r, "no debris");
    }

    /**
     * Without CD45 nothing removes the debris that overlaps the dead cells on FSC-A: among dye-negative events it
     * stands apart from the live cells, and leaves the cells there (see ViableDebris); with CD45 the step is not run.
     */
    @Test
    void aCd56PositivePopulationTheDensityDoesNotResolveMakesCd56MetricsUndecided() throws IOException {
        // three times the usual noise smears the CD3+CD56+ cells into a plateau without a peak of its own: the
        // negative tail threshold would cut through them, so the threshold goes where they are as dense as the
        // negatives (below the tail, the plausible range's other end), and the result must say so rather than pass a
        // number on
        SimulationSpec spec = SimulationSpec.builder().events(5_000).seed(3).noise(3.0).debris(0.3).withCd4Cd8(false)
                .withCd16(false).build();
        Path f = dir.resolve("smeared-cd56.fcs");
        SimulatedFcs.write(new CikSimulator(spec), f);
        JsonNode r = analyze(spec, f);
        JsonNode cd56 = r.path("gates").path("thresholds").path("CD56");
        assertEquals("density positive_shoulder", cd56.path("method").asText(), cd56.toString());
        assertTrue(cd56.path("threshold").asDouble() < cd56.path("plausible_range").path(1).asDouble(), cd56.toString());
        boolean flagged = false;
        for (JsonNode gi : r.path("gatingIssues")) {
            flagged |= gi.path("message").asText().contains("not resolved") && gi.path("affects").toString().contains("cd3_cd56");
        }
        assertTrue(flagged, r.path("gatingIssues").toString());
        assertEquals("INDETERMINATE", r.path("verdict").asText());
    }

    /**
     * CD56 on CD3+ cells with one peak read as negative: the tail threshold is not a measured boundary (on an
     * independent simulator such fits were 13-22 pp below the truth where a dim CD56 continuum merged with the
     * negatives), so CD3+CD56+ is undecided even when, as here, almost no cell is CD56+ (0.2 %): the product is not
     * FAILed on an unresolved gate, a reviewer decides. With 3 % the negatives and the few positives are resolved and
     * it FAILs.
     */
    @Test
    void aCd56DensityWithOnlyANegativePeakLeavesCd3Cd56Undecided() throws IOException {
        SimulationSpec none = SimulationSpec.builder().events(40_000).seed(5).cd3cd56(0.002).build();
        Path f = dir.resolve("no-cd56.fcs");
        SimulationTruth truth = SimulatedFcs.write(new CikSimulator(none), f);
        JsonNode r = analyze(none, f);
        assertEquals("density single_peak_tail", r.path("gates").path("thresholds").path("CD56").path("method").asText());
        JsonNode issue = null;
        for (JsonNode gi : r.path("gatingIssues")) if (gi.path("message").asText().startsWith("CD56 shows one density peak")) issue = gi;
        assertTrue(issue != null, r.path("gatingIssues").toString());
        assertTrue(issue.path("message").asText().contains("read as negative"), issue.toString());
        assertEquals("[\"cd3_cd56_pct\",\"nk_pct\",\"cd3_cd56neg_pct\"]", issue.path("affects").toString());
        assertEquals("INDETERMINATE", r.path("verdict").asText(), r.path("reasons").toString());
        // the number itself is still right, and still reported
        assertEquals(truth.metrics().cd3cd56PctOfViable(), r.path("metrics").path("cd3_cd56_pct").path("value").asDouble(), 0.3);

        SimulationSpec few = SimulationSpec.builder().events(40_000).seed(5).cd3cd56(0.03).build();
        Path g = dir.resolve("few-cd56.fcs");
        SimulatedFcs.write(new CikSimulator(few), g);
        JsonNode s = analyze(few, g);
        assertEquals("density valley", s.path("gates").path("thresholds").path("CD56").path("method").asText());
        assertEquals("FAIL", s.path("verdict").asText(), s.path("reasons").toString());
    }

    @Test
    void panelWithoutCd45ExcludesDyeNegativeDebris() throws IOException {
        SimulationSpec spec = SimulationSpec.builder().events(60_000).seed(7).withCd45(false).debris(0.35)
                .viability(0.7).build();
        Path f = dir.resolve("nocd45-debris.fcs");
        SimulationTruth truth = SimulatedFcs.write(new CikSimulator(spec), f);
        JsonNode r = analyze(spec, f);
        JsonNode d = r.path("gates").path("cells").path("dye_negative_debris");
        assertTrue(d.path("found").asBoolean(), d.toString());
        assertTrue(d.path("debris_events").asInt() > 0, d.toString());
        double cut = d.path("size_cut").asDouble();
        assertTrue(cut > d.path("debris_mode").asDouble() && cut < 0.7 * d.path("live_mode").asDouble(), d.toString());
        assertAccurate(truth.metrics(), r, "no CD45, 35 % debris");

        // with counting beads too, the cells are the scatter gate's events in neither (an AND of complements)
        SimulationSpec beads = spec.toBuilder().beads(0.03).build();
        Path fb = dir.resolve("nocd45-debris-beads.fcs");
        SimulationTruth tb = SimulatedFcs.write(new CikSimulator(beads), fb);
        Analysis a = AnalysisPipeline.analyze(fb, AnalysisOptions.defaults());
        JsonNode rb = new ObjectMapper().readTree(a.resultJson());
        assertTrue(rb.path("gates").path("cells").path("dye_negative_debris").path("found").asBoolean());
        assertTrue(rb.path("gates").path("beads").path("found").asBoolean());
        assertAccurate(tb.metrics(), rb, "no CD45, 35 % debris, 3 % beads");
        org.cikqc.gating.BooleanGate cells = (org.cikqc.gating.BooleanGate) a.strategy().gates().stream()
                .filter(x -> x.id().equals("Cells")).findFirst().orElseThrow();
        assertEquals(org.cikqc.gating.BooleanGate.Operator.AND, cells.operator());
        assertEquals("Scatter", cells.parentId());
        assertEquals(List.of("Beads", "DyeNegDebris"), cells.operands().stream()
                .map(org.cikqc.gating.BooleanGate.Operand::ref).toList());
        assertTrue(cells.operands().stream().allMatch(org.cikqc.gating.BooleanGate.Operand::complement));

        SimulationSpec withCd45 = SimulationSpec.builder().events(30_000).seed(7).debris(0.35).viability(0.7).build();
        Path g = dir.resolve("cd45-debris.fcs");
        SimulatedFcs.write(new CikSimulator(withCd45), g);
        JsonNode dg = analyze(withCd45, g).path("gates").path("cells").path("dye_negative_debris");
        assertFalse(dg.path("found").asBoolean(), "with CD45 the CD45+ gate removes debris without CD45: " + dg);
    }

    /**
     * Debris as a product heavy with it can show it: as large on FSC-A as the dead cells (a third of the live cells'),
     * small on SSC-A (a sixth), a quarter of it with CD45 fragments bright enough for the CD45+ gate and most of
     * those with CD3 fragments, none taking up the dye. Without the size check those fragments counted as viable
     * leukocytes (viability 73.3 % for a true 70.2 % on this product).
     */
    @Test
    void cd45FragmentsOnDebrisThatOverlapsTheDeadCellsLeaveTheCells() throws IOException {
        SimulationSpec spec = SimulationSpec.builder().events(60_000).seed(21).debris(0.35).viability(0.7).build();
        Path clean = dir.resolve("cd45-frag-source.fcs");
        SimulationTruth truth = SimulatedFcs.write(new CikSimulator(spec), clean);
        java.util.Random rnd = new java.util.Random(21);
        int[] fragments = {0};
        Path f = rewriteEvents(clean, "cd45-frag-debris.fcs", (names, row, e) -> {
            if (truth.classOf(e) != org.cikqc.sim.EventClass.DEBRIS) return;
            row[names.indexOf("FSC-A")] = 30_000 * Math.exp(0.5 * rnd.nextGaussian());
            row[names.indexOf("FSC-H")] = 0.85 * row[names.indexOf("FSC-A")] * (1 + 0.05 * rnd.nextGaussian());
            row[names.indexOf("SSC-A")] = 5_000 * Math.exp(0.55 * rnd.nextGaussian());
            row[names.indexOf("PerCP-Cy5-5-A")] = 30 * rnd.nextGaussian(); // no dye
            if (rnd.nextDouble() < 0.25) {
                fragments[0]++;
                row[names.indexOf("V500-A")] += Math.pow(10, 2.5 + rnd.nextDouble());
                if (rnd.nextDouble() < 0.7) row[names.indexOf("FITC-A")] += Math.pow(10, 2.5 + 1.2 * rnd.nextDouble());
            }
        });
        JsonNode r = analyze(spec, f);
        JsonNode d = r.path("gates").path("cells").path("dye_negative_debris");
        assertTrue(d.path("found").asBoolean(), d.toString());
        assertTrue(d.path("size_cut").asDouble() < 0.7 * d.path("live_mode").asDouble(), d.toString());
        assertTrue(fragments[0] > 4_000, "fragments written: " + fragments[0]);
        assertAccurate(truth.metrics(), r, "CD45 fragments on debris beside the dead cells");
        // the dead cells are not taken for debris: they are dye-positive, and as large as live cells on size
        JsonNode source = analyze(spec, clean);
        assertEquals(value(source, "viability_pct"), value(r, "viability_pct"), 0.5);
    }

    /** Per event: the parameter names ($PnN), the event's raw values (changed in place) and its index in the file. */
    interface EventEdit { void apply(List<String> names, double[] row, int event); }

    /** {@code source} with every event passed through {@code edit}, as {@code name} in the test folder. */
    private static Path rewriteEvents(Path source, String name, EventEdit edit) throws IOException {
        Path dst = dir.resolve(name);
        try (org.cikqc.fcs.FcsFile f = org.cikqc.fcs.FcsFile.open(source)) {
            org.cikqc.fcs.FcsDataSet ds = f.dataSet(0);
            Map<String, String> kw = new java.util.LinkedHashMap<>();
            for (org.cikqc.fcs.Keywords.Entry e : ds.keywords().entries()) {
                if (!e.key().toUpperCase(java.util.Locale.ROOT).matches("\\$P\\d+[A-Z]+")) kw.putIfAbsent(e.key(), e.value());
            }
            List<String> names = ds.parameters().stream().map(org.cikqc.fcs.FcsParameter::name).toList();
            try (org.cikqc.fcs.FcsWriter w = org.cikqc.fcs.FcsWriter.create(dst, ds.parameters(), kw, ds.events());
                 org.cikqc.fcs.EventReader rd = f.events(0, org.cikqc.fcs.ValueKind.RAW, 0, ds.events())) {
                org.cikqc.fcs.EventBatch b;
                int first = 0;
                double[] row = new double[names.size()];
                while ((b = rd.next()) != null) {
                    double[][] c = b.columns();
                    double[][] out = new double[c.length][b.size()];
                    for (int e = 0; e < b.size(); e++) {
                        for (int i = 0; i < c.length; i++) row[i] = c[i][e];
                        edit.apply(names, row, first + e);
                        for (int i = 0; i < c.length; i++) out[i][e] = row[i];
                    }
                    w.write(out, b.size());
                    first += b.size();
                }
            }
        }
        return dst;
    }

    @Test
    void panelWithoutCd45OrCd4Cd8ButWithCd16() throws IOException {
        SimulationSpec spec = SimulationSpec.builder().events(30_000).seed(3).withCd45(false).withCd4Cd8(false)
                .withCd16(true).build();
        Path f = dir.resolve("nocd45.fcs");
        SimulationTruth truth = SimulatedFcs.write(new CikSimulator(spec), f);
        JsonNode r = analyze(spec, f);
        assertAccurate(truth.metrics(), r, "no CD45");
        assertTrue(r.path("metrics").path("cd4_pct").isNull(), "no CD4 in the panel: null metric");
        assertTrue(r.path("gates").path("thresholds").has("CD16"));
        assertTrue(!r.path("gates").path("thresholds").has("CD45"));
    }
}
