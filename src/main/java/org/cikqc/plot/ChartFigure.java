package org.cikqc.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.JFreeChart;

/** A {@link Figure} drawn by a JFreeChart built afresh for every draw (no shared mutable state). */
abstract class ChartFigure implements Figure {
    private final String title;
    private final List<Overlay> overlays;

    ChartFigure(String title, List<Overlay> overlays) {
        this.title = title == null ? "" : title;
        this.overlays = List.copyOf(overlays);
    }

    @Override
    public String title() { return title; }

    List<Overlay> overlays() { return overlays; }

    /** Builds the chart to draw. */
    abstract JFreeChart chart();

    @Override
    public void draw(Graphics2D g2, Rectangle2D area) {
        chart().draw(g2, area);
    }

    @Override
    public List<String> describeOverlays() {
        List<String> out = new ArrayList<>(overlays.size());
        for (Overlay o : overlays) out.add(o.describe());
        return out;
    }
}
