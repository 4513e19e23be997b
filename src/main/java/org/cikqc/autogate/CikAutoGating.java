package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cikqc.common.CikqcException;

/**
 * The sequential CIK gating strategy of the domain study (§1.5), fitted on one sample: acquisition QC → cells
 * (FSC-A × SSC-A) → singlets (FSC-A × FSC-H) → CD45+ → viable (7-AAD negative) → CD3 → CD56 (on CD3+) → CD8 and
 * CD4 (on CD3+) → CD16 (on CD3−CD56+). Each step is fitted on the events that passed the previous ones, so each
 * threshold sees exactly its parent population. Every step's geometry and diagnostics are in the {@link Fit}; the
 * counts and percentages on the fitted sample are there too (a pipeline recounts all events with the gating
 * engine in its second pass).
 *
 * <p>Fluorescence values must be compensated; margin (saturation) checks use the raw values.
 */
public final class CikAutoGating {
    private CikAutoGating() { }

    /**
     * The sample's columns by $PnN: raw values (all parameters, for margins) and compensated fluorescence values
     * (for thresholds; may be the raw arrays when no spillover applies). Arrays must all have the same length.
     *
     * @param raw         every parameter as acquired
     * @param compensated compensated fluorescence parameters
     */
    public record Sample(Map<String, double[]> raw, Map<String, double[]> compensated) {
        public Sample {
            raw = Map.copyOf(raw);
            compensated = Map.copyOf(compensated);
        }

        /** The compensated column, else the raw one, else null. */
        double[] fluorescence(String name) {
            if (name == null) return null;
            double[] c = compensated.get(name);
            return c != null ? c : raw.get(name);
        }
    }

    /**
     * Which $PnN holds what; a null marker channel means the panel lacks it (steps on it are skipped; without
     * CD45 the viability denominator is the singlets).
     */
    public record Panel(String fscA, String fscH, String sscA, String time, String cd45, String viability, String cd3,
                        String cd56, String cd8, String cd4, String cd16) {
        public Panel {
            Objects.requireNonNull(fscA, "fscA");
            Objects.requireNonNull(fscH, "fscH");
            Objects.requireNonNull(sscA, "sscA");
            Objects.requireNonNull(viability, "viability");
            Objects.requireNonNull(cd3, "cd3");
            Objects.requireNonNull(cd56, "cd56");
        }

        /** The BD FACSDiva names of the default CIK tube (cikqc simulate's channels). */
        public static Panel bdDefault() {
            return new Panel("FSC-A", "FSC-H", "SSC-A", "Time", "V500-A", "PerCP-Cy5-5-A", "FITC-A", "PE-A",
                    "APC-A", "PE-Cy7-A", "APC-Cy7-A");
        }
    }

    /**
     * Options per step. Defaults: the fitters' defaults; CD45 reads a single peak as positive and then puts the
     * threshold 5 robust SDs below it (dead cells are CD45-dim and belong to the viability denominator); 7-AAD
     * reads a single peak as negative.
     */
    public record Options(double range, AcquisitionQc.Options acquisition, ScatterGate.Options scatter,
                          SingletGate.Options singlets, DensityThreshold.Options cd45,
                          DensityThreshold.Options viability, DensityThreshold.Options cd3,
                          DensityThreshold.Options cd56, DensityThreshold.Options subsets) {
        public static Options defaults() {
            DensityThreshold.Options base = DensityThreshold.Options.defaults();
            return new Options(262144, AcquisitionQc.Options.defaults(), ScatterGate.Options.defaults(),
                    SingletGate.Options.defaults(),
                    base.toBuilder().singlePeak(DensityThreshold.PeakRole.POSITIVE).tailSigmas(5).build(),
                    base.toBuilder().singlePeak(DensityThreshold.PeakRole.NEGATIVE).build(),
                    base, base, base);
        }
    }

