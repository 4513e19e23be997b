package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsWriter;
import org.cikqc.fcs.Keywords;
import org.cikqc.fcs.ValueKind;
import org.cikqc.qc.QcSpec;
import org.junit.jupiter.api.BeforeAll;
import org.cikqc.sim.SimulationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The same simulated cells written as other instruments write them: the metrics must not move. Each case rewrites
 * a simulated file (same events, same classes) and compares with the analysis of the original.
 */
class InstrumentVariantsTest {

    @TempDir
    static Path dir;

    private static Path source;
    private static JsonNode reference;

    @BeforeAll
    static void simulate() throws IOException {
        source = Sims.write(dir, "src.fcs", 11, 30_000);
        reference = analyse(source);
    }

    private static JsonNode analyse(Path f) throws IOException {
        return new ObjectMapper().readTree(SampleRunner.resultBytes(f, AnalysisOptions.defaults()));
    }

    /** Per event and parameter, the raw value rewritten; per parameter, its new description. */
    interface Values { double apply(FcsParameter p, double raw); }

    private static Path rewrite(String name, UnaryOperator<FcsParameter> param, Values values,
                                Map<String, String> keywordChanges) throws IOException {
        return rewrite(source, name, param, values, keywordChanges);
    }

    private static Path rewrite(Path source, String name, UnaryOperator<FcsParameter> param, Values values,
                                Map<String, String> keywordChanges) throws IOException {
        return rewriteBatches(source, name, param, (ps, c, n) -> {
            double[][] out = new double[c.length][];
            for (int i = 0; i < c.length; i++) {
                out[i] = new double[n];
                for (int e = 0; e < n; e++) out[i][e] = values.apply(ps.get(i), c[i][e]);
            }
            return out;
        }, keywordChanges);
    }

    /** Per batch of events (columns by parameter, n events), the raw values rewritten. */
    interface Batches { double[][] apply(List<FcsParameter> params, double[][] columns, int n); }

    private static Path rewriteBatches(Path source, String name, UnaryOperator<FcsParameter> param, Batches values,
                                       Map<String, String> keywordChanges) throws IOException {
        Path dst = dir.resolve(name + ".fcs");
        try (FcsFile f = FcsFile.open(source)) {
            FcsDataSet ds = f.dataSet(0);
            Map<String, String> kw = new LinkedHashMap<>();
            for (Keywords.Entry e : ds.keywords().entries()) {
                if (!e.key().toUpperCase(java.util.Locale.ROOT).matches("\\$P\\d+[A-Z]+")) kw.putIfAbsent(e.key(), e.value());
            }
            kw.putAll(keywordChanges);
            List<FcsParameter> ps = new ArrayList<>();
            for (FcsParameter p : ds.parameters()) ps.add(param.apply(p));
            try (FcsWriter w = FcsWriter.create(dst, ps, kw, ds.events());
                 EventReader r = f.events(0, ValueKind.RAW, 0, ds.events())) {
                EventBatch b;
                while ((b = r.next()) != null) w.write(values.apply(ds.parameters(), b.columns(), b.size()), b.size());
            }
        }
        return dst;
    }

