package org.cikqc.plot;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;

/**
 * Draws gate overlays and shaded intervals (data units, mapped through the plot's {@link AxisScale}s) with their
 * labels. Labels sit in translucent white boxes inside the data area and are moved so they do not cover each other;
 * over a histogram they also keep off its bars where any candidate position allows (a threshold label whose name
 * carries a parenthesised method is then also tried on two lines, narrower, beside its line), and over a density
 * they take, among their candidate positions, one that hides the fewest events.
 *
 * <p>Quadrant-style labels sit in their own quadrant: each of a {@link Overlay.Quadrant}'s four, and, when a plot has
 * one threshold on each axis (CD4 against CD8), each threshold's label in the quadrant of the population it counts
 * alone (CD4+ in CD4+CD8−, bottom right; CD8+ in CD4−CD8+, top left). Within its quadrant a label goes to the corner
 * that hides the fewest events, the plot's own corner first when several hide none, and elsewhere in the quadrant
 * when every corner would cover a population.
 */
final class OverlayLayer extends AbstractXYAnnotation {
    private static final long serialVersionUID = 1L;
    private static final double PAD = 2.5;
    /** Data-space polygon edges are drawn as this many straight pieces. */
    private static final int CURVE_STEPS = 32;
    /** A quadrant text "name 12.34 %": the name, and the number with its percent sign. */
    /** A marker's sign followed by the next marker's name ("CD3-|CD56+", "CD3+|CD56−"): where a name may break. */
    private static final java.util.regex.Pattern MARKER_END = java.util.regex.Pattern.compile("([+\\-\u2212])(?=\\p{L})");
    private static final java.util.regex.Pattern NAME_AND_PERCENT = java.util.regex.Pattern.compile("(.+?) (\\S+ ?%)");
    /**
     * Over a density, a label hiding fewer events than this share of all is as good as one hiding none; above it,
     * each doubling of the events hidden counts one step worse (see {@link Mapper#cost}).
     */
    static final double NEGLIGIBLE_SHARE = 0.001;
    /** Positions tried across a quadrant, per direction, when its corners would all hide events. */
    private static final int QUADRANT_SCAN = 6;

    private final transient List<Overlay> overlays;
    private final transient AxisScale xScale;
    private final transient AxisScale yScale;
    /** The histogram drawn under the overlays (display units on x, counts on y), or null. */
    private final transient Histogram1D data;
    /** The density drawn under the overlays (display units on both axes), or null. */
    private final transient DensityGrid density;

    OverlayLayer(List<Overlay> overlays, AxisScale xScale, AxisScale yScale) {
        this(overlays, xScale, yScale, null, null);
    }

    /** Overlays over a histogram, whose bars the labels avoid (see the class comment). */
    OverlayLayer(List<Overlay> overlays, AxisScale xScale, AxisScale yScale, Histogram1D data) {
        this(overlays, xScale, yScale, data, null);
    }

    /** Overlays over a density, whose events the labels avoid (see the class comment). */
    OverlayLayer(List<Overlay> overlays, AxisScale xScale, AxisScale yScale, DensityGrid density) {
        this(overlays, xScale, yScale, null, density);
    }

    private OverlayLayer(List<Overlay> overlays, AxisScale xScale, AxisScale yScale, Histogram1D data,
            DensityGrid density) {
        this.overlays = List.copyOf(overlays);
        this.xScale = xScale;
        this.yScale = yScale;
        this.data = data;
        this.density = density;
    }