    /**
     * Event counts on the fitted sample (after each gate) and the resulting percentages (null when a denominator
     * is empty or the marker is absent).
     */
    public record Counts(int events, int keptByAcquisitionQc, int cells, int singlets, int cd45Singlets, int viable,
                         int cd3, int cd3cd56, int nk, int other, int cd8OfCd3, int cd4OfCd3, int cd16OfNk) {

        public Double viabilityPct() { return pct(viable, cd45Singlets); }

        public Double cd3PctOfViable() { return pct(cd3, viable); }

        public Double cd3cd56PctOfViable() { return pct(cd3cd56, viable); }

        public Double nkPctOfViable() { return pct(nk, viable); }

        public Double otherPctOfViable() { return pct(other, viable); }

        public Double cd8PctOfCd3() { return cd8OfCd3 < 0 ? null : pct(cd8OfCd3, cd3); }

        public Double cd4PctOfCd3() { return cd4OfCd3 < 0 ? null : pct(cd4OfCd3, cd3); }

        public Double cd16PctOfNk() { return cd16OfNk < 0 ? null : pct(cd16OfNk, nk); }

        private static Double pct(int k, int n) { return n == 0 ? null : 100.0 * k / n; }
    }

    /** The steps of the strategy, in gating order. */
    public enum Step { ACQUISITION, CELLS, SINGLETS, CD45, VIABILITY, CD3, CD56, CD8, CD4, CD16 }

    /** Population membership bits of {@link Fit#populations()}. */
    public static final int KEPT = 1;
    public static final int CELLS = 2;
    public static final int SINGLET = 4;
    public static final int CD45_POS = 8;
    public static final int VIABLE = 16;
    public static final int CD3_POS = 32;
    public static final int CD56_POS = 64;

    /**
     * Every step's fit, and the membership of each sample event (bits {@link #KEPT} … {@link #CD56_POS}).
     * Steps that could not run (failed parent, absent marker) are null.
     */
    public record Fit(AcquisitionQc.Result acquisition, ScatterGate.Result scatter, SingletGate.Result singlets,
                      DensityThreshold.Result cd45, DensityThreshold.Result viability, DensityThreshold.Result cd3,
                      DensityThreshold.Result cd56, DensityThreshold.Result cd8, DensityThreshold.Result cd4,
                      DensityThreshold.Result cd16, Counts counts, int[] populations) {

        public Fit {
            populations = populations.clone();
        }

        @Override
        public int[] populations() { return populations.clone(); }

        /** The fitted steps in gating order (steps that did not run are left out). */
        public Map<Step, FitResult> steps() {
            Map<Step, FitResult> m = new EnumMap<>(Step.class);
            put(m, Step.ACQUISITION, acquisition);
            put(m, Step.CELLS, scatter);
            put(m, Step.SINGLETS, singlets);
            put(m, Step.CD45, cd45);
            put(m, Step.VIABILITY, viability);
            put(m, Step.CD3, cd3);
            put(m, Step.CD56, cd56);
            put(m, Step.CD8, cd8);
            put(m, Step.CD4, cd4);
            put(m, Step.CD16, cd16);
            return m;
        }

        /** True when any step is flagged or a required step is missing. */
        public boolean flagged() {
            return acquisition == null || scatter == null || singlets == null || viability == null || cd3 == null
                    || cd56 == null || steps().values().stream().anyMatch(FitResult::flagged);
        }

        /** "step: reason" of every flagged step, joined by "; ". */
        public String reason() {
            List<String> r = new ArrayList<>();
            steps().forEach((k, v) -> {
                if (v.flagged()) r.add(k + ": " + v.reason());
            });
            return String.join("; ", r);
        }

        private static void put(Map<Step, FitResult> m, Step k, FitResult v) {
            if (v != null) m.put(k, v);
        }
    }

    /** Fits with the defaults. */
    public static Fit fit(Sample sample, Panel panel) {
        return fit(sample, panel, Options.defaults());
    }

