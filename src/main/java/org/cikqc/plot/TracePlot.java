package org.cikqc.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/**
 * Lines of values against a common x axis (e.g. each channel's per-bin median over acquisition time), with a zero
 * line, a legend and shaded intervals (the segments acquisition QC removed). Non-finite values leave a gap.
 * Wide (aspect 2.4 by default).
 */
public final class TracePlot extends ChartFigure {
    /** Line colours, in order (Okabe–Ito, distinguishable in colour-blind vision and in grey). */
    private static final Color[] PALETTE = {new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00),
        new Color(0x00, 0x9E, 0x73), new Color(0xCC, 0x79, 0xA7), new Color(0xE6, 0x9F, 0x00),
        new Color(0x56, 0xB4, 0xE9), new Color(0x00, 0x00, 0x00), new Color(0xF0, 0xE4, 0x42)};

    /** One line: its name and points (x in data units of the x axis; NaN y for a gap). */
    private record Series(String name, double[] x, double[] y) { }

    private final AxisScale x;
    private final String yLabel;
    private final String subtitle;
    /** Width/height ratio: a wide figure, one time axis under the traces. */
    private static final double ASPECT_RATIO = 2.4;
    private final List<Series> series;

    private TracePlot(Builder b) {
        super(b.title, b.overlays);
        this.x = b.x;
        this.yLabel = b.yLabel;
        this.subtitle = b.subtitle;
        this.series = List.copyOf(b.series);
    }

    /** Starts a trace plot with the given x axis and y axis title. */
    public static Builder builder(String title, AxisScale x, String yLabel) {
        return new Builder(title, x, yLabel);
    }

    @Override
    public double aspectRatio() { return ASPECT_RATIO; }

    @Override
    JFreeChart chart() {
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = 0;
        double y1 = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double dx = x.toDisplay(s.x()[i]);
                if (!Double.isFinite(dx) || !Double.isFinite(s.y()[i])) continue;
                x0 = Math.min(x0, dx);
                x1 = Math.max(x1, dx);
                y0 = Math.min(y0, s.y()[i]);
                y1 = Math.max(y1, s.y()[i]);
            }
        }
        if (!(x1 > x0)) {
            x0 = 0;
            x1 = 1;
        }
        // at least ±0.1; room at the top for the interval labels and at the bottom for the legend (about three
        // names a row)
        double span = Math.max(0.2, y1 - y0);
        int rows = (series.size() + 2) / 3;
        double lo = y0 - (0.08 + 0.2 * rows) * span;
        double hi = y1 + 0.25 * span;
        ScaleAxis xa = new ScaleAxis(x, x0, x1);
        AxisScale yScale = AxisScale.linear(yLabel);
        ScaleAxis ya = new ScaleAxis(yScale, lo, hi);
        XYPlot plot = PlotStyle.plot(xa, ya);
        if (!overlays().isEmpty()) plot.addAnnotation(new OverlayLayer(overlays(), x, yScale), false);
        plot.addAnnotation(new Lines(), false);
        return PlotStyle.chart(title(), subtitle, plot);
    }

    /** Draws the zero line, every series and the legend. */
    private final class Lines extends ClippedLayer {
        private static final long serialVersionUID = 1L;

        @Override
        void paint(Graphics2D g2, Frame f) {
            Rectangle2D area = f.area();
            double zero = f.y(0);
            g2.setPaint(Color.GRAY);
            g2.setStroke(PlotStyle.THRESHOLD_STROKE);
            g2.draw(new Line2D.Double(area.getMinX(), zero, area.getMaxX(), zero));
            g2.setStroke(new BasicStroke(1.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                Path2D.Double path = new Path2D.Double();
                boolean open = false;
                for (int i = 0; i < s.x().length; i++) {
                    double dx = x.toDisplay(s.x()[i]);
                    if (!Double.isFinite(dx) || !Double.isFinite(s.y()[i])) {
                        open = false;
                        continue;
                    }
                    double px = f.x(dx);
                    double py = f.y(s.y()[i]);
                    if (open) path.lineTo(px, py);
                    else path.moveTo(px, py);
                    open = true;
                }
                g2.setPaint(PALETTE[k % PALETTE.length]);
                g2.draw(path);
            }
            // legend: rows of coloured names at the bottom left, below the lines
            StringBuilder names = new StringBuilder();
            for (Series sr : series) names.append(sr.name());
            Font font = PlotFonts.forText(PlotStyle.GATE_NAME_FONT, names.toString());
            g2.setFont(font);
            FontMetrics fm = g2.getFontMetrics();
            List<double[]> at = new ArrayList<>();
            double lx = area.getMinX() + 6;
            int row = 0;
            for (int k = 0; k < series.size(); k++) {
                double w = fm.stringWidth(series.get(k).name()) + 16;
                if (lx + w > area.getMaxX() - 4 && lx > area.getMinX() + 6) {
                    lx = area.getMinX() + 6;
                    row++;
                }
                at.add(new double[] {lx, row, w});
                lx += w + 6;
            }
            for (int k = 0; k < series.size(); k++) {
                String name = series.get(k).name();
                double w = at.get(k)[2];
                lx = at.get(k)[0];
                double ly = area.getMaxY() - 4 - fm.getDescent() - (row - at.get(k)[1]) * fm.getHeight();
                g2.setPaint(PlotStyle.LABEL_BOX);
                g2.fill(new Rectangle2D.Double(lx - 2, ly - fm.getAscent(), w, fm.getHeight()));
                g2.setPaint(PALETTE[k % PALETTE.length]);
                g2.setStroke(new BasicStroke(1.6f));
                double my = ly - fm.getAscent() / 2.0;
                g2.draw(new Line2D.Double(lx, my, lx + 10, my));
                g2.setPaint(PlotStyle.INK);
                g2.drawString(name, (float) (lx + 13), (float) ly);
            }
        }
    }

    /** Collects the parts of a {@link TracePlot}. */
    public static final class Builder extends ChartFigure.Parts<Builder> {
        private final AxisScale x;
        private final String yLabel;
        private final List<Series> series = new ArrayList<>();

        private Builder(String title, AxisScale x, String yLabel) {
            super(title);
            this.x = Objects.requireNonNull(x, "x");
            this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
        }

        @Override
        Builder self() { return this; }

        /** Adds a line: points (x[i], y[i]) in x-axis data units; a non-finite y leaves a gap. */
        public Builder series(String name, double[] x, double[] y) {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length");
            series.add(new Series(name, x.clone(), y.clone()));
            return this;
        }

        /** Marks {@code [start, end)} (x data units) as removed by the named rule. */
        public Builder removed(String ruleName, double start, double end) {
            return overlay(Overlay.interval(Objects.requireNonNull(ruleName, "ruleName"), start, end));
        }

        /** The finished figure. */
        public TracePlot build() { return new TracePlot(this); }
    }
}
