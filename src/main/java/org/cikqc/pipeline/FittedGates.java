package org.cikqc.pipeline;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.autogate.AcquisitionQc;
import org.cikqc.autogate.ControlThreshold;
import org.cikqc.autogate.CountingBeads;
import org.cikqc.autogate.DensityThreshold;
import org.cikqc.autogate.ScatterGate;
import org.cikqc.autogate.SingletGate;
import org.cikqc.autogate.ViableDebris;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.RatioTransformation;
import org.cikqc.qc.GatingIssue;
import org.cikqc.qc.PanelRole;
import org.cikqc.qc.QcPopulation;
import org.cikqc.transform.Transform;

/**
 * The outcome of automated gating on the pass-1 sample: each fitted geometry with its diagnostics, the issues that
 * make the QC indeterminate, and the ordinary Gating-ML strategy that pass 2 (and {@code cikqc gate}) evaluates.
 *
 * @param strategy    the fitted strategy
 * @param acquisition acquisition QC over Time (null without a TIME channel)
 * @param scatter     cells versus debris
 * @param debris      dye-negative debris below the live cells on FSC-A (panels without CD45; null with CD45)
 * @param beads       counting beads looked for among the events acquisition QC kept (null when not looked for)
 * @param singlets    the singlet band (null without FSC-H or FSC-W)
 * @param singletWidth without FSC-H, the fratio k·FSC-A/FSC-W the singlet band is on (its y); null with FSC-H
 * @param thresholds  per marker role: the fitted threshold in data units
 * @param methods     per marker role: how the threshold was obtained (valley, tail, control percentile …)
 * @param densities   per marker role: the density fit, when one was made
 * @param controls    per marker role: the control-percentile fit, when a control was given
 * @param transforms  per marker role: the display transform chosen from the data
 * @param issues      gating issues for the QC evaluation
 * @param gateIds     population ids of the strategy by role of population (see {@link Pop})
 * @param unfitted    marker roles for which no threshold could be fitted (their divider admits nothing positive)
 */