    /** The index of the parameter named {@code name} ($PnN). */
    private static int column(List<FcsParameter> ps, String name) {
        for (int i = 0; i < ps.size(); i++) if (ps.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no parameter " + name);
    }

    /** What a CD3+ event's PE (CD56) value gains, from its own CD56 signal and whether that marks it CD56-. */
    interface Cd56Shift { double add(double own, boolean negative); }

    /**
     * The simulated product with the PE (CD56) value of each CD3+ event (FITC-A above 4,000) shifted: its own CD56
     * signal is PE-A less the simulator's 0.15 FITC-to-PE spillover, below 400 for the CD56- T cells.
     */
    private static Path rewriteCd56OfTCells(Path source, String name, Cd56Shift shift) throws IOException {
        return rewriteBatches(source, name, p -> p, (ps, c, n) -> {
            int fitc = column(ps, "FITC-A");
            int pe = column(ps, "PE-A");
            double[][] out = copyOf(c);
            for (int e = 0; e < n; e++) {
                if (c[fitc][e] <= 4_000) continue; // CD3- events are left as they are
                double own = c[pe][e] - 0.15 * c[fitc][e];
                out[pe][e] += shift.add(own, own < 400);
            }
            return out;
        }, Map.of());
    }

    private static void assertSameMetrics(JsonNode r, double tolerancePp) {
        assertSameMetrics(reference, r, tolerancePp);
    }

    private static void assertSameMetrics(JsonNode reference, JsonNode r, double tolerancePp) {
        for (String m : List.of("viability_pct", "cd3_pct", "cd3_cd56_pct", "nk_pct")) {
            double want = reference.path("metrics").path(m).path("value").asDouble();
            double got = r.path("metrics").path(m).path("value").asDouble(Double.NaN);
            assertEquals(want, got, tolerancePp, m + ": " + r.path("reasons"));
        }
    }

    private static boolean scatter(FcsParameter p) { return p.name().startsWith("FSC") || p.name().startsWith("SSC"); }

    private static FcsParameter with(FcsParameter p, int bits, double range, char type, double gain, double f1, double f2) {
        return new FcsParameter(p.index(), p.name(), p.marker(), bits, range, type, gain, f1, f2, p.timestep());
    }

    /** SSC-A on a 20-bit scale while FSC-A stays 18-bit: the scatter gate used FSC-A's ceiling for SSC-A too. */
    @Test
    void sscOnALargerScaleThanFscKeepsTheBrightSideScatterCells() throws IOException {
        Path f = rewrite("ssc20", p -> p.name().equals("SSC-A") ? with(p, 32, 1_048_576, 'F', 1, 0, 0) : p,
                (p, v) -> p.name().equals("SSC-A") ? (v >= p.range() - 1 ? 1_048_575 : v * 4) : v, Map.of());
        JsonNode r = analyse(f);
        assertSameMetrics(r, 0.3);
        assertEquals(reference.path("verdict").asText(), r.path("verdict").asText(), r.path("reasons").toString());
    }

    /**
     * 1,024-channel 4-decade log-amplified integer data ($PnE 4,1), as older instruments write them: margins are
     * tested on decoded values, whose ceiling is 10^(4·1023/1024), not $PnR − 1 = 1,023 (which removed every
     * bright event as saturated).
     */
    @Test
    void logAmplifiedChannelsAreNotCutAtPnRMinusOne() throws IOException {
        double top = 262_144;
        Path f = rewrite("log4", p -> p.isTime() ? with(p, 16, 65_536, 'I', 1, 0, 0)
                        : with(p, 16, 1024, 'I', 1, scatter(p) ? 0 : Math.log10(top), scatter(p) ? 0 : 1),
                (p, v) -> {
                    if (p.isTime()) return Math.round(v);
                    if (v >= p.range() - 1) return 1023;
                    if (scatter(p)) return Math.max(0, Math.min(1022, Math.round(v * 1024 / p.range())));
                    return v <= 1 ? 0 : Math.min(1022, Math.round(1024 * Math.log10(v) / Math.log10(top)));
                }, Map.of());
        JsonNode r = analyse(f);
        JsonNode acq = r.path("gates").path("acquisition_qc").path("sample_removed_pct_by_rule");
        assertTrue(acq.path("MARGIN").asDouble() < 2, acq.toString());
        assertSameMetrics(r, 1.0);
    }

    /**
     * 4-decade log-amplified fluorescence (CellQuest, FACSCalibur: $PnE 4,0 on 1,024 channels, values 1 to
     * 10,000), every event at or below the first channel piled up at 1. The thresholds were fitted in an 18-bit
     * logicle, which squeezed the first two decades, negatives and dim positives, into its linear region (CD56
     * thresholds below the channel's floor, CD3+CD56+ off by up to 65 pp); then the pile-up at 1 was read as the
     * negative population. A small product rich in CIK cells (12,000 events, 80 % CD3+CD56+) showed it: every
     * CD3+ cell was counted CD56+.
     */
    @Test
    void fourDecadeLogChannelsGiveTheSameMetrics() throws IOException {
        Path cik = Sims.write(dir, "cik-rich.fcs", 1, 12_000, 0.7, 0.9, 0.8);
        Path f = toFourDecadeLog(cik, "log4decades");
        JsonNode r = analyse(f);
        for (String role : List.of("CD3", "CD56", "VIABILITY")) {
            JsonNode t = r.path("gates").path("thresholds").path(role);
            assertTrue(t.path("threshold").asDouble() > 1, role + " threshold above the channel's floor: " + t);
        }
        // the default windows, rescaled to the 10,000 top of scale, hold the thresholds
        assertTrue(!r.path("gatingIssues").toString().contains("outside window"), r.path("gatingIssues").toString());
        assertSameMetrics(analyse(cik), r, 1.0);
    }

    /** The sample rewritten as CellQuest writes it: fluorescence on 1,024 channels over 4 decades ($PnE 4,0). */
    private static Path toFourDecadeLog(Path source, String name) throws IOException {
        double scale = 1e4 / 262_144;
        return rewrite(source, name, p -> p.isTime() ? with(p, 16, 65_536, 'I', 1, 0, 0)
                        : with(p, 16, 1024, 'I', 1, scatter(p) ? 0 : 4, 0),
                (p, v) -> {
                    if (p.isTime()) return Math.round(v);
                    if (v >= p.range() - 1) return 1023;
                    if (scatter(p)) return Math.max(0, Math.min(1022, Math.round(v * 1024 / p.range())));
                    double s = v * scale;
                    return s <= 1 ? 0 : Math.min(1022, Math.round(1024 * Math.log10(s) / 4));
                }, Map.of());
    }

    /**
     * Log channels compensated in software with strong spillover (FITC into PE 0.28, as an independent simulator's
     * log-amplified product had) on a noisy instrument: compensation spreads the CD56- T cells around 0, many of
     * them below the channel's first value (1). Fitted with that floor and a logicle without a linear zone, the density lost the lower half of
     * the negatives and split the rest at 0 into a peak read as positive: CD3+CD56+ 52 % for a true 17 % there; here
     * 4.4 % against the linear file's 12.3 %. A log channel that compensation has moved below its floor is fitted
     * like a linear one (13.2 %).
     */
    @Test
    void logChannelsCompensatedBelowTheirFloorAreFittedLikeLinearOnes() throws IOException {
        Path lin = Sims.write(dir, "spill28.fcs", SimulationSpec.builder().events(30_000).seed(57).spillover(0.28).noise(4)
                .cd3cd56(0.2).build());
        JsonNode r = analyse(toFourDecadeLog(lin, "spill28-log4"));
        assertSameMetrics(analyse(lin), r, 2.0);
    }

    /**
     * Height-only scatter (a FACSCalibur records no pulse area): FSC-H and SSC-H stand for FSC-A and SSC-A without
     * --channel, and there is no singlet gate (FSC-H is FSC-A's channel), which the reasons say. The analysis
     * stopped with exit 4 before. Here FSC-A is renamed out of the way and SSC-A is written as SSC-H.
     */
    @Test
    void heightOnlyScatterIsAnalysedWithoutChannelOverrides() throws IOException {
        Path f = rewrite("heightOnly", p -> p.name().equals("FSC-A") ? renamed(p, "Pulse-1")
                        : p.name().equals("SSC-A") ? renamed(p, "SSC-H") : p, (p, v) -> v, Map.of());
        JsonNode r = analyse(f);
        JsonNode roles = r.path("provenance").path("channels").path("roles");
        assertEquals("FSC-H", roles.path("FSC_A").path("name").asText(), roles.toString());
        assertEquals("SSC-H", roles.path("SSC_A").path("name").asText(), roles.toString());
        assertTrue(roles.path("FSC_H").isMissingNode(), roles.toString());
        assertTrue(r.path("reasons").toString().contains("scatter is height only"), r.path("reasons").toString());
        assertSameMetrics(r, 3.0); // doublets are no longer excluded
    }

    /**
     * FSC-A and FSC-W without FSC-H, as FACSDiva exports when the height is not recorded (FlowKit's and fcsparser's
     * Diva test files): the singlet gate is fitted on the pseudo-height k·FSC-A/FSC-W. BD computes the width as
     * FSC-A/FSC-H × 65,536, so the pseudo-height is FSC-H times a constant, and the gate, the singlets and the metrics
     * are the FSC-H file's. There was no singlet gate: doublets stayed in (viability and CD3+CD56+ off by 3–5 pp on an
     * independent simulator). The fitted strategy is ordinary Gating-ML (an fratio dimension): {@code cikqc gate}
     * with its gates.xml reproduces the singlet count.
     */
    @Test
    void widthStandsForTheHeightInTheSingletGate() throws IOException {
        int[] ah = new int[2];
        try (FcsFile f = FcsFile.open(source)) {
            ah[0] = f.dataSet(0).parameterIndex("FSC-A");
            ah[1] = f.dataSet(0).parameterIndex("FSC-H");
        }
        Path dst = rewriteBatches(source, "width", p -> p.index() - 1 == ah[1] ? renamed(p, "FSC-W") : p, (ps, c, n) -> {
            double[][] out = new double[c.length][];
            for (int i = 0; i < c.length; i++) out[i] = java.util.Arrays.copyOf(c[i], n);
            for (int e = 0; e < n; e++) {
                double h = c[ah[1]][e];
                out[ah[1]][e] = h > 0 ? Math.min(262_143, c[ah[0]][e] / h * 65_536) : 262_143;
            }
            return out;
        }, Map.of());
        Path outDir = dir.resolve("width-out");
        SampleOutcome o = SampleRunner.run(dst, AnalysisOptions.defaults(),
                new OutputOptions(true, false, false, 72, java.time.Instant.parse("2026-01-01T00:00:00Z")), outDir);
        JsonNode r = o.result();
        JsonNode roles = r.path("provenance").path("channels").path("roles");
        assertEquals("FSC-W", roles.path("FSC_W").path("name").asText(), roles.toString());
        JsonNode singlets = r.path("gates").path("singlets");
        assertTrue(singlets.path("y").asText().contains("of FSC-A, FSC-W"), singlets.toString());
        assertTrue(!r.path("gatingIssues").toString().contains("doublets are not excluded"), r.path("gatingIssues").toString());
        assertSameMetrics(r, 0.1);
        long want = count(reference, "/cells/singlets");
        long got = count(r, "/cells/singlets");
        assertEquals(want, got, want * 0.002, "singlets");
        assertTrue(Files.isRegularFile(o.directory().resolve("plots/03-singlets.png")));

        Path gateOut = dir.resolve("width-gate");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.cikqc.cli.Main.run(new String[] {"gate", dst.toString(), "--gating-ml",
                o.directory().resolve("gates.xml").toString(), "--out", gateOut.toString()},
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));
        assertEquals(0, code, err.toString());
        String row = Files.readAllLines(gateOut.resolve("counts.tsv")).stream().filter(l -> l.startsWith("Singlets\t"))
                .findFirst().orElseThrow();
        assertEquals(got, Long.parseLong(row.split("\t")[2]), row);
    }

