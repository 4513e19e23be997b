package org.cikqc.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.cikqc.common.BuildInfo;
import org.cikqc.common.CikqcException;
import org.cikqc.common.FileStamp;
import org.cikqc.common.Problem;
import org.cikqc.common.Sha256;
import org.cikqc.common.Severity;
import org.cikqc.compensation.Compensator;
import org.cikqc.compensation.SpilloverMatrix;
import org.cikqc.compensation.SpilloverParser;
import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.ValueKind;
import org.cikqc.gating.BatchResult;
import org.cikqc.gating.CompensationMatrix;
import org.cikqc.gating.CompiledStrategy;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.GatingEngine;
import org.cikqc.gating.PopulationCounts;
import org.cikqc.gating.gatingml.GatingMlWriter;
import org.cikqc.qc.ChannelMap;
import org.cikqc.qc.PanelMapper;
import org.cikqc.qc.PanelRole;
import org.cikqc.qc.QcEvaluator;
import org.cikqc.qc.QcInput;
import org.cikqc.qc.QcPopulation;
import org.cikqc.qc.QcResult;
import org.cikqc.qc.QcSpec;
import org.cikqc.qc.ResultJson;

/**
 * The two-pass analysis of one stained sample. Pass 1 streams every event, compensates it and keeps a bounded,
 * seeded sample (and the time range); automated gating fits an ordinary Gating-ML strategy on that sample. Pass 2
 * streams every event through the compiled strategy (each dimension compensated once per batch) and fills the
 * counts and the 2-D/1-D histograms of the plots. Memory is bounded by the batch and the sample, never the file.
 */
public final class AnalysisPipeline {
    private AnalysisPipeline() { }

    /** Reservoir seeds of controls are derived from the main seed so the whole analysis stays reproducible. */
    private static final long CONTROL_SEED_SALT = 0x9E3779B97F4A7C15L;

