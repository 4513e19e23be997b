package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
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

    /**
     * Every font the PDF uses, on its pages and in their forms (figures), as "name (embedded)" or "name (NOT
     * embedded)", the subset tag left out.
     */
    static Set<String> fonts(byte[] pdf) throws Exception {
        Set<String> out = new TreeSet<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            for (PDPage page : doc.getPages()) collectFonts(page.getResources(), out);
        }
        return out;
    }

    private static void collectFonts(PDResources res, Set<String> out) throws Exception {
        if (res == null) return;
        for (COSName n : res.getFontNames()) {
            PDFont f = res.getFont(n);
            out.add(f.getName().replaceFirst("^[A-Z]{6}\\+", "") + (f.isEmbedded() ? " (embedded)" : " (NOT embedded)"));
        }
        for (COSName n : res.getXObjectNames()) {
            if (res.getXObject(n) instanceof PDFormXObject form) collectFonts(form.getResources(), out);
        }
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
