package org.cikqc.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.cikqc.autogate.AcquisitionQc;
import org.cikqc.autogate.DensityThreshold;
import org.cikqc.autogate.LiveBySize;
import org.cikqc.autogate.Polygon;
import org.cikqc.autogate.TimeInterval;
import org.cikqc.autogate.ViableDebris;
import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.gating.BatchResult;
import org.cikqc.gating.CompiledStrategy;
import org.cikqc.gating.Dimension;
import org.cikqc.gating.FcsDimension;
import org.cikqc.gating.PopulationCounts;
import org.cikqc.plot.AcquisitionPlot;
import org.cikqc.plot.AxisScale;
import org.cikqc.plot.DensityGrid;
import org.cikqc.plot.DensityPlot;
import org.cikqc.plot.Histogram1D;
import org.cikqc.plot.HistogramPlot;
import org.cikqc.plot.Overlay;
import org.cikqc.plot.TracePlot;
import org.cikqc.qc.ChannelMap;
import org.cikqc.qc.PanelRole;
import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.Transform;
import org.cikqc.transform.TransformTable;

/**
 * The figures of one analysis, one per gating step. Their 2-D and 1-D histograms are filled while pass 2 streams
 * (display-space bins; no event list is kept); overlays and percentages are added at the end from the counts.
 */
final class Plots {
    private static final int BINS_2D = 200;
    private static final int BINS_1D = 256;

    private final FcsDataSet ds;
    private final ChannelMap map;
    private final FittedGates fits;
    private final CompiledStrategy compiled;
    private final List<Panel> panels = new ArrayList<>();
    /** The acquisition figures' time axis, null without a time range. */
    private final TimeAxis time;
    /** Events per time bin, in the units of {@link #time}. */
    private final Histogram1D timeHist;
    private double[] bufX = new double[0];
    /** Fluorescence axis ranges already computed from the sample ({@link #displayRange}). */
    private final java.util.Map<RangeKey, double[]> fluorescenceRanges = new java.util.HashMap<>();
    private double[] bufY = new double[0];

    /** One figure being filled: x (and y) values of the events of {@code parent} (null = all events). */
    private final class Panel {
        final String name;
        final String title;
        final String parent;
        final PanelRole xRole;
        final PanelRole yRole;
        final boolean xComp;
        final boolean yComp;
        final AxisScale xs;
        final AxisScale ys;
        final DensityGrid grid;
        final Histogram1D hist;
        final Dimension xDim;
        final Dimension yDim;

        /** @param sample the gated pass-1 sample that sets the axes' ranges, or null */
        Panel(String name, String title, String parent, PanelRole x, boolean xComp, PanelRole y, boolean yComp,
                GatedSample sample) {
            this.name = name;
            this.title = title;
            this.parent = parent;
            this.xRole = x;
            this.yRole = y;
            this.xComp = xComp;
            this.yComp = yComp;
            this.xs = scale(x, xComp);
            this.ys = y == null ? null : scale(y, yComp);
            this.xDim = dim(x, xComp);
            this.yDim = y == null ? null : dim(y, yComp);
            double[] xr = displayRange(x, xComp, xDim, xs, parent, sample);
            if (y == null) {
                this.grid = null;
                this.hist = new Histogram1D(xr[0], xr[1], BINS_1D);
            } else {
                double[] yr = name.equals(SIZE_PANEL) && !yComp ? sizeRange(y, parent, sample)
                        : displayRange(y, yComp, yDim, ys, parent, sample);
                this.grid = new DensityGrid(xr[0], xr[1], BINS_2D, yr[0], yr[1], BINS_2D);
                this.hist = null;
            }
        }
    }

    /** The pass-1 sample (scale values by parameter) and its populations under the fitted strategy. */
    private record GatedSample(EventBatch events, BatchResult gates) { }

