package org.cikqc.autogate;

import java.util.ArrayList;
import java.util.List;

import org.cikqc.gating.BooleanGate;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.FcsDimension;
import org.cikqc.gating.Gate;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.PolygonGate;
import org.cikqc.gating.QuadrantGate;
import org.cikqc.gating.RectangleGate;

/**
 * Turns a {@link CikAutoGating.Fit} into an ordinary Gating-ML {@link GatingStrategy}, so that the gating engine
 * (pass 2), Gating-ML export and plots treat automated gates like any others. The gates reproduce the fitted
 * classification exactly: a threshold t means "positive when v &gt; t", written as the half-open Gating-ML range
 * [nextUp(t), +∞) (and negative as (−∞, nextUp(t))); margins keep lower &lt; v &lt; upper.
 *
 * <p>Populations (ids): {@value #NO_MARGIN} (all raw channels inside their margins), {@code TimeExcluded1…k}
 * (the excluded Time intervals), {@value #KEPT} (no margin and in none of them), {@value #CELLS},
 * {@value #SINGLETS}, {@value #CD45} (absent without CD45), {@value #VIABLE}, {@value #CD3}, the quadrants
 * {@value #CD3POS_CD56POS}, {@value #CD3POS_CD56NEG}, {@value #CD3NEG_CD56POS}, {@value #CD3NEG_CD56NEG} (of
 * viable), {@value #CD8} and {@value #CD4} (of CD3+), {@value #CD16} (of CD3−CD56+). Scatter, Time and margins
 * use uncompensated values; fluorescence thresholds use the file's own spillover ({@link Dimension#FCS}). A step
 * that failed is left out together with the steps under it.
 */
public final class GatingExport {
    private GatingExport() { }

    public static final String NO_MARGIN = "NoMargin";
    public static final String KEPT = "Kept";
    public static final String CELLS = "Cells";
    public static final String SINGLETS = "Singlets";
    public static final String CD45 = "CD45pos";
    public static final String VIABLE = "Viable";
    public static final String CD3 = "CD3pos";
    public static final String CD3_CD56 = "CD3xCD56";
    public static final String CD3POS_CD56POS = "CD3pos_CD56pos";
    public static final String CD3POS_CD56NEG = "CD3pos_CD56neg";
    public static final String CD3NEG_CD56POS = "CD3neg_CD56pos";
    public static final String CD3NEG_CD56NEG = "CD3neg_CD56neg";
    public static final String CD8 = "CD8pos";
    public static final String CD4 = "CD4pos";
    public static final String CD16 = "CD16pos";

