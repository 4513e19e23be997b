package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.cikqc.report.PdfPages.Face;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PdfPagesTest {
    private PDDocument doc;
    private PdfPages p;

    @BeforeEach
    void open() throws Exception {
        doc = new PDDocument();
        p = new PdfPages(doc, PDRectangle.A4, 42);
    }

    @AfterEach
    void close() throws Exception {
        doc.close();
    }

    private void assertFits(List<String> lines, Face f, float size, float width) throws Exception {
        for (String l : lines) assertTrue(p.textWidth(f, size, l) <= width, "'" + l + "' fits " + width);
    }

    @Test
    void wrapsAtSpacesNeverInsideAWordThatFitsALine() throws Exception {
        String text = "NOT_APPLICABLE CD3+CD56+ CIK (% of viable CD45+) spec requires ≥ 20,000 events";
        float width = p.textWidth(Face.BOLD, 8.5f, "NOT_APPLICABLE") + 1;
        List<String> lines = p.wrap(text, Face.BOLD, 8.5f, width);
        assertTrue(lines.size() > 2, lines.toString());
        assertEquals(text, String.join(" ", lines), "every break is at a space: " + lines);
        assertEquals("NOT_APPLICABLE", lines.get(0));
        assertFits(lines, Face.BOLD, 8.5f, width);
        assertEquals(List.of("a", "", "b c"), p.wrap("a\n\nb c", Face.REGULAR, 9, 500), "line breaks kept");
    }

    @Test
    void aWordWiderThanTheLineBreaksAtItsSeparators() throws Exception {
        assertEquals(List.of("NOT_", "APPLICABLE"), p.wrap("NOT_APPLICABLE", Face.REGULAR, 8, p.textWidth(Face.REGULAR, 8, "APPLICABLE")));
        String path = "/cells/singlets/CD45+/viable/CD3+CD56+";
        List<String> lines = p.wrap(path, Face.REGULAR, 8, p.textWidth(Face.REGULAR, 8, "/cells/singlets/CD4"));
        assertEquals(List.of("/cells/singlets", "/CD45+/viable", "/CD3+CD56+"), lines);
        lines = p.wrap("CIK-2026-014_tube1_stained.fcs", Face.REGULAR, 8, p.textWidth(Face.REGULAR, 8, "CIK-2026-014_tu"));
        assertEquals(List.of("CIK-2026-014_", "tube1_stained", ".fcs"), lines);
    }

    @Test
    void aWordWithoutSeparatorsBreaksAtTheLastCharacterThatFits() throws Exception {
        String hash = "9f2c4a1be07d3c55e3b9c1f0a8d4e6b2c7f1a3d5e9b0c2d4f6a8b0c1d3e5f7a9";
        float width = 100;
        List<String> lines = p.wrap("sha " + hash, Face.REGULAR, 8, width);
        assertEquals("sha", lines.get(0), "the hash starts a line of its own rather than breaking after 'sha '");
        assertEquals(hash, String.join("", lines.subList(1, lines.size())));
        assertFits(lines, Face.REGULAR, 8, width);
        for (String l : lines.subList(1, lines.size() - 1)) {
            assertTrue(p.textWidth(Face.REGULAR, 8, l + "0") > width - 6, "each piece filled: " + l);
        }
    }

    @Test
    void columnsShareTheWidthByNeed() {
        // everything fits unwrapped: the spare width in proportion
        assertArrayEquals(new float[] {100, 300}, PdfPages.share(new float[] {10, 20}, new float[] {50, 150}, 400), 1e-3f);
        // the words fit, the lines do not: each column its longest word, the rest by what it lacks
        float[] w = PdfPages.share(new float[] {60, 40, 50}, new float[] {60, 40, 450}, 300);
        assertArrayEquals(new float[] {60, 40, 200}, w, 1e-3f);
        // not even the words fit: only the widest needs are narrowed, to a common width
        w = PdfPages.share(new float[] {30, 40, 400}, new float[] {30, 40, 900}, 300);
        assertArrayEquals(new float[] {30, 40, 230}, w, 1e-3f);
        w = PdfPages.share(new float[] {30, 200, 400}, new float[] {30, 200, 900}, 300);
        assertArrayEquals(new float[] {30, 135, 135}, w, 1e-3f);
    }
}
