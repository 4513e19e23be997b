package org.cikqc.plot;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.function.Supplier;

import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;

/**
 * Draws a {@link DensityGrid} as a pseudo-colour image in the plot's data area. The image comes from
 * {@link #render}, each bin upscaled to a block of pixels so every output (PNG, SVG, PDF) shows crisp bins
 * whatever the viewer's image smoothing; the owning {@link DensityPlot} builds it once and supplies it to the
 * fresh layer of every draw.
 */
final class DensityLayer extends AbstractXYAnnotation {
    private static final long serialVersionUID = 1L;
    /** Bins are upscaled until the image is at least this many pixels on its longer side. */
    private static final int MIN_IMAGE_SIDE = 768;

    private final transient DensityGrid grid;
    private final transient Supplier<BufferedImage> image;

    /**
     * @param grid  the counts to draw (not modified)
     * @param image supplies {@link #render render(grid)}; asked only when the grid is not empty
     */
    DensityLayer(DensityGrid grid, Supplier<BufferedImage> image) {
        this.grid = grid;
        this.image = image;
    }

    /** The pseudo-colour image of a grid, top row first. */
    static BufferedImage render(DensityGrid grid) {
        int nx = grid.nx();
        int ny = grid.ny();
        int f = Math.max(1, (int) Math.ceil((double) MIN_IMAGE_SIDE / Math.max(nx, ny)));
        while ((long) nx * f * ny * f > 16_000_000L && f > 1) f--;
        BufferedImage img = new BufferedImage(nx * f, ny * f, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        long[] counts = grid.counts();
        long max = grid.maxCount();
        int w = nx * f;
        for (int iy = 0; iy < ny; iy++) {
            int rowTop = (ny - 1 - iy) * f; // image row 0 is the top, grid row 0 the bottom
            for (int ix = 0; ix < nx; ix++) {
                int rgb = PseudoColor.forCount(counts[iy * nx + ix], max);
                for (int dy = 0; dy < f; dy++) {
                    int base = (rowTop + dy) * w + ix * f;
                    for (int dx = 0; dx < f; dx++) px[base + dx] = rgb;
                }
            }
        }
        return img;
    }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
            int rendererIndex, PlotRenderingInfo info) {
        if (grid.total() == 0) return;
        double x0 = domainAxis.valueToJava2D(grid.xMin(), dataArea, plot.getDomainAxisEdge());
        double x1 = domainAxis.valueToJava2D(grid.xMax(), dataArea, plot.getDomainAxisEdge());
        double y0 = rangeAxis.valueToJava2D(grid.yMax(), dataArea, plot.getRangeAxisEdge());
        double y1 = rangeAxis.valueToJava2D(grid.yMin(), dataArea, plot.getRangeAxisEdge());
        BufferedImage img = image.get();
        Object oldInterp = g2.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        java.awt.Shape oldClip = g2.getClip();
        g2.clip(dataArea);
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        java.awt.geom.AffineTransform at = new java.awt.geom.AffineTransform();
        at.translate(Math.min(x0, x1), Math.min(y0, y1));
        at.scale(Math.abs(x1 - x0) / img.getWidth(), Math.abs(y1 - y0) / img.getHeight());
        g2.drawImage(img, at, null);
        if (oldInterp != null) g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, oldInterp);
        g2.setClip(oldClip);
    }

    @Override
    public boolean equals(Object obj) { return obj == this; }

    @Override
    public int hashCode() { return System.identityHashCode(this); }
}