    private static long count(JsonNode r, String path) {
        for (JsonNode p : r.path("populations")) if (p.path("path").asText().equals(path)) return p.path("count").asLong();
        throw new AssertionError("no population " + path + " in " + r.path("populations"));
    }

    private static FcsParameter renamed(FcsParameter p, String name) {
        return new FcsParameter(p.index(), name, p.marker(), p.bits(), p.range(), p.datatype(), p.gain(),
                p.logDecades(), p.logOffset(), p.timestep());
    }

    /** $PnG 4 on linear float channels: scale values are raw / 4, and so is the ceiling of the margin check. */
    @Test
    void marginsFollowTheGain() throws IOException {
        Path f = rewrite("gain", p -> p.isTime() ? p : with(p, 32, p.range(), 'F', 4, 0, 0),
                (p, v) -> v, Map.of());
        JsonNode r = analyse(f);
        JsonNode ref = reference.path("gates").path("acquisition_qc").path("sample_removed_pct_by_rule");
        JsonNode acq = r.path("gates").path("acquisition_qc").path("sample_removed_pct_by_rule");
        assertEquals(ref.path("MARGIN").asDouble(), acq.path("MARGIN").asDouble(), 0.05, acq.toString());
        assertSameMetrics(r, 0.3);
    }

    /**
     * A 24-bit scale (Accuri, 0 to 16,777,216): the same cells 64 times brighter in data units. The default spec
     * states its threshold windows for the 18-bit scale (windowsFullScale 262,144) and rescales them to each
     * channel's top of scale, so the thresholds stay inside and the verdict is the 18-bit file's. A spec without
     * windowsFullScale (written before 1.4.0) keeps its windows in data units: the thresholds leave them, and the
     * issue says how to state the scale.
     */
    @Test
    void windowsAreRescaledToTheChannelsTopOfScale() throws IOException {
        Path f = rewrite("bits24", p -> scatter(p) || p.isTime() ? p : with(p, 32, 16_777_216, 'F', 1, 0, 0),
                (p, v) -> scatter(p) || p.isTime() ? v : v * 64, Map.of());
        JsonNode r = analyse(f);
        assertTrue(!r.path("gatingIssues").toString().contains("outside window"), r.path("gatingIssues").toString());
        assertEquals(reference.path("verdict").asText(), r.path("verdict").asText(), r.path("reasons").toString());
        assertSameMetrics(r, 0.3);
        // outside the windows as stated: only the rescaling keeps it in
        double cd3 = r.path("gates").path("thresholds").path("CD3").path("threshold").asDouble();
        assertTrue(cd3 > 20_000, "CD3 threshold " + cd3);

        String text = new String(QcSpec.defaultSpecBytes(), StandardCharsets.UTF_8)
                .replaceFirst("\\s*\"windowsFullScale\": 262144,", "");
        Path specFile = dir.resolve("data-units.json");
        Files.writeString(specFile, text);
        QcSpec dataUnits = QcSpec.load(specFile);
        assertEquals(null, dataUnits.gating().thresholds().windowsFullScale());
        JsonNode u = new ObjectMapper().readTree(SampleRunner.resultBytes(f,
                new AnalysisOptions(dataUnits, specFile, Map.of(), Map.of(), null, -1, null, null)));
        assertEquals("INDETERMINATE", u.path("verdict").asText(), u.path("reasons").toString());
        String issues = u.path("gatingIssues").toString();
        assertTrue(issues.contains("CD3 threshold") && issues.contains("outside window [100, 20000]")
                && issues.contains("scale tops at 16,777,216") && issues.contains("windowsFullScale"), issues);
    }

