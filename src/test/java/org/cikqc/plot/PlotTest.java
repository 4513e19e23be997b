package org.cikqc.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

class PlotTest {

    @Test
    void figuresNeedNoImageIoDiskCache() {
        // the disk cache registers a shutdown hook on first use, which the JDK refuses while the process stops
        FigureExport.svg(SampleFigures.cd3Histogram(2), 200, 150);
        assertFalse(javax.imageio.ImageIO.getUseCache());
    }

    @Test
    void pngIsDeterministicAndNotEmpty() throws Exception {
        for (Figure f : SampleFigures.all(11)) {
            byte[] a = FigureExport.png(f, 288, 288 / f.aspectRatio(), 150);
            byte[] b = FigureExport.png(f, 288, 288 / f.aspectRatio(), 150);
            assertArrayEquals(a, b, "same figure, same bytes: " + f.title());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(a));
            assertEquals(600, img.getWidth());
            assertTrue(colouredPixels(img) > 500, "plot has coloured content: " + f.title());
        }
    }

    /**
     * Text is measured alike in every thread: the JDK's first measurement of a font at a new scale is racy (see
     * FigureExport.SETTLED_METRICS), and unsettled about one scale in 30 gave some thread line heights the scale
     * times too large, which laid its figure out differently (a taller title block, a gate label moved onto the bars).
     */
    @Test
    void fontMetricsAtAFreshScaleAreSettledBeforeAnyThreadMeasures() throws Exception {
        int threads = 4;
        List<java.awt.Font> fonts = PlotStyle.fonts();
        int[] unscaled = heights(FigureExport.canvas(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), 1), fonts);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int dpi = 108; dpi < 108 + 80; dpi++) {
                double s = dpi / 72.0;
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
                List<java.util.concurrent.Future<int[]>> measured = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    measured.add(pool.submit(() -> {
                        java.awt.Graphics2D g2 =
                                FigureExport.canvas(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), s);
                        start.await();
                        FigureExport.settleFontMetrics(g2);
                        return heights(g2, fonts);
                    }));
                }
                for (int t = 0; t < threads; t++) {
                    int[] h = measured.get(t).get();
                    for (int i = 0; i < fonts.size(); i++) {
                        assertTrue(Math.abs(h[i] - unscaled[i]) <= 1, "thread " + t + " at " + dpi + " dpi: "
                                + fonts.get(i) + " is " + h[i] + " high, unscaled " + unscaled[i]);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] heights(java.awt.Graphics2D g2, List<java.awt.Font> fonts) {
        int[] h = new int[fonts.size()];
        for (int i = 0; i < h.length; i++) h[i] = g2.getFontMetrics(fonts.get(i)).getHeight();
        return h;
    }

    @Test
    void rebuiltFiguresGiveIdenticalBytes() {
        List<Figure> first = SampleFigures.all(3);
        List<Figure> second = SampleFigures.all(3);
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(FigureExport.png(first.get(i), 300, 240, 150),
                    FigureExport.png(second.get(i), 300, 240, 150));
            assertEquals(FigureExport.svg(first.get(i), 300, 240), FigureExport.svg(second.get(i), 300, 240));
        }
    }

    @Test
    void tracePlotDrawsItsLinesLegendAndIntervals() {
        TracePlot t = SampleFigures.signal(3);
        assertEquals(2.4, t.aspectRatio());
        assertEquals(1, t.describeOverlays().size(), t.describeOverlays()::toString);
        assertTrue(t.describeOverlays().get(0).contains("signal_drift"), t.describeOverlays()::toString);
        String svg = FigureExport.svg(t, 480, 200);
        assertTrue(svg.contains("CD3 (FITC-A)") && svg.contains("CD56 (PE-A)"), "legend names");
        assertThrows(IllegalArgumentException.class, () -> TracePlot.builder("t", AxisScale.linear("x"), "y")
                .series("a", new double[2], new double[3]));
    }

    @Test
    void pngRecordsDpiInPhys() throws Exception {
        byte[] png = FigureExport.png(SampleFigures.scatter(1), 144, 144, 300);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            ImageReader r = ImageIO.getImageReadersByFormatName("png").next();
            r.setInput(in);
            assertEquals(600, r.getWidth(0), "2 inches at 300 dpi");
            Node root = r.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            IIOMetadataNode phys = find(root, "pHYs");
            assertEquals("11811", phys.getAttribute("pixelsPerUnitXAxis"), "300 dpi = 11811 px/m");
            assertEquals("meter", phys.getAttribute("unitSpecifier"));
            assertTrue(find(root, "tIME") == null, "no time chunk");
            assertTrue(find(root, "tEXt") == null, "no text chunk");
        }
    }

    @Test
    void svgIsVectorWithViewBoxAndNoTimestamps() {
        String svg = FigureExport.svg(SampleFigures.quadrant(5), 300, 300);
        assertTrue(svg.startsWith("<?xml"));
        assertTrue(svg.contains("viewBox='0.0 0.0 300.0 300.0'"), svg.substring(0, 400));
        assertTrue(svg.contains("<text"), "text stays text");
        assertTrue(svg.contains("CD3+CD56+ 35.1%"));
        assertTrue(svg.contains(">CD56 PE-A</text>"), "the rotated y-axis title is text, not glyph outlines");
        // decade labels (10 with a raised exponent) are two strings, not glyph outlines (curves in a path)
        assertTrue(svg.contains(">10</text>") && svg.contains(">3</text>"), "decade tick labels are text");
        assertFalse(svg.matches("(?s).*<path d='[^']*Q.*"), "no glyph outlines");
        assertTrue(svg.contains("<image"), "density image embedded");
        assertFalse(svg.matches("(?s).*20\\d\\d-\\d\\d-\\d\\d.*"), "no dates");
    }

    @Test
    void decadeLabelsAreDrawnWhereverTheyFit() {
        // ±10^2 sit 6 % of the CD56 axis from 0: room enough on a 300-point figure's vertical axis, not on the
        // horizontal one, where the wider labels would touch
        String svg = FigureExport.svg(SampleFigures.quadrant(5), 300, 300);
        assertEquals(2, count(svg, ">2</text>"), "10^2 and -10^2 on the y axis");
        assertEquals(4, count(svg, ">3</text>"), "±10^3 on both axes");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test
    void figuresUseTheBundledFaceAndFallBackForGlyphsItLacks() {
        assertEquals("DejaVu Sans", PlotStyle.TICK_FONT.getFontName());
        assertEquals("DejaVu Sans Bold", PlotStyle.TITLE_FONT.getFontName());
        assertTrue(PlotStyle.TITLE_FONT.isBold(), "SVG writes font-weight bold");
        assertEquals(2, PlotFonts.faces().size());
        assertSame(PlotStyle.AXIS_LABEL_FONT, PlotFonts.forText(PlotStyle.AXIS_LABEL_FONT, "CD56 (PE-A) \u03b3 \u00b5"));
        java.awt.Font cjk = PlotFonts.forText(PlotStyle.AXIS_LABEL_FONT, "\u6837\u54c1 CD3");
        assertEquals(java.awt.Font.SANS_SERIF, cjk.getName(), "the platform's sans-serif for CJK");
        assertEquals(PlotStyle.AXIS_LABEL_FONT.getSize2D(), cjk.getSize2D());
        String svg = FigureExport.svg(SampleFigures.quadrant(5), 300, 300);
        assertTrue(svg.contains("font-family: \"DejaVu Sans\", sans-serif"), "SVG names the face with a fallback");
    }

    @Test
    void writersAreAtomic(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("a.png");
        Path svg = dir.resolve("a.svg");
        FigureExport.writePng(SampleFigures.cd3Histogram(2), 300, 240, 150, png);
        FigureExport.writeSvg(SampleFigures.cd3Histogram(2), 300, 240, svg);
        assertTrue(Files.size(png) > 1000);
        assertTrue(Files.size(svg) > 1000);
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left");
        }
    }

    @Test
    void overlaysAreDescribedInDataUnits() {
        List<String> d = SampleFigures.scatter(1).describeOverlays();
        assertEquals(1, d.size());
        assertTrue(d.get(0).startsWith("Lymphocytes: polygon (45000, 8000)"), d.get(0));
        assertTrue(d.get(0).endsWith("-> 79.6%"));
        assertTrue(SampleFigures.quadrant(1).describeOverlays().get(0).contains("split x = 600, y = 500"));
    }

    @Test
    void aThresholdLabelKeepsOffTheHistogramBars() {
        // roomy: one line, on the high side of the line, above the tall CD3+ peak
        String big = FigureExport.svg(SampleFigures.cd3Histogram(2), 300, 240);
        double line = dashedLineX(big);
        assertTrue(textX(big, "CD3+ (valley)") > line, "one-line label right of the threshold");
        // small: the label would cover the CD3+ peak there, so it breaks before the method and moves above the low
        // peak, on the other side of the line
        String small = FigureExport.svg(SampleFigures.cd3Histogram(2), 200, 150);
        line = dashedLineX(small);
        assertFalse(small.contains(">CD3+ (valley)<"), "broken into two lines");
        assertTrue(textX(small, "(valley)") < line && textX(small, "CD3+") < line, "moved to the low side");
    }

    @Test
    void aThresholdLabelWithADirectionSitsOnTheSideItCounts() {
        // the small figure that moved "CD3+ (valley)" to the low side keeps a "CD3+ >= 600" label on the high side
        HistogramPlot h = SampleFigures.cd3Histogram(2, Overlay.threshold("CD3+ >= 600", Overlay.Axis.X, 600, Overlay.Side.ABOVE, "90.1%"));
        String small = FigureExport.svg(h, 200, 150);
        assertTrue(textX(small, "CD3+ &gt;= 600") > dashedLineX(small), "on the CD3+ side");
        HistogramPlot v = SampleFigures.cd3Histogram(2, Overlay.threshold("viable < 600", Overlay.Axis.X, 600, Overlay.Side.BELOW, "9.9%"));
        String low = FigureExport.svg(v, 300, 240);
        assertTrue(textX(low, "viable &lt; 600") < dashedLineX(low), "on the viable side, though the other has room");
    }

    /**
     * A half-width dossier figure with its threshold mid-plot and a long method ("(density negative_shoulder)"):
     * the label fits beside its line on neither side even on two lines, so the method breaks at its space too; the
     * amber band's label around the line starts inside the band beside the line. Neither crosses the line (both did).
     */
    @Test
    void labelsTooWideBesideAMidPlotThresholdBreakRatherThanCrossIt() {
        HistogramPlot h = HistogramPlot.builder("CD56", SampleFigures.asinh("CD56 PE-A"), SampleFigures.cd3Counts(2))
                .overlay(Overlay.uncertain("plausible 300–1,300", 300, 1300))
                .overlay(Overlay.threshold("CD56+ ≥ 600 (density negative_shoulder)", Overlay.Axis.X, 600,
                        Overlay.Side.ABOVE, null))
                .build();
        String svg = FigureExport.svg(h, 260, 200);
        double line = dashedLineX(svg);
        for (String piece : new String[] {"CD56+ ≥ 600", "(density", "negative_shoulder)"}) {
            assertTrue(textX(svg, piece) > line, piece + " right of the line at " + line);
        }
        java.util.regex.Matcher band = java.util.regex.Pattern.compile("<text x='([-0-9.]+)'[^>]*>plausible").matcher(svg);
        assertTrue(band.find() && Double.parseDouble(band.group(1)) > line, "the band's label right of the line");
    }

    @Test
    void aQuadrantLabelTooWideForItsCornerBreaksBeforeThePercentage() {
        // the dossier writes "12.34 %": the number and its sign stay together, under the population name
        DensityPlot q = DensityPlot.quadrantPlot("CD3 / CD56", SampleFigures.asinh("CD3 BV421-A"),
                SampleFigures.asinh("CD56 PE-A"), SampleFigures.cd3cd56Grid(5), Overlay.quadrant("CD3/CD56", 600, 500,
                        "CD3-CD56+ 5.02 %", "CD3+CD56+ 35.10 %", "CD3-CD56- 4.90 %", "CD3+CD56- 54.98 %"));
        String svg = FigureExport.svg(q, 200, 200);
        for (String s : new String[] {"CD3+CD56+", "35.10 %", "CD3-CD56-", "4.90 %"}) {
            assertTrue(svg.contains(">" + s + "</text>"), s + " on a line of its own");
        }
    }

    /**
     * A CD3 split near the plot's left edge (corpus 100715 put it at −714): the CD3− labels are too wide for their
     * quadrant even as name over percentage, so the name breaks after each marker's sign, and no line of them
     * reaches across the split (they did, putting "1.28 %" among the CD3+ events).
     */
    @Test
    void quadrantLabelsInANarrowQuadrantBreakAtEachMarkerRatherThanCrossTheSplit() {
        DensityPlot q = DensityPlot.quadrantPlot("CD3 / CD56", SampleFigures.asinh("CD3 BV421-A"),
                SampleFigures.asinh("CD56 PE-A"), SampleFigures.cd3cd56Grid(5), Overlay.quadrant("CD3/CD56", -50, 500,
                        "CD3-CD56+ 1.28 %", "CD3+CD56+ 75.95 %", "CD3-CD56- 0.00 %", "CD3+CD56- 22.77 %"));
        String svg = FigureExport.svg(q, 300, 300);
        double split = gateLine(svg, true, false);
        java.awt.Graphics2D g2 = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB)
                .createGraphics();
        for (String s : new String[] {"CD3-", "CD56+", "1.28 %", "CD56-", "0.00 %"}) {
            assertTrue(svg.contains(">" + s + "</text>"), s + " on a line of its own");
            java.awt.Font f = s.endsWith("%") ? PlotStyle.GATE_PCT_FONT : PlotStyle.GATE_NAME_FONT;
            double w = g2.getFontMetrics(f).getStringBounds(s, g2).getWidth();
            double x = textX(svg, s);
            assertTrue(x + w <= split + 0.5, s + " ends at " + (x + w) + ", left of the split at " + split);
        }
        assertFalse(svg.contains(">CD3-CD56+</text>"), "not on the two-line form that crossed the split");
        assertTrue(textX(svg, "CD3+CD56+ 75.95 %") > split, "the wide quadrant keeps its one-line label");
    }

    @Test
    void crossingThresholdLabelsSitInTheQuadrantOfThePopulationEachCountsAlone() {
        String svg = FigureExport.svg(SampleFigures.cd4cd8(3), 300, 300);
        double cd4Line = gateLine(svg, true, true);
        double cd8Line = gateLine(svg, false, true);
        // CD4+ with CD4+CD8− (bottom right), CD8+ with CD4−CD8+ (top left): not both beside the empty CD4+CD8+
        assertTrue(textX(svg, "CD4+") > cd4Line && textY(svg, "CD4+") > cd8Line, "CD4+ bottom right");
        assertTrue(textX(svg, "CD8+") < cd4Line && textY(svg, "CD8+") < cd8Line, "CD8+ top left");
        assertTrue(textY(svg, "25.0 %") > cd8Line && textX(svg, "65.0 %") < cd4Line, "percentages with their names");
    }

    @Test
    void aQuadrantLabelMovesOffAPopulationInItsCorner() {
        // the CD3+CD56− cloud fills the plot's bottom-right corner: its label takes the quadrant's bottom-left
        // corner, at the CD3 split, instead of covering the cloud
        String svg = FigureExport.svg(SampleFigures.quadrantWithCornerCloud(4), 300, 300);
        double split = gateLine(svg, true, false);
        double right = gateLine(svg, false, false);
        double x = textX(svg, "CD3+CD56- 60.0%");
        assertTrue(x > split && x < split + 0.5 * (right - split), "left half of its quadrant: " + x);
        // on an empty corner the label stays in the plot's corner
        String plain = FigureExport.svg(SampleFigures.quadrant(5), 300, 300);
        assertTrue(textX(plain, "CD3+CD56- 55.0%") > gateLine(plain, true, false), "right of the split");
    }

    /**
     * The position of a long gate line (a quadrant divider, or with {@code dashed} a threshold): the x of the
     * vertical one, else the y of the horizontal one; for a horizontal solid line, its right end.
     */
    private static double gateLine(String svg, boolean vertical, boolean dashed) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<line x1='([-0-9.]+)' y1='([-0-9.]+)' x2='([-0-9.]+)'"
                + " y2='([-0-9.]+)' style='stroke-width:1.2[^']*'").matcher(svg);
        while (m.find()) {
            if (m.group(0).contains("dasharray") != dashed) continue;
            double x1 = Double.parseDouble(m.group(1));
            double y1 = Double.parseDouble(m.group(2));
            double x2 = Double.parseDouble(m.group(3));
            double y2 = Double.parseDouble(m.group(4));
            if (vertical && x1 == x2 && Math.abs(y2 - y1) > 100) return x1;
            if (!vertical && y1 == y2 && Math.abs(x2 - x1) > 100) return dashed ? y1 : Math.max(x1, x2);
        }
        throw new AssertionError("no " + (vertical ? "vertical" : "horizontal") + " gate line");
    }

    private static double textY(String svg, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<text x='[-0-9.]+' y='([-0-9.]+)'[^>]*>"
                + java.util.regex.Pattern.quote(text) + "</text>").matcher(svg);
        assertTrue(m.find(), "text '" + text + "' drawn");
        return Double.parseDouble(m.group(1));
    }

    private static double textX(String svg, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<text x='([-0-9.]+)'[^>]*>"
                + java.util.regex.Pattern.quote(text) + "</text>").matcher(svg);
        assertTrue(m.find(), "text '" + text + "' drawn");
        return Double.parseDouble(m.group(1));
    }

    private static double dashedLineX(String svg) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<line x1='([-0-9.]+)'[^>]*stroke-dasharray").matcher(svg);
        assertTrue(m.find(), "a dashed threshold line");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FigureExport.png(SampleFigures.scatter(1), 10, 10, 150));
        assertThrows(IllegalArgumentException.class, () -> FigureExport.png(SampleFigures.scatter(1), 100, 100, 5));
        assertThrows(IllegalArgumentException.class,
                () -> Overlay.polygon("p", List.of(new double[] {0, 0}, new double[] {1, 1}), null));
        assertThrows(IllegalArgumentException.class, () -> Overlay.interval("r", 5, 5));
    }

    static long colouredPixels(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) n++;
            }
        }
        return n;
    }

    private static IIOMetadataNode find(Node n, String name) {
        if (name.equals(n.getNodeName())) return (IIOMetadataNode) n;
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            IIOMetadataNode f = find(c, name);
            if (f != null) return f;
        }
        return null;
    }
}
