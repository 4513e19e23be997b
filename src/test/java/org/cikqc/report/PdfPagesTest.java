package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.cikqc.report.PdfPages.Cell;
import org.cikqc.report.PdfPages.Column;
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
        float w = p.textWidth(Face.REGULAR, 8, "APPLICABLE");
        assertEquals(List.of("NOT_", "APPLICABLE"), p.wrap("NOT_APPLICABLE", Face.REGULAR, 8, w));
        String path = "/cells/singlets/CD45+/viable/CD3+CD56+";
        List<String> lines = p.wrap(path, Face.REGULAR, 8, p.textWidth(Face.REGULAR, 8, "/cells/singlets/CD4"));
        assertEquals(List.of("/cells/singlets", "/CD45+/viable", "/CD3+CD56+"), lines);
        w = p.textWidth(Face.REGULAR, 8, "CIK-2026-014_tu");
        lines = p.wrap("CIK-2026-014_tube1_stained.fcs", Face.REGULAR, 8, w);
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
        float[] w = PdfPages.share(new float[] {10, 20}, new float[] {50, 150}, 400);
        assertArrayEquals(new float[] {100, 300}, w, 1e-3f);
        // the words fit, the lines do not: each column its longest word, the rest by what it lacks
        w = PdfPages.share(new float[] {60, 40, 50}, new float[] {60, 40, 450}, 300);
        assertArrayEquals(new float[] {60, 40, 200}, w, 1e-3f);
        // not even the words fit: only the widest needs are narrowed, to a common width
        w = PdfPages.share(new float[] {30, 40, 400}, new float[] {30, 40, 900}, 300);
        assertArrayEquals(new float[] {30, 40, 230}, w, 1e-3f);
        w = PdfPages.share(new float[] {30, 200, 400}, new float[] {30, 200, 900}, 300);
        assertArrayEquals(new float[] {30, 135, 135}, w, 1e-3f);
        // a word in three pieces keeps about a third of itself; the column short of its lines gets the rest
        w = PdfPages.share(new float[] {30, 60, 500}, new float[] {30, 300, 500}, 300);
        assertArrayEquals(new float[] {30, 60 + 210 - 500 / 3f * 1.15f, 500 / 3f * 1.15f}, w, 1e-3f);
    }

    // ---- keeping things together across pages ----------------------------------------------------------------

    /** The non-empty text lines of each page of the document written so far. */
    private List<List<String>> pages() throws Exception {
        p.close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        List<List<String>> pages = new ArrayList<>();
        try (PDDocument d = Loader.loadPDF(out.toByteArray())) {
            PDFTextStripper strip = new PDFTextStripper();
            for (int i = 1; i <= d.getNumberOfPages(); i++) {
                strip.setStartPage(i);
                strip.setEndPage(i);
                List<String> lines = new ArrayList<>();
                for (String l : strip.getText(d).split("\\R")) if (!l.isBlank()) lines.add(l.strip());
                pages.add(lines);
            }
        }
        return pages;
    }

    /** Starts a page and moves the cursor down until {@code lines} lines of 10-point text fit above the footer. */
    private void leaveRoomFor(int lines) throws Exception {
        p.newPage();
        p.paragraph("top", Face.REGULAR, 10, PdfPages.INK);
        p.space(p.available() - lines * 13 - 0.5f);
    }

    private static String numbered(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) sb.append(i == 1 ? "" : "\n").append("line").append(i);
        return sb.toString();
    }

    @Test
    void aParagraphNeverLeavesOneLineAloneAtTheFootOrTheTopOfAPage() throws Exception {
        leaveRoomFor(1);
        p.paragraph(numbered(5), Face.REGULAR, 10, PdfPages.INK);
        leaveRoomFor(4);
        p.paragraph(numbered(5), Face.REGULAR, 10, PdfPages.INK); // 3 here, 2 over
        leaveRoomFor(2);
        p.paragraph(numbered(3), Face.REGULAR, 10, PdfPages.INK); // a 3-line paragraph cannot break: it moves
        List<List<String>> pages = pages();
        assertEquals(List.of("top"), pages.get(0), "nothing of the paragraph on a page with room for one line");
        assertEquals(List.of("line1", "line2", "line3", "line4", "line5"), pages.get(1));
        assertEquals(List.of("top", "line1", "line2", "line3"), pages.get(2));
        assertEquals(List.of("line4", "line5"), pages.get(3), "two lines carried over, not one");
        assertEquals(List.of("top"), pages.get(4));
        assertEquals(List.of("line1", "line2", "line3"), pages.get(5));
    }

    private List<List<Cell>> rows(int... lines) {
        List<List<Cell>> rows = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            StringBuilder sb = new StringBuilder("r" + i);
            for (int k = 1; k < lines[i]; k++) sb.append("\nr").append(i).append('.').append(k);
            rows.add(List.of(Cell.of(sb.toString()), Cell.of("x" + i)));
        }
        return rows;
    }

    @Test
    void aTableRowStaysWholeAndTheLastRowNeverGoesAloneToAPage() throws Exception {
        List<Column> cols = List.of(Column.left("Name"), Column.right("Value"));
        PdfPages.Table t = p.layout(cols, rows(1, 1, 3, 1, 1), 10);
        // room for the header and the first four rows, not the fifth: rows 3 and 4 go over together
        float h = 0;
        for (int i = 0; i < 4; i++) h += 12.5f * (i == 2 ? 3 : 1) + 6;
        p.newPage();
        p.space(p.available() - (12.5f + 6) - h - 2);
        p.table(t, 0);
        // a three-line row where only two lines fit moves whole
        p.newPage();
        p.space(p.available() - 3 * (12.5f + 6) - (2 * 12.5f + 6) - 2);
        p.table(cols, rows(1, 1, 3, 1, 1), 10);
        List<List<String>> pages = pages();
        assertEquals(List.of("Name Value", "r0 x0", "r1 x1", "r2", "r2.1", "r2.2", "x2"), pages.get(0));
        assertEquals(List.of("Name Value", "r3 x3", "r4 x4"), pages.get(1), "the header repeats; two rows go over");
        assertEquals(List.of("Name Value", "r0 x0", "r1 x1"), pages.get(2));
        assertEquals(List.of("Name Value", "r2", "r2.1", "r2.2", "x2", "r3 x3", "r4 x4"), pages.get(3));
    }

    @Test
    void aRowTallerThanAPageBreaksWithEveryLineKept() throws Exception {
        p.newPage();
        p.table(List.of(Column.left("Reasons")), rows(150), 10);
        List<List<String>> pages = pages();
        assertEquals(3, pages.size());
        List<String> all = new ArrayList<>();
        for (List<String> page : pages) {
            assertEquals("Reasons", page.get(0), "header on every page");
            assertTrue(page.size() > 3, "no page with a line or two: " + page);
            all.addAll(page.subList(1, page.size()));
        }
        List<String> expected = new ArrayList<>(List.of("r0"));
        for (int k = 1; k < 150; k++) expected.add("r0." + k);
        assertEquals(expected, all);
    }

    @Test
    void keyValueRowsKeepTheirTailAndTheLastRowCompany() throws Exception {
        List<String[]> kv = List.of(new String[] {"A", "a"}, new String[] {"B", "b"}, new String[] {"C", "c1\nc2"});
        float rows = p.keyValuesHeight(kv, 60, 10);
        p.newPage();
        p.space(p.available() - rows - 1); // all three fit, the tail after them does not
        p.keyValues(kv, 60, 10, 30);
        p.paragraph("tail", Face.REGULAR, 10, PdfPages.INK);
        List<List<String>> pages = pages();
        assertEquals(List.of("A a"), pages.get(0));
        assertEquals(List.of("B b", "C c1", "c2", "tail"), pages.get(1));
    }
}