    /**
     * Analyses {@code file}.
     *
     * @throws CikqcException INVALID_INPUT for an unreadable file, INVALID_SPEC for a panel that cannot be mapped
     */
    public static Analysis analyze(Path file, AnalysisOptions o) {
        QcSpec spec = o.spec();
        List<Problem> problems = new ArrayList<>();
        try (FcsFile fcs = FcsFile.open(file, FcsReadOptions.LENIENT)) {
            // the version analysed: if the file is written while it is read, its SHA-256 and numbers would disagree
            Map<Path, FileStamp> stamps = new LinkedHashMap<>();
            stamps.put(file, FileStamp.opened(file));
            int dsi = chooseDataSet(fcs, o.dataSet(), problems);
            FcsDataSet ds = fcs.dataSet(dsi);
            problems.addAll(0, ds.problems());
            String sha = fcs.sha256();
            ChannelMap map = mapChannels(spec, o.specFile(), ds, o.channels(), file);

            // compensation: an external matrix, else the file's own ("FCS" reference), else none
            Compensation comp = compensation(ds, o, problems, file);

            // pass 1: bounded seeded sample of every parameter
            long seed = o.effectiveSeed();
            int cap = spec.gating().sample().events();
            double[] timeRange = {Double.NaN, Double.NaN};
            int time = map.has(PanelRole.TIME) ? map.require(PanelRole.TIME) : -1;
            Reservoir.Sample sample = sample(fcs, dsi, cap, seed, time, timeRange, problems);
            double[][] raw = sample.values();
            double[][] compd = copy(raw);
            if (comp.compensator != null && raw.length > 0) comp.compensator.apply(compd, compd[0].length);

            // controls
            Map<PanelRole, StrategyFitter.ControlSample> controls = controls(o, ds, comp, map, cap, seed, problems, stamps);

            // automated gating on the sample
            StrategyFitter fitter = new StrategyFitter(spec, map, ds.parameters(), comp.ref, comp.gatingMatrix);
            FittedGates fits = fitter.fit(raw, compd, controls);
            String info = "Fitted by cikqc " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ") on "
                    + file.getFileName() + " (SHA-256 " + sha + ", data set " + dsi + "), spec " + spec.id() + " "
                    + spec.version() + " (SHA-256 " + spec.sha256() + "), sampling seed " + seed + ", "
                    + (raw.length == 0 ? 0 : raw[0].length) + " sampled events; compensation " + comp.describe.get("source")
                    + ". Apply with: cikqc gate " + file.getFileName() + " --gating-ml gates.xml"
                    + (o.compensation() != null ? " --compensation " + o.compensation().getFileName() : "")
                    + (dsi != 0 ? " --dataset " + dsi : "") + " --out DIR";
            byte[] gatingMl = GatingMlWriter.toBytes(fits.strategy(), info);

            // pass 2: every event through the compiled strategy
            CompiledStrategy compiled = GatingEngine.compile(fits.strategy(), ds);
            Plots plots = new Plots(ds, map, fits, compiled, raw, timeRange[1] > timeRange[0] ? timeRange : null);
            try (EventReader r = fcs.events(dsi, ValueKind.SCALE)) {
                EventBatch b;
                while ((b = r.next()) != null) {
                    BatchResult br = compiled.evaluate(b);
                    plots.add(b, br);
                }
            }
            PopulationCounts counts = compiled.counts();
            FileStamp.requireUnchanged(file, stamps.get(file), "");

            // QC evaluation
            QcInput input = qcInput(map, fits, counts, ds.events(), ds, problems, comp.keywordUnusable(),
                    spec.limits().sampleHold());
            QcResult result = QcEvaluator.evaluate(spec, input);
            String lot = lot(o, ds);
            ResultJson.Sample s = new ResultJson.Sample(file.getFileName().toString(), sha, ds.events(), ds.cytometer(),
                    acquisitionDate(ds), lot, input.instrumentQc().map(org.cikqc.qc.InstrumentQc::keywords).orElse(null));
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put(file.toAbsolutePath().normalize().toString(), sha);
            for (Map.Entry<String, Path> c : o.controls().entrySet()) {
                inputs.put(c.getValue().toAbsolutePath().normalize().toString(), fileSha256(c.getValue()));
                // hashed after it was read: the same version, or the record would name bytes not used
                FileStamp read = stamps.get(c.getValue());
                if (read != null) FileStamp.requireUnchanged(c.getValue(), read, "control " + c.getKey());
            }
            if (o.compensation() != null) {
                // the bytes the matrix was parsed from, not the file as it is now
                inputs.put(o.compensation().toAbsolutePath().normalize().toString(), comp.externalSha256());
            }
            if (o.specFile() != null) {
                // the bytes the spec was loaded from (once, for the whole batch), not the file as it is now
                inputs.put(o.specFile().toAbsolutePath().normalize().toString(), o.specFileSha256());
            }
            Map<String, Object> options = o.describe();
            options.put("dataset_used", dsi);
            ResultJson.Provenance prov = ResultJson.Provenance.of(spec, Sha256.hex(gatingMl), seed, options, inputs, map);
            Map<String, Object> gates = fits.diagnostics();
            gates.put("sample_events", raw.length == 0 ? 0 : raw[0].length);
            gates.put("compensation", comp.describe);
            ResultJson.Document doc = new ResultJson.Document(s, result, problems, gates, prov,
                    absoluteCounts(o.beads(), fits, counts, map.has(PanelRole.CD45)));
            byte[] bytes = ResultJson.toBytes(doc);
            String name = SampleNames.of(ds.fileNameKeyword(), file);
            return new Analysis(name, sha, bytes, gatingMl, result, plots.figures(counts), fits.strategy());
        }
    }

    // ------------------------------------------------------------------------------------------------- choices

    /** The data set: as asked, else the last FCS 3.x data set (Beckman LMD: the raw FCS 3.0 set), else the first. */
    static int chooseDataSet(FcsFile fcs, int asked, List<Problem> problems) {
        if (asked >= 0) {
            if (asked >= fcs.dataSets().size()) {
                fcs.dataSet(asked); // names the file and the data sets it has
            }
            return asked;
        }
        int pick = 0;
        for (FcsDataSet d : fcs.dataSets()) if (!d.version().equals("FCS2.0")) pick = d.index();
        if (fcs.dataSets().size() > 1) {
            problems.add(Problem.keyword("DATASET_CHOSEN", Severity.INFO, "$NEXTDATA", "the file has "
                    + fcs.dataSets().size() + " data sets; data set " + pick + " (" + fcs.dataSet(pick).version()
                    + ") was analysed (choose with --dataset N)"));
        }
        return pick;
    }

