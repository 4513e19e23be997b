package org.cikqc.report;

import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.util.Matrix;
import org.cikqc.plot.Figure;
import org.cikqc.plot.PlotFonts;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawer;

/**
 * A small flowing-layout writer over PDFBox: a cursor moving down the page, wrapped text, key/value blocks,
 * tables with repeated headers, coloured banners and vector figures, and a final pass that stamps the running
 * header and "Page X of Y" on every page. All text, figures' included, is set in the bundled DejaVu Sans
 * ({@link PlotFonts}), embedded as subsets; it goes through {@link FontText#showable} so a character the face
 * lacks degrades to a spelling or '?' instead of throwing. Not thread-safe.
 */
final class PdfPages {
    /** The faces of body text: DejaVu Sans and DejaVu Sans Bold; OBLIQUE is the regular face slanted. */
    enum Face { REGULAR, BOLD, OBLIQUE }

    /** Horizontal shear of {@link Face#OBLIQUE} (about 11 degrees, as DejaVu Sans Oblique). */
    private static final float SLANT = 0.2f;

    static final Color INK = new Color(0x20, 0x20, 0x20);
    static final Color MUTED = new Color(0x5A, 0x63, 0x6B);
    static final Color RULE = new Color(0xB8, 0xC0, 0xC8);
    static final Color HEADER_BG = new Color(0xE4, 0xE9, 0xEE);
    static final Color ZEBRA = new Color(0xF5, 0xF7, 0xF9);

    /** Space kept free at the top of each page for the running header. */
    static final float HEADER_SPACE = 46;
    /** Space kept free at the bottom of each page for the footer. */
    static final float FOOTER_SPACE = 44;

    private final PDDocument doc;
    private final PDRectangle size;
    private final float margin;
    private final FontText regular;
    private final FontText bold;
    private PDPage page;
    private PDPageContentStream cs;
    private float y;
    /** Draws figure text as text in the figures' own (embedded, subset) faces; made on the first figure. */
    private PdfBoxGraphics2DFontTextDrawer figureText;

    PdfPages(PDDocument doc, PDRectangle size, float margin) throws IOException {
        this.doc = doc;
        this.size = size;
        this.margin = margin;
        this.regular = new FontText(embed(doc, PlotFonts.REGULAR_FACE));
        this.bold = new FontText(embed(doc, PlotFonts.BOLD_FACE));
    }

    /** The face as a font embedded in {@code doc}; only the glyphs used are written (a subset). */
    private static PDFont embed(PDDocument doc, PlotFonts.Face face) throws IOException {
        try (InputStream in = face.open()) {
            return PDType0Font.load(doc, in, true);
        }
    }

    private FontText fontText(Face face) {
        return face == Face.BOLD ? bold : regular;
    }

    float left() { return margin; }

    float width() { return size.getWidth() - 2 * margin; }

    float y() { return y; }

    /** Height left above the footer on the current page. */
    float available() { return page == null ? 0 : y - FOOTER_SPACE; }

    /** Full usable height of a fresh page. */
    float pageBodyHeight() { return size.getHeight() - HEADER_SPACE - FOOTER_SPACE; }

    void newPage() throws IOException {
        if (cs != null) cs.close();
        page = new PDPage(size);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = size.getHeight() - HEADER_SPACE;
    }

    /** Starts a new page unless {@code h} points fit above the footer. */
    void ensure(float h) throws IOException {
        if (page == null || y - h < FOOTER_SPACE) newPage();
    }

    void space(float h) { y -= h; }

    void close() throws IOException {
        if (cs != null) cs.close();
        cs = null;
    }

    // ---- text ----------------------------------------------------------------------------------------------

    /** The width of {@code s} (made showable) in points. */
    float textWidth(Face face, float size, String s) throws IOException {
        FontText ft = fontText(face);
        return ft.font().getStringWidth(ft.showable(s)) / 1000f * size;
    }