    /**
     * The strategy for {@code fit}.
     *
     * @param fit       the fitted strategy
     * @param panel     the channel names it was fitted with
     * @param timeScale factor from the Time values the acquisition QC saw to the values the engine evaluates
     *                  (e.g. $TIMESTEP when the QC ran on raw Time and the engine runs on scale values)
     */
    public static GatingStrategy toStrategy(CikAutoGating.Fit fit, CikAutoGating.Panel panel, double timeScale) {
        List<Gate> gates = new ArrayList<>();
        AcquisitionQc.Result acq = fit.acquisition();
        String kept = null;
        if (acq != null && !acq.failed()) {
            List<RectangleGate.Range> ranges = new ArrayList<>();
            for (AcquisitionQc.Channel c : acq.marginLimits()) {
                double lo = Double.isNaN(c.lowerLimit()) ? Double.NEGATIVE_INFINITY : Math.nextUp(c.lowerLimit());
                double hi = Double.isNaN(c.upperLimit()) ? Double.POSITIVE_INFINITY : c.upperLimit();
                ranges.add(new RectangleGate.Range(FcsDimension.of(c.name()), lo, hi));
            }
            List<BooleanGate.Operand> operands = new ArrayList<>();
            if (!ranges.isEmpty()) {
                gates.add(new RectangleGate(NO_MARGIN, null, ranges));
                operands.add(BooleanGate.Operand.of(NO_MARGIN));
            }
            int k = 0;
            for (TimeInterval t : acq.excluded()) {
                String id = "TimeExcluded" + (++k);
                gates.add(new RectangleGate(id, null, List.of(new RectangleGate.Range(FcsDimension.of(panel.time()),
                        t.start() * timeScale, t.end() * timeScale))));
                operands.add(new BooleanGate.Operand(id, true));
            }
            if (operands.size() >= 2) {
                gates.add(new BooleanGate(KEPT, null, BooleanGate.Operator.AND, operands));
                kept = KEPT;
            } else if (operands.size() == 1) {
                BooleanGate.Operand only = operands.get(0);
                if (only.complement()) {
                    gates.add(new BooleanGate(KEPT, null, BooleanGate.Operator.NOT,
                            List.of(BooleanGate.Operand.of(only.ref()))));
                    kept = KEPT;
                } else {
                    kept = only.ref();
                }
            }
        }
        if (fit.scatter() == null || fit.scatter().failed()) return GatingStrategy.of(gates);
        gates.add(polygon(CELLS, kept, fit.scatter().polygon(), panel.fscA(), panel.sscA()));
        if (fit.singlets() == null || fit.singlets().failed()) return GatingStrategy.of(gates);
        gates.add(polygon(SINGLETS, CELLS, fit.singlets().band(), panel.fscA(), panel.fscH()));
        String parent = SINGLETS;
        if (panel.cd45() != null && fit.cd45() != null) {
            if (fit.cd45().failed()) return GatingStrategy.of(gates);
            gates.add(positive(CD45, parent, panel.cd45(), fit.cd45().threshold()));
            parent = CD45;
        }
        if (fit.viability() == null || fit.viability().failed()) return GatingStrategy.of(gates);
        gates.add(new RectangleGate(VIABLE, parent, List.of(new RectangleGate.Range(compensated(panel.viability()),
                Double.NEGATIVE_INFINITY, Math.nextUp(fit.viability().threshold())))));
        if (fit.cd3() == null || fit.cd3().failed()) return GatingStrategy.of(gates);
        gates.add(positive(CD3, VIABLE, panel.cd3(), fit.cd3().threshold()));
        if (fit.cd56() != null && !fit.cd56().failed()) {
            double t3 = Math.nextUp(fit.cd3().threshold());
            double t56 = Math.nextUp(fit.cd56().threshold());
            QuadrantGate.Divider d3 = new QuadrantGate.Divider("CD3div", compensated(panel.cd3()), List.of(t3));
            QuadrantGate.Divider d56 = new QuadrantGate.Divider("CD56div", compensated(panel.cd56()), List.of(t56));
            double neg3 = fit.cd3().threshold();
            double neg56 = fit.cd56().threshold();
            gates.add(new QuadrantGate(CD3_CD56, VIABLE, List.of(d3, d56), List.of(
                    quadrant(CD3POS_CD56POS, t3, t56), quadrant(CD3POS_CD56NEG, t3, neg56),
                    quadrant(CD3NEG_CD56POS, neg3, t56), quadrant(CD3NEG_CD56NEG, neg3, neg56))));
            if (fit.cd16() != null && !fit.cd16().failed() && panel.cd16() != null) {
                gates.add(positive(CD16, CD3NEG_CD56POS, panel.cd16(), fit.cd16().threshold()));
            }
        }
        if (fit.cd8() != null && !fit.cd8().failed() && panel.cd8() != null) {
            gates.add(positive(CD8, CD3, panel.cd8(), fit.cd8().threshold()));
        }
        if (fit.cd4() != null && !fit.cd4().failed() && panel.cd4() != null) {
            gates.add(positive(CD4, CD3, panel.cd4(), fit.cd4().threshold()));
        }
        return GatingStrategy.of(gates);
    }

    private static QuadrantGate.Quadrant quadrant(String id, double at3, double at56) {
        return new QuadrantGate.Quadrant(id, List.of(new QuadrantGate.Position("CD3div", at3),
                new QuadrantGate.Position("CD56div", at56)));
    }

    private static FcsDimension compensated(String name) {
        return new FcsDimension(name, Dimension.FCS, null);
    }

    private static RectangleGate positive(String id, String parent, String channel, double threshold) {
        return new RectangleGate(id, parent, List.of(new RectangleGate.Range(compensated(channel),
                Math.nextUp(threshold), Double.POSITIVE_INFINITY)));
    }

    private static PolygonGate polygon(String id, String parent, Polygon p, String x, String y) {
        List<PolygonGate.Vertex> v = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) v.add(new PolygonGate.Vertex(p.x(i), p.y(i)));
        return new PolygonGate(id, parent, FcsDimension.of(x), FcsDimension.of(y), v);
    }
}
