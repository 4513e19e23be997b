package org.cikqc.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/**
 * A Bland–Altman plot: for each sample the difference of two methods against their mean, with the mean difference
 * (bias), the 95 % limits of agreement, zero and, when given, the regression line of the differences on the means
 * (proportional bias). Samples outside the limits carry their names. Aspect 4:3.
 */
public final class BlandAltmanPlot extends ChartFigure {
    private static final Color POINT = new Color(0x2B, 0x4C, 0x7E);
    private static final Color POINT_FILL = new Color(0x2B, 0x4C, 0x7E, 150);
    private static final Color BIAS = new Color(0x00, 0x72, 0xB2);
    private static final Color LIMIT = new Color(0xD5, 0x5E, 0x00);
    private static final Color TREND = new Color(0x55, 0x55, 0x55);
    private static final Stroke DOTTED = new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {1.5f, 2.5f}, 0f);
    private static final Stroke DASH_DOT = new BasicStroke(0.9f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 2.5f, 1.5f, 2.5f}, 0f);

    /** One sample: mean of the two methods, their difference, its name. */
    private record Point(double mean, double difference, String name) { }

    private final String xLabel;
    private final String yLabel;
    private final String subtitle;
    private final List<Point> points;
    private final double bias;
    private final double loaLow;
    private final double loaHigh;
    private final double slope;
    private final double intercept;

    private BlandAltmanPlot(Builder b) {
        super(b.title, b.overlays);
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.subtitle = b.subtitle;
        this.points = List.copyOf(b.points);
        this.bias = b.bias;
        this.loaLow = b.loaLow;
        this.loaHigh = b.loaHigh;
        this.slope = b.slope;
        this.intercept = b.intercept;
    }

    /** Starts a plot with the given axis titles (the mean's and the difference's). */
    public static Builder builder(String title, String xLabel, String yLabel) {
        return new Builder(title, xLabel, yLabel);
    }

    @Override
    public double aspectRatio() { return 4.0 / 3.0; }

    @Override
    JFreeChart chart() {
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = 0;
        double y1 = 0;
        for (Point p : points) {
            x0 = Math.min(x0, p.mean());
            x1 = Math.max(x1, p.mean());
            y0 = Math.min(y0, p.difference());
            y1 = Math.max(y1, p.difference());
        }
        for (double v : new double[] {bias, loaLow, loaHigh}) {
            if (Double.isFinite(v)) {
                y0 = Math.min(y0, v);
                y1 = Math.max(y1, v);
            }
        }
        if (!(x1 >= x0)) {
            x0 = 0;
            x1 = 100;
        }
        // room on the left and right for the points, at the right for the line labels
        double xs = Math.max(10, x1 - x0);
        double ys = Math.max(1, y1 - y0);
        ScaleAxis xa = new ScaleAxis(AxisScale.linear(xLabel), x0 - 0.08 * xs, x1 + 0.3 * xs);
        ScaleAxis ya = new ScaleAxis(AxisScale.linear(yLabel), y0 - 0.12 * ys, y1 + 0.12 * ys);
        XYPlot plot = PlotStyle.plot(xa, ya);
        plot.addAnnotation(new Marks(), false);
        return PlotStyle.chart(title(), subtitle, plot);
    }

    /** Draws the reference lines with their labels, the regression line and the points. */
    private final class Marks extends ClippedLayer {
        private static final long serialVersionUID = 1L;

        @Override
        void paint(Graphics2D g2, Frame f) {
            Font font = PlotFonts.forText(PlotStyle.GATE_NAME_FONT, "−+0123456789.SDbiaszero" + names());
            g2.setFont(font);
            FontMetrics fm = g2.getFontMetrics();
            line(g2, f, 0, Color.GRAY, DOTTED, null, fm);
            if (Double.isFinite(loaLow)) {
                line(g2, f, loaHigh, LIMIT, PlotStyle.THRESHOLD_STROKE, "+1.96 SD " + num(loaHigh), fm);
                line(g2, f, loaLow, LIMIT, PlotStyle.THRESHOLD_STROKE, "−1.96 SD " + num(loaLow), fm);
            }
            if (Double.isFinite(bias)) line(g2, f, bias, BIAS, new BasicStroke(1.2f), "bias " + num(bias), fm);
            if (Double.isFinite(slope) && Double.isFinite(intercept) && !points.isEmpty()) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (Point p : points) {
                    lo = Math.min(lo, p.mean());
                    hi = Math.max(hi, p.mean());
                }
                g2.setPaint(TREND);
                g2.setStroke(DASH_DOT);
                g2.draw(new Line2D.Double(f.x(lo), f.y(intercept + slope * lo), f.x(hi), f.y(intercept + slope * hi)));
            }
            double r = 2.4;
            for (Point p : points) {
                Ellipse2D dot = new Ellipse2D.Double(f.x(p.mean()) - r, f.y(p.difference()) - r, 2 * r, 2 * r);
                g2.setPaint(POINT_FILL);
                g2.fill(dot);
                g2.setPaint(POINT);
                g2.setStroke(new BasicStroke(0.6f));
                g2.draw(dot);
            }
            // the samples outside the limits, named beside their points
            g2.setPaint(PlotStyle.INK);
            for (Point p : points) {
                if (!Double.isFinite(loaLow) || (p.difference() >= loaLow && p.difference() <= loaHigh)) continue;
                if (p.name().isEmpty()) continue;
                double w = fm.stringWidth(p.name());
                double lx = f.x(p.mean()) + r + 2;
                if (lx + w > f.area().getMaxX() - 2) lx = f.x(p.mean()) - r - 2 - w; // left of a point near the edge
                g2.drawString(p.name(), (float) lx, (float) (f.y(p.difference()) + fm.getAscent() / 2.0 - 1));
            }
        }

        private String names() {
            StringBuilder sb = new StringBuilder();
            for (Point p : points) sb.append(p.name());
            return sb.toString();
        }

        /** A horizontal line across the plot at {@code y}, labelled at its right end above the line. */
        private void line(Graphics2D g2, Frame f, double y, Color c, Stroke s, String label, FontMetrics fm) {
            double py = f.y(y);
            Rectangle2D area = f.area();
            g2.setPaint(c);
            g2.setStroke(s);
            g2.draw(new Line2D.Double(area.getMinX(), py, area.getMaxX(), py));
            if (label == null) return;
            double w = fm.stringWidth(label);
            double lx = area.getMaxX() - 4 - w;
            double ly = py - 2 - fm.getDescent();
            g2.setPaint(PlotStyle.LABEL_BOX);
            g2.fill(new Rectangle2D.Double(lx - 1, ly - fm.getAscent(), w + 2, fm.getAscent() + fm.getDescent()));
            g2.setPaint(c);
            g2.drawString(label, (float) lx, (float) ly);
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%+.2f", v).replace('-', '−');
    }

    /** Collects the parts of a {@link BlandAltmanPlot}. */
    public static final class Builder extends ChartFigure.Parts<Builder> {
        private final String xLabel;
        private final String yLabel;
        private final List<Point> points = new ArrayList<>();
        private double bias = Double.NaN;
        private double loaLow = Double.NaN;
        private double loaHigh = Double.NaN;
        private double slope = Double.NaN;
        private double intercept = Double.NaN;

        private Builder(String title, String xLabel, String yLabel) {
            super(title);
            this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
            this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
        }

        @Override
        Builder self() { return this; }

        /** Adds a sample: the mean of the two methods, their difference and its name (may be empty). */
        public Builder point(double mean, double difference, String name) {
            if (!Double.isFinite(mean) || !Double.isFinite(difference)) {
                throw new IllegalArgumentException("a point must be finite, got " + mean + ", " + difference);
            }
            points.add(new Point(mean, difference, Objects.requireNonNull(name, "name")));
            return this;
        }

        /** The mean difference and the 95 % limits of agreement (NaN limits: none drawn). */
        public Builder bias(double meanDifference, double low, double high) {
            this.bias = meanDifference;
            this.loaLow = low;
            this.loaHigh = high;
            return this;
        }

        /** The regression line of the differences on the means (NaN: none drawn). */
        public Builder trend(double slopeValue, double interceptValue) {
            this.slope = slopeValue;
            this.intercept = interceptValue;
            return this;
        }

        /** The finished figure. */
        public BlandAltmanPlot build() { return new BlandAltmanPlot(this); }
    }
}
