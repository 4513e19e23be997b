package org.cikqc.report;

import java.awt.Color;
import java.io.IOException;
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
    /** Line height of paragraphs and key/value rows, in font sizes. */
    private static final float LEADING = 1.3f;
    /** Fewest lines of a paragraph or a row left at the foot of a page or carried over to the next. */
    private static final int MIN_LINES = 2;

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
    /** Draws figure text as text in the body text's embedded faces; made on the first figure. */
    private PdfBoxGraphics2DFontTextDrawer figureText;

    PdfPages(PDDocument doc, PDRectangle size, float margin) throws IOException {
        this.doc = doc;
        this.size = size;
        this.margin = margin;
        this.regular = new FontText(embed(doc, PlotFonts.REGULAR_FACE));
        this.bold = new FontText(embed(doc, PlotFonts.BOLD_FACE));
    }

    /**
     * The face as a font embedded in {@code doc}; only the glyphs used are written (a subset). PDFBox would apply
     * the font's GSUB ligatures ("ff", "fi", "fl" as one glyph), so that the text extracted from the PDF reads
     * "ﬁle" and a SHA-256 containing "ff" could not be found or compared; they are switched off, so every character
     * is its own glyph and extracts as itself. The face's bytes are read once per process ({@link PlotFonts.Face#bytes});
     * the parsed font stays open until the document is saved (the subset is written then).
     */
    static PDFont embed(PDDocument doc, PlotFonts.Face face) throws IOException {
        org.apache.fontbox.ttf.TrueTypeFont ttf = new org.apache.fontbox.ttf.TTFParser()
                .parse(new org.apache.pdfbox.io.RandomAccessReadBuffer(face.bytes()));
        ttf.setEnableGsub(false);
        return PDType0Font.load(doc, ttf, true);
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
        if (!fits(h)) newPage();
    }

    /**
     * Keeps {@code h} points together: starts a new page unless they fit above the footer, when a page can hold
     * them at all (a taller block breaks where its own rules allow).
     */
    void keep(float h) throws IOException {
        ensure(Math.min(h, pageBodyHeight()));
    }

    private boolean fits(float h) {
        return page != null && y - h >= FOOTER_SPACE - 0.01f;
    }

    /** True when nothing has been drawn below the running header of the current page yet. */
    private boolean atTop() {
        return page != null && y >= size.getHeight() - HEADER_SPACE;
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
        return shownWidth(ft, size, ft.showable(s));
    }

    /** The width in points of text that is showable already. */
    private static float shownWidth(FontText ft, float size, String shown) throws IOException {
        return ft.font().getStringWidth(shown) / 1000f * size;
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
        // a layout measures a block before it draws it (to keep it with its heading): the second wrap is a lookup
        WrapKey key = new WrapKey(text == null ? "" : text, font, size, width);
        List<String> known = wrapped.get(key);
        if (known != null) return known;
        FontText ft = fontText(font);
        List<String> out = new ArrayList<>();
        for (String para : key.text().split("\n", -1)) {
            String line = "";
            for (String word : ft.showable(para).split(" ", -1)) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (shownWidth(ft, size, candidate) <= width) {
                    line = candidate;
                    continue;
                }
                if (!line.isEmpty()) out.add(line);
                line = word;
                while (shownWidth(ft, size, line) > width) {
                    int cut = breakPoint(line, ft, size, width);
                    out.add(line.substring(0, cut));
                    line = line.substring(cut);
                }
            }
            out.add(line);
        }
        List<String> lines = List.copyOf(out);
        wrapped.put(key, lines);
        return lines;
    }

    /** What {@link #wrap} depends on. */
    private record WrapKey(String text, Face font, float size, float width) { }

    /** Texts wrapped so far in this document, by {@link WrapKey} (a document's text is small). */
    private final java.util.Map<WrapKey, List<String>> wrapped = new java.util.HashMap<>();

    /** Where a word wider than {@code width} breaks: after its last separator that fits, else its last character. */
    private static int breakPoint(String word, FontText ft, float size, float width) throws IOException {
        int fits = 1;
        while (fits < word.length() - 1 && shownWidth(ft, size, word.substring(0, fits + 1)) <= width) fits++;
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

    /**
     * A wrapped paragraph indented by {@code indent}; moves the cursor below it. It breaks across pages only with
     * at least {@link #MIN_LINES} lines on each side, so a short paragraph moves whole and no page starts or ends
     * with a single line of it.
     */
    void paragraph(String s, Face font, float size, Color color, float indent) throws IOException {
        float lead = size * LEADING;
        List<String> lines = wrap(s, font, size, width() - indent);
        flow(lines.size(), lead, 0, (from, to) -> {
            for (String line : lines.subList(from, to)) {
                y -= lead;
                text(left() + indent, y + size * 0.25f, font, size, color, line);
            }
        }, this::newPage);
    }

    /** Draws lines {@code from} to {@code to} (exclusive) of a block at the cursor, moving the cursor below them. */
    @FunctionalInterface
    private interface Lines {
        void draw(int from, int to) throws IOException;
    }

    /** Starts the next page of a block (for a table: with its header). */
    @FunctionalInterface
    private interface NextPage {
        void start() throws IOException;
    }

    /**
     * The one way a block of {@code total} lines ({@code lineH} tall each, plus {@code pad} once per piece) flows
     * over pages: as many lines as {@link #linesHere} allows on this page, then the next page, and so on.
     */
    private void flow(int total, float lineH, float pad, Lines lines, NextPage next) throws IOException {
        int from = 0;
        while (from < total) {
            int k = linesHere(total - from, lineH, pad);
            if (k > 0) {
                lines.draw(from, from + k);
                from += k;
            }
            if (from < total) next.start();
        }
    }

    /** The height of {@link #paragraph}. */
    float paragraphHeight(String s, Face font, float size, float indent) throws IOException {
        return wrap(s, font, size, width() - indent).size() * size * LEADING;
    }

    /** The height of a paragraph's first lines, which {@link #paragraph} never leaves alone at a page's foot. */
    float paragraphLead(String s, Face font, float size, float indent) throws IOException {
        int n = wrap(s, font, size, width() - indent).size();
        return (n < 2 * MIN_LINES ? n : MIN_LINES) * size * LEADING;
    }

    /**
     * A bold title over items (one indented paragraph each): kept whole on a page when it takes at most a third of
     * one, else the title keeps the first lines of the first item (see {@link #titledListLead}).
     */
    void titledList(String title, float titleSize, List<String> items, float itemSize, float indent)
            throws IOException {
        keep(titledListLead(title, titleSize, items, itemSize, indent));
        paragraph(title, Face.BOLD, titleSize, INK);
        for (String item : items) paragraph(item, Face.REGULAR, itemSize, INK, indent);
    }

    /** A bold title over bullet items, for {@link #headedLists}. */
    record TitledList(String title, List<String> items) { }

    /**
     * Titled lists (title 8.5 pt, items 8 pt indented 10) under one heading that keeps the first list's start with
     * it; {@code before} points of space before the heading, {@code gap} after each list. Nothing when there are no
     * lists.
     */
    void headedLists(String heading, float before, List<TitledList> lists, float gap) throws IOException {
        if (lists.isEmpty()) return;
        space(before);
        TitledList first = lists.get(0);
        heading(heading, titledListLead(first.title(), 8.5f, first.items(), 8, 10));
        for (TitledList l : lists) {
            titledList(l.title(), 8.5f, l.items(), 8, 10);
            space(gap);
        }
    }

    /** The height {@link #titledList} keeps together at its start (for a heading to keep with it). */
    float titledListLead(String title, float titleSize, List<String> items, float itemSize, float indent)
            throws IOException {
        float titleH = paragraphHeight(title, Face.BOLD, titleSize, 0);
        float whole = titleH;
        for (String item : items) whole += paragraphHeight(item, Face.REGULAR, itemSize, indent);
        if (whole <= pageBodyHeight() / 3 || items.isEmpty()) return whole;
        return titleH + paragraphLead(items.get(0), Face.REGULAR, itemSize, indent);
    }

    /**
     * Whether a row {@code h} tall, not the first on its page, starts a new page: when it does not fit, or when it is
     * the second-to-last and with the last ({@code withLast}: both heights, 0 for other rows) it does not fit, so
     * the last would go alone to the next page. Never when a fresh page ({@code room} tall) could not hold it
     * either: such a row breaks between its lines ({@link #linesHere}).
     */
    private boolean breakBefore(float h, float withLast, float room) {
        return h <= room && (!fits(h) || withLast > 0 && !fits(withLast) && withLast <= room);
    }

    /**
     * How many of {@code left} lines (each {@code lineH} tall, plus {@code pad} once) to draw on this page: all
     * when they fit, else as many as fit while leaving at least {@link #MIN_LINES} on each side of the break, and 0
     * when that is none (start a new page first); on a page with nothing on it yet, at least one.
     */
    private int linesHere(int left, float lineH, float pad) {
        int room = page == null ? 0 : (int) Math.floor((y - FOOTER_SPACE - pad + 0.01f) / lineH);
        if (room >= left) return left;
        int n = Math.min(room, left - MIN_LINES);
        if (n < MIN_LINES) n = 0;
        return n == 0 && atTop() ? Math.max(1, Math.min(room, left)) : n;
    }

    /**
     * A section heading with a rule under it; keeps {@code keepWith} points of what follows on the same page (see
     * {@link Table#lead()}, {@link #paragraphLead}, or the whole of a short section).
     */
    void heading(String s, float keepWith) throws IOException {
        keep(30 + keepWith);
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
    /** Line height of table cells, in font sizes. */
    private static final float CELL_LEADING = 1.25f;

    /** A table laid out for the text width: its column widths and every cell wrapped (see {@link #layout}). */
    final class Table {
        private final List<Column> cols;
        private final List<List<Cell>> rows;
        private final List<Cell> header;
        private final float fs;
        private final float[] widths;
        private final List<List<String>> headerLines;
        private final List<List<List<String>>> lines;

        private Table(List<Column> cols, List<List<Cell>> rows, float fs) throws IOException {
            this.cols = cols;
            this.rows = rows;
            this.fs = fs;
            header = new ArrayList<>();
            for (Column c : cols) header.add(new Cell(c.title(), INK, HEADER_BG, true));
            List<List<Cell>> all = new ArrayList<>(rows);
            all.add(header);
            widths = columnWidths(cols.size(), all, fs);
            headerLines = wrapRow(header);
            lines = new ArrayList<>(rows.size());
            for (List<Cell> row : rows) lines.add(wrapRow(row));
        }

        private List<List<String>> wrapRow(List<Cell> row) throws IOException {
            List<List<String>> out = new ArrayList<>(cols.size());
            for (int i = 0; i < cols.size(); i++) {
                Cell c = cell(row, i);
                out.add(wrap(c.text(), font(c), fs, widths[i] - 2 * CELL_PAD));
            }
            return out;
        }

        private float lineHeight() { return fs * CELL_LEADING; }

        private float height(List<List<String>> wrapped) { return lineCount(wrapped) * lineHeight() + 2 * CELL_PAD; }

        private float headerHeight() { return height(headerLines); }

        private float rowHeight(int i) { return height(lines.get(i)); }

        /**
         * The height {@link #table(Table, float)} keeps together at the start: the header and the first two rows
         * (one when there is one), or, with rows taller than a page, the header and the first lines of the first row.
         */
        float lead() {
            float room = pageBodyHeight() - headerHeight();
            if (rows.isEmpty()) return headerHeight();
            float two = rowHeight(0) + (rows.size() > 1 ? rowHeight(1) : 0);
            if (two <= room) return headerHeight() + two;
            if (rowHeight(0) <= room) return headerHeight() + rowHeight(0);
            return headerHeight() + MIN_LINES * lineHeight() + 2 * CELL_PAD;
        }

        /** The height of the whole table on one page. */
        float height() {
            float h = headerHeight() + TABLE_GAP;
            for (int i = 0; i < rows.size(); i++) h += rowHeight(i);
            return h;
        }
    }

    /** Space below a table. */
    private static final float TABLE_GAP = 4;

    /** Lays a table out (to measure it before drawing it with {@link #table(Table, float)}). */
    Table layout(List<Column> cols, List<List<Cell>> rows, float fontSize) throws IOException {
        return new Table(cols, rows, fontSize);
    }

    /** Lays out and draws a table (see {@link #table(Table, float)}). */
    void table(List<Column> cols, List<List<Cell>> rows, float fontSize) throws IOException {
        table(layout(cols, rows, fontSize), 0);
    }

    /**
     * Draws a table at the cursor, its header repeated on every page it reaches. A row is never split across pages
     * unless it is taller than a page (then at least {@link #MIN_LINES} of its lines stay on each side); the last
     * row never goes alone to a page (the one before it goes along), and it keeps {@code tail} points of what
     * follows with it.
     */
    void table(Table t, float tail) throws IOException {
        int n = t.rows.size();
        keep(t.lead() + (n <= 2 ? tail : 0));
        drawHeader(t);
        float room = pageBodyHeight() - t.headerHeight();
        float last = n == 0 ? 0 : t.rowHeight(n - 1) + tail;
        boolean firstOnPage = true;
        for (int i = 0; i < n; i++) {
            float h = i == n - 1 ? last : t.rowHeight(i);
            if (!firstOnPage && breakBefore(h, i == n - 2 ? h + last : 0, room)) {
                newPage();
                drawHeader(t);
            }
            Color zebra = i % 2 == 1 ? ZEBRA : null;
            List<Cell> row = t.rows.get(i);
            List<List<String>> wrapped = t.lines.get(i);
            flow(lineCount(wrapped), t.lineHeight(), 2 * CELL_PAD, (from, to) -> drawRow(t, row, wrapped, from, to, zebra),
                    () -> {
                        newPage();
                        drawHeader(t);
                    });
            firstOnPage = false;
        }
        y -= TABLE_GAP;
    }

    /**
     * Column widths from the content (header included), filling the text width. Each column needs its longest
     * word (plus padding) and would like its longest line unwrapped. When every column can have its longest
     * line, the spare width is shared in proportion to those widths; when every column can at least have its longest
     * word, the rest is shared in proportion to what each still lacks for its longest line (so short fields such as
     * identifiers and outcomes never wrap, and long text takes the wrapping); when even the words do not fit, the
     * columns with the longest words are narrowed to a common width and those words break at separators, each such
     * column keeping only about the width of its pieces so that the others wrap less.
     */
    private float[] columnWidths(int n, List<List<Cell>> rows, float fs) throws IOException {
        float[] word = new float[n];
        float[] line = new float[n];
        for (List<Cell> row : rows) {
            for (int i = 0; i < n; i++) {
                Cell c = cell(row, i);
                FontText ft = fontText(font(c));
                for (String para : (c.text() == null ? "" : c.text()).split("\n")) {
                    String p = ft.showable(para);
                    line[i] = Math.max(line[i], shownWidth(ft, fs, p));
                    for (String w : p.split(" ")) word[i] = Math.max(word[i], shownWidth(ft, fs, w));
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
        } else {
            // the widest needs capped at a common width c with sum(min(min_i, c)) = total
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
            // a word that must break anyway needs the width of its pieces (with some room for where its separators
            // fall), not the whole cap: the rest goes to the columns still short of their lines, then back
            float spare = 0;
            float lack = 0;
            for (int i = 0; i < n; i++) {
                if (min[i] > cap) {
                    w[i] = Math.min(cap, min[i] / (float) Math.ceil(min[i] / cap) * 1.15f);
                    spare += cap - w[i];
                } else {
                    w[i] = min[i];
                    lack += want[i] - min[i];
                }
            }
            float given = Math.min(spare, lack);
            for (int i = 0; i < n; i++) {
                if (min[i] > cap) w[i] += spare > 0 ? (spare - given) * (cap - w[i]) / spare : 0;
                else if (lack > 0) w[i] += given * (want[i] - min[i]) / lack;
            }
        }
        return w;
    }

    /** The cell at column {@code i} of a row (rows shorter than the columns are padded with empty cells). */
    private static Cell cell(List<Cell> row, int i) {
        return i < row.size() ? row.get(i) : Cell.of("");
    }

    private static int lineCount(List<List<String>> wrapped) {
        int lines = 1;
        for (List<String> cellLines : wrapped) lines = Math.max(lines, cellLines.size());
        return lines;
    }

    private static Face font(Cell c) {
        return c.bold() ? Face.BOLD : Face.REGULAR;
    }

    /** The table's header row, whole. */
    private void drawHeader(Table t) throws IOException {
        drawRow(t, t.header, t.headerLines, 0, lineCount(t.headerLines), null);
    }

    /** Draws lines {@code from} to {@code to} (exclusive) of a row's wrapped cells, and a rule under them. */
    private void drawRow(Table t, List<Cell> row, List<List<String>> wrapped, int from, int to, Color zebra)
            throws IOException {
        float h = (to - from) * t.lineHeight() + 2 * CELL_PAD;
        float x = left();
        float top = y;
        for (int i = 0; i < t.cols.size(); i++) {
            Cell c = cell(row, i);
            Color bg = c.bg() != null ? c.bg() : zebra;
            if (bg != null) {
                cs.setNonStrokingColor(bg);
                cs.addRect(x, top - h, t.widths[i], h);
                cs.fill();
            }
            Face f = font(c);
            List<String> lines = wrapped.get(i);
            float base = top - CELL_PAD - t.fs;
            for (String line : lines.subList(Math.min(from, lines.size()), Math.min(to, lines.size()))) {
                float tx = t.cols.get(i).right() ? x + t.widths[i] - CELL_PAD - shownWidth(fontText(f), t.fs, line) : x + CELL_PAD;
                text(tx, base + t.fs * 0.12f, f, t.fs, c.fg() == null ? INK : c.fg(), line);
                base -= t.lineHeight();
            }
            x += t.widths[i];
        }
        cs.setStrokingColor(RULE);
        cs.setLineWidth(0.4f);
        cs.moveTo(left(), top - h);
        cs.lineTo(left() + width(), top - h);
        cs.stroke();
        y = top - h;
    }

    /**
     * Label/value rows (labels bold and muted), kept whole on a page (a row taller than a page breaks with at least
     * {@link #MIN_LINES} lines on each side); the last row never goes alone to a page, and it keeps {@code tail}
     * points of what follows with it.
     */
    void keyValues(List<String[]> rows, float labelWidth, float fs, float tail) throws IOException {
        float lead = fs * LEADING;
        List<List<String>> values = new ArrayList<>(rows.size());
        for (String[] r : rows) values.add(wrap(ResultView.orDash(r[1]), Face.REGULAR, fs, width() - labelWidth));
        int n = rows.size();
        float[] h = new float[n];
        for (int i = 0; i < n; i++) h[i] = values.get(i).size() * lead + KV_GAP + (i == n - 1 ? tail : 0);
        boolean firstOnPage = true;
        for (int i = 0; i < n; i++) {
            if (!firstOnPage && breakBefore(h[i], i == n - 2 ? h[i] + h[n - 1] : 0, pageBodyHeight())) newPage();
            firstOnPage = false;
            List<String> lines = values.get(i);
            String label = rows.get(i)[0];
            flow(lines.size(), lead, KV_GAP, (from, to) -> {
                float base = y - fs;
                if (from == 0) text(left(), base, Face.BOLD, fs, MUTED, label);
                for (String line : lines.subList(from, to)) {
                    text(left() + labelWidth, base, Face.REGULAR, fs, INK, line);
                    base -= lead;
                }
                y -= (to - from) * lead + KV_GAP;
            }, this::newPage);
        }
    }

    /** Label/value rows with nothing to keep after them (see {@link #keyValues(List, float, float, float)}). */
    void keyValues(List<String[]> rows, float labelWidth, float fs) throws IOException {
        keyValues(rows, labelWidth, fs, 0);
    }

    /** The height of {@link #keyValues}. */
    float keyValuesHeight(List<String[]> rows, float labelWidth, float fs) throws IOException {
        float h = 0;
        for (String[] r : rows) {
            h += wrap(ResultView.orDash(r[1]), Face.REGULAR, fs, width() - labelWidth).size() * fs * LEADING + KV_GAP;
        }
        return h;
    }

    private static final float KV_GAP = 1.5f;

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
                text(s, w - margin - shownWidth(regular, 8.5f, hr), top, Face.REGULAR, 8.5f, MUTED, hr);
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
        FontText ft = fontText(font);
        String t = ft.showable(s);
        if (shownWidth(ft, size, t) <= width) return t;
        while (t.length() > 1 && shownWidth(ft, size, t + "\u2026") > width) t = t.substring(0, t.length() - 1);
        return t + "\u2026";
    }
}
