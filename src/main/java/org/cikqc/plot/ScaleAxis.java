package org.cikqc.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A JFreeChart axis over display units whose ticks come from an {@link AxisScale}: positioned in display units,
 * labelled in data units, exponents drawn as real superscripts.
 *
 * <p>Tick labels are drawn as two plain strings (the base, then the exponent in a smaller font, raised), not as
 * one attributed string: JFreeChart lays attributed labels out with a {@code TextLayout}, which SVG and PDF
 * targets receive as glyph outlines, so "10³" would not be text in the SVG (nor searchable, nor selectable).
 */
final class ScaleAxis extends NumberAxis {
    private static final long serialVersionUID = 1L;
    /** The least space between the ink of two decade labels on a vertical axis, points. */
    private static final double LABEL_GAP_VERTICAL = 3;
    /** The least space between the ink of two decade labels on a horizontal axis, points. */
    private static final double LABEL_GAP_HORIZONTAL = 6;

    private final transient AxisScale scale;

    ScaleAxis(AxisScale scale, double displayLo, double displayHi) {
        super(scale.label());
        this.scale = scale;
        setAutoRange(false);
        setRange(displayLo, displayHi);
        setLabelFont(PlotFonts.forText(PlotStyle.AXIS_LABEL_FONT, scale.label()));
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
        List<AxisTick> ticks = scale.ticks(getLowerBound(), getUpperBound());
        if (scale.tickStyle() == AxisScale.TickStyle.DECADES) ticks = fitDecadeLabels(ticks, g2, dataArea, edge);
        List<ValueTick> out = new ArrayList<>();
        for (AxisTick t : ticks) {
            if (t.major()) {
                out.add(new ScaleTick(t, anchor));
            } else {
                out.add(new NumberTick(TickType.MINOR, t.display(), "", anchor, anchor, 0.0));
            }
        }
        return out;
    }

    /**
     * The decade ticks with the labels that fit on this axis as drawn: each label's ink, placed as
     * {@link #drawLabel} places it, must keep a small gap to every label kept before it (see {@link Ticks#fitLabels}).
     */
    private List<AxisTick> fitDecadeLabels(List<AxisTick> ticks, Graphics2D g2, Rectangle2D dataArea,
            RectangleEdge edge) {
        Font font = getTickLabelFont();
        FontRenderContext frc = g2.getFontRenderContext();
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        double digits = digitHeight(font, frc);
        return Ticks.fitLabels(ticks, t -> {
            double at = valueToJava2D(t.display(), dataArea, edge);
            Rectangle2D b = labelBounds(t, font, frc);
            // vertical axes centre the digits on the tick (baseline at + digits / 2); horizontal ones centre the ink
            return vertical ? new double[] {at + digits / 2 + b.getMinY(), at + digits / 2 + b.getMaxY()}
                    : new double[] {at - b.getWidth() / 2, at + b.getWidth() / 2};
        }, vertical ? LABEL_GAP_VERTICAL : LABEL_GAP_HORIZONTAL, Math.abs(getUpperBound() - getLowerBound()));
    }

    /** The height of the digits above the baseline: one measure for every label of an axis. */
    private static double digitHeight(Font font, FontRenderContext frc) {
        return -font.createGlyphVector(frc, "0123456789").getVisualBounds().getY();
    }

    /** A major tick that keeps its {@link AxisTick} (base text and exponent) for drawing. */
    private static final class ScaleTick extends NumberTick {
        private static final long serialVersionUID = 1L;
        private final transient AxisTick tick;

        ScaleTick(AxisTick tick, TextAnchor anchor) {
            super(TickType.MAJOR, tick.display(),
                    tick.text() + (tick.superscript() == null ? "" : tick.superscript()), anchor, anchor, 0.0);
            this.tick = tick;
        }
    }

    /** Exponent size and rise, as fractions of the tick label font size. */
    private static final float EXPONENT_SIZE = 0.75f;
    private static final float EXPONENT_RISE = 0.42f;

    /**
     * Ink bounds of a tick label drawn by {@link #drawLabel}, relative to the base's baseline origin (y down).
     * Measured from glyph vectors; nothing is drawn.
     */
    private static Rectangle2D labelBounds(AxisTick t, Font font, FontRenderContext frc) {
        Rectangle2D b = font.createGlyphVector(frc, t.text()).getVisualBounds();
        Exponent e = exponent(t, font, frc);
        if (e == null) return b;
        Rectangle2D s = e.font().createGlyphVector(frc, t.superscript()).getVisualBounds();
        Rectangle2D out = (Rectangle2D) b.clone();
        out.add(new Rectangle2D.Double(s.getX() + e.dx(), s.getY() + e.dy(), s.getWidth(), s.getHeight()));
        return out;
    }

    /** Where a tick's exponent goes, relative to the base's baseline origin (y down), and its font. */
    private record Exponent(Font font, float dx, float dy) { }

    /** The exponent of {@code t} after its base, raised and smaller; null when it has none. */
    private static Exponent exponent(AxisTick t, Font font, FontRenderContext frc) {
        if (t.superscript() == null) return null;
        return new Exponent(exponentFont(font), (float) font.getStringBounds(t.text(), frc).getWidth(),
                -font.getSize2D() * EXPONENT_RISE);
    }

    /** The font of a tick label's exponent: the label's font, smaller. */
    static Font exponentFont(Font font) {
        return font.deriveFont(font.getSize2D() * EXPONENT_SIZE);
    }