    /** Characters a word too long for its line may break after ("NOT_" / "APPLICABLE", "CD3+" / "CD56+"). */
    private static final String BREAK_AFTER = "_-+:;,=&";
    /** Characters such a word may break before ("/cells/singlets" / "/CD45+", "cik-pass" / ".fcs"). */
    private static final String BREAK_BEFORE = "/\\.";

    /**
     * Splits text into lines no wider than {@code width}: at line breaks, then at spaces. Only a word wider than a
     * whole line is broken: after the last separator that fits ({@link #BREAK_AFTER}, {@link #BREAK_BEFORE}), or,
     * without one (a hash), after the last character that fits.
     */
    List<String> wrap(String text, Face font, float size, float width) throws IOException {
        List<String> out = new ArrayList<>();
        for (String para : (text == null ? "" : text).split("\n", -1)) {
            String line = "";
            for (String word : fontText(font).showable(para).split(" ", -1)) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (textWidth(font, size, candidate) <= width) {
                    line = candidate;
                    continue;
                }
                if (!line.isEmpty()) out.add(line);
                line = word;
                while (textWidth(font, size, line) > width) {
                    int cut = breakPoint(line, font, size, width);
                    out.add(line.substring(0, cut));
                    line = line.substring(cut);
                }
            }
            out.add(line);
        }
        return out;
    }

    /** Where a word wider than {@code width} breaks: after its last separator that fits, else its last character. */
    private int breakPoint(String word, Face font, float size, float width) throws IOException {
        int fits = 1;
        while (fits < word.length() - 1 && textWidth(font, size, word.substring(0, fits + 1)) <= width) fits++;
        if (Character.isHighSurrogate(word.charAt(fits - 1)) && fits > 1) fits--;
        for (int k = fits; k > 0; k--) {
            if (BREAK_AFTER.indexOf(word.charAt(k - 1)) >= 0 || BREAK_BEFORE.indexOf(word.charAt(k)) >= 0) return k;
        }
        return fits;
    }

    /** Draws one line of text (made showable) with its baseline at {@code baseline}. */
    void text(float x, float baseline, Face font, float size, Color color, String s) throws IOException {
        text(cs, x, baseline, font, size, color, s);
    }

    private void text(PDPageContentStream cs, float x, float baseline, Face face, float size, Color color, String s)
            throws IOException {
        FontText ft = fontText(face);
        String t = ft.showable(s);
        if (t.isEmpty()) return;
        cs.beginText();
        cs.setFont(ft.font(), size);
        cs.setNonStrokingColor(color);
        if (face == Face.OBLIQUE) cs.setTextMatrix(new Matrix(1, 0, SLANT, 1, x, baseline));
        else cs.newLineAtOffset(x, baseline);
        cs.showText(t);
        cs.endText();
    }

    /** A wrapped paragraph at the cursor; moves the cursor below it. */
    void paragraph(String s, Face font, float size, Color color) throws IOException {
        paragraph(s, font, size, color, 0);
    }

    /** A wrapped paragraph indented by {@code indent}; moves the cursor below it. */
    void paragraph(String s, Face font, float size, Color color, float indent) throws IOException {
        float lead = size * 1.3f;
        for (String line : wrap(s, font, size, width() - indent)) {
            ensure(lead);
            y -= lead;
            text(left() + indent, y + size * 0.25f, font, size, color, line);
        }
    }

    /** A section heading with a rule under it; keeps {@code keepWith} points of content on the same page. */
    void heading(String s, float keepWith) throws IOException {
        ensure(30 + keepWith);
        y -= 8;
        y -= 14;
        text(left(), y + 3, Face.BOLD, 12, INK, s);
        rule(y - 1);
        y -= 6;
    }

    void rule(float at) throws IOException {
        cs.setStrokingColor(RULE);
        cs.setLineWidth(0.6f);
        cs.moveTo(left(), at);
        cs.lineTo(left() + width(), at);
        cs.stroke();
    }

    /** A full-width coloured band with a large white title and an optional second line. */
    void banner(String title, String subtitle, Color bg) throws IOException {
        float h = subtitle == null ? 34 : 46;
        ensure(h + 6);
        y -= h;
        cs.setNonStrokingColor(bg);
        cs.addRect(left(), y, width(), h);
        cs.fill();
        text(left() + 12, y + h - 24, Face.BOLD, 18, Color.WHITE, title);
        if (subtitle != null) {
            String s = wrap(subtitle, Face.REGULAR, 9, width() - 24).get(0);
            text(left() + 12, y + 9, Face.REGULAR, 9, Color.WHITE, s);
        }
        y -= 6;
    }

    // ---- tables --------------------------------------------------------------------------------------------

    /** A table column: title and alignment (its width comes from the content, see {@link #columnWidths}). */
    record Column(String title, boolean right) {
        static Column left(String title) { return new Column(title, false); }

        static Column right(String title) { return new Column(title, true); }
    }

    /** A table cell: text, text colour (null = ink), background (null = none), bold. */
    record Cell(String text, Color fg, Color bg, boolean bold) {
        static Cell of(String text) { return new Cell(text, null, null, false); }

        static Cell bold(String text) { return new Cell(text, null, null, true); }
    }

    private static final float CELL_PAD = 3f;
    private static final int MAX_CELL_LINES = 60;

    /** A table with wrapped cells; a row never splits across pages and the header repeats on each page. */
    void table(List<Column> cols, List<List<Cell>> rows, float fontSize) throws IOException {
        List<Cell> header = new ArrayList<>();
        for (Column c : cols) header.add(new Cell(c.title(), INK, HEADER_BG, true));
        List<List<Cell>> all = new ArrayList<>(rows);
        all.add(header);
        float[] widths = columnWidths(cols.size(), all, fontSize);
        List<List<String>> headerLines = wrapRow(cols, header, widths, fontSize);
        float headerH = rowHeight(headerLines, fontSize);
        boolean headerDrawn = false;
        int index = 0;
        for (List<Cell> row : rows) {
            List<List<String>> lines = wrapRow(cols, row, widths, fontSize);
            float h = rowHeight(lines, fontSize);
            if (!headerDrawn || y - h < FOOTER_SPACE) {
                if (page == null || y - headerH - h < FOOTER_SPACE) newPage();
                drawRow(cols, header, headerLines, widths, fontSize, headerH, null);
                headerDrawn = true;
            }
            drawRow(cols, row, lines, widths, fontSize, h, index % 2 == 1 ? ZEBRA : null);
            index++;
        }
        if (!headerDrawn) { // an empty table still shows its columns
            ensure(headerH);
            drawRow(cols, header, headerLines, widths, fontSize, headerH, null);
        }
        y -= 4;
    }

    /**
     * Column widths from the content (header included), filling the text width. Each column needs its longest
     * word (plus padding) and would like its longest line unwrapped. When every column can have its longest
     * line, the spare width is shared in proportion to those widths; when every column can at least have its longest
     * word, the rest is shared in proportion to what each still lacks for its longest line (so short fields such as
     * identifiers and outcomes never wrap, and long text takes the wrapping); when even the words do not fit, the
     * columns with the longest words are narrowed to a common width and those words break at separators.
     */
    private float[] columnWidths(int n, List<List<Cell>> rows, float fs) throws IOException {
        float[] word = new float[n];
        float[] line = new float[n];
        for (List<Cell> row : rows) {
            for (int i = 0; i < n; i++) {
                Cell c = cell(row, i);
                Face f = font(c);
                for (String para : (c.text() == null ? "" : c.text()).split("\n")) {
                    String p = fontText(f).showable(para);
                    line[i] = Math.max(line[i], textWidth(f, fs, p));
                    for (String w : p.split(" ")) word[i] = Math.max(word[i], textWidth(f, fs, w));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            word[i] += 2 * CELL_PAD + 0.5f;
            line[i] += 2 * CELL_PAD + 0.5f;
        }
        return share(word, line, width());
    }

    /**
     * Widths summing to {@code total} for columns that need at least {@code min} and would like {@code want}
     * ({@code min[i] <= want[i]}); see {@link #columnWidths}.
     */
    static float[] share(float[] min, float[] want, float total) {
        int n = min.length;
        float sumMin = 0;
        float sumWant = 0;
        for (int i = 0; i < n; i++) {
            sumMin += min[i];
            sumWant += want[i];
        }
        float[] w = new float[n];
        if (sumWant <= total) {
            for (int i = 0; i < n; i++) w[i] = sumWant > 0 ? want[i] * total / sumWant : total / n;
        } else if (sumMin <= total) {
            float f = (total - sumMin) / (sumWant - sumMin);
            for (int i = 0; i < n; i++) w[i] = min[i] + (want[i] - min[i]) * f;
        } else { // the widest needs capped at a common width c with sum(min(min_i, c)) = total
            float[] sorted = min.clone();
            java.util.Arrays.sort(sorted);
            float cap = sorted[n - 1];
            float below = 0;
            for (int k = 0; k < n; k++) {
                float c = (total - below) / (n - k);
                if (c <= sorted[k]) {
                    cap = c;
                    break;
                }
                below += sorted[k];
            }
            for (int i = 0; i < n; i++) w[i] = Math.min(min[i], cap);
        }
        return w;
    }

    /** The cell at column {@code i} of a row (rows shorter than the columns are padded with empty cells). */
    private static Cell cell(List<Cell> row, int i) {
        return i < row.size() ? row.get(i) : Cell.of("");
    }

    /** Each cell of a row wrapped to its column, at most {@link #MAX_CELL_LINES} lines (the last one marking a cut). */
    private List<List<String>> wrapRow(List<Column> cols, List<Cell> row, float[] widths, float fs)
            throws IOException {
        List<List<String>> out = new ArrayList<>(cols.size());
        for (int i = 0; i < cols.size(); i++) {
            Cell c = cell(row, i);
            List<String> lines = wrap(c.text(), font(c), fs, widths[i] - 2 * CELL_PAD);
            if (lines.size() > MAX_CELL_LINES) {
                lines = new ArrayList<>(lines.subList(0, MAX_CELL_LINES));
                lines.set(MAX_CELL_LINES - 1, "... (truncated; see result.json)");
            }
            out.add(lines);
        }
        return out;
    }

    private static float rowHeight(List<List<String>> wrapped, float fs) {
        int lines = 1;
        for (List<String> cellLines : wrapped) lines = Math.max(lines, cellLines.size());
        return lines * fs * 1.25f + 2 * CELL_PAD;
    }

    private static Face font(Cell c) {
        return c.bold() ? Face.BOLD : Face.REGULAR;
    }

    private void drawRow(List<Column> cols, List<Cell> row, List<List<String>> wrapped, float[] widths, float fs,
            float h, Color zebra) throws IOException {
        float x = left();
        float top = y;
        for (int i = 0; i < cols.size(); i++) {
            Cell c = cell(row, i);
            Color bg = c.bg() != null ? c.bg() : zebra;
            if (bg != null) {
                cs.setNonStrokingColor(bg);
                cs.addRect(x, top - h, widths[i], h);
                cs.fill();
            }
            Face f = font(c);
            List<String> lines = wrapped.get(i);
            float base = top - CELL_PAD - fs;
            for (String line : lines) {
                float tx = cols.get(i).right() ? x + widths[i] - CELL_PAD - textWidth(f, fs, line) : x + CELL_PAD;
                text(tx, base + fs * 0.12f, f, fs, c.fg() == null ? INK : c.fg(), line);
                base -= fs * 1.25f;
            }
            x += widths[i];
        }
        cs.setStrokingColor(RULE);
        cs.setLineWidth(0.4f);
        cs.moveTo(left(), top - h);
        cs.lineTo(left() + width(), top - h);
        cs.stroke();
        y = top - h;
    }

    /** Label/value rows (labels bold and muted). */
    void keyValues(List<String[]> rows, float labelWidth, float fs) throws IOException {
        for (String[] r : rows) {
            List<String> lines = wrap(ResultView.orDash(r[1]), Face.REGULAR, fs, width() - labelWidth);
            float h = lines.size() * fs * 1.3f + 1.5f;
            ensure(h);
            float base = y - fs;
            text(left(), base, Face.BOLD, fs, MUTED, r[0]);
            for (String line : lines) {
                text(left() + labelWidth, base, Face.REGULAR, fs, INK, line);
                base -= fs * 1.3f;
            }
            y -= h;
        }
    }

    // ---- figures -------------------------------------------------------------------------------------------

    /**
     * Draws {@code f} as vector graphics with its top-left corner at (x, top) and the given size. Its text stays
     * text, in the figures' faces ({@link PlotFonts}) embedded as subsets, so the page reads and searches as it
     * looks; text those faces cannot show is drawn as outlines.
     */
    void figure(Figure f, float x, float top, float w, float h) throws IOException {
        PdfBoxGraphics2D g2 = new PdfBoxGraphics2D(doc, w, h);
        g2.setFontTextDrawer(figureText());
        try {
            f.draw(g2, w, h);
        } finally {
            g2.dispose();
        }
        PDFormXObject form = g2.getXFormObject();
        cs.saveGraphicsState();
        cs.transform(Matrix.getTranslateInstance(x, top - h));
        cs.drawForm(form);
        cs.restoreGraphicsState();
    }

    private PdfBoxGraphics2DFontTextDrawer figureText() {
        if (figureText == null) {
            PdfBoxGraphics2DFontTextDrawer d = new PdfBoxGraphics2DFontTextDrawer();
            // the body text's embedded fonts, so each face is embedded once, with the glyphs of both
            for (PlotFonts.Face face : PlotFonts.faces()) {
                d.registerFont(face.name(), (face.equals(PlotFonts.BOLD_FACE) ? bold : regular).font());
            }
            figureText = d;
        }
        return figureText;
    }

    /** Sets the cursor (after placing content by absolute position). */
    void moveTo(float newY) { y = newY; }

    // ---- final pass ----------------------------------------------------------------------------------------

    /**
     * Stamps every page with a running header (left and right texts) and a footer (left text and
     * "Page X of Y"). Call after all content is written and {@link #close()}d.
     */
    void stamp(String headerLeft, String headerRight, String footerLeft) throws IOException {
        int n = doc.getNumberOfPages();
        float w = size.getWidth();
        float h = size.getHeight();
        for (int i = 0; i < n; i++) {
            PDPage p = doc.getPage(i);
            try (PDPageContentStream s = new PDPageContentStream(doc, p, PDPageContentStream.AppendMode.APPEND,
                    true, true)) {
                float top = h - 28;
                text(s, margin, top, Face.BOLD, 8.5f, MUTED, headerLeft);
                String hr = fit(headerRight, Face.REGULAR, 8.5f, w / 2 - margin);
                text(s, w - margin - textWidth(Face.REGULAR, 8.5f, hr), top, Face.REGULAR, 8.5f, MUTED, hr);
                line(s, margin, top - 5, w - margin);
                line(s, margin, FOOTER_SPACE - 16, w - margin);
                String pageText = "Page " + (i + 1) + " of " + n;
                float pw = textWidth(Face.BOLD, 8.5f, pageText);
                String fl = fit(footerLeft, Face.REGULAR, 7.5f, w - 2 * margin - pw - 20);
                text(s, margin, FOOTER_SPACE - 27, Face.REGULAR, 7.5f, MUTED, fl);
                text(s, w - margin - pw, FOOTER_SPACE - 27, Face.BOLD, 8.5f, INK, pageText);
            }
        }
    }

    private static void line(PDPageContentStream s, float x0, float at, float x1) throws IOException {
        s.setStrokingColor(RULE);
        s.setLineWidth(0.6f);
        s.moveTo(x0, at);
        s.lineTo(x1, at);
        s.stroke();
    }

    /** The text made showable, shortened with "…" to fit {@code width}. */
    String fit(String s, Face font, float size, float width) throws IOException {
        String t = fontText(font).showable(s);
        if (textWidth(font, size, t) <= width) return t;
        while (t.length() > 1 && textWidth(font, size, t + "\u2026") > width) t = t.substring(0, t.length() - 1);
        return t + "\u2026";
    }
}