    /**
     * Time counted in coarse steps (whole seconds, 50 ms ticks): bins are whole numbers of steps — equal bins of
     * 0.25 s held alternately 4, 5 or 6 ticks, or were mostly empty, and were read as a stream of clogs.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.0, 0.05})
    void quantizedTimeIsNotReadAsAStreamOfClogs(double q) throws IOException {
        double step = Double.parseDouble(keyword("$TIMESTEP"));
        Path f = rewrite("time" + q, p -> p, (p, v) -> p.isTime() ? Math.floor(v * step / q) : v,
                Map.of("$TIMESTEP", Double.toString(q)));
        JsonNode r = analyse(f);
        double removed = r.path("gates").path("acquisition_qc").path("sample_removed_pct_by_rule").path("FLOW_RATE").asDouble();
        assertTrue(removed < 10, "flow-rate removal " + removed + " %");
        assertSameMetrics(r, 1.0);
    }

    /**
     * BD FACSDiva's CST record in the file: a setup 3 h before the acquisition leaves the verdict and metrics as
     * they are and keeps the keywords in result.json; one 30 h before makes the run invalid (INDETERMINATE), with
     * the same metrics.
     */
    @Test
    void instrumentQcRecordIsCheckedAgainstTheAcquisitionStart() throws IOException {
        Map<String, String> fresh = new LinkedHashMap<>();
        fresh.put("$DATE", "08-JUN-2010");
        fresh.put("$BTIM", "11:03:31");
        fresh.put("CST SETUP STATUS", "SUCCESS");
        fresh.put("CST SETUP DATE", "06/08/2010 08:03:31 AM");
        fresh.put("CST BEADS LOT ID", "66656");
        JsonNode r = analyse(rewrite("cst-fresh", p -> p, (p, v) -> v, fresh));
        assertEquals(reference.path("verdict").asText(), r.path("verdict").asText(), r.path("reasons").toString());
        assertSameMetrics(r, 0);
        JsonNode check = checkOf(r, "instrument_qc");
        assertEquals("PASS", check.path("outcome").asText(), check.toString());
        assertEquals(3.0, check.path("value").asDouble(), 1e-9);
        assertEquals("SUCCESS", r.path("sample").path("instrumentQc").path("CST SETUP STATUS").asText());
        assertEquals("66656", r.path("sample").path("instrumentQc").path("CST BEADS LOT ID").asText());
        assertEquals("NOT_APPLICABLE", checkOf(reference, "instrument_qc").path("outcome").asText(),
                "the simulator writes no CST record");
        assertTrue(reference.path("sample").path("instrumentQc").isMissingNode());

        Map<String, String> stale = new LinkedHashMap<>(fresh);
        stale.put("CST SETUP DATE", "06/07/2010 05:03:31 AM");
        JsonNode s = analyse(rewrite("cst-stale", p -> p, (p, v) -> v, stale));
        assertEquals("INDETERMINATE", s.path("verdict").asText());
        assertSameMetrics(s, 0);
        JsonNode sc = checkOf(s, "instrument_qc");
        assertEquals("NOT_EVALUABLE", sc.path("outcome").asText(), sc.toString());
        assertTrue(s.path("reasons").toString().contains("the CST setup ran 30.0 h before the acquisition"),
                s.path("reasons").toString());
    }

