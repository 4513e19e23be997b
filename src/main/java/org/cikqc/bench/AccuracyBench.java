package org.cikqc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.SampleRunner;
import org.cikqc.qc.Metric;
import org.cikqc.qc.QcSpec;
import org.cikqc.qc.ResultJson;
import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimulatedFcs;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.SimulationTruth;
import org.cikqc.sim.TruthMetrics;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Accuracy benchmark (run by {@code scripts/bench-accuracy}): simulates samples spanning viability 50–98 %,
 * CD3+CD56+ 5–70 %, 5,000–500,000 events, with and without CD45, at several spillover levels; analyses each with
 * the default spec; prints per metric the median and maximum absolute error against the simulator's truth (in
 * percentage points) and the verdict agreement outside the guard band.
 *
 * <p>Usage: {@code AccuracyBench DIR [SAMPLES] [MAX_EVENTS]}.
 */
public final class AccuracyBench {
    private AccuracyBench() { }

    record Row(SimulationSpec spec, TruthMetrics truth, JsonNode result, double seconds) { }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench-data/accuracy");
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int maxEvents = args.length > 2 ? Integer.parseInt(args[2]) : 500_000;
        Files.createDirectories(dir);
        List<SimulationSpec> specs = design(samples, maxEvents);
        List<Row> rows = new ArrayList<>();
        QcSpec qc = QcSpec.defaultSpec();
        AnalysisOptions opts = AnalysisOptions.defaults();
        System.out.printf("cikqc bench-accuracy: %d simulated samples, default spec %s (sha256 %s…)%n", specs.size(),
                qc.id(), qc.sha256().substring(0, 12));
        System.out.printf("%-4s %8s %5s %6s %6s %6s | %7s %7s %7s | %7s %7s %7s | %-13s %s%n", "#", "events", "CD45",
                "spill", "viab", "cik", "viab*", "cd3*", "cik*", "viab", "cd3", "cik", "verdict", "s");
        int i = 0;
        for (SimulationSpec s : specs) {
            i++;
            Path f = dir.resolve(String.format(Locale.ROOT, "acc-%03d.fcs", i));
            SimulationTruth truth = SimulatedFcs.write(new CikSimulator(s), f);
            long t0 = System.nanoTime();
            JsonNode r = ResultJson.parse(SampleRunner.resultBytes(f, opts), f.toString());
            double sec = (System.nanoTime() - t0) / 1e9;
            Files.deleteIfExists(f);
            Row row = new Row(s, truth.metrics(), r, sec);
            rows.add(row);
            TruthMetrics t = truth.metrics();
            System.out.printf(Locale.ROOT, "%-4d %8d %5s %6.2f %6.1f %6.1f | %7.2f %7.2f %7.2f | %7.2f %7.2f %7.2f | %-13s %.1f%n",
                    i, s.events(), s.withCd45() ? "yes" : "no", s.spillover(), 100 * s.viability(), 100 * s.cd3cd56(),
                    nz(t.viabilityPct()), nz(t.cd3PctOfViable()), nz(t.cd3cd56PctOfViable()),
                    value(r, "viability_pct"), value(r, "cd3_pct"), value(r, "cd3_cd56_pct"),
                    r.path("verdict").asText(), sec);
        }
        summary(rows, qc);
    }

    /** A deterministic design covering the ranges the issue names. */
    static List<SimulationSpec> design(int n, int maxEvents) {
        double[] viab = {0.50, 0.62, 0.70, 0.76, 0.79, 0.81, 0.84, 0.88, 0.92, 0.95, 0.98};
        double[] cik = {0.05, 0.12, 0.18, 0.21, 0.25, 0.32, 0.40, 0.50, 0.60, 0.70};
        int[] events = {5_000, 20_000, 50_000, 100_000, 200_000, maxEvents};
        double[] spill = {0.0, 0.08, 0.15, 0.30};
        List<SimulationSpec> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double c = cik[(k * 3) % cik.length];
            // CD3+ must hold CD3+CD56+; NK a few percent
            double cd3 = Math.max(c + 0.05, Math.min(0.97, 0.80 + 0.17 * ((k * 7) % 10) / 9.0));
            if (c > 0.6) cd3 = Math.max(cd3, c + 0.2);
            cd3 = Math.min(0.95, cd3);
            double nk = Math.min(0.02 + 0.01 * (k % 5), 0.99 - cd3);
            SimulationSpec s = SimulationSpec.builder()
                    .events(Math.min(events[(k * 5) % events.length], maxEvents))
                    .seed(1000 + k)
                    .viability(viab[k % viab.length])
                    .cd3(cd3)
                    .cd3cd56(c)
                    .nk(nk)
                    .withCd45(k % 4 != 3)
                    .spillover(spill[(k / 2) % spill.length])
                    .build();
            out.add(s);
        }
        return out;
    }

    private static void summary(List<Row> rows, QcSpec qc) {
        System.out.println();
        System.out.println("| metric | n | median abs error (pp) | max abs error (pp) | sample with max |");
        System.out.println("|---|---|---|---|---|");
        for (Metric metric : Metric.values()) {
            String key = metric.key();
            List<Double> errs = new ArrayList<>();
            int worst = -1;
            double worstErr = -1;
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                Double truth = truth(r.truth(), key);
                double got = value(r.result(), key);
                if (truth == null || Double.isNaN(got)) continue;
                double e = Math.abs(got - truth);
                errs.add(e);
                if (e > worstErr) {
                    worstErr = e;
                    worst = i + 1;
                }
            }
            errs.sort(Double::compare);
            double median = errs.isEmpty() ? Double.NaN : errs.size() % 2 == 1 ? errs.get(errs.size() / 2)
                    : (errs.get(errs.size() / 2 - 1) + errs.get(errs.size() / 2)) / 2;
            System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | #%d |%n", key, errs.size(), median, worstErr, worst);
        }
        // verdict agreement outside the guard band
        int decidable = 0;
        int agree = 0;
        int inBand = 0;
        int indeterminateBand = 0;
        List<String> disagreements = new ArrayList<>();
        double k = qc.limits().guardBandK();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String truthVerdict = trueVerdict(r, qc, k);
            if (truthVerdict == null) {
                inBand++;
                if (r.result().path("verdict").asText().equals("INDETERMINATE")) indeterminateBand++;
                continue;
            }
            decidable++;
            if (truthVerdict.equals(r.result().path("verdict").asText())) {
                agree++;
            } else {
                disagreements.add("#" + (i + 1) + ": truth " + truthVerdict + ", got " + r.result().path("verdict").asText()
                        + " " + r.result().path("reasons"));
            }
        }
        System.out.printf(Locale.ROOT, "%nverdicts: %d of %d right where the truth is outside the guard band (or the run "
                + "is too small); %d samples within a guard band of a limit (%d of them INDETERMINATE)%n", agree, decidable,
                inBand, indeterminateBand);
        disagreements.forEach(d -> System.out.println("  " + d));
        double total = rows.stream().mapToDouble(Row::seconds).sum();
        System.out.printf(Locale.ROOT, "analysis time: %.1f s in all, %.2f s per sample%n", total, total / rows.size());
    }

    /**
     * The verdict a perfect gating would reach: INDETERMINATE for too few events, FAIL/PASS when every limited
     * attribute's truth lies outside its guard band (band computed as the evaluator does, from the true counts);
     * null when some attribute's truth is inside its band (any verdict but the opposite one is acceptable).
     */
    static String trueVerdict(Row r, QcSpec qc, double k) {
        TruthMetrics t = r.truth();
        if (t.cd45Singlets() < qc.limits().events().minSingletLeukocytes() || t.viable() < qc.limits().events().minViable()) {
            return "INDETERMINATE";
        }
        boolean fail = false;
        boolean band = false;
        for (Metric m : new Metric[] {Metric.VIABILITY, Metric.CD3, Metric.CD3_CD56}) {
            QcSpec.AttributeSpec a = qc.limits().attribute(m);
            if (a.reportOnly()) continue;
            Double v = truth(t, m.key());
            long denom = m == Metric.VIABILITY ? t.cd45Singlets() : t.viable();
            double p = v / 100;
            double se = 100 * Math.sqrt(p * (1 - p) / Math.max(1, denom));
            double u = Math.max(se, a.methodCvPct() / 100 * v);
            double limit = a.limit().value();
            if (v - k * u >= limit) continue;
            if (v + k * u < limit) fail = true;
            else band = true;
        }
        if (fail) return "FAIL";
        return band ? null : "PASS";
    }

    static Double truth(TruthMetrics t, String key) {
        return switch (key) {
            case "viability_pct" -> t.viabilityPct();
            case "cd3_pct" -> t.cd3PctOfViable();
            case "cd3_cd56_pct" -> t.cd3cd56PctOfViable();
            case "nk_pct" -> t.nkPctOfViable();
            case "cd3_cd56neg_pct" -> t.cd3Cd56negPctOfViable();
            case "cd4_pct" -> t.cd4PctOfCd3();
            case "cd8_pct" -> t.cd8PctOfCd3();
            default -> null;
        };
    }

    static double value(JsonNode r, String key) {
        JsonNode m = r.path("metrics").path(key);
        return m.isMissingNode() || m.isNull() ? Double.NaN : m.path("value").asDouble(Double.NaN);
    }

    private static double nz(Double d) { return d == null ? Double.NaN : d; }
}