record FittedGates(GatingStrategy strategy, AcquisitionQc.Result acquisition, ScatterGate.Result scatter,
                   ViableDebris.Result debris, CountingBeads.Result beads, SingletGate.Result singlets, RatioTransformation singletWidth,
                   Map<PanelRole, Double> thresholds, Map<PanelRole, String> methods,
                   Map<PanelRole, DensityThreshold.Result> densities, Map<PanelRole, ControlThreshold.Result> controls,
                   Map<PanelRole, Transform> transforms, List<GatingIssue> issues, Map<Pop, String> gateIds,
                   java.util.Set<PanelRole> unfitted) {

    /** Populations of the CIK strategy. */
    enum Pop {
        ACQUISITION, MARGIN, BEADS, SCATTER, DYE_NEGATIVE_DEBRIS, CELLS, SINGLETS, LEUKOCYTES, VIABLE, CD3_CD56_QUADRANTS, CD3POS_CD56POS, CD3POS_CD56NEG,
        CD3NEG_CD56POS, CD3NEG_CD56NEG, CD3POS, CD4POS, CD8POS, CD16POS
    }

    FittedGates {
        thresholds = new EnumMap<>(thresholds.isEmpty() ? new EnumMap<>(PanelRole.class) : thresholds);
        methods = methods.isEmpty() ? new EnumMap<>(PanelRole.class) : new EnumMap<>(methods);
        issues = List.copyOf(issues);
        gateIds = gateIds.isEmpty() ? new EnumMap<>(Pop.class) : new EnumMap<>(gateIds);
        unfitted = java.util.Set.copyOf(unfitted);
    }

    /**
     * The gate populations result.json reports, each with the QC population (path) it is reported as, in report
     * order; see {@link #reported(boolean)}.
     */
    private static final List<Map.Entry<Pop, QcPopulation>> REPORTED = List.of(
            Map.entry(Pop.BEADS, QcPopulation.BEADS), Map.entry(Pop.CELLS, QcPopulation.CELLS), Map.entry(Pop.SINGLETS, QcPopulation.SINGLETS),
            Map.entry(Pop.LEUKOCYTES, QcPopulation.LEUKOCYTES), Map.entry(Pop.VIABLE, QcPopulation.VIABLE),
            Map.entry(Pop.CD3POS, QcPopulation.CD3_POS), Map.entry(Pop.CD3POS_CD56POS, QcPopulation.CD3_CD56),
            Map.entry(Pop.CD3POS_CD56NEG, QcPopulation.CD3_CD56NEG), Map.entry(Pop.CD3NEG_CD56POS, QcPopulation.NK),
            Map.entry(Pop.CD3NEG_CD56NEG, QcPopulation.DOUBLE_NEG), Map.entry(Pop.CD4POS, QcPopulation.CD4_POS),
            Map.entry(Pop.CD8POS, QcPopulation.CD8_POS), Map.entry(Pop.CD16POS, QcPopulation.NK_CD16));

    /** The reported populations of a panel with or without CD45 ({@link Pop#LEUKOCYTES} only with it). */
    static List<Map.Entry<Pop, QcPopulation>> reported(boolean cd45) {
        return cd45 ? REPORTED : REPORTED.stream().filter(e -> e.getKey() != Pop.LEUKOCYTES).toList();
    }

    /**
     * The path result.json reports population {@code id} under ("/cells/singlets/CD45+/viable"), or null when it
     * reports none. A population that stands for several (singlets are the cells without FSC-H) has the deepest path.
     */
    String reportedPath(String id, boolean cd45) {
        String path = null;
        for (Map.Entry<Pop, QcPopulation> e : reported(cd45)) {
            if (id != null && id.equals(id(e.getKey()))) path = e.getValue().path(cd45);
        }
        return path;
    }

    /** Whether a real threshold was fitted for {@code role}. */
    boolean fitted(PanelRole role) { return thresholds.containsKey(role) && !unfitted.contains(role); }

    /** The population id of {@code p}, or null when the strategy has none. */
    String id(Pop p) { return gateIds.get(p); }

    /**
     * The population kept by acquisition QC: the margin gate when there is one, else the acquisition gate, else null.
     */
    String qcParent() {
        String margin = id(Pop.MARGIN);
        return margin != null ? margin : id(Pop.ACQUISITION);
    }

    /**
     * The gate id of each bead cluster's box, in cluster order ("Beads" for a single cluster, else "Beads1"…); empty
     * without beads.
     */
    List<String> beadBoxes() {
        String id = id(Pop.BEADS);
        return id == null || beads == null ? List.of() : beadBoxes(id, beads.clusters().size());
    }

    /** The box gate ids of {@code clusters} bead clusters whose gate is {@code id}: {@code id} itself for one. */
    static List<String> beadBoxes(String id, int clusters) {
        if (clusters == 1) return List.of(id);
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= clusters; i++) out.add(id + i);
        return out;
    }

    /** Diagnostics as an ordered, JSON-ready map for {@code result.json}'s {@code gates}. */
    Map<String, Object> diagnostics() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (acquisition != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("excluded_intervals", acquisition.excluded().stream().map(t -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("start", t.start());
                x.put("end", t.end());
                x.put("rules", t.rules().stream().map(Enum::name).sorted().toList());
                x.put("detail", t.detail());
                return x;
            }).toList());
            Map<String, Object> byRule = new LinkedHashMap<>();
            for (AcquisitionQc.Rule r : AcquisitionQc.Rule.values()) byRule.put(r.name(), round(acquisition.removedPct(r)));
            a.put("sample_removed_pct_by_rule", byRule);
            // which channels put events at their margins (saturated detector, clipped scatter, non-finite value)
            Map<String, Object> margin = new LinkedHashMap<>();
            long[] mc = acquisition.marginCounts();
            for (int c = 0; c < mc.length; c++) margin.put(acquisition.marginLimits().get(c).name(), mc[c]);
            a.put("sample_margin_events_by_channel", margin);
            a.put("bins", acquisition.bins().size());
            a.put("issues", issueTexts(acquisition.issues()));
            m.put("acquisition_qc", a);
        }
        if (beads != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("found", beads.found());
            b.put("gate", id(Pop.BEADS));
            b.put("sample_events", beads.events());
            b.put("events_searched", beads.eventsUsed());
            b.put("clusters", beads.clusters().stream().map(c -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("sample_events", c.events());
                x.put("beads_per_event", c.beadsPerEvent());
                Map<String, Object> ch = new LinkedHashMap<>();
                for (int k = 0; k < beads.channels().size(); k++) {
                    if (!c.constrains(k)) continue;
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("median", round(c.median()[k]));
                    v.put("robust_cv_pct", round(100 * (Math.pow(10, c.sd()[k]) - 1)));
                    v.put("box", java.util.Arrays.asList(round(c.low()[k]), round(c.high()[k])));
                    ch.put(beads.channels().get(k), v);
                }
                x.put("channels", ch);
                return x;
            }).toList());
            b.put("issues", issueTexts(beads.issues()));
            m.put("beads", b);
        }
        if (scatter != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("method", scatter.method().name());
            s.put("fsc_threshold", round(scatter.fscThreshold()));
            s.put("valley_depth", round(scatter.valleyDepth()));
            s.put("fraction_inside", round(scatter.fractionInside()));
            s.put("polygon_vertices", scatter.polygon() == null ? 0 : scatter.polygon().size());
            s.put("events_used", scatter.eventsUsed());
            s.put("issues", issueTexts(scatter.issues()));
            if (debris != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("found", debris.found());
                d.put("size_cut", round(debris.cut()));
                d.put("debris_events", debris.debris());
                d.put("dye_negative_events_used", debris.used());
                d.put("live_mode", round(debris.mainMode()));
                d.put("live_fsc_median", round(debris.liveFsc()));
                d.put("live_ssc_median", round(debris.liveSsc()));
                d.put("debris_mode", round(debris.debrisMode()));
                d.put("valley", round(debris.valley()));
                d.put("peak_to_valley", round(debris.peakToValley()));
                d.put("issues", issueTexts(debris.issues()));
                s.put("dye_negative_debris", d);
            }
            m.put("cells", s);
        }
        if (singlets != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            if (singletWidth != null) {
                // the band's y is a pseudo-height, not FSC-H
                s.put("y", singletWidth.ratio().describe() + " of " + singletWidth.numerator() + ", "
                        + singletWidth.denominator() + " (pseudo-height; the panel has no FSC-H)");
            }
            s.put("intercept", round(singlets.intercept()));
            s.put("slope", round(singlets.slope()));
            s.put("relative_scale", round(singlets.relativeScale()));
            s.put("band_z", round(singlets.z()));
            s.put("converged", singlets.converged());
            s.put("inlier_fraction", round(singlets.inlierFraction()));
            s.put("fraction_inside", round(singlets.fractionInside()));
            s.put("issues", issueTexts(singlets.issues()));
            m.put("singlets", s);
        }
        Map<String, Object> th = new LinkedHashMap<>();
        for (PanelRole r : PanelRole.values()) {
            if (!thresholds.containsKey(r)) continue;
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("threshold", unfitted.contains(r) ? null : round(thresholds.get(r)));
            t.put("method", methods.get(r));
            Transform tr = transforms.get(r);
            t.put("display_transform", tr == null ? null : tr.describe());
            DensityThreshold.Result d = densities.get(r);
            ControlThreshold.Result c = controls.get(r);
            if (d != null) {
                // with a control, the threshold is the control's: its display value, and the density fit's own
                // threshold and share above it under density_* names
                double used = thresholds.get(r);
                t.put("threshold_transformed", round(c == null ? d.thresholdTransformed()
                        : tr == null || unfitted.contains(r) ? Double.NaN : tr.apply(used)));
                if (c != null) t.put("density_threshold", round(d.threshold()));
                t.put("transform_rule", d.transformRule());
                t.put("bandwidth", round(d.bandwidth()));
                t.put("peaks", d.peaks().size());
                t.put("valley_depth", round(d.valleyDepth()));
                t.put(c == null ? "fraction_above" : "density_fraction_above", round(d.fractionAbove()));
                if (d.hasPlausibleRange()) {
                    // a single positive peak with negatives not resolved from it: where the threshold could be
                    t.put("plausible_range", java.util.Arrays.asList(round(d.plausibleLow()), round(d.plausibleHigh())));
                }
                t.put("events_used", d.eventsUsed());
                t.put("issues", issueTexts(d.issues()));
            }
            if (c != null) {
                t.put("control_percentile", c.percentile());
                t.put("control_events", c.eventsUsed());
                t.put("control_ci95", java.util.Arrays.asList(round(c.lower95()), round(c.upper95())));
                t.put("issues", issueTexts(c.issues()));
            }
            th.put(r.name(), t);
        }
        m.put("thresholds", th);
        return m;
    }

    static List<String> issueTexts(List<org.cikqc.autogate.FitIssue> issues) {
        List<String> out = new ArrayList<>();
        for (org.cikqc.autogate.FitIssue i : issues) out.add(i.severity() + " " + i.code() + ": " + i.message());
        return out;
    }

    static Double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return null;
        return Math.round(v * 1e6) / 1e6;
    }
}