    /**
     * A spec with a sample hold time (limits.sampleHold: the site's THAW TIME keyword, at most 60 min): a sample
     * acquired 45 min after thawing keeps its verdict and metrics, with the check in result.json and the dossier
     * (minutes); 75 min makes the run invalid (INDETERMINATE); without the keyword the run is not evaluable either.
     */
    @Test
    void sampleHoldTimeIsCheckedAgainstTheAcquisitionStart() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode tree =
                (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(QcSpec.defaultSpecBytes());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("limits")).putObject("sampleHold")
                .put("startKeyword", "THAW TIME").put("maxMinutes", 60);
        Path specFile = dir.resolve("hold-spec.json");
        Files.write(specFile, new ObjectMapper().writeValueAsBytes(tree));
        AnalysisOptions o = new AnalysisOptions(QcSpec.load(specFile), specFile, Map.of(), Map.of(), null, -1, null, null);
        Map<String, String> kw = new LinkedHashMap<>();
        kw.put("$DATE", "20-NOV-2026");
        kw.put("$BTIM", "11:03:30");
        kw.put("THAW TIME", "2026-11-20T10:18:30");
        Path fresh = rewrite("hold-45", p -> p, (p, v) -> v, kw);
        JsonNode r = new ObjectMapper().readTree(SampleRunner.resultBytes(fresh, o));
        assertEquals(reference.path("verdict").asText(), r.path("verdict").asText(), r.path("reasons").toString());
        assertSameMetrics(r, 0);
        JsonNode check = checkOf(r, "sample_hold");
        assertEquals("PASS", check.path("outcome").asText(), check.toString());
        assertEquals(45.0, check.path("value").asDouble(), 1e-9);
        assertEquals("min", check.path("unit").asText());
        // the dossier's acceptance checks give the minutes
        byte[] pdf = org.cikqc.report.PdfDossier.render(r, List.of(),
                org.cikqc.report.PdfDossier.Options.at(java.time.Instant.EPOCH));
        String text;
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
        }
        assertTrue(text.contains("sample_hold ≤ 60 min 45.00 min PASS"), text);

        kw.put("THAW TIME", "2026-11-20T09:48:30");
        JsonNode late = new ObjectMapper().readTree(SampleRunner.resultBytes(rewrite("hold-75", p -> p, (p, v) -> v, kw), o));
        assertEquals("INDETERMINATE", late.path("verdict").asText());
        assertSameMetrics(late, 0);
        assertEquals("NOT_EVALUABLE", checkOf(late, "sample_hold").path("outcome").asText());
        assertTrue(late.path("reasons").toString().contains("the sample was acquired 75 min after THAW TIME"),
                late.path("reasons").toString());

        kw.remove("THAW TIME");
        JsonNode none = new ObjectMapper().readTree(SampleRunner.resultBytes(rewrite("hold-none", p -> p, (p, v) -> v, kw), o));
        assertEquals("INDETERMINATE", none.path("verdict").asText());
        assertEquals("NOT_EVALUABLE", checkOf(none, "sample_hold").path("outcome").asText());
        assertTrue(checkOf(reference, "instrument_qc").isObject());
        assertTrue(reference.path("checks").toString().indexOf("sample_hold") < 0, "no check with the default spec");
    }

    /**
     * The CD56- T cells smeared into a plateau just below the CD56+ ones (as heavy compensation spreading does):
     * CD56 on CD3+ cells shows one peak, the positives'. Its tail threshold counted most of the smeared negatives
     * CD3+CD56+; now the threshold is bounded (the tail, and where the negatives are as dense as the peak's mirror
     * image), CD3+CD56+ is undecided with that range attached, and the value reported is midway.
     */
    @Test
    void cd56NegativesUnresolvedFromTheCd56PositivesBoundCd3Cd56() throws IOException {
        java.util.Random rnd = new java.util.Random(81);
        Path rich = Sims.write(dir, "cik-rich.fcs", 11, 30_000, 0.92, 0.88, 0.58); // most T cells CD56+
        JsonNode before = analyse(rich);
        // CD56+ T cells 4x brighter (median about 8,000), CD56- ones lifted by about 800 and smeared
        Path f = rewriteCd56OfTCells(rich, "cd56-smeared", (own, negative) -> negative
                ? 800 * Math.exp(0.3 * rnd.nextGaussian()) + 1_200 * rnd.nextGaussian() : 3 * own);
        JsonNode r = analyse(f);
        JsonNode t = r.path("gates").path("thresholds").path("CD56");
        assertEquals("density negative_shoulder", t.path("method").asText(), t.toString());
        double want = before.path("metrics").path("cd3_cd56_pct").path("value").asDouble();
        JsonNode range = cd3Cd56Range(r);
        // the tail end counts the smeared negatives (about +20 pp); the other end is within a few points
        double low = range.path("low").asDouble();
        double high = range.path("high").asDouble();
        double value = r.path("metrics").path("cd3_cd56_pct").path("value").asDouble();
        assertTrue(high > want + 15 && low < want + 6 && low < value && value < high,
                "true " + want + " %, measured " + value + " %, range " + range);
        JsonNode check = checkOf(r, "cd3_cd56_pct");
        assertEquals("INDETERMINATE", check.path("outcome").asText(), check.toString());
        assertEquals("PASS", before.path("verdict").asText(), before.path("reasons").toString());
        assertEquals("INDETERMINATE", r.path("verdict").asText(), r.path("reasons").toString());
        // viability and CD3 are untouched
        for (String m : List.of("viability_pct", "cd3_pct")) {
            assertEquals(before.path("metrics").path(m).path("value").asDouble(),
                    r.path("metrics").path(m).path("value").asDouble(), 0.3, m);
        }
        // the CD56 histogram shades where the threshold could be
        assertTrue(cd56Svg(f).contains("plausible " + String.format(java.util.Locale.ROOT, "%,.0f",
                t.path("plausible_range").path(0).asDouble())), "no plausible band in the CD56 figure");
    }

    /** The reference product with {@code k} × {@code from} added to {@code into} (negative: an overstated entry). */
    private static Path withSpillover(String name, String from, String into, double k) throws IOException {
        return rewriteBatches(source, name, p -> p, (ps, c, n) -> {
            int a = column(ps, from);
            int b = column(ps, into);
            double[][] out = copyOf(c);
            for (int e = 0; e < n; e++) out[b][e] += k * c[a][e];
            return out;
        }, Map.of());
    }

    /** The slope of a residual-spillover issue whose level "falls with K of CD3 (slope S; ...": S. */
    private static double fallingSlope(JsonNode issue) {
        String message = issue.path("message").asText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("falls with 0\\.\\d+ of CD3 \\(slope (-0\\.\\d+)")
                .matcher(message);
        assertTrue(m.find(), message);
        return Double.parseDouble(m.group(1));
    }

    /** The gating issue of {@code r} with that subject, which the reference product does not have. */
    private static JsonNode newIssue(JsonNode r, String subject) {
        assertFalse(reference.path("gatingIssues").toString().contains(subject), reference.path("gatingIssues").toString());
        for (JsonNode gi : r.path("gatingIssues")) if (gi.path("subject").asText().equals(subject)) return gi;
        return fail("no " + subject + " issue: " + r.path("gatingIssues"));
    }

    /**
     * Spillover the file's matrix understates (a PE tandem degraded since it was made): every event's PE-A (CD56)
     * gains 6 % of its FITC-A (CD3) beyond the 15 % the $SPILLOVER corrects, so each T cell is lifted in CD56 in
     * proportion to its CD3. The CD56− T cells' level climbing with CD3 is measured, named as a gating issue with
     * the slope, and the reading with it removed comes back to the unmodified product's CD3+CD56+; the unmodified
     * product has no such issue.
     */
    @Test
    void residualSpilloverIntoCd56IsMeasuredAndReadBothWays() throws IOException {
        JsonNode r = analyse(withSpillover("residual-spill", "FITC-A", "PE-A", 0.06));
        JsonNode issue = newIssue(r, "CD56 compensation");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("rises with (0\\.\\d+) of CD3").matcher(issue.path("message").asText());
        assertTrue(m.find(), issue.path("message").asText());
        assertEquals(0.06, Double.parseDouble(m.group(1)), 0.012, issue.path("message").asText());
        double want = reference.path("metrics").path("cd3_cd56_pct").path("value").asDouble();
        JsonNode range = issue.path("ranges").path("cd3_cd56_pct");
        double low = range.path("low").asDouble();
        double high = range.path("high").asDouble();
        assertTrue(Math.abs(low - want) < 3 && high > want + 5, "reference " + want + " %, range " + range);
        // viability and CD3 are untouched
        for (String metric : List.of("viability_pct", "cd3_pct")) {
            assertEquals(reference.path("metrics").path(metric).path("value").asDouble(),
                    r.path("metrics").path(metric).path("value").asDouble(), 0.3, metric);
        }
    }

    /**
     * The opposite error, an overstated FITC → PE entry (over-compensation, which hand-set matrices often have):
     * every event's PE-A loses 8 % of its FITC-A, so each T cell is pushed below 0 in CD56 in proportion to its CD3
     * and the CD56− T cells' spread pulls the CD56 valley up into the dim CD3+CD56+ cells. The CD56− level falling
     * with CD3 is measured (slope −0.08), and the reading with it removed comes back to the unmodified product's
     * CD3+CD56+.
     */
    @Test
    void overstatedSpilloverIntoCd56IsMeasuredAndReadBothWays() throws IOException {
        JsonNode r = analyse(withSpillover("cd56-overcompensated", "FITC-A", "PE-A", -0.08));
        JsonNode issue = newIssue(r, "CD56 compensation");
        assertEquals(-0.08, fallingSlope(issue), 0.016, issue.path("message").asText());
        double want = reference.path("metrics").path("cd3_cd56_pct").path("value").asDouble();
        JsonNode range = issue.path("ranges").path("cd3_cd56_pct");
        assertTrue(Math.abs(range.path("high").asDouble() - want) < 3 || Math.abs(range.path("low").asDouble() - want) < 3,
                "reference " + want + " %, range " + range);
        assertEquals("INDETERMINATE", r.path("verdict").asText(), r.path("reasons").toString());
    }

    /**
     * A matrix entry from FITC (CD3) into the 7-AAD detector overstated: every event's PerCP-Cy5-5-A loses 5 % of
     * its FITC-A, so each live T cell is pushed below the live CD3− cells in proportion to its CD3 and the live peak
     * splits. The live level falling with CD3 is measured among the leukocytes, named as a viability compensation
     * issue with the slope, and the reading with it removed comes back to the unmodified product's viability and
     * CD3+; the unmodified product has no such issue.
     */
    @Test
    void overstatedSpilloverIntoTheViabilityDyeIsMeasuredAndReadBothWays() throws IOException {
        JsonNode r = analyse(withSpillover("dye-overcompensated", "FITC-A", "PerCP-Cy5-5-A", -0.05));
        JsonNode issue = newIssue(r, "VIABILITY compensation");
        assertEquals(-0.05, fallingSlope(issue), 0.01, issue.path("message").asText());
        for (String metric : List.of("viability_pct", "cd3_pct")) {
            double want = reference.path("metrics").path(metric).path("value").asDouble();
            double value = r.path("metrics").path(metric).path("value").asDouble();
            JsonNode range = issue.path("ranges").path(metric);
            double low = range.path("low").asDouble();
            double high = range.path("high").asDouble();
            // one end is the reading as compensated (the value reported), the other the reference
            assertTrue(Math.abs(value - low) < 1e-6 || Math.abs(value - high) < 1e-6, metric + " " + value + " " + range);
            double other = Math.abs(value - low) < 1e-6 ? high : low;
            assertEquals(want, other, 1.0, metric + ": reference " + want + " %, range " + range);
        }
        assertEquals("INDETERMINATE", r.path("verdict").asText(), r.path("reasons").toString());
    }

    /**
     * A product that fails CD3+CD56+ (12 %, limit 20 %) with its CD56- T cells lifted above the negative ceiling (as
     * under-compensation or bright autofluorescent blasts could) and the CD56+ ones spread above them without a
     * peak of their own: CD56 on CD3+ cells shows one peak, the negatives', read as positive, so nearly every T cell
     * counted CD3+CD56+ and the product passed. Now a single CD56 peak read as positive is bounded by its negative
     * reading: CD3+CD56+ is undecided, with a range from below the limit to nearly all CD3+ cells.
     */
    @Test
    void cd56NegativesLiftedAboveTheCeilingWithBrighterPositivesAreNotReadAsAllPositive() throws IOException {
        java.util.Random rnd = new java.util.Random(83);
        Path product = Sims.write(dir, "cik-cd56-low.fcs", 12, 30_000, 0.92, 0.88, 0.12);
        JsonNode before = analyse(product);
        // CD56- T cells lifted to about 2,500, CD56+ ones spread around 3x that
        Path f = rewriteCd56OfTCells(product, "cd56-lifted", (own, negative) -> negative
                ? 2_500 * Math.exp(0.45 * rnd.nextGaussian()) + 300 * rnd.nextGaussian()
                : 7_500 * Math.exp(0.6 * rnd.nextGaussian()) - own);
        JsonNode r = analyse(f);
        JsonNode t = r.path("gates").path("thresholds").path("CD56");
        assertEquals("density single_peak_tail", t.path("method").asText(), t.toString());
        assertTrue(t.path("issues").toString().contains("AMBIGUOUS_SINGLE_PEAK"), t.toString());
        double want = before.path("metrics").path("cd3_cd56_pct").path("value").asDouble();
        double cd3 = r.path("metrics").path("cd3_pct").path("value").asDouble();
        JsonNode range = cd3Cd56Range(r);
        double value = r.path("metrics").path("cd3_cd56_pct").path("value").asDouble();
        // read as positive, nearly every CD3+ cell is counted (a PASS); read as negative, fewer than the truth (the
        // CD56+ cells below the negatives' tail are lost), below the limit
        double low = range.path("low").asDouble();
        assertTrue(value > cd3 - 3 && range.path("high").asDouble() > cd3 - 3 && low < want,
                "true " + want + " %, CD3+ " + cd3 + " %, measured " + value + " %, range " + range);
        assertEquals("FAIL", before.path("verdict").asText(), before.path("reasons").toString());
        assertEquals("INDETERMINATE", checkOf(r, "cd3_cd56_pct").path("outcome").asText());
        assertEquals("INDETERMINATE", r.path("verdict").asText(), r.path("reasons").toString());
        // CD3 is untouched; viability still passes (the lifted PE values, written without their spillover into the
        // viability channel, move it by about a point)
        assertEquals(before.path("metrics").path("cd3_pct").path("value").asDouble(), cd3, 0.3);
        assertEquals("PASS", checkOf(r, "viability_pct").path("outcome").asText());
        assertEquals("PASS", checkOf(r, "cd3_pct").path("outcome").asText());
        // the CD56 histogram shades where the threshold could be
        assertTrue(cd56Svg(f).contains("plausible " + String.format(java.util.Locale.ROOT, "%,.0f",
                t.path("plausible_range").path(0).asDouble())), "no plausible band in the CD56 figure");
    }

    private static String cd56Svg(Path f) throws IOException {
        Analysis a = SampleRunner.analyze(f, AnalysisOptions.defaults());
        for (Analysis.NamedFigure nf : a.figures()) {
            if (nf.name().equals("08-cd56")) return org.cikqc.plot.FigureExport.svg(nf.figure(), 400, 300);
        }
        throw new AssertionError("no CD56 figure");
    }

    /** The CD3+CD56+ range a CD56 threshold issue carries (asserted present). */
    /**
     * Live blasts brighter in the viability channel than the resting cells (autofluorescence grows with size and
     * activation): the larger half of the live cells (FSC-A above about their median) is made 1.8x larger on FSC
     * and gains about 1,500 in PerCP-Cy5-5-A (7-AAD), a peak of its own between the resting cells and the dead
     * ones. The density's first
     * valley counted them dead; read by size (they are larger than the cells below the valley, the dead ones are
     * smaller), they are live, and viability is what it was.
     */
    @Test
    void brighterLargerLiveCellsInTheViabilityChannelAreReadAsLive() throws IOException {
        java.util.Random rnd = new java.util.Random(85);
        Path product = Sims.write(dir, "cik-blasts.fcs", 13, 30_000, 0.92, 0.90, 0.40);
        JsonNode before = analyse(product);
        Path f = rewriteBatches(product, "blasts-bright", p -> p, (ps, c, n) -> {
            int fsc = column(ps, "FSC-A");
            int fscH = column(ps, "FSC-H");
            int dye = column(ps, "PerCP-Cy5-5-A");
            double[][] out = copyOf(c);
            for (int e = 0; e < n; e++) {
                // live (7-AAD below 1,000) and larger than about the live cells' median FSC-A
                if (c[dye][e] < 1_000 && c[fsc][e] > 60_000) {
                    out[fsc][e] = Math.min(c[fsc][e] * 1.8, 262_143);
                    out[fscH][e] = Math.min(c[fscH][e] * 1.8, 262_143);
                    out[dye][e] += 1_500 * Math.exp(0.25 * rnd.nextGaussian());
                }
            }
            return out;
        }, Map.of());
        JsonNode r = analyse(f);
        JsonNode t = r.path("gates").path("thresholds").path("VIABILITY");
        assertEquals("density live_by_size", t.path("method").asText(), t.toString());
        assertTrue(t.path("issues").toString().contains("LIVE_BY_SIZE"), t.toString());
        double want = before.path("metrics").path("viability_pct").path("value").asDouble();
        double got = r.path("metrics").path("viability_pct").path("value").asDouble();
        assertEquals(want, got, 1.5, r.path("reasons").toString());
        assertEquals(before.path("verdict").asText(), r.path("verdict").asText(), r.path("reasons").toString());
        // the evidence, dye against FSC-A, is a figure of its own only when the threshold was read by size
        java.util.function.Function<Path, List<String>> figures = p -> AnalysisPipeline.analyze(p,
                AnalysisOptions.defaults()).figures().stream().map(Analysis.NamedFigure::name).toList();
        assertTrue(figures.apply(f).contains("05-viability-size"));
        assertTrue(!figures.apply(product).contains("05-viability-size"));
    }

    /**
     * An instrument that stores compensated values as unsigned integers (a CyFlow Cube) clips every negative to 0:
     * the dye's viable cells pile up there, a spike the density read as a population of its own.
     */
    @Test
    void negativesClippedToZeroOnIntegerChannelsAreOffScaleLowNotAPopulation() throws IOException {
        Path product = Sims.write(dir, "cube.fcs", org.cikqc.sim.SimulationSpec.builder().events(30_000).seed(17)
                .spillover(0).build());
        JsonNode before = analyse(product);
        Path f = rewrite(product, "cube-clipped", p -> p, (p, raw) -> p.name().equals("PerCP-Cy5-5-A")
                ? Math.max(0, Math.rint(raw - 250)) : raw, Map.of());
        JsonNode r = analyse(f);
        JsonNode t = r.path("gates").path("thresholds").path("VIABILITY");
        assertTrue(t.path("issues").toString().contains("OFF_SCALE_LOW"), t.toString());
        double want = before.path("metrics").path("viability_pct").path("value").asDouble();
        assertEquals(want, r.path("metrics").path("viability_pct").path("value").asDouble(), 0.5, t.toString());
        assertEquals(before.path("verdict").asText(), r.path("verdict").asText(), r.path("reasons").toString());
        assertEquals(Double.NaN, StrategyFitter.offScaleLowPile(new double[] {0, 1, 2, 3}), "one event is no pile-up");
        assertEquals(-5, StrategyFitter.offScaleLowPile(new double[] {-5, -5, 1, 2, Double.NaN}));
    }

    /** Dead cells lose CD45 (about half as bright): the CD45+ gate must keep them, or viability reads high. */
    @Test
    void cd45DimDeadCellsStayInTheViabilityDenominator() throws IOException {
        // without CD45- events (a unimodal CD45, read by its lower tail)
        Path product = Sims.write(dir, "cd45dim.fcs", org.cikqc.sim.SimulationSpec.builder().events(30_000).seed(19)
                .viability(0.75).nonLeukocytes(0).build());
        JsonNode before = analyse(product);
        java.util.Random rnd = new java.util.Random(3);
        Path f = rewriteBatches(product, "cd45dim-dead", p -> p, (ps, c, n) -> {
            int cd45 = column(ps, "V500-A");
            int dye = column(ps, "PerCP-Cy5-5-A");
            double[][] out = copyOf(c);
            for (int e = 0; e < n; e++) {
                if (c[dye][e] > 3_000 && c[cd45][e] > 1_500) out[cd45][e] = c[cd45][e] * 0.4 * Math.exp(0.3 * rnd.nextGaussian());
            }
            return out;
        }, Map.of());
        JsonNode r = analyse(f);
        JsonNode t = r.path("gates").path("thresholds").path("CD45");
        assertTrue(t.path("issues").toString().contains("PEAKS_BY_CEILING: all 2 peaks lie above the negative ceiling"),
                t.toString());
        double want = before.path("metrics").path("viability_pct").path("value").asDouble();
        assertEquals(want, r.path("metrics").path("viability_pct").path("value").asDouble(), 0.6, t.toString());
    }

    /** A few monocytes, lifted above the CD3- lymphocytes into a peak of their own, are CD3-. */
    @Test
    void aCd3NegativePeakBelowTheCeilingAboveTheLymphocytesIsNegative() throws IOException {
        Path product = Sims.write(dir, "mono.fcs", 23, 30_000, 0.9, 0.80, 0.35);
        JsonNode before = analyse(product);
        java.util.Random rnd = new java.util.Random(5);
        Path f = rewriteBatches(product, "mono-cd3", p -> p, (ps, c, n) -> {
            int cd3 = column(ps, "FITC-A");
            double[][] out = copyOf(c);
            for (int e = 0; e < n; e++) {
                // CD3- (raw FITC-A holds CD45's V500 spillover too) and 25 % of them: lifted as monocytes are
                if (c[cd3][e] < 3_000 && rnd.nextDouble() < 0.25) out[cd3][e] += 700 * Math.exp(0.08 * rnd.nextGaussian());
            }
            return out;
        }, Map.of());
        JsonNode r = analyse(f);
        JsonNode t = r.path("gates").path("thresholds").path("CD3");
        assertTrue(t.path("issues").toString().contains("PEAKS_BY_CEILING"), t.toString());
        double want = before.path("metrics").path("cd3_pct").path("value").asDouble();
        assertEquals(want, r.path("metrics").path("cd3_pct").path("value").asDouble(), 0.5, t.toString());
    }

    /**
     * A failing product (CD3+ 74 %) in which half the CD3− cells bind the CD3 antibody (monocytes and NK cells through
     * Fc receptors or a tandem dye) and form a peak of their own above the negative ceiling, far below the CD3+
     * cells: read at the valley above the negatives it would pass (CD3+ about 87 %). The middle peak bounds the CD3
     * threshold up to the valley below the CD3+ cells, so CD3+ is 74-87 % and cannot pass; CD3+CD56+, which passes
     * at both readings, is still decided.
     */
    @Test
    void aCd3PeakOfAntibodyBindingNegativesBetweenTheNegativesAndTheCd3PositivesBoundsTheThreshold() throws IOException {
        Path product = Sims.write(dir, "fc.fcs", 23, 30_000, 0.9, 0.74, 0.30);
        JsonNode before = analyse(product);
        assertEquals("FAIL", checkOf(before, "cd3_pct").path("outcome").asText());
        java.util.Random rnd = new java.util.Random(7);
        // the bound FITC antibody spills into the other detectors as the file's $SPILLOVER says
        Map<String, Double> fitcRow = spillRow(product, "FITC-A");
        Path f = rewriteBatches(product, "fc-cd3", p -> p, (ps, c, n) -> {
            int cd3 = column(ps, "FITC-A");
            double[][] out = copyOf(c);
            for (int e = 0; e < n; e++) {
                if (c[cd3][e] < 3_000 && rnd.nextDouble() < 0.5) addDye(out, ps, e, fitcRow, 2_500 * Math.exp(0.1 * rnd.nextGaussian()));
            }
            return out;
        }, Map.of());
        JsonNode r = analyse(f);
        JsonNode t = r.path("gates").path("thresholds").path("CD3");
        assertTrue(t.path("issues").toString().contains("MIDDLE_PEAK"), t.toString());
        JsonNode range = null;
        for (JsonNode gi : r.path("gatingIssues")) {
            if (gi.path("subject").asText().equals("CD3 threshold")) range = gi.path("ranges");
        }
        assertNotNull(range, r.path("gatingIssues").toString());
        double truth = before.path("metrics").path("cd3_pct").path("value").asDouble();
        assertEquals(truth, range.path("cd3_pct").path("low").asDouble(), 1.0, range.toString());
        assertTrue(range.path("cd3_pct").path("high").asDouble() > 84, range.toString());
        assertTrue(range.path("cd3_pct").path("bothReadings").asBoolean(), range.toString());
        assertNotEquals("PASS", checkOf(r, "cd3_pct").path("outcome").asText(), checkOf(r, "cd3_pct").toString());
        assertNotEquals("PASS", r.path("verdict").asText());
        JsonNode cik = checkOf(r, "cd3_cd56_pct");
        assertEquals("PASS", cik.path("outcome").asText(), cik.toString());
        assertTrue(cik.path("reason").asText().contains("whichever reading of its gate is right"), cik.toString());

        // a bright minority above the main CD3+ population (γδ T cells carry more CD3) is no such middle peak
        Path gd = rewriteBatches(Sims.write(dir, "gd.fcs", 23, 30_000, 0.9, 0.93, 0.30), "gd-cd3", p -> p,
                (ps, c, n) -> {
                    int cd3 = column(ps, "FITC-A");
                    double[][] out = copyOf(c);
                    for (int e = 0; e < n; e++) {
                        if (c[cd3][e] > 6_000 && rnd.nextDouble() < 0.06) out[cd3][e] *= 6;
                    }
                    return out;
                }, Map.of());
        JsonNode g = analyse(gd);
        JsonNode gt = g.path("gates").path("thresholds").path("CD3");
        assertEquals(3, gt.path("peaks").asInt(), gt.toString());
        assertFalse(gt.path("issues").toString().contains("MIDDLE_PEAK"), gt.toString());
        assertEquals("PASS", checkOf(g, "cd3_pct").path("outcome").asText(), checkOf(g, "cd3_pct").toString());
    }

    /**
     * Middle peaks in both CD3 (antibody-binding CD3− cells) and CD56 (CD56− T cells lifted in PE, as a degraded
     * tandem's uncorrected spillover lifts them): CD3+CD56+ is bounded over both thresholds' ranges at once, the same
     * range on both issues, and decided on it although two issues affect it.
     */
    @Test
    void middlePeaksInCd3AndCd56BoundCd3Cd56TogetherAndDecideIt() throws IOException {
        Path product = Sims.write(dir, "both.fcs", 29, 40_000, 0.9, 0.93, 0.10);
        JsonNode before = analyse(product);
        Map<String, Double> fitc = spillRow(product, "FITC-A");
        Map<String, Double> pe = spillRow(product, "PE-A");
        java.util.Random rnd = new java.util.Random(11);
        Path f = rewriteBatches(product, "both-lifted", p -> p, (ps, c, n) -> {
            int cd3 = column(ps, "FITC-A");
            int cd56 = column(ps, "PE-A");
            double[][] out = copyOf(c);
            for (int e = 0; e < n; e++) {
                if (c[cd3][e] < 3_000 && rnd.nextDouble() < 0.5) {
                    addDye(out, ps, e, fitc, 2_500 * Math.exp(0.1 * rnd.nextGaussian()));
                } else if (c[cd3][e] >= 6_000 && c[cd56][e] < 2_000 && rnd.nextDouble() < 0.15) {
                    addDye(out, ps, e, pe, 1_200 * Math.exp(0.1 * rnd.nextGaussian()));
                }
            }
            return out;
        }, Map.of());
        JsonNode r = analyse(f);
        for (String role : new String[] {"CD3", "CD56"}) {
            JsonNode t = r.path("gates").path("thresholds").path(role);
            assertTrue(t.path("issues").toString().contains("MIDDLE_PEAK"), role + " " + t);
        }
        JsonNode r3 = null;
        JsonNode r56 = null;
        for (JsonNode gi : r.path("gatingIssues")) {
            if (gi.path("subject").asText().equals("CD3 threshold")) r3 = gi.path("ranges").path("cd3_cd56_pct");
            if (gi.path("subject").asText().equals("CD56 threshold")) r56 = gi.path("ranges").path("cd3_cd56_pct");
        }
        assertNotNull(r3, r.path("gatingIssues").toString());
        assertEquals(r3, r56, "one range over both thresholds, on both issues");
        assertTrue(r3.path("bothReadings").asBoolean(), r3.toString());
        assertTrue(r3.path("basis").asText().contains("and the CD56 threshold anywhere from"), r3.toString());
        double truth = before.path("metrics").path("cd3_cd56_pct").path("value").asDouble();
        assertTrue(r3.path("low").asDouble() <= truth + 0.5 && truth - 0.5 <= r3.path("high").asDouble(),
                truth + " " + r3);
        JsonNode cik = checkOf(r, "cd3_cd56_pct");
        assertEquals("FAIL", cik.path("outcome").asText(), cik.toString());
        assertTrue(cik.path("reason").asText().contains("although its gate is uncertain (CD3 threshold: "), cik.toString());
    }

    /** A copy of a batch's columns, to rewrite. */
    private static double[][] copyOf(double[][] c) {
        double[][] out = new double[c.length][];
        for (int i = 0; i < c.length; i++) out[i] = c[i].clone();
        return out;
    }

    /** Adds {@code signal} of a dye to event {@code e} in every detector, as its spillover {@code row} says. */
    private static void addDye(double[][] out, List<FcsParameter> ps, int e, Map<String, Double> row, double signal) {
        for (Map.Entry<String, Double> s : row.entrySet()) out[column(ps, s.getKey())][e] += signal * s.getValue();
    }

    /** The row of the file's $SPILLOVER for one detector: how much of its signal each detector sees. */
    private static Map<String, Double> spillRow(Path product, String detector) throws IOException {
        String[] spill;
        try (FcsFile ff = FcsFile.open(product)) {
            spill = ff.dataSet(0).keywords().get("$SPILLOVER").split(",");
        }
        int k = Integer.parseInt(spill[0].strip());
        Map<String, Double> row = new java.util.HashMap<>();
        int i = java.util.Arrays.asList(spill).subList(1, k + 1).indexOf(detector);
        for (int j = 0; j < k; j++) row.put(spill[1 + j], Double.parseDouble(spill[1 + k + i * k + j]));
        return row;
    }

    private static JsonNode cd3Cd56Range(JsonNode result) {
        for (JsonNode gi : result.path("gatingIssues")) {
            if (gi.path("subject").asText().equals("CD56 threshold") && gi.path("ranges").has("cd3_cd56_pct")) {
                return gi.path("ranges").path("cd3_cd56_pct");
            }
        }
        throw new AssertionError("no CD3+CD56+ range: " + result.path("gatingIssues"));
    }

    private static JsonNode checkOf(JsonNode result, String id) {
        for (JsonNode c : result.path("checks")) if (id.equals(c.path("id").asText())) return c;
        throw new AssertionError("no check " + id + " in " + result.path("checks"));
    }

    private static String keyword(String k) throws IOException {
        try (FcsFile f = FcsFile.open(source)) {
            return f.dataSet(0).keywords().get(k);
        }
    }
}
