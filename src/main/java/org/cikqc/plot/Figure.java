package org.cikqc.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * A finished plot that can draw itself onto any {@link Graphics2D} (a PNG raster, an SVG or a PDF page), at any
 * size. Sizes are in points (1/72 inch); fonts are sized for figures about 3–5 inches wide. Drawing the same
 * figure twice produces the same output.
 */
public interface Figure {

    /** The figure title (also its caption in the dossier). */
    String title();

    /** The width/height ratio the figure looks best at (1 for square density plots). */
    default double aspectRatio() { return 1.0; }

    /** Draws the figure into {@code area} (user-space units of {@code g2}). */
    void draw(Graphics2D g2, Rectangle2D area);

    /** Draws the figure at the origin with the given size. */
    default void draw(Graphics2D g2, double width, double height) {
        draw(g2, new Rectangle2D.Double(0, 0, width, height));
    }

    /** The overlays' geometry in data units, one line each (for the dossier's gate record). */
    List<String> describeOverlays();
}