    /** The channel map; a panel that does not fit names the file and the spec whose aliases it was matched against. */
    private static ChannelMap mapChannels(QcSpec spec, Path specFile, FcsDataSet ds, Map<String, String> overrides,
            Path file) {
        String source = (specFile != null ? "spec " + specFile : "the embedded default spec") + " (" + spec.id() + " "
                + spec.version() + ")";
        try {
            return PanelMapper.map(spec.panel(), ds.parameters(), overrides, source);
        } catch (CikqcException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) throw e;
            throw new CikqcException(e.kind(), file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The compensation in force; {@code keywordUnusable}: the file carries a spillover keyword that could not be
     * used, so its fluorescence is analysed uncompensated; {@code externalSha256}: the hash of the external matrix
     * file's bytes as parsed (null without one).
     */
    private record Compensation(Compensator compensator, String ref, CompensationMatrix gatingMatrix,
                                Map<String, Object> describe, boolean keywordUnusable, String externalSha256) { }

    private static Compensation compensation(FcsDataSet ds, AnalysisOptions o, List<Problem> problems, Path file) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (o.compensation() != null) {
            SpilloverParser.CsvMatrix read = SpilloverParser.readCsv(o.compensation());
            SpilloverMatrix m = read.matrix();
            Compensator c = Compensator.squareOf(m, ds.parameters(), o.compensation().getFileName().toString());
            String id = "ExternalSpillover";
            CompensationMatrix cm = new CompensationMatrix(id, m.sources(), m.detectors(), m.values(), false);
            d.put("source", "external " + o.compensation().getFileName());
            d.put("detectors", m.detectors());
            return new Compensation(c, id, cm, d, false, read.sha256());
        }
        Optional<SpilloverMatrix> m = SpilloverParser.fromKeywords(ds.keywords(), ds.parameters(), problems);
        if (m.isPresent()) {
            d.put("source", m.get().origin());
            d.put("detectors", m.get().detectors());
            return new Compensation(Compensator.of(m.get(), ds.parameters()), Dimension.FCS, null, d, false, null);
        }
        problems.add(Problem.keyword("NO_SPILLOVER", Severity.WARNING, "$SPILLOVER",
                "the file has no usable spillover matrix: fluorescence is analysed uncompensated (give one with --compensation)"));
        d.put("source", "none (uncompensated)");
        return new Compensation(null, Dimension.FCS, null, d,
                org.cikqc.compensation.SpilloverParser.hasMatrixKeyword(ds.keywords()), null);
    }

    /**
     * Pass 1: a bounded seeded sample of every parameter and, when {@code time} ≥ 0, the exact range of that
     * (Time) column over all events ({@code timeRange} receives the min and max of its finite values; both NaN when
     * there is none). The defects met in the DATA ({@link EventReader#problems()}) are added to {@code problems}.
     */
    private static Reservoir.Sample sample(FcsFile fcs, int dsi, int cap, long seed, int time, double[] timeRange,
                                           List<Problem> problems) {
        FcsDataSet ds = fcs.dataSet(dsi);
        int np = ds.parameters().size();
        int[] all = new int[np];
        for (int i = 0; i < np; i++) all[i] = i;
        Reservoir res = new Reservoir((int) Math.max(1, Math.min(cap, Math.max(1, ds.events()))), all, seed);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        try (EventReader r = fcs.events(dsi, ValueKind.SCALE)) {
            EventBatch b;
            while ((b = r.next()) != null) {
                res.offer(b.columns(), b.size(), b.firstEvent());
                if (time >= 0) {
                    double[] t = b.column(time);
                    for (int i = 0; i < b.size(); i++) {
                        double v = t[i];
                        if (!Double.isFinite(v)) continue;
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            problems.addAll(r.problems());
        }
        timeRange[0] = Double.isFinite(lo) ? lo : Double.NaN;
        timeRange[1] = Double.isFinite(hi) ? hi : Double.NaN;
        return res.finish();
    }

    /** Control samples in the stained sample's parameter order, compensated with the same matrix. */
    private static Map<PanelRole, StrategyFitter.ControlSample> controls(AnalysisOptions o, FcsDataSet main,
            Compensation comp, ChannelMap map, int cap, long seed, List<Problem> problems, Map<Path, FileStamp> stamps) {
        Map<PanelRole, StrategyFitter.ControlSample> out = new EnumMap<>(PanelRole.class);
        List<PanelRole> markers = List.of(PanelRole.CD45, PanelRole.VIABILITY, PanelRole.CD3, PanelRole.CD56,
                PanelRole.CD4, PanelRole.CD8, PanelRole.CD16);
        Map<PanelRole, String> generic = new EnumMap<>(PanelRole.class);
        for (Map.Entry<String, Path> e : o.controls().entrySet()) {
            String key = e.getKey().strip().toLowerCase(Locale.ROOT);
            List<PanelRole> roles;
            if (key.equals("unstained") || key.equals("isotype")) {
                roles = markers;
            } else if (key.startsWith("fmo-")) {
                String m = key.substring(4);
                PanelRole r = switch (m) {
                    case "cd45" -> PanelRole.CD45;
                    case "cd3" -> PanelRole.CD3;
                    case "cd56" -> PanelRole.CD56;
                    case "cd4" -> PanelRole.CD4;
                    case "cd8" -> PanelRole.CD8;
                    case "cd16" -> PanelRole.CD16;
                    case "viability", "7aad", "7-aad", "live-dead", "livedead" -> PanelRole.VIABILITY;
                    default -> throw CikqcException.spec("--control " + e.getKey() + ": unknown control role (fmo-cd45, "
                            + "fmo-cd3, fmo-cd56, fmo-cd4, fmo-cd8, fmo-cd16, fmo-viability, unstained, isotype)");
                };
                roles = List.of(r);
            } else {
                throw CikqcException.spec("--control " + e.getKey() + ": unknown control role (fmo-<marker>, unstained, isotype)");
            }
            StrategyFitter.ControlSample cs = controlSample(e.getKey(), e.getValue(), main, comp, cap, seed, problems, stamps);
            for (PanelRole r : roles) {
                if (!map.has(r)) continue;
                if (key.startsWith("fmo-")) {
                    out.put(r, cs);
                    generic.remove(r);
                } else if (!out.containsKey(r)) {
                    out.put(r, cs);
                    generic.put(r, key);
                }
            }
        }
        if (!o.controls().isEmpty()) {
            problems.add(Problem.keyword("CONTROLS_USED", Severity.INFO, null, "control thresholds for "
                    + out.keySet() + " from " + o.controls().keySet()));
        }
        return out;
    }

    private static StrategyFitter.ControlSample controlSample(String role, Path file, FcsDataSet main, Compensation comp,
                                                              int cap, long seed, List<Problem> problems,
                                                              Map<Path, FileStamp> stamps) {
        try (FcsFile f = FcsFile.open(file, FcsReadOptions.LENIENT)) {
            stamps.putIfAbsent(file, FileStamp.opened(file));
            int dsi = chooseDataSet(f, -1, new ArrayList<>());
            FcsDataSet ds = f.dataSet(dsi);
            List<Problem> read = new ArrayList<>();
            Reservoir.Sample s = sample(f, dsi, cap, seed ^ CONTROL_SEED_SALT, -1, new double[2], read);
            // a control's corrupt DATA corrupts the thresholds drawn from it: recorded as the sample's own would be
            for (Problem p : read) problems.add(new Problem(p.code(), p.severity(),
                    "control " + role + " (" + file.getFileName() + "): " + p.message(), p.offset(), p.keyword()));
            int np = main.parameters().size();
            int n = s.size();
            double[][] raw = new double[np][n];
            boolean[] missing = new boolean[np];
            int matched = 0;
            for (int i = 0; i < np; i++) {
                int j = ds.parameterIndex(main.parameter(i).name());
                if (j < 0) {
                    // absent from the control: no signal, so no spillover into the channels it has
                    missing[i] = true;
                } else {
                    System.arraycopy(s.values()[j], 0, raw[i], 0, n);
                    matched++;
                }
            }
            if (matched == 0) {
                throw CikqcException.input(file + ": control " + role + " has none of the stained sample's channels");
            }
            double[][] c = copy(raw);
            if (comp.compensator != null && n > 0) comp.compensator.apply(c, n);
            return new StrategyFitter.ControlSample(role, file, raw, c, missing);
        }
    }

    // ----------------------------------------------------------------------------------------------- evaluation

    static QcInput qcInput(ChannelMap map, FittedGates fits, PopulationCounts counts, long total, FcsDataSet ds,
                           List<Problem> problems, boolean spilloverUnusable, QcSpec.SampleHoldLimits hold) {
        QcInput.Builder b = QcInput.builder().markers(map);
        for (Problem p : problems) {
            // a file cut short (fewer events than $TOT, or DATA past the file's end) was read only in part
            if (org.cikqc.fcs.FcsProblems.TRUNCATED_DATA.equals(p.code())) {
                b.integrityIssue("the file is truncated (" + p.message() + ")");
            }
            // NaN or infinite float values: the DATA is corrupt, and those events fall outside every gate
            if (org.cikqc.fcs.FcsProblems.NON_FINITE_VALUE.equals(p.code())) b.integrityIssue(p.message());
        }
        // a spillover keyword is there but cannot be used: the fluorescence was not compensated as acquired
        if (spilloverUnusable) {
            b.integrityIssue("its spillover keyword cannot be used, so fluorescence was analysed uncompensated");
        }
        org.cikqc.qc.InstrumentQc.fromKeywords(ds.keywords()::getTrimmed).ifPresent(b::instrumentQc);
        if (hold != null) {
            org.cikqc.qc.SampleHold.fromKeywords(ds.keywords()::getTrimmed, hold.startKeyword()).ifPresent(b::sampleHold);
        }
        for (PanelRole r : map.roles()) {
            if (!r.isMarker()) continue;
            FcsParameter p = ds.parameter(map.require(r));
            double top = StrategyFitter.scaleTop(p);
            if (Double.isNaN(top)) continue;
            b.scaleTop(r, top);
            String note = scaleNote(p, top);
            if (note != null) b.scaleNote(r, note);
        }
        boolean cd45 = map.has(PanelRole.CD45);
        String qcParent = fits.qcParent();
        long kept = qcParent == null ? total : counts.count(qcParent);
        b.acquisitionRemovedFraction(total == 0 ? 0 : (double) (total - kept) / total);
        b.flowRateChecked(map.has(PanelRole.TIME));
        for (Map.Entry<FittedGates.Pop, QcPopulation> e : FittedGates.reported(cd45)) {
            // the cells' parent is what acquisition QC kept; the beads' what it kept over Time (margin events too)
            put(b, counts, e.getValue(), fits.id(e.getKey()), e.getKey() == FittedGates.Pop.CELLS ? kept : -1);
        }
        for (Map.Entry<PanelRole, Double> t : fits.thresholds().entrySet()) {
            if (fits.fitted(t.getKey())) b.threshold(t.getKey(), t.getValue());
        }
        fits.issues().forEach(b::gatingIssue);
        return b.build();
    }

    /**
     * Null when a channel is on the 18-bit linear scale the default threshold windows are set for (top of scale
     * 262,144, within a factor of 2), else what its scale is; {@code top} is its {@link StrategyFitter#scaleTop}.
     */
    static String scaleNote(FcsParameter p, double top) {
        String t = String.format(java.util.Locale.ROOT, "%,.0f", top);
        if (p.isLog()) {
            return p.name() + " is a " + String.format(java.util.Locale.ROOT, "%.3g", p.logDecades()) + "-decade log channel (" + String.format(
                    java.util.Locale.ROOT, "%,.4g", p.scaleValue(0)) + " to " + t + ")";
        }
        if (top > 262144 / 2.0 && top < 262144 * 2.0) return null;
        return p.name() + "'s scale tops at " + t;
    }

    /** Fewest bead events for absolute counts at all; below {@link #PRECISE_BEAD_EVENTS} they are flagged imprecise. */
    static final long MIN_BEAD_EVENTS = 100;
    /** Bead events for a counting SE of the beads ≤ 3.2 % (ISHAGE-style single-platform counts acquire ≥ 1,000). */
    static final long PRECISE_BEAD_EVENTS = 1_000;

    /**
     * Single-platform absolute counts, or null when not asked for: cells/µL = population events / beads × beads
     * per test / µL of sample (beads: bead events, a doublet cluster's twice), for the reported populations from the leukocytes down, each with a 95 %
     * interval from the Poisson counting error of both counts (relative SE √(1/n + 1/beads), log-normal). Without
     * a bead cluster, or with fewer than {@value #MIN_BEAD_EVENTS} bead events, the counts are null and
     * {@code reason} says why.
     */
    static Map<String, Object> absoluteCounts(AnalysisOptions.BeadCount bc, FittedGates fits, PopulationCounts counts,
                                              boolean cd45) {
        if (bc == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("beadsPerTest", bc.perTest());
        m.put("sampleVolumeUl", bc.sampleMicroliters());
        String beadsId = fits.id(FittedGates.Pop.BEADS);
        long beadEvents = beadsId == null ? 0 : counts.count(beadsId);
        // a bead doublet is two beads
        long beads = 0;
        List<String> boxes = fits.beadBoxes();
        for (int k = 0; k < boxes.size(); k++) {
            beads += counts.count(boxes.get(k)) * fits.beads().clusters().get(k).beadsPerEvent();
        }
        m.put("beadEvents", beadEvents);
        m.put("beads", beads);
        if (beads < MIN_BEAD_EVENTS) {
            m.put("reason", beadsId == null
                    ? "no counting beads were found in the sample (no tight cluster in scatter and fluorescence), so"
                    + " there is nothing to count the cells against"
                    : String.format(Locale.ROOT, "only %,d beads, fewer than %,d: too few to count against",
                    beads, MIN_BEAD_EVENTS));
            m.put("populations", null);
            return m;
        }
        if (beads < PRECISE_BEAD_EVENTS) {
            m.put("reason", String.format(Locale.ROOT, "imprecise: %,d beads, fewer than %,d (bead counting"
                    + " error %.1f %%)", beads, PRECISE_BEAD_EVENTS, 100 / Math.sqrt(beads)));
        }
        double perBeadEvent = bc.perTest() / (double) beads / bc.sampleMicroliters();
        List<Map<String, Object>> pops = new ArrayList<>();
        boolean below = false;
        for (Map.Entry<FittedGates.Pop, QcPopulation> e : FittedGates.reported(cd45)) {
            below |= e.getValue() == QcPopulation.LEUKOCYTES || !cd45 && e.getValue() == QcPopulation.SINGLETS;
            String id = fits.id(e.getKey());
            if (!below || id == null) continue;
            long n = counts.count(id);
            double v = n * perBeadEvent;
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("path", e.getValue().path(cd45));
            x.put("events", n);
            x.put("cellsPerUl", round2(v));
            if (n > 0) {
                double z = 1.959963984540054 * Math.sqrt(1.0 / n + 1.0 / beads);
                x.put("ci95", List.of(round2(v * Math.exp(-z)), round2(v * Math.exp(z))));
            } else {
                x.put("ci95", null);
            }
            pops.add(x);
        }
        m.put("populations", pops);
        return m;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void put(QcInput.Builder b, PopulationCounts counts, QcPopulation p, String id, long parent) {
        if (id == null) return;
        long c = counts.count(id);
        long pc = parent >= 0 ? parent : counts.parentCount(counts.populationIds().indexOf(id));
        b.population(p, c, pc);
    }

    // ------------------------------------------------------------------------------------------------ metadata

    private static String lot(AnalysisOptions o, FcsDataSet ds) {
        if (o.lot() != null && !o.lot().isBlank()) return o.lot().strip();
        for (String k : new String[] {"$LOT", "LOT", "LOT NUMBER", "BATCH", "$BATCH", "BATCH ID", "LOT ID"}) {
            String v = ds.keywords().getTrimmed(k);
            if (v != null) return v;
        }
        return null;
    }

    private static String acquisitionDate(FcsDataSet ds) {
        String date = ds.keywords().getTrimmed("$DATE");
        String btim = ds.keywords().getTrimmed("$BTIM");
        if (date == null) return null;
        return btim == null ? date : date + " " + btim;
    }

    static String fileSha256(Path p) {
        try {
            return Sha256.hex(p);
        } catch (java.io.IOException e) {
            throw CikqcException.inputFailed(p + ": cannot read", e);
        }
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