    /**
     * Fits the whole strategy. Data problems (too few events, unimodal markers, NaN) give flagged steps; a required
     * column that is missing or of the wrong length is an INVALID_INPUT {@link CikqcException} (the panel does not
     * match the file).
     */
    public static Fit fit(Sample sample, Panel panel, Options o) {
        double[] fsc = require(sample.raw(), panel.fscA());
        int n = fsc.length;
        double[] fsch = require(sample.raw(), panel.fscH());
        double[] ssc = require(sample.raw(), panel.sscA());
        double[] time = panel.time() == null ? null : sample.raw().get(panel.time());
        List<AcquisitionQc.Channel> qcChannels = new ArrayList<>();
        for (Map.Entry<String, double[]> e : new java.util.TreeMap<>(sample.raw()).entrySet()) {
            if (e.getValue().length != n) throw CikqcException.input("column " + e.getKey() + " has "
                    + e.getValue().length + " values, expected " + n);
            if (e.getKey().equals(panel.time())) continue;
            boolean scatter = e.getKey().equals(panel.fscA()) || e.getKey().equals(panel.fscH())
                    || e.getKey().equals(panel.sscA());
            qcChannels.add(scatter ? AcquisitionQc.Channel.scatter(e.getKey(), e.getValue(), o.range())
                    : AcquisitionQc.Channel.fluorescence(e.getKey(), e.getValue(), o.range()));
        }
        for (Map.Entry<String, double[]> e : sample.compensated().entrySet()) {
            if (e.getValue().length != n) throw CikqcException.input("compensated column " + e.getKey() + " has "
                    + e.getValue().length + " values, expected " + n);
        }
        AcquisitionQc.Result acq = AcquisitionQc.run(time != null ? time : new double[n], qcChannels, o.acquisition());
        int[] pop = new int[n];
        for (int i = 0; i < n; i++) if (!acq.removed(i)) pop[i] = KEPT;

        ScatterGate.Result sg = ScatterGate.fit(select(fsc, pop, KEPT), select(ssc, pop, KEPT), o.scatter());
        if (sg.failed()) return partial(acq, sg, null, pop);
        for (int i = 0; i < n; i++) if ((pop[i] & KEPT) != 0 && sg.contains(fsc[i], ssc[i])) pop[i] |= CELLS;

        SingletGate.Result sl = SingletGate.fit(select(fsc, pop, CELLS), select(fsch, pop, CELLS), o.singlets());
        if (sl.failed()) return partial(acq, sg, sl, pop);
        for (int i = 0; i < n; i++) if ((pop[i] & CELLS) != 0 && sl.contains(fsc[i], fsch[i])) pop[i] |= SINGLET;

        double[] cd45 = sample.fluorescence(panel.cd45());
        DensityThreshold.Result f45 = null;
        if (cd45 != null) {
            f45 = DensityThreshold.fit(select(cd45, pop, SINGLET), o.cd45());
            for (int i = 0; i < n; i++) if ((pop[i] & SINGLET) != 0 && f45.isPositive(cd45[i])) pop[i] |= CD45_POS;
        } else {
            for (int i = 0; i < n; i++) if ((pop[i] & SINGLET) != 0) pop[i] |= CD45_POS;
        }
        double[] via = require(sample::fluorescence, panel.viability(), n);
        DensityThreshold.Result fv = DensityThreshold.fit(select(via, pop, CD45_POS), o.viability());
        for (int i = 0; i < n; i++) {
            if ((pop[i] & CD45_POS) != 0 && !fv.failed() && !fv.isPositive(via[i])) pop[i] |= VIABLE;
        }
        double[] c3 = require(sample::fluorescence, panel.cd3(), n);
        DensityThreshold.Result f3 = DensityThreshold.fit(select(c3, pop, VIABLE), o.cd3());
        for (int i = 0; i < n; i++) if ((pop[i] & VIABLE) != 0 && f3.isPositive(c3[i])) pop[i] |= CD3_POS;
        double[] c56 = require(sample::fluorescence, panel.cd56(), n);
        DensityThreshold.Result f56 = DensityThreshold.fit(select(c56, pop, CD3_POS), o.cd56());
        for (int i = 0; i < n; i++) if ((pop[i] & VIABLE) != 0 && f56.isPositive(c56[i])) pop[i] |= CD56_POS;

        DensityThreshold.Result f8 = subset(sample.fluorescence(panel.cd8()), pop, CD3_POS, o.subsets());
        DensityThreshold.Result f4 = subset(sample.fluorescence(panel.cd4()), pop, CD3_POS, o.subsets());
        double[] c16 = sample.fluorescence(panel.cd16());
        DensityThreshold.Result f16 = null;
        if (c16 != null) {
            int[] nkMask = new int[n];
            for (int i = 0; i < n; i++) {
                boolean nk = (pop[i] & VIABLE) != 0 && (pop[i] & CD3_POS) == 0 && (pop[i] & CD56_POS) != 0;
                nkMask[i] = nk ? 1 : 0;
            }
            f16 = DensityThreshold.fit(select(c16, nkMask, 1), o.subsets());
        }
        Counts counts = count(pop, sample.fluorescence(panel.cd8()), f8, sample.fluorescence(panel.cd4()), f4, c16, f16);
        return new Fit(acq, sg, sl, f45, fv, f3, f56, f8, f4, f16, counts, pop);
    }

