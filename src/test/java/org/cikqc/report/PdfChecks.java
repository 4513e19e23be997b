package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

/** Renders every page of a PDF and checks page count, content and "Page X of Y". */
final class PdfChecks {
    private PdfChecks() { }

    /** Each page's text; asserts every page renders with non-white content and carries "Page i of n". */
    static List<String> checkPages(byte[] pdf) throws Exception {
        List<String> texts = new ArrayList<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int n = doc.getNumberOfPages();
            assertTrue(n >= 1, "at least one page");
            PDFRenderer renderer = new PDFRenderer(doc);
            PDFTextStripper strip = new PDFTextStripper();
            for (int i = 0; i < n; i++) {
                BufferedImage img = renderer.renderImageWithDPI(i, 36, ImageType.RGB);
                long ink = nonWhite(img);
                assertTrue(ink > 800, "page " + (i + 1) + " has content beyond header/footer: " + ink + " px");
                strip.setStartPage(i + 1);
                strip.setEndPage(i + 1);
                String t = strip.getText(doc);
                assertTrue(t.contains("Page " + (i + 1) + " of " + n), "page number on page " + (i + 1));
                texts.add(t);
            }
            assertEquals(n, texts.size());
        }
        return texts;
    }

    static long nonWhite(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) n++;
        }
        return n;
    }

    /** Pixels of page {@code page} within 40 of {@code rgb} in every channel. */
    static long pixelsNear(byte[] pdf, int page, int rgb) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            BufferedImage img = new PDFRenderer(doc).renderImageWithDPI(page, 36, ImageType.RGB);
            long n = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int c = img.getRGB(x, y);
                    if (Math.abs(((c >> 16) & 255) - ((rgb >> 16) & 255)) < 40
                            && Math.abs(((c >> 8) & 255) - ((rgb >> 8) & 255)) < 40
                            && Math.abs((c & 255) - (rgb & 255)) < 40) n++;
                }
            }
            return n;
        }
    }
}
