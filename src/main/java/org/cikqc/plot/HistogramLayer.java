package org.cikqc.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;

/** Draws a {@link Histogram1D} as one filled step outline (a single vector path, small in SVG/PDF). */
final class HistogramLayer extends AbstractXYAnnotation {
    private static final long serialVersionUID = 1L;

    private final transient Histogram1D histogram;
    private final transient Color fill;
    private final transient Color line;

    HistogramLayer(Histogram1D histogram, Color fill, Color line) {
        this.histogram = histogram;
        this.fill = fill;
        this.line = line;
    }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
            int rendererIndex, PlotRenderingInfo info) {
        var xe = plot.getDomainAxisEdge();
        var ye = plot.getRangeAxisEdge();
        double base = rangeAxis.valueToJava2D(0, dataArea, ye);
        // the outline is open (no drop to the baseline at the ends); the fill closes it along the baseline
        Path2D.Double outline = new Path2D.Double();
        for (int i = 0; i < histogram.bins(); i++) {
            double y = rangeAxis.valueToJava2D(histogram.count(i), dataArea, ye);
            double x0 = domainAxis.valueToJava2D(histogram.binLow(i), dataArea, xe);
            if (i == 0) outline.moveTo(x0, y);
            else outline.lineTo(x0, y);
            outline.lineTo(domainAxis.valueToJava2D(histogram.binHigh(i), dataArea, xe), y);
        }
        Path2D.Double area = new Path2D.Double(outline);
        area.lineTo(domainAxis.valueToJava2D(histogram.binHigh(histogram.bins() - 1), dataArea, xe), base);
        area.lineTo(domainAxis.valueToJava2D(histogram.binLow(0), dataArea, xe), base);
        area.closePath();
        java.awt.Shape oldClip = g2.getClip();
        g2.clip(dataArea);
        if (fill != null) {
            g2.setPaint(fill);
            g2.fill(area);
        }
        g2.setPaint(line);
        g2.setStroke(new BasicStroke(0.9f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        g2.draw(outline);
        g2.setClip(oldClip);
    }

    @Override
    public boolean equals(Object obj) { return obj == this; }

    @Override
    public int hashCode() { return System.identityHashCode(this); }
}
