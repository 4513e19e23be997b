package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.cikqc.plot.Figure;
import org.cikqc.plot.SampleFigures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class PdfDossierTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final PdfDossier.Options OPTS = new PdfDossier.Options(Instant.parse("2026-03-01T10:15:02Z"), "0.1.0",
            "2f9adde0c1b2d3e4", null, null);

    static ObjectNode passResult() throws Exception {
        try (InputStream in = PdfDossierTest.class.getResourceAsStream("/report/result-pass.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    @Test
    void dossierHasAllSectionsAndEveryPageRenders() throws Exception {
        byte[] pdf = PdfDossier.render(passResult(), SampleFigures.all(7), OPTS.withResultSha256("ab".repeat(32)));
        List<String> pages = PdfChecks.checkPages(pdf);
        assertTrue(pages.size() >= 2 && pages.size() <= 4, "pages: " + pages.size());
        String all = String.join("\n", pages);
        for (String s : new String[] {"CIK-2026-014_tube1.fcs", "BD FACSCanto II", "2026-02-27",
                "9f2c4a1be07d3c55e3b9c1f0a8d4e6b2c7f1a3d5e9b0c2d4f6a8b0c1d3e5f7a9", "cik-default/1.0",
                "2026-03-01 10:15:02 UTC", "VERDICT: PASS", "Results", "90.96", "90.83–91.09", "171,000 / 188,000",
                "≥ 80 %", "Acceptance checks", "Problems and flags", "FCS_TEXT_TRAILING_PAD", "α-CD8",
                "Population counts", "/Time/Cells/Singlets/CD45+/Viable/CD3+CD56+", "Figure 4.",
                "Gate geometry", "Lymphocytes: polygon (45000, 8000)", "Provenance", "transform.M = 4.5",
                "abababab", "not evaluable"}) {
            assertTrue(all.contains(s), "missing '" + s + "'");
        }
        assertTrue(PdfChecks.pixelsNear(pdf, 0, 0x1B7F3B) > 300, "green PASS banner");
    }

    @Test
    void plotsAreVectorFormsNotPageImages() throws Exception {
        byte[] pdf = PdfDossier.render(passResult(), SampleFigures.all(7), OPTS);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int forms = 0;
            int pageImages = 0;
            for (var page : doc.getPages()) {
                PDResources res = page.getResources();
                for (COSName n : res.getXObjectNames()) {
                    var x = res.getXObject(n);
                    if (x instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject) forms++;
                    else if (res.isImageXObject(n)) pageImages++;
                }
            }
            assertEquals(SampleFigures.all(7).size(), forms, "one vector form per figure");
            assertEquals(0, pageImages, "no figure is a page-level raster");
        }
    }

    @Test
    void figureTextIsTextInTheEmbeddedFigureFace() throws Exception {
        byte[] pdf = PdfDossier.render(passResult(), SampleFigures.all(7), OPTS);
        String all = String.join("\n", PdfChecks.checkPages(pdf));
        // axis titles, tick labels and gate labels inside the figures, not only the captions below them
        for (String s : new String[] {"CD3 BV421-A", "CD3+CD56+ 35.1%", "250K"}) {
            assertTrue(all.contains(s), "figure text '" + s + "' is extractable");
        }
        java.util.Set<String> embedded = new java.util.TreeSet<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            for (var page : doc.getPages()) {
                PDResources res = page.getResources();
                for (COSName n : res.getXObjectNames()) {
                    if (res.getXObject(n) instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form) {
                        for (COSName f : form.getResources().getFontNames()) {
                            var font = form.getResources().getFont(f);
                            if (font.isEmbedded()) embedded.add(font.getName().replaceFirst("^[A-Z]{6}\\+", ""));
                        }
                    }
                }
            }
        }
        assertEquals(java.util.Set.of("DejaVuSans", "DejaVuSans-Bold"), embedded, "figure faces embedded (subsets)");
    }

    @Test
    void sameInputSameBytes() throws Exception {
        byte[] a = PdfDossier.render(passResult(), SampleFigures.all(7), OPTS);
        byte[] b = PdfDossier.render(passResult(), SampleFigures.all(7), OPTS);
        assertArrayEquals(a, b);
    }

    @Test
    void failAndIndeterminateBannersHaveTheirColours() throws Exception {
        ObjectNode r = passResult();
        r.put("verdict", "FAIL");
        byte[] fail = PdfDossier.render(r, List.of(), OPTS);
        assertTrue(PdfChecks.pixelsNear(fail, 0, 0xC62828) > 300, "red banner");
        assertTrue(PdfChecks.checkPages(fail).get(0).contains("VERDICT: FAIL"));
        r.put("verdict", "INDETERMINATE");
        byte[] ind = PdfDossier.render(r, List.of(), OPTS);
        assertTrue(PdfChecks.pixelsNear(ind, 0, 0xD98C00) > 300, "amber banner");
        assertEquals(0, PdfChecks.pixelsNear(ind, 0, 0xC62828) / 1000, "no red banner");
    }

    @Test
    void percentagesAreRoundedOnceFromTheirCountsAsTheFiguresRoundThem() throws Exception {
        ObjectNode r = passResult();
        // 58.36495… is stored rounded to 58.365; rounding that again would print 58.37, the figures print 58.36
        ObjectNode m = (ObjectNode) r.path("metrics").path("cd3_pct");
        m.put("value", 58.365).put("numerator", 5_836_495).put("denominator", 10_000_000);
        m.putArray("ci95").add(58.33).add(58.40);
        ObjectNode pop = (ObjectNode) r.path("populations").get(1);
        pop.put("count", 5_836_495).put("parent_count", 10_000_000).put("percent", 58.365);
        String all = String.join("\n", PdfChecks.checkPages(PdfDossier.render(r, List.of(), OPTS)));
        assertTrue(all.contains("58.36") && !all.contains("58.37"), "rounded once");
        // counts that disagree with the stored value (another definition): the stored value is shown
        m.put("value", 12.5);
        all = String.join("\n", PdfChecks.checkPages(PdfDossier.render(r, List.of(), OPTS)));
        assertTrue(all.contains("12.50"), "stored value when counts disagree");
    }

    @Test
    void wordingFollowsThePanelAndTheReasons() throws Exception {
        ObjectNode r = passResult();
        String with = PdfChecks.checkPages(PdfDossier.render(r, List.of(), OPTS)).get(0);
        assertTrue(with.contains("Viability (% of CD45+ singlets)"), with);
        for (JsonNode p : r.path("populations")) {
            ((ObjectNode) p).put("path", p.path("path").asText().replace("/CD45+", ""));
        }
        r.put("verdict", "INDETERMINATE");
        ((ObjectNode) r.path("metrics").path("cd3_pct")).put("lloq", "OK");
        String without = PdfChecks.checkPages(PdfDossier.render(r, List.of(), OPTS)).get(0);
        assertTrue(without.contains("Viability (% of singlets)") && without.contains("(% of viable singlets)")
                && !without.contains("CD45+ singlets") && !without.contains("viable CD45+)"), without);
        assertTrue(without.contains("No release decision from this acquisition") && !without.contains("too close"),
                "the banner does not presume why");
        assertTrue(!without.contains("(OK)"), "enough events is not flagged");
    }

    @Test
    void tableCellsBreakBetweenWordsNotInsideThem() throws Exception {
        ObjectNode r = passResult();
        ((ObjectNode) r.path("checks").get(4)).put("outcome", "NOT_APPLICABLE");
        r.withObjectProperty("metrics").putNull("cd3_cd56neg_pct");
        String all = String.join("\n", PdfChecks.checkPages(PdfDossier.render(r, List.of(), OPTS)));
        assertTrue(all.contains("NOT_APPLICABLE"), "outcome in one piece: " + all);
        assertTrue(all.contains("CD3+CD56- (% of viable CD45+)"), "metric name on one line");
    }

    @Test
    void limitsPrintAsWrittenInTheSpecNotWithResultJsonsFourDecimals() throws Exception {
        ObjectNode r = passResult();
        ObjectNode cd3 = (ObjectNode) r.path("checks").get(1);
        cd3.putObject("limit").put("op", ">=").put("value", new java.math.BigDecimal("80.0000"));
        ObjectNode events = (ObjectNode) r.path("checks").get(4);
        events.putObject("limit").put("op", ">=").put("value", 20000);
        String all = String.join("\n", PdfChecks.checkPages(PdfDossier.render(r, List.of(), OPTS)));
        assertTrue(java.util.regex.Pattern.compile("≥ 80(?![.0-9])").matcher(all).find(), all);
        assertFalse(all.contains("80.0000"), "no result.json scale");
        assertTrue(all.contains("≥ 20,000"), "a count limit as the value column prints counts");
    }

    @Test
    void missingFieldsPrintDashesAndNeverThrow() throws Exception {
        for (JsonNode r : new JsonNode[] {JSON.createObjectNode(), null, JSON.readTree("[1,2]"),
                JSON.readTree("{\"sample\":null,\"metrics\":{\"cd3_pct\":\"abc\",\"x\":7},\"checks\":\"no\","
                        + "\"populations\":[{}],\"problems\":[{}],\"reasons\":[{\"message\":\"m\"},3],"
                        + "\"provenance\":{\"options\":[1]}}")}) {
            byte[] pdf = PdfDossier.render(r, List.of(), OPTS);
            List<String> pages = PdfChecks.checkPages(pdf);
            assertTrue(pages.get(0).contains("\u2014"), "dashes for missing values");
            assertTrue(pages.get(0).contains("NO VERDICT"));
        }
    }

    @Test
    void symbolsPrintAsThemselvesAndMissingGlyphsDegrade() throws Exception {
        ObjectNode r = passResult();
        r.withObjectProperty("sample").put("file", "Probe ≥ 80 % − αβγ 日本 Zoë ő\ttab\nnewline.fcs");
        ArrayNode reasons = r.putArray("reasons");
        reasons.add("CD3+ ≥ 80 % (μ = 91 ± 2; 10⁴ events; κ; IFN-γ)");
        byte[] pdf = PdfDossier.render(r, List.of(SampleFigures.quadrant(1)), OPTS);
        String all = String.join("\n", PdfChecks.checkPages(pdf));
        assertTrue(all.contains("Probe ≥ 80 % − αβγ ?? Zoë ő tab"), all);
        assertTrue(all.contains("newline.fcs"), all);
        assertTrue(all.contains("CD3+ ≥ 80 % (μ = 91 ± 2; 10⁴ events; κ; IFN-γ)"), all);
    }

    @Test
    void everyFontIsEmbedded() throws Exception {
        ObjectNode r = passResult();
        r.put("verdict", "FAIL");
        byte[] dossier = PdfDossier.render(r, SampleFigures.all(3), OPTS);
        byte[] summary = SummaryPdf.render(SummaryRow.of(List.of(r, passResult())), OPTS);
        for (byte[] pdf : new byte[][] {dossier, summary}) {
            java.util.Set<String> fonts = PdfChecks.fonts(pdf);
            assertEquals(java.util.Set.of("DejaVuSans (embedded)", "DejaVuSans-Bold (embedded)"), fonts);
        }
    }

    @Test
    void textExtractsLetterForLetterWithoutLigatures() throws Exception {
        ObjectNode r = passResult();
        String hash = "ff00fi11fl22ffi33ffl44" + "0".repeat(42);
        r.withObjectProperty("sample").put("sha256", hash).put("file", "office_affiliate_fluff.fcs");
        byte[] dossier = PdfDossier.render(r, SampleFigures.all(1), OPTS);
        byte[] summary = SummaryPdf.render(SummaryRow.of(List.of(r)), OPTS);
        for (byte[] pdf : new byte[][] {dossier, summary}) {
            // the glyphs' own Unicode values (PDFTextStripper's output would expand a ligature back to letters)
            StringBuilder raw = new StringBuilder();
            try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
                org.apache.pdfbox.text.PDFTextStripper strip = new org.apache.pdfbox.text.PDFTextStripper() {
                    @Override
                    protected void writeString(String text, List<org.apache.pdfbox.text.TextPosition> positions) {
                        for (org.apache.pdfbox.text.TextPosition tp : positions) raw.append(tp.getUnicode());
                        raw.append(' ');
                    }
                };
                strip.getText(doc);
            }
            assertTrue(raw.chars().noneMatch(c -> c >= 0xFB00 && c <= 0xFB06), "no ligature glyphs: " + raw);
            assertTrue(raw.toString().contains("office_affiliate_fluff.fcs"), raw.toString());
        }
        String all = String.join("\n", PdfChecks.checkPages(dossier));
        assertTrue(all.contains(hash), "the SHA-256 can be searched for and compared: " + all);
    }

    @Test
    void longTablesFlowOverPages() throws Exception {
        ObjectNode r = passResult();
        ArrayNode probs = r.putArray("problems");
        for (int i = 0; i < 120; i++) {
            probs.addObject().put("code", "P" + i).put("severity", i % 3 == 0 ? "ERROR" : "WARNING")
                    .put("message", "problem number " + i + " with a fairly long message that wraps within its cell "
                            + "to exercise the row height computation").put("offset", i * 100);
        }
        byte[] pdf = PdfDossier.render(r, SampleFigures.all(2), OPTS);
        List<String> pages = PdfChecks.checkPages(pdf);
        assertTrue(pages.size() >= 6, "pages: " + pages.size());
        String all = String.join("\n", pages);
        assertTrue(all.contains("problem number 119"));
        long headers = pages.stream().filter(p -> p.contains("Severity Code Message Where")).count();
        assertTrue(headers >= 3, "table header repeated on continuation pages: " + headers);
    }

    /** Absolute counts appear as their own table, or as the reason there are none; without them, not at all. */
    @Test
    void absoluteCountsAreShownWhenAskedFor() throws Exception {
        String plain = String.join("\n", PdfChecks.checkPages(PdfDossier.render(passResult(), SampleFigures.all(1), OPTS)));
        assertFalse(plain.contains("Absolute counts"), "not asked for");
        ObjectNode r = passResult();
        ObjectNode a = r.putObject("absoluteCounts");
        a.put("beadsPerTest", 50000).put("sampleVolumeUl", 50).put("beadEvents", 2774).put("beads", 2810);
        a.putArray("populations").addObject().put("path", "/cells/singlets/CD45+/viable/CD3+CD56+").put("events", 24395)
                .put("cellsPerUl", 8794.16).putArray("ci95").add(8455.49).add(9146.39);
        String all = String.join("\n", PdfChecks.checkPages(PdfDossier.render(r, SampleFigures.all(1), OPTS)));
        for (String s : new String[] {"Absolute counts", "Cells/µL", "8,794.2", "8,455.5–9,146.4",
                "50,000 beads per test, 50 µL of sample; 2,774 bead events, 2,810 beads counted"}) {
            assertTrue(all.contains(s), "missing '" + s + "'");
        }
        a.putNull("populations");
        a.put("reason", "no counting beads were found in the sample");
        all = String.join("\n", PdfChecks.checkPages(PdfDossier.render(r, SampleFigures.all(1), OPTS)));
        assertTrue(all.contains("No absolute counts: no counting beads were found in the sample."), all);
    }

    @Test
    void writeIsAtomic(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("s1/report.pdf");
        List<Figure> figs = new ArrayList<>(SampleFigures.all(1));
        PdfDossier.write(out, passResult(), figs, OPTS);
        assertTrue(Files.size(out) > 10_000);
        try (var s = Files.list(out.getParent())) {
            assertEquals(1, s.count());
        }
        assertFalse(new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("CreationDate (D:2026030110"), "sanity: date is encoded by PDFBox, not checked here");
    }
}
