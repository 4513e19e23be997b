package org.cikqc.plot;

import java.awt.Color;
import java.util.Objects;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/**
 * A 1-D histogram of one channel (display units on x, labelled in data units) with threshold lines (the density
 * valley, a positivity cut-off) and range gates. Also the base of {@link AcquisitionPlot}.
 */
public final class HistogramPlot extends ChartFigure {
    private final AxisScale x;
    private final Histogram1D histogram;
    private final String yLabel;
    private final String subtitle;
    private final double aspectRatio;
    private final Color fill;
    private final Color line;

    private HistogramPlot(Builder b) {
        super(b.title, b.overlays);
        this.x = b.x;
        this.histogram = b.histogram.copy();
        this.yLabel = b.yLabel;
        this.subtitle = b.subtitle;
        this.aspectRatio = b.aspectRatio;
        this.fill = b.fill;
        this.line = b.line;
    }

    /**
     * Starts a histogram plot.
     *
     * @param histogram counts in the display units of {@code x}; the plot keeps a copy
     */
    public static Builder builder(String title, AxisScale x, Histogram1D histogram) {
        return new Builder(title, x, histogram);
    }

    @Override
    public double aspectRatio() { return aspectRatio; }

    @Override
    JFreeChart chart() {
        ScaleAxis xa = new ScaleAxis(x, histogram.min(), histogram.max());
        AxisScale yScale = AxisScale.linear(yLabel);
        // head room above the tallest bin so gate and rule labels do not cover the data
        double top = Math.max(1, histogram.maxCount()) * (overlays().isEmpty() ? 1.05 : 1.3);
        ScaleAxis ya = new ScaleAxis(yScale, 0, top);
        XYPlot plot = PlotStyle.plot(xa, ya);
        plot.addAnnotation(new HistogramLayer(histogram, fill, line), false);
        // translucent bands over the trace, so a removed segment is visible over its whole height
        if (!overlays().isEmpty()) plot.addAnnotation(new OverlayLayer(overlays(), x, yScale, histogram), false);
        return PlotStyle.chart(title(), subtitle, plot);
    }

    /** Collects the parts of a {@link HistogramPlot}. */
    public static final class Builder extends ChartFigure.Parts<Builder> {
        private final AxisScale x;
        private final Histogram1D histogram;
        private String yLabel = "Events";
        private double aspectRatio = 1.25;
        private Color fill = PlotStyle.HISTOGRAM_FILL;
        private Color line = PlotStyle.HISTOGRAM_LINE;

        private Builder(String title, AxisScale x, Histogram1D histogram) {
            super(title);
            this.x = Objects.requireNonNull(x, "x");
            this.histogram = Objects.requireNonNull(histogram, "histogram");
        }

        /** The y axis title (default "Events"). */
        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "label");
            return this;
        }

        @Override
        Builder self() { return this; }

        /** Width/height ratio (default 1.25). */
        public Builder aspectRatio(double ratio) {
            if (!(ratio > 0.2 && ratio < 10)) throw new IllegalArgumentException("aspect ratio " + ratio);
            this.aspectRatio = ratio;
            return this;
        }

        /** Outline-only drawing (no fill), for rate traces. */
        public Builder outlineOnly() {
            this.fill = null;
            return this;
        }

        /** The finished figure. */
        public HistogramPlot build() { return new HistogramPlot(this); }
    }
}