    /** Maps data to Java2D for one draw call. */
    private record Mapper(Rectangle2D area, ValueAxis xa, ValueAxis ya, RectangleEdge xe, RectangleEdge ye,
            AxisScale xs, AxisScale ys, Histogram1D data, DensityGrid density) {
        /**
         * How much data a label box would hide, the lower the better: over a density 0 below
         * {@link #NEGLIGIBLE_SHARE} of the events, else 1 + log2 of the events hidden in units of that share; over a
         * histogram 0 off its bars and 1 over them; 0 over anything else.
         */
        int cost(Rectangle2D box) {
            if (density == null) return offData(box) ? 0 : 1;
            double unit = Math.max(1, density.total() * NEGLIGIBLE_SHARE);
            double hidden = eventsUnder(box);
            return hidden < unit ? 0 : 1 + (int) Math.floor(Math.log(hidden / unit) / Math.log(2));
        }

        /** The density's events under a box, bins partly under it counted in proportion to the part. */
        double eventsUnder(Rectangle2D box) {
            DensityGrid g = density;
            double[] bx = bins(xa.java2DToValue(box.getMinX(), area, xe), xa.java2DToValue(box.getMaxX(), area, xe),
                    g.xMin(), g.xMax(), g.nx());
            double[] by = bins(ya.java2DToValue(box.getMaxY(), area, ye), ya.java2DToValue(box.getMinY(), area, ye),
                    g.yMin(), g.yMax(), g.ny());
            double sum = 0;
            for (int ix = (int) Math.floor(bx[0]); ix < bx[1]; ix++) {
                double wx = Math.min(ix + 1, bx[1]) - Math.max(ix, bx[0]);
                for (int iy = (int) Math.floor(by[0]); iy < by[1]; iy++) {
                    double wy = Math.min(iy + 1, by[1]) - Math.max(iy, by[0]);
                    sum += wx * wy * g.count(ix, iy);
                }
            }
            return sum;
        }

        /** The display interval [a, b] in bins of a grid axis (fractional, within [0, n]). */
        private static double[] bins(double a, double b, double min, double max, int n) {
            double f = n / (max - min);
            double lo = Math.max(0, Math.min(n, (Math.min(a, b) - min) * f));
            double hi = Math.max(0, Math.min(n, (Math.max(a, b) - min) * f));
            return new double[] {lo, hi};
        }

        /** Whether a label box stays above the histogram's bars under it (always, without a histogram). */
        boolean offData(Rectangle2D box) {
            if (data == null) return true;
            for (int i = 0; i < data.bins(); i++) {
                double a = xa.valueToJava2D(data.binLow(i), area, xe);
                double b = xa.valueToJava2D(data.binHigh(i), area, xe);
                if (Math.max(a, b) < box.getMinX() || Math.min(a, b) > box.getMaxX()) continue;
                if (box.getMaxY() > ya.valueToJava2D(data.count(i), area, ye) - 1) return false;
            }
            return true;
        }

        double x(double data) { return clampX(xa.valueToJava2D(xs.toDisplay(data), area, xe)); }

        double y(double data) { return clampY(ya.valueToJava2D(ys.toDisplay(data), area, ye)); }

        /** Infinite and off-axis values are pinned just outside the data area (clipped away when drawn). */
        double clampX(double v) {
            if (Double.isNaN(v)) return v;
            return Math.max(area.getMinX() - 2, Math.min(area.getMaxX() + 2, v));
        }

        double clampY(double v) {
            if (Double.isNaN(v)) return v;
            return Math.max(area.getMinY() - 2, Math.min(area.getMaxY() + 2, v));
        }
    }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
            int rendererIndex, PlotRenderingInfo info) {
        Mapper m = new Mapper(dataArea, domainAxis, rangeAxis, plot.getDomainAxisEdge(), plot.getRangeAxisEdge(),
                xScale, yScale, data, density);
        Shape oldClip = g2.getClip();
        List<Rectangle2D> placed = new ArrayList<>();
        // shaded intervals first (under the gates), then gate geometry, then all labels on top
        g2.clip(dataArea);
        for (Overlay o : overlays) {
            if (o instanceof Overlay.Interval iv) drawIntervalBand(g2, m, iv);
        }
        Overlay.Threshold[] cross = crossingThresholds();
        boolean crossing = cross != null;
        // Java 17 has no pattern switch; Overlay is sealed, so this ladder is exhaustive by construction.
        List<Runnable> cornerLabels = new ArrayList<>();
        List<Runnable> labels = new ArrayList<>();
        List<Runnable> intervalLabels = new ArrayList<>();
        for (Overlay o : overlays) {
            if (o instanceof Overlay.Polygon p) {
                Path2D path = polygonPath(p, m);
                stroke(g2, path);
                Rectangle2D b = path.getBounds2D();
                labels.add(() -> placeGateLabel(g2, m, p.name(), p.percentText(), b, placed));
            } else if (o instanceof Overlay.Rectangle r) {
                double x0 = m.x(r.xMin());
                double x1 = m.x(r.xMax());
                double y0 = m.y(r.yMax());
                double y1 = m.y(r.yMin());
                Rectangle2D rect = new Rectangle2D.Double(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0),
                        Math.abs(y1 - y0));
                stroke(g2, rect);
                labels.add(() -> placeGateLabel(g2, m, r.name(), r.percentText(), rect, placed));
            } else if (o instanceof Overlay.Threshold t) {
                g2.setPaint(PlotStyle.GATE);
                g2.setStroke(PlotStyle.THRESHOLD_STROKE);
                if (t.axis() == Overlay.Axis.X) {
                    double x = m.x(t.value());
                    g2.draw(new Line2D.Double(x, dataArea.getMinY(), x, dataArea.getMaxY()));
                    if (!crossing) labels.add(() -> placeThresholdLabel(g2, m, t, x, placed));
                } else {
                    double y = m.y(t.value());
                    g2.draw(new Line2D.Double(dataArea.getMinX(), y, dataArea.getMaxX(), y));
                    if (!crossing) labels.add(() -> placeThresholdLabel(g2, m, t, y, placed));
                }
            } else if (o instanceof Overlay.Quadrant q) {
                double x = m.x(q.x());
                double y = m.y(q.y());
                g2.setPaint(PlotStyle.GATE);
                g2.setStroke(PlotStyle.GATE_STROKE);
                g2.draw(new Line2D.Double(x, dataArea.getMinY(), x, dataArea.getMaxY()));
                g2.draw(new Line2D.Double(dataArea.getMinX(), y, dataArea.getMaxX(), y));
                cornerLabels.add(() -> placeQuadrantLabels(g2, m, q, placed));
            } else if (o instanceof Overlay.Interval iv) {
                intervalLabels.add(() -> placeIntervalLabel(g2, m, iv, xLines(m), placed));
            }
        }
        if (crossing) {
            // each in the quadrant of the population it counts alone: on its own gated side (the high side unless
            // it keeps the events below it) and on the other threshold's uncounted side
            Overlay.Threshold v = cross[0];
            Overlay.Threshold h = cross[1];
            double x = m.x(v.value());
            double y = m.y(h.value());
            boolean vHigh = v.gated().highFirst();
            boolean hHigh = h.gated().highFirst();
            cornerLabels.add(() -> placeInQuadrant(g2, m, List.of(new Label(v.name(), v.percentText())), x, y,
                    vHigh, !hHigh, placed));
            cornerLabels.add(() -> placeInQuadrant(g2, m, List.of(new Label(h.name(), h.percentText())), x, y,
                    !vHigh, hHigh, placed));
        }
        // quadrant labels claim their places before the other labels move around them, and a shaded interval's
        // label (the reach of an uncertain threshold) goes last, around its threshold's label
        for (Runnable r : cornerLabels) r.run();
        for (Runnable r : labels) r.run();
        for (Runnable r : intervalLabels) r.run();
        g2.setClip(oldClip);
    }

    /** The Java2D x of every threshold line on x. */
    private List<Double> xLines(Mapper m) {
        List<Double> out = new ArrayList<>();
        for (Overlay o : overlays) {
            if (o instanceof Overlay.Threshold t && t.axis() == Overlay.Axis.X) out.add(m.x(t.value()));
        }
        return out;
    }

    /**
     * The thresholds {on x, on y} when the overlays hold exactly one threshold on each axis and no quadrant gate:
     * they split the plot into quadrants. Else null.
     */
    private Overlay.Threshold[] crossingThresholds() {
        Overlay.Threshold[] out = new Overlay.Threshold[2];
        int n = 0;
        for (Overlay o : overlays) {
            if (o instanceof Overlay.Quadrant) return null;
            if (o instanceof Overlay.Threshold t) {
                n++;
                out[t.axis() == Overlay.Axis.X ? 0 : 1] = t;
            }
        }
        return n == 2 && out[0] != null && out[1] != null ? out : null;
    }

    private static void stroke(Graphics2D g2, Shape s) {
        g2.setPaint(PlotStyle.GATE);
        g2.setStroke(PlotStyle.GATE_STROKE);
        g2.draw(s);
    }

    private static Path2D polygonPath(Overlay.Polygon p, Mapper m) {
        Path2D.Double path = new Path2D.Double();
        List<double[]> v = p.vertices();
        path.moveTo(m.x(v.get(0)[0]), m.y(v.get(0)[1]));
        for (int i = 1; i <= v.size(); i++) {
            double[] a = v.get(i - 1);
            double[] b = v.get(i % v.size());
            if (p.straightInData()) {
                for (int s = 1; s <= CURVE_STEPS; s++) {
                    double f = (double) s / CURVE_STEPS;
                    path.lineTo(m.x(a[0] + f * (b[0] - a[0])), m.y(a[1] + f * (b[1] - a[1])));
                }
            } else if (i < v.size()) {
                path.lineTo(m.x(b[0]), m.y(b[1]));
            }
        }
        path.closePath();
        return path;
    }

    private static void drawIntervalBand(Graphics2D g2, Mapper m, Overlay.Interval iv) {
        double x0 = m.x(iv.start());
        double x1 = m.x(iv.end());
        Rectangle2D band = new Rectangle2D.Double(Math.min(x0, x1), m.area().getMinY(),
                Math.max(Math.abs(x1 - x0), 1.0), m.area().getHeight());
        g2.setPaint(iv.removed() ? PlotStyle.REMOVED_FILL : PlotStyle.UNCERTAIN_FILL);
        g2.fill(band);
        g2.setPaint(iv.removed() ? PlotStyle.REMOVED_EDGE : PlotStyle.UNCERTAIN_EDGE);
        g2.setStroke(new java.awt.BasicStroke(0.6f));
        g2.draw(new Line2D.Double(band.getMinX(), band.getMinY(), band.getMinX(), band.getMaxY()));
        g2.draw(new Line2D.Double(band.getMaxX(), band.getMinY(), band.getMaxX(), band.getMaxY()));
    }

    // ---- labels ---------------------------------------------------------------------------------------------

    /**
     * A label: a name (plain; '\n' breaks it into lines) over a percentage (bold); either may be null. Each name
     * line's font (the gate-name font, or a face that can show it) is chosen once and used to measure and draw it.
     */
    private static final class Label {
        private final String pct;
        private final String[] lines;
        private final Font[] fonts;

        Label(String name, String pct) {
            this.pct = pct;
            this.lines = name == null ? new String[0] : name.split("\n", -1);
            this.fonts = new Font[lines.length];
            for (int i = 0; i < lines.length; i++) fonts[i] = PlotFonts.forText(PlotStyle.GATE_NAME_FONT, lines[i]);
        }

        double width(Graphics2D g2) {
            double w = 0;
            for (int i = 0; i < lines.length; i++) {
                w = Math.max(w, g2.getFontMetrics(fonts[i]).getStringBounds(lines[i], g2).getWidth());
            }
            if (pct != null) {
                w = Math.max(w, g2.getFontMetrics(PlotStyle.GATE_PCT_FONT).getStringBounds(pct, g2).getWidth());
            }
            return w + 2 * PAD;
        }

        double height(Graphics2D g2) {
            double h = 0;
            for (Font f : fonts) h += g2.getFontMetrics(f).getHeight();
            if (pct != null) h += g2.getFontMetrics(PlotStyle.GATE_PCT_FONT).getHeight();
            return h + PAD;
        }

        void draw(Graphics2D g2, Rectangle2D box) {
            g2.setPaint(PlotStyle.LABEL_BOX);
            g2.fill(box);
            g2.setPaint(PlotStyle.INK);
            double y = box.getMinY() + PAD / 2;
            for (int i = 0; i < lines.length; i++) y = line(g2, fonts[i], lines[i], box, y);
            if (pct != null) line(g2, PlotStyle.GATE_PCT_FONT, pct, box, y);
        }

        private static double line(Graphics2D g2, Font font, String s, Rectangle2D box, double top) {
            g2.setFont(font);
            FontMetrics fm = g2.getFontMetrics(font);
            double w = fm.getStringBounds(s, g2).getWidth();
            g2.drawString(s, (float) (box.getCenterX() - w / 2), (float) (top + fm.getAscent()));
            return top + fm.getHeight();
        }
    }

    private static void placeGateLabel(Graphics2D g2, Mapper m, String name, String pct, Rectangle2D gate,
            List<Rectangle2D> placed) {
        Label l = new Label(name, pct);
        double w = l.width(g2);
        double h = l.height(g2);
        Rectangle2D area = m.area();
        double cx = Math.max(area.getMinX(), Math.min(area.getMaxX(), gate.getCenterX()));
        List<Rectangle2D> candidates = new ArrayList<>();
        candidates.add(box(cx - w / 2, gate.getMinY() - h - 2, w, h));          // above the gate
        candidates.add(box(cx - w / 2, gate.getMaxY() + 2, w, h));              // below the gate
        candidates.add(box(cx - w / 2, gate.getMinY() + 2, w, h));              // inside, at the top
        candidates.add(box(gate.getMaxX() + 2, gate.getCenterY() - h / 2, w, h)); // right of the gate
        candidates.add(box(gate.getMinX() - w - 2, gate.getCenterY() - h / 2, w, h)); // left of the gate
        candidates.add(box(gate.getMinX() + 2, gate.getMinY() + 2, w, h));      // inside, top left
        candidates.add(box(gate.getMaxX() - w - 2, gate.getMinY() + 2, w, h));  // inside, top right
        candidates.add(box(cx - w / 2, gate.getMaxY() - h - 2, w, h));          // inside, at the bottom
        place(g2, m, l, candidates, placed);
    }

    private static void placeThresholdLabel(Graphics2D g2, Mapper m, Overlay.Threshold t, double at,
            List<Rectangle2D> placed) {
        Label l = new Label(t.name(), t.percentText());
        Rectangle2D area = m.area();
        List<Label> forms = new ArrayList<>(List.of(l));
        int cut = t.name() == null ? -1 : t.name().indexOf(" (");
        if (cut > 0) forms.add(new Label(t.name().substring(0, cut) + "\n" + t.name().substring(cut + 1), t.percentText()));
        if (t.axis() == Overlay.Axis.X) {
            // beside the line at the top; when the name gives a direction, on the gated side first ("viable < …":
            // left; "CD3+ >= …": right), even over bars, so the percentage sits over the population it counts; the
            // other side only when the gated side has no room. When neither side has room (a half-width dossier
            // figure with its line mid-plot), the method is also broken at its spaces ("(density" over
            // "negative_shoulder)"), rather than the label crossing its own line
            List<Spot> high = new ArrayList<>();
            List<Spot> low = new ArrayList<>();
            List<Spot> narrowHigh = new ArrayList<>();
            List<Spot> narrowLow = new ArrayList<>();
            for (Label f : forms) besideLine(g2, m, f, at, high, low);
            if (cut > 0 && t.name().indexOf(' ', cut + 1) > 0) {
                Label threeLines = new Label(t.name().substring(0, cut) + "\n"
                        + t.name().substring(cut + 1).replace(' ', '\n'), t.percentText());
                besideLine(g2, m, threeLines, at, narrowHigh, narrowLow);
            }
            boolean highFirst = t.gated().highFirst();
            List<List<Spot>> groups = new ArrayList<>();
            if (t.gated() == Overlay.Side.UNSTATED) { // either side, equally: one group (each width)
                groups.add(concat(high, low));
                groups.add(concat(narrowHigh, narrowLow));
            } else { // its own gated side first
                groups.add(highFirst ? high : low);
                groups.add(highFirst ? low : high);
                groups.add(highFirst ? narrowHigh : narrowLow);
                groups.add(highFirst ? narrowLow : narrowHigh);
            }
            groups.removeIf(List::isEmpty);
            placeSpots(g2, m, groups, placed);
            return;
        }
        List<Spot> spots = new ArrayList<>();
        for (Label f : forms) {
            double w = f.width(g2);
            double h = f.height(g2);
            spots.add(new Spot(f, box(area.getMaxX() - w - 3, at - h - 3, w, h))); // high side (above), right
            spots.add(new Spot(f, box(area.getMaxX() - w - 3, at + 3, w, h)));
        }
        placeSpots(g2, m, List.of(spots), placed);
    }

    /**
     * The places of a label beside a threshold line on x at Java2D {@code at}: at the top on either side ({@code hi},
     * {@code lo}), over a density also at the bottom, and squeezed between the line and the frame.
     */
    private static void besideLine(Graphics2D g2, Mapper m, Label f, double at, List<Spot> hi, List<Spot> lo) {
        Rectangle2D area = m.area();
        double w = f.width(g2);
        double h = f.height(g2);
        hi.add(new Spot(f, box(at + 3, area.getMinY() + 3, w, h)));
        lo.add(new Spot(f, box(at - w - 3, area.getMinY() + 3, w, h)));
        if (m.density() != null) { // over a density the bottom of the line may be clear where its top is not
            hi.add(new Spot(f, box(at + 3, area.getMaxY() - h - 3, w, h)));
            lo.add(new Spot(f, box(at - w - 3, area.getMaxY() - h - 3, w, h)));
        }
        double right = area.getMaxX() - w - 1;
        double left = area.getMinX() + 1;
        if (right > at + 0.5 && right < at + 3) hi.add(new Spot(f, box(right, area.getMinY() + 3, w, h)));
        if (left + w < at - 0.5 && left > at - w - 3) lo.add(new Spot(f, box(left, area.getMinY() + 3, w, h)));
    }

    /** Each of a quadrant gate's four labels in its own quadrant (see {@link #placeInQuadrant}). */
    private static void placeQuadrantLabels(Graphics2D g2, Mapper m, Overlay.Quadrant q, List<Rectangle2D> placed) {
        String[] texts = {q.upperLeft(), q.upperRight(), q.lowerLeft(), q.lowerRight()};
        double x = m.x(q.x());
        double y = m.y(q.y());
        for (int i = 0; i < 4; i++) {
            if (texts[i] == null) continue;
            // on one line, or, too wide for its quadrant, the population name above its percentage ("12.34 %")
            List<Label> forms = new ArrayList<>(List.of(new Label(null, texts[i])));
            java.util.regex.Matcher pm = NAME_AND_PERCENT.matcher(texts[i]);
            int cut = texts[i].lastIndexOf(' ');
            String name = pm.matches() ? pm.group(1) : cut > 0 ? texts[i].substring(0, cut) : null;
            String pct = pm.matches() ? pm.group(2) : cut > 0 ? texts[i].substring(cut + 1) : null;
            if (name != null) {
                forms.add(new Label(name, pct));
                // narrower still: one marker per line ("CD3-" over "CD56+" over "1.28 %")
                String stacked = MARKER_END.matcher(name).replaceAll("$1\n");
                if (!stacked.equals(name)) forms.add(new Label(stacked, pct));
            }
            placeInQuadrant(g2, m, forms, x, y, i % 2 == 1, i < 2, placed);
        }
    }

    /**
     * Places a label in the quadrant of the plot split at Java2D ({@code x}, {@code y}) on the {@code right} (else
     * left) and {@code top} (else bottom) side: in the corner that hides the fewest events, in the order the plot's
     * own corner, the corner along the plot's top or bottom edge, the one along its side, the one at the split; with
     * several {@code forms}, each is tried at each corner in the order given. When every corner hides events the
     * label may go anywhere in the quadrant. It reaches into another quadrant only when it fits nowhere in its own.
     */
    private static void placeInQuadrant(Graphics2D g2, Mapper m, List<Label> forms, double x, double y,
            boolean right, boolean top, List<Rectangle2D> placed) {
        Rectangle2D area = m.area();
        double sx = Math.max(area.getMinX(), Math.min(area.getMaxX(), x));
        double sy = Math.max(area.getMinY(), Math.min(area.getMaxY(), y));
        Rectangle2D quadrant = new Rectangle2D.Double(right ? sx : area.getMinX(), top ? area.getMinY() : sy,
                right ? area.getMaxX() - sx : sx - area.getMinX(), top ? sy - area.getMinY() : area.getMaxY() - sy);
        // corners as (outer in x, outer in y)
        boolean[][] corners = {{true, true}, {false, true}, {true, false}, {false, false}};
        double[] widths = new double[forms.size()];
        double[] heights = new double[forms.size()];
        for (int k = 0; k < widths.length; k++) {
            widths[k] = forms.get(k).width(g2);
            heights[k] = forms.get(k).height(g2);
        }
        List<Spot> within = new ArrayList<>();
        List<Spot> across = new ArrayList<>();
        for (boolean[] c : corners) {
            for (int k = 0; k < widths.length; k++) {
                Label f = forms.get(k);
                double w = widths[k];
                double h = heights[k];
                boolean atRight = right == c[0];
                boolean atTop = top == c[1];
                double bx = atRight ? quadrant.getMaxX() - w - 3 : quadrant.getMinX() + 3;
                double by = atTop ? quadrant.getMinY() + 3 : quadrant.getMaxY() - h - 3;
                Rectangle2D b = box(bx, by, w, h);
                (quadrant.contains(b) ? within : across).add(new Spot(f, b));
            }
        }
        for (int k = 0; k < widths.length; k++) {
            Label f = forms.get(k);
            double w = widths[k];
            double h = heights[k];
            for (int i = 0; i <= QUADRANT_SCAN; i++) {
                for (int j = 0; j <= QUADRANT_SCAN; j++) {
                    double bx = quadrant.getMinX() + 3 + (quadrant.getWidth() - w - 6) * j / QUADRANT_SCAN;
                    double by = quadrant.getMinY() + 3 + (quadrant.getHeight() - h - 6) * i / QUADRANT_SCAN;
                    Rectangle2D b = box(bx, by, w, h);
                    if (quadrant.contains(b)) within.add(new Spot(f, b));
                }
            }
        }
        List<List<Spot>> groups = new ArrayList<>();
        if (!within.isEmpty()) groups.add(within);
        if (!across.isEmpty()) groups.add(across);
        placeSpots(g2, m, groups, placed);
    }

    /**
     * An interval's label near the top of the plot, clear of the threshold lines on x ({@code lines}, Java2D) when
     * any position allows: within the band (centred on one line first, then on two lines, "plausible" over
     * "635–10,144", or against either edge); else centred across it; else starting inside it (beside a threshold
     * line in it, or against its left edge) and reaching out; else anywhere beside a line; else centred across the
     * band over the line.
     */
    private static void placeIntervalLabel(Graphics2D g2, Mapper m, Overlay.Interval iv, List<Double> lines,
            List<Rectangle2D> placed) {
        Rectangle2D area = m.area();
        double x0 = Math.min(m.x(iv.start()), m.x(iv.end()));
        double x1 = Math.max(m.x(iv.start()), m.x(iv.end()));
        double cx = (x0 + x1) / 2;
        List<Label> forms = new ArrayList<>(List.of(new Label(iv.name(), null)));
        int cut = iv.name().indexOf(' ');
        if (cut > 0) forms.add(new Label(iv.name().substring(0, cut) + "\n" + iv.name().substring(cut + 1), null));
        List<List<Spot>> groups = new ArrayList<>();
        for (int g = 0; g < 6; g++) groups.add(new ArrayList<>());
        for (int k = 0; k < forms.size(); k++) {
            Label l = forms.get(k);
            double w = l.width(g2);
            double h = l.height(g2);
            List<Double> xs = new ArrayList<>(List.of(cx - w / 2, x0 + 3, x1 - w - 3));
            for (double t : lines) {
                xs.add(t + 3);
                xs.add(t - w - 3);
            }
            for (int row = 0; row < 6; row++) {
                double y = area.getMinY() + 3 + row * (h + 2);
                for (int p = 0; p < xs.size(); p++) {
                    double x = xs.get(p);
                    boolean centred = k == 0 && p == 0;
                    boolean crosses = false;
                    for (double t : lines) crosses |= x < t && t < x + w;
                    int group;
                    if (crosses) group = centred ? 5 : -1;
                    else if (x >= x0 + 1 && x + w <= x1 - 1) group = centred ? 0 : 1;
                    else if (centred) group = 2;
                    else if (x >= x0 + 1 && x < x1 - 1) group = 3;
                    else group = 4;
                    if (group >= 0) groups.get(group).add(new Spot(l, box(x, y, w, h)));
                }
            }
        }
        groups.removeIf(List::isEmpty);
        placeSpots(g2, m, groups, placed);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Rectangle2D box(double x, double y, double w, double h) {
        return new Rectangle2D.Double(x, y, w, h);
    }

    /** A candidate position of a label: the label's form there and its box. */
    private record Spot(Label form, Rectangle2D box) { }

    /**
     * Draws the label at the candidate that fits inside the area without covering a placed label and hides the
     * least data (see {@link Mapper#cost}), the first of those that hide equally little; if none fits, slides the
     * first candidate down (then up) until it is clear of labels, and as a last resort uses it as is.
     */
    private static void place(Graphics2D g2, Mapper m, Label l, List<Rectangle2D> candidates,
            List<Rectangle2D> placed) {
        List<Spot> spots = new ArrayList<>(candidates.size());
        for (Rectangle2D c : candidates) spots.add(new Spot(l, c));
        placeSpots(g2, m, List.of(spots), placed);
    }

    /**
     * Draws a label at the best of its candidate spots (as {@link #place(Graphics2D, Mapper, Label, List, List)}, each
     * spot with its own form of the label), over groups in order of preference: a later group is tried only when no
     * spot of the earlier ones fits inside the frame and clear of the other labels.
     */
    private static void placeSpots(Graphics2D g2, Mapper m, List<List<Spot>> groups, List<Rectangle2D> placed) {
        Rectangle2D area = m.area();
        Spot chosen = null;
        for (int g = 0; g < groups.size() && chosen == null; g++) {
            int best = Integer.MAX_VALUE;
            for (Spot s : groups.get(g)) {
                Rectangle2D in = inside(s.box(), area);
                if (!in.equals(s.box()) || !clear(in, placed)) continue;
                int cost = m.cost(in);
                if (cost < best) {
                    best = cost;
                    chosen = s;
                    if (cost == 0) break;
                }
            }
        }
        Rectangle2D at = chosen == null ? null : chosen.box();
        Label form = chosen == null ? groups.get(0).get(0).form() : chosen.form();
        if (at == null) {
            Rectangle2D first = inside(groups.get(0).get(0).box(), area);
            double h = first.getHeight() + 1;
            for (int k = 1; k < 40 && at == null; k++) {
                for (int sign : new int[] {1, -1}) {
                    Rectangle2D moved = inside(box(first.getX(), first.getY() + sign * k * h / 2, first.getWidth(),
                            first.getHeight()), area);
                    if (clear(moved, placed)) {
                        at = moved;
                        break;
                    }
                }
            }
            if (at == null) at = first;
        }
        form.draw(g2, at);
        placed.add(at);
    }

    private static Rectangle2D inside(Rectangle2D r, Rectangle2D area) {
        double x = Math.max(area.getMinX() + 1, Math.min(area.getMaxX() - r.getWidth() - 1, r.getX()));
        double y = Math.max(area.getMinY() + 1, Math.min(area.getMaxY() - r.getHeight() - 1, r.getY()));
        return new Rectangle2D.Double(x, y, r.getWidth(), r.getHeight());
    }

    private static boolean clear(Rectangle2D r, List<Rectangle2D> placed) {
        for (Rectangle2D p : placed) if (p.intersects(r)) return false;
        return true;
    }

    @Override
    public boolean equals(Object obj) { return obj == this; }

    @Override
    public int hashCode() { return System.identityHashCode(this); }
}
