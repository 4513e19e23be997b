package org.cikqc.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.JFreeChart;

/** A {@link Figure} drawn by a JFreeChart built afresh for every draw (no shared mutable state). */
abstract class ChartFigure implements Figure {
    static {
        // JFreeChart draws rotated text (the y-axis title) through a TextLayout by default, a work-around for
        // JDKs long gone, which SVG and PDF pages receive as glyph outlines; drawn as a string it stays text.
        // Set here, where every chart is drawn, so PNG, SVG and PDF output never depend on which class loaded first
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

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

    /**
     * What every figure builder collects: the title, a subtitle and the overlays.
     *
     * @param <B> the concrete builder, returned by the chained setters
     */
    abstract static class Parts<B extends Parts<B>> {
        final String title;
        final List<Overlay> overlays = new ArrayList<>();
        String subtitle;

        Parts(String title) {
            this.title = java.util.Objects.requireNonNull(title, "title");
        }

        abstract B self();

        /** A small line under the title (e.g. "parent: Singlets, 48,210 events"). */
        public B subtitle(String text) {
            this.subtitle = text;
            return self();
        }

        /** Adds one overlay (drawn in the order added). */
        public B overlay(Overlay o) {
            overlays.add(java.util.Objects.requireNonNull(o, "overlay"));
            return self();
        }

        /** Adds overlays (drawn in the order given). */
        public B overlays(java.util.Collection<? extends Overlay> os) {
            for (Overlay o : os) overlay(o);
            return self();
        }
    }
}