    /**
     * @param sample    the pass-1 sample, scale values by parameter (as {@link CompiledStrategy#evaluate} takes them):
     *                  it sets the axes' ranges (see {@link #displayRange})
     * @param timeRange the time channel's range over all events, or null
     */
    Plots(FcsDataSet ds, ChannelMap map, FittedGates fits, CompiledStrategy compiled, double[][] sample,
            double[] timeRange) {
        this.ds = ds;
        this.map = map;
        this.fits = fits;
        this.compiled = compiled;
        this.time = timeRange == null ? null : timeAxis(ds.parameter(map.require(PanelRole.TIME)), timeRange);
        this.timeHist = time == null ? null
                : new Histogram1D(timeRange[0] * time.factor(), Math.nextUp(timeRange[1] * time.factor()), 200);
        // gated by a fork of the strategy, so that pass 2's counts stay those of every event
        GatedSample gs = null;
        if (sample.length > 0 && sample[0].length > 0) {
            EventBatch events = new EventBatch(sample, sample[0].length, 0);
            gs = new GatedSample(events, compiled.fork().evaluate(events));
        }
        String qcParent = fits.qcParent();
        panels.add(new Panel("02-cells", "Cells (FSC-A / SSC-A)", qcParent, PanelRole.FSC_A, false, PanelRole.SSC_A,
                false, gs));
        if (map.has(PanelRole.FSC_H)) {
            panels.add(new Panel("03-singlets", "Singlets (FSC-A / FSC-H)", fits.id(FittedGates.Pop.CELLS),
                    PanelRole.FSC_A, false, PanelRole.FSC_H, false, gs));
        } else if (fits.singletWidth() != null && map.has(PanelRole.FSC_W)) {
            panels.add(new Panel("03-singlets", "Singlets (FSC-A / FSC-W)", fits.id(FittedGates.Pop.CELLS),
                    PanelRole.FSC_A, false, PanelRole.FSC_W, false, gs));
        }
        String singlets = fits.id(FittedGates.Pop.SINGLETS);
        if (map.has(PanelRole.CD45)) {
            panels.add(new Panel("04-cd45", "Leukocytes (CD45 / SSC-A)", singlets, PanelRole.CD45, true,
                    PanelRole.SSC_A, false, gs));
        }
        String leuk = fits.id(FittedGates.Pop.LEUKOCYTES);
        panels.add(new Panel("05-viability", "Viability", leuk, PanelRole.VIABILITY, true, null, false, gs));
        if (readBySize()) {
            // the evidence of a viability threshold read by size: larger cells brighter in the dye are live, smaller
            // dim cells smeared over the viable peak dying
            panels.add(new Panel(SIZE_PANEL, "Viability by size (dye / FSC-A)", leuk, PanelRole.VIABILITY,
                    true, PanelRole.FSC_A, false, gs));
        }
        String viable = fits.id(FittedGates.Pop.VIABLE);
        panels.add(new Panel("06-cd3-cd56", "CD3 / CD56 of viable cells", viable, PanelRole.CD3, true, PanelRole.CD56,
                true, gs));
        panels.add(new Panel("07-cd3", "CD3 of viable cells", viable, PanelRole.CD3, true, null, false, gs));
        panels.add(new Panel("08-cd56", "CD56 of viable cells", viable, PanelRole.CD56, true, null, false, gs));
        String cd3 = fits.id(FittedGates.Pop.CD3POS);
        if (map.has(PanelRole.CD4) && map.has(PanelRole.CD8)) {
            panels.add(new Panel("09-cd4-cd8", "CD4 / CD8 of CD3+ cells", cd3, PanelRole.CD4, true, PanelRole.CD8,
                    true, gs));
        } else {
            if (map.has(PanelRole.CD4)) {
                panels.add(new Panel("09-cd4", "CD4 of CD3+ cells", cd3, PanelRole.CD4, true, null, false, gs));
            }
            if (map.has(PanelRole.CD8)) {
                panels.add(new Panel("09-cd8", "CD8 of CD3+ cells", cd3, PanelRole.CD8, true, null, false, gs));
            }
        }
        if (map.has(PanelRole.CD16)) {
            panels.add(new Panel("10-cd16", "CD16 of CD3-CD56+ cells", fits.id(FittedGates.Pop.CD3NEG_CD56POS),
                    PanelRole.CD16, true, null, false, gs));
        }
    }