    /**
     * Draws a tick label with {@code drawString} only. Horizontally its ink (exponent included) is placed at x by
     * {@code anchor}; vertically every label of an axis shares one baseline: a top anchor puts the top of a raised
     * exponent at y (labels without one sit on the same baseline), a bottom anchor the baseline itself, a centre
     * anchor the middle of the digits ({@code digits}: their height above the baseline).
     */
    private static void drawLabel(Graphics2D g2, AxisTick t, Font font, double digits, float x, float y,
                                  TextAnchor anchor) {
        FontRenderContext frc = g2.getFontRenderContext();
        Rectangle2D r = labelBounds(t, font, frc);
        double ox;
        if (anchor.isLeft()) {
            ox = x - r.getX();
        } else if (anchor.isRight()) {
            ox = x - r.getMaxX();
        } else {
            ox = x - r.getCenterX();
        }
        double oy;
        if (anchor.isTop()) {
            double exponentTop = font.getSize2D() * EXPONENT_RISE + digits * EXPONENT_SIZE;
            oy = y + Math.max(digits, exponentTop);
        } else if (anchor.isBottom()) {
            oy = y;
        } else {
            oy = y + digits / 2;
        }
        g2.setFont(font);
        g2.drawString(t.text(), (float) ox, (float) oy);
        Exponent e = exponent(t, font, frc);
        if (e != null) {
            g2.setFont(e.font());
            g2.drawString(t.superscript(), (float) ox + e.dx(), (float) oy + e.dy());
            g2.setFont(font);
        }
    }

    /**
     * As {@link org.jfree.chart.axis.ValueAxis#drawTickMarksAndLabels}, but labels are drawn by {@link #drawLabel}
     * (plain strings) and their extent measured by {@link #labelBounds}.
     */
    @Override
    protected AxisState drawTickMarksAndLabels(Graphics2D g2, double cursor, Rectangle2D plotArea,
                                               Rectangle2D dataArea, RectangleEdge edge) {
        AxisState state = new AxisState(cursor);
        if (isAxisLineVisible()) drawAxisLine(g2, cursor, dataArea, edge);
        List<ValueTick> ticks = refreshTicks(g2, state, dataArea, edge);
        state.setTicks(ticks);
        Font font = getTickLabelFont();
        g2.setFont(font);
        double digits = digitHeight(font, g2.getFontRenderContext());
        Object saved = g2.getRenderingHint(RenderingHints.KEY_STROKE_CONTROL);
        g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_NORMALIZE);
        for (ValueTick tick : ticks) {
            if (isTickLabelsVisible() && tick instanceof ScaleTick st) {
                g2.setPaint(getTickLabelPaint());
                float[] at = calculateAnchorPoint(tick, cursor, dataArea, edge); // a ScaleTick is never rotated
                drawLabel(g2, st.tick, font, digits, at[0], at[1], tick.getTextAnchor());
            }
            boolean minor = tick.getTickType() == TickType.MINOR;
            if (minor ? isMinorTickMarksVisible() : isTickMarksVisible()) {
                double ol = minor ? getMinorTickMarkOutsideLength() : getTickMarkOutsideLength();
                double il = minor ? getMinorTickMarkInsideLength() : getTickMarkInsideLength();
                double v = valueToJava2D(tick.getValue(), dataArea, edge);
                g2.setStroke(getTickMarkStroke());
                g2.setPaint(getTickMarkPaint());
                if (edge == RectangleEdge.LEFT) {
                    g2.draw(new Line2D.Double(cursor - ol, v, cursor + il, v));
                } else if (edge == RectangleEdge.RIGHT) {
                    g2.draw(new Line2D.Double(cursor + ol, v, cursor - il, v));
                } else if (edge == RectangleEdge.TOP) {
                    g2.draw(new Line2D.Double(v, cursor - ol, v, cursor + il));
                } else {
                    g2.draw(new Line2D.Double(v, cursor + ol, v, cursor - il));
                }
            }
        }
        g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, saved);
        if (isTickLabelsVisible()) {
            if (edge == RectangleEdge.LEFT) {
                state.cursorLeft(findMaximumTickLabelWidth(ticks, g2, plotArea, isVerticalTickLabels()));
            } else if (edge == RectangleEdge.RIGHT) {
                state.cursorRight(findMaximumTickLabelWidth(ticks, g2, plotArea, isVerticalTickLabels()));
            } else if (edge == RectangleEdge.TOP) {
                state.cursorUp(findMaximumTickLabelHeight(ticks, g2, plotArea, isVerticalTickLabels()));
            } else if (edge == RectangleEdge.BOTTOM) {
                state.cursorDown(findMaximumTickLabelHeight(ticks, g2, plotArea, isVerticalTickLabels()));
            }
        }
        return state;
    }

    /** The widest label's extent (horizontal labels) as {@link #drawLabel} draws it, plus the insets. */
    @Override
    protected double findMaximumTickLabelWidth(List ticks, Graphics2D g2, Rectangle2D drawArea, boolean vertical) {
        if (vertical) return super.findMaximumTickLabelWidth(ticks, g2, drawArea, true);
        double max = 0;
        for (Object o : ticks) {
            if (o instanceof ScaleTick st) {
                max = Math.max(max, labelBounds(st.tick, getTickLabelFont(), g2.getFontRenderContext()).getWidth());
            }
        }
        return max + getTickLabelInsets().getLeft() + getTickLabelInsets().getRight();
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ScaleAxis other && super.equals(obj) && other.scale.equals(scale);
    }

    @Override
    public int hashCode() { return super.hashCode(); }
}
