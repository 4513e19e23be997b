package org.cikqc.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;

/** Fonts (see {@link PlotFonts}), colours and the common chart set-up of every figure (one look across PNG, SVG and PDF). */
final class PlotStyle {
    static final Color INK = new Color(0x20, 0x20, 0x20);
    static final Color GATE = Color.BLACK;
    /** Behind label text: translucent, so the data under a label that could not avoid any stays visible. */
    static final Color LABEL_BOX = new Color(255, 255, 255, 170);
    static final Color HISTOGRAM_FILL = new Color(0x9E, 0xB9, 0xD4);
    static final Color HISTOGRAM_LINE = new Color(0x2B, 0x4C, 0x7E);
    static final Color REMOVED_FILL = new Color(220, 40, 40, 55);
    static final Color REMOVED_EDGE = new Color(200, 30, 30);
    /** Where an uncertain threshold could be (amber). */
    static final Color UNCERTAIN_FILL = new Color(235, 165, 20, 55);
    static final Color UNCERTAIN_EDGE = new Color(205, 135, 0);
    static final Font TITLE_FONT = PlotFonts.bold(11);
    static final Font SUBTITLE_FONT = PlotFonts.regular(8);
    static final Font AXIS_LABEL_FONT = PlotFonts.regular(10);
    static final Font TICK_FONT = PlotFonts.regular(8);
    static final Font GATE_NAME_FONT = PlotFonts.regular(8);
    static final Font GATE_PCT_FONT = PlotFonts.bold(9);
    static final Stroke GATE_STROKE = new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke THRESHOLD_STROKE = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {4f, 3f}, 0f);

    private PlotStyle() { }

    /**
     * Every font a figure measures or draws text with: the fonts above, a tick exponent's, and the platform
     * sans-serif that stands in for each when a text needs glyphs the bundled face lacks ({@link PlotFonts#forText}).
     */
    static List<Font> fonts() {
        List<Font> base = List.of(TITLE_FONT, SUBTITLE_FONT, AXIS_LABEL_FONT, TICK_FONT,
                ScaleAxis.exponentFont(TICK_FONT), GATE_NAME_FONT, GATE_PCT_FONT);
        List<Font> all = new ArrayList<>(base);
        for (Font f : base) all.add(PlotFonts.standIn(f));
        return all;
    }

    /** An XY plot with white background, no grid, black outline and the given axes. */
    static XYPlot plot(ValueAxis x, ValueAxis y) {
        XYPlot plot = new XYPlot(null, x, y, null);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlinePaint(INK);
        plot.setOutlineStroke(new BasicStroke(0.8f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setInsets(new RectangleInsets(4, 4, 4, 10));
        return plot;
    }

    /** A chart around {@code plot} with title, optional subtitle and deterministic rendering hints. */
    static JFreeChart chart(String title, String subtitle, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, PlotFonts.forText(TITLE_FONT, title), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 4, 4, 4));
        chart.getTitle().setPaint(INK);
        if (subtitle != null && !subtitle.isBlank()) {
            TextTitle sub = new TextTitle(subtitle, PlotFonts.forText(SUBTITLE_FONT, subtitle));
            sub.setPaint(INK);
            chart.addSubtitle(sub);
        }
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.getRenderingHints().put(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        chart.getRenderingHints().put(RenderingHints.KEY_INTERPOLATION,
                RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        return chart;
    }
}
