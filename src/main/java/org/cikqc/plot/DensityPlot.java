package org.cikqc.plot;

import java.awt.image.BufferedImage;
import java.util.Objects;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/**
 * A pseudo-colour density plot of two channels (log-scaled colour per bin, white where no event falls, as
 * FlowJo's pseudocolor) with gates drawn and labelled with their name and percentage, the labels placed where they
 * hide the fewest events (see {@link OverlayLayer}). A quadrant overlay makes it the CD3/CD56 quadrant plot, with
 * each percentage in its own quadrant. Axes are drawn in display units of the grid and labelled in data units.
 */
public final class DensityPlot extends ChartFigure {
    private final AxisScale x;
    private final AxisScale y;
    private final DensityGrid grid;
    private final String subtitle;
    /** The density image, built on first draw and reused by every later one (the grid copy never changes). */
    private BufferedImage image;

    private DensityPlot(Builder b) {
        super(b.title, b.overlays);
        this.x = b.x;
        this.y = b.y;
        this.grid = b.grid.copy();
        this.subtitle = b.subtitle;
    }

    /**
     * Starts a density plot.
     *
     * @param grid counts in the display units of {@code x} and {@code y}; the plot keeps a copy
     */
    public static Builder builder(String title, AxisScale x, AxisScale y, DensityGrid grid) {
        return new Builder(title, x, y, grid);
    }

    /** A CD3/CD56-style quadrant plot: the density with one quadrant overlay. */
    public static DensityPlot quadrantPlot(String title, AxisScale x, AxisScale y, DensityGrid grid,
            Overlay.Quadrant quadrant) {
        return builder(title, x, y, grid).overlay(quadrant).build();
    }

    /** The pseudo-colour image of {@link #grid}, rendered once. */
    private synchronized BufferedImage image() {
        if (image == null) image = DensityLayer.render(grid);
        return image;
    }

    @Override
    JFreeChart chart() {
        ScaleAxis xa = new ScaleAxis(x, grid.xMin(), grid.xMax());
        ScaleAxis ya = new ScaleAxis(y, grid.yMin(), grid.yMax());
        XYPlot plot = PlotStyle.plot(xa, ya);
        plot.addAnnotation(new DensityLayer(grid, this::image), false);
        if (!overlays().isEmpty()) plot.addAnnotation(new OverlayLayer(overlays(), x, y, grid), false);
        return PlotStyle.chart(title(), subtitle, plot);
    }

    /** Collects the parts of a {@link DensityPlot}. */
    public static final class Builder extends ChartFigure.Parts<Builder> {
        private final AxisScale x;
        private final AxisScale y;
        private final DensityGrid grid;

        private Builder(String title, AxisScale x, AxisScale y, DensityGrid grid) {
            super(title);
            this.x = Objects.requireNonNull(x, "x");
            this.y = Objects.requireNonNull(y, "y");
            this.grid = Objects.requireNonNull(grid, "grid");
        }

        @Override
        Builder self() { return this; }

        /** The finished figure. */
        public DensityPlot build() { return new DensityPlot(this); }
    }
}
