package org.cikqc.plot;

import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;

import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;

/**
 * What a figure draws over its plot in Java2D space, clipped to the data area (the clip restored afterwards). Built
 * afresh for every draw, so it equals only itself.
 */
abstract class ClippedLayer extends AbstractXYAnnotation {
    private static final long serialVersionUID = 1L;

    /** The data area and its axes: where a data value lies in Java2D space. */
    record Frame(Rectangle2D area, ValueAxis domain, ValueAxis range, RectangleEdge xEdge, RectangleEdge yEdge) {
        double x(double v) { return domain.valueToJava2D(v, area, xEdge); }

        double y(double v) { return range.valueToJava2D(v, area, yEdge); }
    }

    @Override
    public final void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domain, ValueAxis range,
                           int rendererIndex, PlotRenderingInfo info) {
        Shape oldClip = g2.getClip();
        g2.clip(area);
        try {
            paint(g2, new Frame(area, domain, range, plot.getDomainAxisEdge(), plot.getRangeAxisEdge()));
        } finally {
            g2.setClip(oldClip);
        }
    }

    /** Draws the layer; {@code g2} is clipped to the data area. */
    abstract void paint(Graphics2D g2, Frame f);

    @Override
    public boolean equals(Object obj) { return obj == this; }

    @Override
    public int hashCode() { return System.identityHashCode(this); }
}
