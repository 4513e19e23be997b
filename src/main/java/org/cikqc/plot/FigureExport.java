package org.cikqc.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUnits;
import org.jfree.svg.ViewBox;

/**
 * Writes a {@link Figure} as PNG (raster, with the resolution recorded in the pHYs chunk) or SVG (vector).
 * Sizes are in points (1/72 inch): a 288 × 288 pt figure at 150 dpi is 600 × 600 pixels. Output is deterministic:
 * the same figure gives the same bytes (no time or tool-version chunks, fixed SVG definition ids).
 */
public final class FigureExport {
    /** Default raster resolution for screen and review. */
    public static final int DEFAULT_DPI = 150;
    /** Resolution for print. */
    public static final int PRINT_DPI = 300;

    static {
        // ImageIO's default disk cache (imageio*.tmp in the temporary folder) registers a JVM shutdown hook on first
        // use, which the JDK refuses once the process is stopping: a figure drawn in a watch's grace time then
        // failed its analysis. Figures are small; memory serves.
        ImageIO.setUseCache(false);
    }

    /**
     * The metrics of every figure font ({@link PlotStyle#fonts()}), taken once per scale (font render context) a PNG
     * is drawn at, and held.
     *
     * <p>Java2D publishes a scaled font strike's line metrics before converting them from device to user space
     * ({@code sun.font.FileFontStrike.getFontMetrics}, JDK 17): a thread that measured text with a font at a scale
     * another thread was measuring for the first time could read heights the scale times too large (28 instead of
     * 14 at 150 dpi), and the JDK caches the FontMetrics built from them. PNGs drawn in parallel then laid out a
     * title, an axis label or a gate label differently, a few runs in a hundred. Taking each font's metrics in one
     * thread before the first PNG at a scale is drawn settles them, and holding them keeps the JDK's softly cached
     * strikes (and so those settled values) for the life of the process. SVG and PDF figures measure text unscaled,
     * where the JDK converts nothing.
     */
    private static final Map<FontRenderContext, List<FontMetrics>> SETTLED_METRICS = new ConcurrentHashMap<>();

    private FigureExport() { }

    /** Takes and holds every figure font's metrics for {@code g2}'s font render context, once per context. */
    static void settleFontMetrics(Graphics2D g2) {
        SETTLED_METRICS.computeIfAbsent(g2.getFontRenderContext(), frc -> {
            List<FontMetrics> held = new ArrayList<>();
            for (Font f : PlotStyle.fonts()) held.add(g2.getFontMetrics(f));
            return List.copyOf(held);
        });
    }

    /** Renders the figure at {@code dpi} and returns the PNG bytes. */
    public static byte[] png(Figure figure, double widthPt, double heightPt, int dpi) {
        checkSize(widthPt, heightPt);
        if (dpi < 36 || dpi > 1200) throw new IllegalArgumentException("dpi must be 36..1200, got " + dpi);
        double s = dpi / 72.0;
        int w = (int) Math.round(widthPt * s);
        int h = (int) Math.round(heightPt * s);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = canvas(img, s);
        try {
            settleFontMetrics(g2);
            figure.draw(g2, widthPt, heightPt);
        } finally {
            g2.dispose();
        }
        return encodePng(img, dpi);
    }

    /** A white canvas over {@code img}, anti-aliased with fractional text metrics, scaled {@code s} pixels a point. */
    static Graphics2D canvas(BufferedImage img, double s) {
        Graphics2D g2 = img.createGraphics();
        g2.setColor(Color.WHITE);
        g2.fillRect(0, 0, img.getWidth(), img.getHeight());
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g2.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g2.scale(s, s);
        return g2;
    }

    /** Renders the figure and returns a standalone SVG document (UTF-8 text), sized in points. */
    public static String svg(Figure figure, double widthPt, double heightPt) {
        checkSize(widthPt, heightPt);
        SVGGraphics2D g2 = new SVGGraphics2D(widthPt, heightPt, SVGUnits.PT);
        g2.setDefsKeyPrefix("cikqc");
        g2.setFontFunction(PlotFonts.SVG_FAMILY);
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        figure.draw(g2, widthPt, heightPt);
        // width/height in pt with a viewBox in drawing units, so the figure scales to its declared size
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + g2.getSVGElement(null, true, new ViewBox(0, 0, widthPt, heightPt), null, null) + "\n";
    }

    /** Writes a PNG atomically (see {@link AtomicFiles}). */
    public static void writePng(Figure figure, double widthPt, double heightPt, int dpi, Path target) {
        AtomicFiles.write(target, png(figure, widthPt, heightPt, dpi));
    }

    /** Writes an SVG atomically (see {@link AtomicFiles}). */
    public static void writeSvg(Figure figure, double widthPt, double heightPt, Path target) {
        AtomicFiles.write(target, svg(figure, widthPt, heightPt).getBytes(StandardCharsets.UTF_8));
    }

    private static void checkSize(double w, double h) {
        if (!(w >= 36 && w <= 5000 && h >= 36 && h <= 5000)) {
            throw new IllegalArgumentException("figure size must be 36..5000 pt, got " + w + " x " + h);
        }
    }

    /** PNG with a pHYs chunk (pixels per metre) and no other ancillary chunks. */
    static byte[] encodePng(BufferedImage img, int dpi) {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("png");
        if (!it.hasNext()) throw new CikqcException(CikqcException.Kind.INTERNAL, "no PNG writer in this JVM");
        ImageWriter writer = it.next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            String fmt = "javax_imageio_png_1.0";
            IIOMetadataNode root = new IIOMetadataNode(fmt);
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            String ppm = Long.toString(Math.round(dpi / 0.0254));
            phys.setAttribute("pixelsPerUnitXAxis", ppm);
            phys.setAttribute("pixelsPerUnitYAxis", ppm);
            phys.setAttribute("unitSpecifier", "meter");
            root.appendChild(phys);
            meta.mergeTree(fmt, root);
            ByteArrayOutputStream bos = new ByteArrayOutputStream(1 << 16);
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(bos)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(img, null, meta), param);
            }
            return bos.toByteArray();
        } catch (IIOInvalidTreeException e) {
            throw new CikqcException(CikqcException.Kind.INTERNAL, "cannot set PNG resolution: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CikqcException(CikqcException.Kind.INTERNAL, "cannot encode PNG: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
    }
}
