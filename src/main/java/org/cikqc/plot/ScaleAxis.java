package org.cikqc.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.TextAttribute;
import java.awt.geom.Rectangle2D;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A JFreeChart axis over display units whose ticks come from an {@link AxisScale}: positioned in display units,
 * labelled in data units, exponents drawn as real superscripts.
 */
final class ScaleAxis extends NumberAxis {
    private static final long serialVersionUID = 1L;

    private final transient AxisScale scale;

    ScaleAxis(AxisScale scale, double displayLo, double displayHi) {
        super(scale.label());
        this.scale = scale;
        setAutoRange(false);
        setRange(displayLo, displayHi);
        setLabelFont(PlotStyle.AXIS_LABEL_FONT);
        setTickLabelFont(PlotStyle.TICK_FONT);
        setTickMarkOutsideLength(4f);
        setTickMarkInsideLength(0f);
        setMinorTickMarksVisible(true);
        setMinorTickMarkOutsideLength(2f);
        setMinorTickMarkInsideLength(0f);
        setAxisLinePaint(PlotStyle.INK);
        setTickMarkPaint(PlotStyle.INK);
        setTickLabelPaint(PlotStyle.INK);
        setLabelPaint(PlotStyle.INK);
    }

    @Override
    public List<ValueTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        TextAnchor anchor = RectangleEdge.isTopOrBottom(edge)
                ? (edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER)
                : (edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT);
        List<ValueTick> out = new ArrayList<>();
        for (AxisTick t : scale.ticks(getLowerBound(), getUpperBound())) {
            if (t.major()) {
                out.add(new LogTick(TickType.MAJOR, t.display(), label(t, getTickLabelFont()), anchor));
            } else {
                out.add(new NumberTick(TickType.MINOR, t.display(), "", anchor, anchor, 0.0));
            }
        }
        return out;
    }

    private static AttributedString label(AxisTick t, Font font) {
        String text = t.text() + (t.superscript() == null ? "" : t.superscript());
        AttributedString as = new AttributedString(text);
        Map<TextAttribute, ?> attrs = font.getAttributes();
        as.addAttributes(attrs, 0, text.length());
        if (t.superscript() != null) {
            int from = t.text().length();
            as.addAttribute(TextAttribute.SUPERSCRIPT, TextAttribute.SUPERSCRIPT_SUPER, from, text.length());
            as.addAttribute(TextAttribute.SIZE, font.getSize2D() * 0.8f, from, text.length());
        }
        return as;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ScaleAxis other && super.equals(obj) && other.scale.equals(scale);
    }

    @Override
    public int hashCode() { return super.hashCode(); }
}