    /** Adds one pass-2 batch. */
    void add(EventBatch b, BatchResult br) {
        int n = b.size();
        if (bufX.length < n) {
            bufX = new double[n];
            bufY = new double[n];
        }
        if (timeHist != null) {
            double[] t = b.column(map.require(PanelRole.TIME));
            for (int i = 0; i < n; i++) timeHist.add(t[i] * time.factor());
        }
        for (Panel p : panels) {
            boolean[] in = p.parent == null ? null : br.membership(p.parent);
            double[] xv = values(b, br, p.xRole, p.xComp, p.xDim);
            double[] yv = p.yRole == null ? null : values(b, br, p.yRole, p.yComp, p.yDim);
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (in != null && !in[i]) continue;
                bufX[k] = p.xs.toDisplay(xv[i]);
                if (yv != null) bufY[k] = p.ys.toDisplay(yv[i]);
                k++;
            }
            if (p.grid != null) p.grid.add(bufX, bufY, k);
            else p.hist.add(bufX, k);
        }
    }

    private double[] values(EventBatch b, BatchResult br, PanelRole role, boolean comp, Dimension dim) {
        if (!comp) return b.column(map.require(role));
        int d = compiled.dimensionIndex(dim);
        return d >= 0 ? br.values(d) : b.column(map.require(role));
    }

    /** The finished figures, with gates and percentages. */
    List<Analysis.NamedFigure> figures(PopulationCounts counts) {
        List<Analysis.NamedFigure> out = new ArrayList<>();
        if (timeHist != null) {
            AcquisitionPlot.Builder a = AcquisitionPlot.builder("Acquisition QC (events over time)",
                    AxisScale.linear(time.title()), timeHist);
            if (fits.acquisition() != null) {
                for (TimeInterval t : fits.acquisition().excluded()) {
                    a.removed(ruleLabel(t), t.start() * time.factor(), t.end() * time.factor());
                }
            }
            String qcParent = fits.qcParent();
            long kept = qcParent == null ? counts.events() : counts.count(qcParent);
            a.subtitle(String.format(Locale.ROOT, "%,d of %,d events kept (%.1f %% removed)", kept, counts.events(),
                    counts.events() == 0 ? 0 : 100.0 * (counts.events() - kept) / counts.events()));
            out.add(new Analysis.NamedFigure("01-acquisition", a.build()));
            if (fits.acquisition() != null) signalFigure(fits.acquisition()).ifPresent(out::add);
        }
        for (Panel p : panels) {
            String sub = subtitle(p, counts);
            if (p.grid != null) {
                DensityPlot.Builder d = DensityPlot.builder(p.title, p.xs, p.ys, p.grid).subtitle(sub);
                overlays2d(p, counts).forEach(d::overlay);
                out.add(new Analysis.NamedFigure(p.name, d.build()));
            } else {
                HistogramPlot.Builder h = HistogramPlot.builder(p.title, p.xs, p.hist).subtitle(sub);
                Double t = fits.thresholds().get(p.xRole);
                if (t != null && fits.fitted(p.xRole)) {
                    String pop = switch (p.xRole) {
                        case VIABILITY -> fits.id(FittedGates.Pop.VIABLE);
                        case CD3 -> fits.id(FittedGates.Pop.CD3POS);
                        case CD4 -> fits.id(FittedGates.Pop.CD4POS);
                        case CD8 -> fits.id(FittedGates.Pop.CD8POS);
                        case CD16 -> fits.id(FittedGates.Pop.CD16POS);
                        default -> null;
                    };
                    String label = p.xRole == PanelRole.VIABILITY ? "viable <" : p.xRole.name() + "+ ≥";
                    h.overlay(Overlay.threshold(label + " " + fmt(t) + " (" + fits.methods().get(p.xRole) + ")",
                            Overlay.Axis.X, t, p.xRole == PanelRole.VIABILITY ? Overlay.Side.BELOW : Overlay.Side.ABOVE,
                            pop == null ? null : pct(counts, pop)));
                    DensityThreshold.Result d = fits.densities().get(p.xRole);
                    if (d != null && !fits.controls().containsKey(p.xRole) && d.hasPlausibleRange()) {
                        // a single positive peak with negatives unresolved below it: where the threshold could be
                        h.overlay(Overlay.uncertain("plausible " + fmt(d.plausibleLow()) + "–"
                                + fmt(d.plausibleHigh()), d.plausibleLow(), d.plausibleHigh()));
                    }
                }
                out.add(new Analysis.NamedFigure(p.name, h.build()));
            }
        }
        return out;
    }

    /** True when the viability threshold was read by size ({@link LiveBySize#readBySize}). */
    private boolean readBySize() {
        DensityThreshold.Result d = fits.densities().get(PanelRole.VIABILITY);
        return d != null && !fits.controls().containsKey(PanelRole.VIABILITY) && LiveBySize.readBySize(d);
    }

    /** Points on the curve of the dye-negative debris region's outline. */
    private static final int DEBRIS_OUTLINE_POINTS = 32;

    private List<Overlay> overlays2d(Panel p, PopulationCounts counts) {
        List<Overlay> o = new ArrayList<>();
        switch (p.name) {
            case SIZE_PANEL -> {
                Double t = fits.thresholds().get(PanelRole.VIABILITY);
                if (t != null) {
                    o.add(Overlay.threshold("viable < " + fmt(t) + " (" + fits.methods().get(PanelRole.VIABILITY) + ")",
                            Overlay.Axis.X, t, Overlay.Side.BELOW, pct(counts, fits.id(FittedGates.Pop.VIABLE))));
                }
            }
            case "02-cells" -> {
                // with dye-negative debris or beads excluded, the polygon is the Scatter gate and the cells are
                // Scatter without them: the debris's FSC-A cut is drawn with its share of Scatter, each bead box
                // (on FSC-A × SSC-A) with the beads' share of the events acquisition QC kept
                String debris = fits.id(FittedGates.Pop.DYE_NEGATIVE_DEBRIS);
                String scatterPop = fits.id(FittedGates.Pop.SCATTER);
                String polygonPop = scatterPop != null ? scatterPop : fits.id(FittedGates.Pop.CELLS);
                if (fits.scatter() != null && fits.scatter().polygon() != null) {
                    o.add(Overlay.polygon(scatterPop != null ? "Scatter" : "Cells", vertices(fits.scatter().polygon()),
                            pct(counts, polygonPop)));
                }
                if (fits.beads() != null && fits.beads().found()) {
                    List<org.cikqc.autogate.CountingBeads.Cluster> cl = fits.beads().clusters();
                    List<String> boxes = fits.beadBoxes();
                    for (int k = 0; k < cl.size(); k++) {
                        // FSC-A and SSC-A are the first two channels searched; beads are tight in both
                        org.cikqc.autogate.CountingBeads.Cluster c = cl.get(k);
                        String box = boxes.get(k);
                        o.add(Overlay.polygon(box, List.of(new double[] {c.low()[0], c.low()[1]},
                                new double[] {c.high()[0], c.low()[1]}, new double[] {c.high()[0], c.high()[1]},
                                new double[] {c.low()[0], c.high()[1]}), pct(counts, box)));
                    }
                }
                if (debris != null && scatterPop != null) {
                    // its share of Scatter (its parent is the size region, whose events it splits by the dye)
                    long scatterEvents = counts.count(scatterPop);
                    String share = String.format(Locale.ROOT, "%.2f %%",
                            scatterEvents == 0 ? 0.0 : 100.0 * counts.count(debris) / scatterEvents);
                    o.add(Overlay.polygon("dye-neg. debris: size < " + fmt(fits.debris().cut()),
                            ViableDebris.sizeOutline(fits.debris(), DEBRIS_OUTLINE_POINTS,
                                    fits.scatter().fscThreshold()), share));
                }
            }
            case "03-singlets" -> {
                if (fits.singlets() != null && fits.singlets().band() != null) {
                    o.add(Overlay.polygon("Singlets", fits.singletWidth() == null ? vertices(fits.singlets().band())
                            : widthVertices(fits.singlets().band(), fits.singletWidth().ratio().a()),
                            pct(counts, fits.id(FittedGates.Pop.SINGLETS))));
                }
            }
            case "04-cd45" -> {
                Double t = fits.thresholds().get(PanelRole.CD45);
                if (t != null && fits.fitted(PanelRole.CD45)) {
                    o.add(Overlay.threshold("CD45+ ≥ " + fmt(t), Overlay.Axis.X, t, Overlay.Side.ABOVE,
                            pct(counts, fits.id(FittedGates.Pop.LEUKOCYTES))));
                }
            }
            case "06-cd3-cd56" -> {
                Double t3 = fits.thresholds().get(PanelRole.CD3);
                Double t56 = fits.thresholds().get(PanelRole.CD56);
                if (t3 != null && t56 != null && fits.fitted(PanelRole.CD3) && fits.fitted(PanelRole.CD56)) {
                    o.add(Overlay.quadrant("CD3 x CD56", t3, t56,
                            "CD3-CD56+ " + pct(counts, fits.id(FittedGates.Pop.CD3NEG_CD56POS)),
                            "CD3+CD56+ " + pct(counts, fits.id(FittedGates.Pop.CD3POS_CD56POS)),
                            "CD3-CD56- " + pct(counts, fits.id(FittedGates.Pop.CD3NEG_CD56NEG)),
                            "CD3+CD56- " + pct(counts, fits.id(FittedGates.Pop.CD3POS_CD56NEG))));
                }
            }
            case "09-cd4-cd8" -> {
                Double t4 = fits.thresholds().get(PanelRole.CD4);
                Double t8 = fits.thresholds().get(PanelRole.CD8);
                if (t4 != null && fits.fitted(PanelRole.CD4)) {
                    o.add(Overlay.threshold("CD4+", Overlay.Axis.X, t4, Overlay.Side.UNSTATED, pct(counts, fits.id(FittedGates.Pop.CD4POS))));
                }
                if (t8 != null && fits.fitted(PanelRole.CD8)) {
                    o.add(Overlay.threshold("CD8+", Overlay.Axis.Y, t8, Overlay.Side.UNSTATED, pct(counts, fits.id(FittedGates.Pop.CD8POS))));
                }
            }
            default -> { }
        }
        return o;
    }

    private String subtitle(Panel p, PopulationCounts counts) {
        long n = p.parent == null ? counts.events() : counts.count(p.parent);
        return String.format(Locale.ROOT, "%,d events shown (%s)", n, populationName(p.parent));
    }

    /**
     * How a subtitle names the population a figure shows: its result.json path as a readable chain ("cells ▸
     * singlets ▸ CD45+ ▸ viable"), "kept by acquisition QC", "all events" (null), or else the gate id.
     */
    private String populationName(String id) {
        if (id == null) return "all events";
        String path = fits.reportedPath(id, map.has(PanelRole.CD45));
        if (path != null) return String.join(" \u25b8 ", path.substring(1).split("/"));
        return id.equals(fits.qcParent()) ? "kept by acquisition QC" : id;
    }

    private static String pct(PopulationCounts counts, String id) {
        if (id == null) return null;
        return String.format(Locale.ROOT, "%.2f %%", counts.percentOfParent(id));
    }

    private static List<double[]> vertices(Polygon poly) {
        List<double[]> v = new ArrayList<>();
        for (int i = 0; i < poly.size(); i++) v.add(new double[] {poly.x(i), poly.y(i)});
        return v;
    }

    /**
     * The singlet band of FSC-A × pseudo-height h = k·FSC-A/FSC-W drawn on FSC-A × FSC-W: each straight edge becomes
     * the curve W = k·A/h, traced at 64 points (points with h ≤ 0 have no width and are left out).
     */
    static List<double[]> widthVertices(Polygon band, double k) {
        List<double[]> v = new ArrayList<>();
        int m = band.size();
        for (int i = 0; i < m; i++) {
            double x0 = band.x(i), y0 = band.y(i), x1 = band.x((i + 1) % m), y1 = band.y((i + 1) % m);
            for (int j = 0; j < 64; j++) {
                double t = j / 64.0;
                double a = x0 + t * (x1 - x0);
                double h = y0 + t * (y1 - y0);
                if (h > 0 && a >= 0) v.add(new double[] {a, k * a / h});
            }
        }
        return v;
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    // ------------------------------------------------------------------------------------------------- scales

    private Dimension dim(PanelRole r, boolean comp) {
        String name = ds.parameter(map.require(r)).name();
        if (!comp) return new FcsDimension(name, Dimension.UNCOMPENSATED, null);
        // the compensation reference the strategy uses for this channel
        for (Dimension d : compiled.dimensions()) {
            if (d instanceof FcsDimension f && f.name().equals(name) && !f.compensationRef().equals(Dimension.UNCOMPENSATED)) {
                return d;
            }
        }
        return new FcsDimension(name, Dimension.FCS, null);
    }

    private AxisScale scale(PanelRole r, boolean comp) {
        int i = map.require(r);
        String label = label(i);
        if (!comp) return AxisScale.linear(label);
        Transform t = fits.transforms().get(r);
        if (t == null) t = new LogicleTransform(range(i), 0.5, 4.5, 0);
        Transform tf = t;
        // display coordinates of every event through the transform's verified table (within ~1e-9 of exact: far
        // below a pixel), not the exact solve per value; ticks and gates use the exact inverse
        TransformTable table = TransformTable.of(tf);
        return AxisScale.of(label, table != null ? table::apply : tf::apply, tf::inverse);
    }

    /** The quantile (and 1 − it) of the events shown that a fluorescence axis contains. */
    static final double RANGE_QUANTILE = 0.001;
    /** How far past those quantiles a fluorescence axis reaches, display units (its full scale is [0, 1]). */
    static final double RANGE_MARGIN = 0.05;
    /** The most a fluorescence axis is widened past its full scale on either side, display units. */
    static final double RANGE_MAX_WIDENING = 0.5;
    /** Fewer sampled events than this leave an axis at its full scale. */
    static final int RANGE_MIN_EVENTS = 50;

    /**
     * The display range of an axis showing channel {@code r} for the events of {@code parent} (null: all). A scatter
     * axis spans the channel's scale, 0 to the top of its range; a fluorescence axis its transform's full scale,
     * widened to contain the parent's events in the (seeded, so deterministic) pass-1 sample (see
     * {@link #fluorescenceRange}).
     */
    private double[] displayRange(PanelRole r, boolean comp, Dimension dim, AxisScale s, String parent,
            GatedSample sample) {
        if (!comp) return new double[] {0, range(map.require(r))};
        if (sample == null) return fluorescenceRange(new double[0], 0);
        // figures that show the same channel for the same parent (CD3 and CD56 each appear twice) share one sort
        return fluorescenceRanges.computeIfAbsent(new RangeKey(r, dim, parent),
                k -> fluorescenceRange(r, dim, s, parent, sample)).clone();
    }

    /** The viability-by-size figure: the dye against FSC-A of the leukocytes. */
    static final String SIZE_PANEL = "05-viability-size";

    /**
     * The FSC-A axis of {@link #SIZE_PANEL}: from 0 to {@link #SIZE_HEADROOM} × the leukocytes' 99.8th percentile
     * in the pass-1 sample (at most the channel's top), since the figure compares the sizes of cells, not cells with
     * debris: on a 24-bit channel whose cells reach a tenth of its scale the full scale pressed them into the
     * bottom rows. Too few events, or none above 0: the channel's scale, as the other scatter axes.
     */
    private double[] sizeRange(PanelRole r, String parent, GatedSample sample) {
        double top = range(map.require(r));
        if (sample == null) return new double[] {0, top};
        boolean[] in = parent == null ? null : sample.gates().membership(parent);
        return sizeRange(sample.events().column(map.require(r)), in, sample.events().size(), top);
    }

    /**
     * {@link #sizeRange} of the first {@code n} {@code values} that are {@code in} (null: all) on a channel whose
     * scale ends at {@code channelTop}.
     */
    static double[] sizeRange(double[] values, boolean[] in, int n, double channelTop) {
        double[] full = {0, channelTop};
        double[] kept = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if ((in == null || in[i]) && Double.isFinite(values[i])) kept[k++] = values[i];
        }
        if (k < RANGE_MIN_EVENTS) return full;
        Arrays.sort(kept, 0, k);
        double top = SIZE_HEADROOM * kept[(int) Math.ceil(0.998 * (k - 1))];
        return top > 0 ? new double[] {0, Math.min(channelTop, top)} : full;
    }

    /** {@link #sizeRange}'s top over the leukocytes' 99.8th percentile of FSC-A. */
    static final double SIZE_HEADROOM = 1.15;

    /** What a fluorescence axis's range depends on, besides the sample (one per {@link Plots}). */
    private record RangeKey(PanelRole role, Dimension dim, String parent) { }

    /** {@link #displayRange} of a compensated fluorescence axis, from the sample. */
    private double[] fluorescenceRange(PanelRole r, Dimension dim, AxisScale s, String parent, GatedSample sample) {
        boolean[] in = parent == null ? null : sample.gates().membership(parent);
        double[] v = values(sample.events(), sample.gates(), r, true, dim);
        double[] shown = new double[sample.events().size()];
        int n = 0;
        for (int i = 0; i < shown.length; i++) {
            if (in != null && !in[i]) continue;
            double d = s.toDisplay(v[i]);
            if (Double.isFinite(d)) shown[n++] = d;
        }
        return fluorescenceRange(shown, n);
    }

    /**
     * The display range of a fluorescence axis showing the first {@code n} of {@code shown} (finite display values;
     * sorted here): the transform's full scale, [0, 1], widened where they reach its edges, so that no population is
     * piled against one: to their {@link #RANGE_QUANTILE} and 1 − it quantiles, plus {@link #RANGE_MARGIN}; by at
     * most {@link #RANGE_MAX_WIDENING} on either side. Fewer than {@link #RANGE_MIN_EVENTS} values: the full scale.
     */
    static double[] fluorescenceRange(double[] shown, int n) {
        double[] full = {0, 1};
        if (n < RANGE_MIN_EVENTS) return full;
        Arrays.sort(shown, 0, n);
        double lo = shown[(int) Math.floor(RANGE_QUANTILE * (n - 1))] - RANGE_MARGIN;
        double hi = shown[(int) Math.ceil((1 - RANGE_QUANTILE) * (n - 1))] + RANGE_MARGIN;
        return new double[] {Math.max(full[0] - RANGE_MAX_WIDENING, Math.min(full[0], lo)),
            Math.min(full[1] + RANGE_MAX_WIDENING, Math.max(full[1], hi))};
    }

    /**
     * The signal side of acquisition QC: each drift-checked channel's median per time bin (on the drift scale, about
     * decades) minus its median over the run, with the removed intervals; empty without bins or channels.
     */
    private java.util.Optional<Analysis.NamedFigure> signalFigure(AcquisitionQc.Result aq) {
        List<AcquisitionQc.Bin> bins = aq.bins();
        if (bins.size() < 2 || aq.traces().isEmpty()) return java.util.Optional.empty();
        double[] centre = new double[bins.size()];
        for (int b = 0; b < centre.length; b++) {
            centre[b] = (bins.get(b).start() + bins.get(b).end()) / 2 * time.factor();
        }
        TracePlot.Builder t = TracePlot.builder("Acquisition QC (signal over time)", AxisScale.linear(time.title()),
                "Median shift (decades)");
        for (AcquisitionQc.Trace tr : aq.traces()) {
            double[] m = tr.medians();
            double[] finite = java.util.Arrays.stream(m).filter(Double::isFinite).sorted().toArray();
            if (finite.length == 0) continue;
            double level = finite.length % 2 == 1 ? finite[finite.length / 2]
                    : (finite[finite.length / 2 - 1] + finite[finite.length / 2]) / 2;
            double[] y = new double[m.length];
            for (int b = 0; b < m.length; b++) y[b] = m[b] - level;
            t.series(labelOf(tr.channel()), centre, y);
        }
        for (TimeInterval iv : aq.excluded()) {
            t.removed(ruleLabel(iv), iv.start() * time.factor(), iv.end() * time.factor());
        }
        t.subtitle(String.format(Locale.ROOT, "bin median minus run median, asinh(x/150)/ln 10; QC sample of %,d events",
                aq.events()));
        return java.util.Optional.of(new Analysis.NamedFigure("01-acquisition-signal", t.build()));
    }

    /** The label of a removed interval: its rules, lower case, joined by "+" ("removed" when it has none). */
    private static String ruleLabel(TimeInterval iv) {
        String rules = String.join("+", iv.rules().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList());
        return rules.isEmpty() ? "removed" : rules;
    }

    /** The axis label of the parameter named {@code pnn}: "marker (name)", or the name. */
    private String labelOf(String pnn) {
        int i = ds.parameterIndex(pnn);
        return i < 0 ? pnn : label(i);
    }

    /** Runs at least this long (seconds) are shown in minutes. */
    static final double MINUTES_FROM = 600;

    /**
     * The time axis of the acquisition figures: its title and the factor from the time channel's values to the axis
     * units.
     */
    record TimeAxis(String title, double factor) { }

    /**
     * The time axis for channel {@code p} whose values span {@code range}: seconds when $TIMESTEP scales it
     * ("Time (s)"), minutes for runs of {@link #MINUTES_FROM} seconds or longer ("Time (min)"). Without a
     * $TIMESTEP the file does not say what its time counts (a MACSQuant HDR-TM channel runs up to its $PnR), so
     * its values are shown as they are and the title says so.
     */
    static TimeAxis timeAxis(FcsParameter p, double[] range) {
        if (!(p.timestep() > 0)) return new TimeAxis(p.name() + " (raw units, no $TIMESTEP)", 1);
        return range[1] - range[0] >= MINUTES_FROM ? new TimeAxis("Time (min)", 1 / 60.0) : new TimeAxis("Time (s)", 1);
    }

    private String label(int i) {
        var p = ds.parameter(i);
        return axisTitle(p.name(), p.marker());
    }

    /**
     * The title of a channel's axis: "marker (name)", or the name alone when $PnS is blank or only repeats $PnN
     * (compared ignoring case and surrounding blanks: "FSC-A", not "FSC-A (FSC-A)").
     */
    static String axisTitle(String name, String marker) {
        if (marker == null || marker.isBlank() || marker.strip().equalsIgnoreCase(name.strip())) return name;
        return marker.strip() + " (" + name + ")";
    }

    /** The top of channel i's scale in scale units (decoded for a log channel, divided by $PnG). */
    private double range(int i) {
        double t = StrategyFitter.scaleTop(ds.parameter(i));
        return Double.isNaN(t) ? StrategyFitter.REFERENCE_TOP : t;
    }
}