    private static DensityThreshold.Result subset(double[] v, int[] pop, int parent, DensityThreshold.Options o) {
        return v == null ? null : DensityThreshold.fit(select(v, pop, parent), o);
    }

    private static Counts count(int[] pop, double[] c8, DensityThreshold.Result f8, double[] c4,
                                DensityThreshold.Result f4, double[] c16, DensityThreshold.Result f16) {
        int kept = 0, cells = 0, singlets = 0, cd45 = 0, viable = 0, cd3 = 0, cik = 0, nk = 0, other = 0;
        int n8 = f8 == null ? -1 : 0;
        int n4 = f4 == null ? -1 : 0;
        int n16 = f16 == null ? -1 : 0;
        for (int i = 0; i < pop.length; i++) {
            int p = pop[i];
            if ((p & KEPT) != 0) kept++;
            if ((p & CELLS) != 0) cells++;
            if ((p & SINGLET) != 0) singlets++;
            if ((p & CD45_POS) != 0) cd45++;
            if ((p & VIABLE) == 0) continue;
            viable++;
            boolean is3 = (p & CD3_POS) != 0;
            boolean is56 = (p & CD56_POS) != 0;
            if (is3) {
                cd3++;
                if (is56) cik++;
                if (f8 != null && f8.isPositive(c8[i])) n8++;
                if (f4 != null && f4.isPositive(c4[i])) n4++;
            } else if (is56) {
                nk++;
                if (f16 != null && f16.isPositive(c16[i])) n16++;
            } else {
                other++;
            }
        }
        return new Counts(pop.length, kept, cells, singlets, cd45, viable, cd3, cik, nk, other, n8, n4, n16);
    }

    private static Fit partial(AcquisitionQc.Result acq, ScatterGate.Result sg, SingletGate.Result sl, int[] pop) {
        Counts c = count(pop, null, null, null, null, null, null);
        return new Fit(acq, sg, sl, null, null, null, null, null, null, null, c, pop);
    }

    /** The values of events whose population bits include {@code bit}. */
    static double[] select(double[] v, int[] pop, int bit) {
        int k = 0;
        for (int p : pop) if ((p & bit) != 0) k++;
        double[] out = new double[k];
        k = 0;
        for (int i = 0; i < v.length; i++) if ((pop[i] & bit) != 0) out[k++] = v[i];
        return out;
    }

    private static double[] require(Map<String, double[]> m, String name) {
        double[] v = m.get(name);
        if (v == null) throw CikqcException.input("the sample has no column " + name);
        return v;
    }

    private static double[] require(java.util.function.Function<String, double[]> f, String name, int n) {
        double[] v = f.apply(name);
        if (v == null) throw CikqcException.input("the sample has no column " + name);
        if (v.length != n) throw CikqcException.input("column " + name + " has " + v.length + " values, expected " + n);
        return v;
    }
}
