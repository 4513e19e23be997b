package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SummaryTest {

    /** A minimal RFC 4180 parser for checking the output. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') { f.append('"'); i++; }
                else if (c == '"') quoted = false;
                else f.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') { row.add(f.toString()); f.setLength(0); }
            else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                row.add(f.toString()); f.setLength(0); rows.add(row); row = new ArrayList<>(); i++;
            } else f.append(c);
        }
        return rows;
    }

    private static List<JsonNode> batch(int n) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode r = PdfDossierTest.passResult();
            r.withObjectProperty("sample").put("file", "tube " + i + ", \"stained\".fcs");
            if (i % 3 == 1) {
                r.put("verdict", "FAIL");
                r.putArray("reasons").add("CD3+ 72.1 % < 80 %").add("viability, low\nsee review");
            } else if (i % 3 == 2) {
                r.put("verdict", "INDETERMINATE");
            }
            out.add(r);
        }
        return out;
    }

    @Test
    void csvHasOneQuotedRowPerSample(@TempDir Path dir) throws Exception {
        List<JsonNode> results = batch(3);
        ObjectNode extra = (ObjectNode) results.get(2);
        extra.withObjectProperty("metrics").putObject("cd16_pct").put("value", 1.5).putArray("ci95").add(1.0).add(2.0);
        String csv = SummaryCsv.render(SummaryRow.of(results));
        assertTrue(csv.endsWith("\r\n"));
        List<List<String>> rows = parseCsv(csv);
        assertEquals(4, rows.size());
        List<String> h = rows.get(0);
        assertEquals(List.of("file", "lot", "sha256", "verdict", "viability_pct", "viability_pct_ci_low",
                "viability_pct_ci_high"), h.subList(0, 7));
        assertEquals("cd16_pct", h.get(4 + 7 * 3), "extra metrics after the standard seven");
        assertEquals(List.of("reasons", "spec_id", "spec_sha256", "tool_version", "build_commit", "result"),
                h.subList(h.size() - 6, h.size()));
        for (List<String> r : rows) assertEquals(h.size(), r.size());
        List<String> r1 = rows.get(2);
        assertEquals("tube 1, \"stained\".fcs", r1.get(0));
        assertEquals("FAIL", r1.get(3));
        assertEquals("90.957", r1.get(4), "values exactly as in JSON");
        assertEquals("90.83", r1.get(5));
        assertEquals("91.09", r1.get(6));
        assertEquals("CD3+ 72.1 % < 80 %; viability, low\nsee review", r1.get(h.indexOf("reasons")));
        assertEquals("", r1.get(h.indexOf("cd8_pct")), "null metric is empty");
        assertEquals("", r1.get(h.indexOf("cd16_pct")));
        assertEquals("1.5", rows.get(3).get(h.indexOf("cd16_pct")));
        assertTrue(csv.contains("\"tube 0, \"\"stained\"\".fcs\""), "RFC 4180 quote doubling");
        Path out = dir.resolve("summary.csv");
        SummaryCsv.write(out, SummaryRow.of(results));
        assertEquals(csv, Files.readString(out, StandardCharsets.UTF_8));
    }

    /** A row's folder is the CSV's last column, and the PDF names it beside the file when it is not the file's stem. */
    @Test
    void resultFoldersTellApartSameNamedInputs() throws Exception {
        ObjectNode a = PdfDossierTest.passResult();
        a.withObjectProperty("sample").put("file", "s.fcs");
        ObjectNode b = PdfDossierTest.passResult();
        b.withObjectProperty("sample").put("file", "s.fcs");
        List<SummaryRow> rows = List.of(new SummaryRow(a, "s"), new SummaryRow(b, "s-ce869302"),
                new SummaryRow(PdfDossierTest.passResult(), null));
        assertEquals("s.fcs", rows.get(0).label());
        assertEquals("s.fcs (s-ce869302)", rows.get(1).label());
        List<List<String>> csv = parseCsv(SummaryCsv.render(rows));
        int col = csv.get(0).indexOf("result");
        assertEquals(csv.get(0).size() - 1, col);
        assertEquals(List.of("s", "s-ce869302", ""), List.of(csv.get(1).get(col), csv.get(2).get(col), csv.get(3).get(col)));
        String page = PdfChecks.checkPages(SummaryPdf.render(rows, PdfDossierTest.OPTS)).get(0);
        assertTrue(page.contains("s.fcs (s-ce869302)"), page);
        assertFalse(page.contains("s.fcs (s)"), page);
    }

    /** Absolute-count columns appear when any result has absolute counts, empty for the others. */
    @Test
    void absoluteCountColumnsWhenAnyResultHasThem() throws Exception {
        ObjectNode a = PdfDossierTest.passResult();
        List<List<String>> plain = parseCsv(SummaryCsv.render(List.of(new SummaryRow(a, null))));
        assertFalse(plain.get(0).contains("beads"), plain.get(0).toString());
        ObjectNode b = PdfDossierTest.passResult();
        ObjectNode abs = b.putObject("absoluteCounts");
        abs.put("beads", 2810);
        com.fasterxml.jackson.databind.node.ArrayNode pops = abs.putArray("populations");
        pops.addObject().put("path", "/cells/singlets/CD45+/viable").put("cellsPerUl", 25483.4);
        pops.addObject().put("path", "/cells/singlets/CD45+/viable/CD3+").put("cellsPerUl", 23705.1);
        pops.addObject().put("path", "/cells/singlets/CD45+/viable/CD3+CD56+").put("cellsPerUl", 8794.16);
        List<List<String>> csv = parseCsv(SummaryCsv.render(List.of(new SummaryRow(a, null), new SummaryRow(b, null))));
        List<String> h = csv.get(0);
        int beads = h.indexOf("beads");
        assertEquals(List.of("beads", "viable_per_ul", "cd3_per_ul", "cd3_cd56_per_ul", "reasons"), h.subList(beads, beads + 5));
        assertEquals(List.of("2810", "25483.4", "23705.1", "8794.16"), csv.get(2).subList(beads, beads + 4));
        assertEquals(List.of("", "", "", ""), csv.get(1).subList(beads, beads + 4));
    }

    @Test
    void quoting() {
        assertEquals("", SummaryCsv.quote(null));
        assertEquals("plain", SummaryCsv.quote("plain"));
        assertEquals("\"a,b\"", SummaryCsv.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", SummaryCsv.quote("say \"hi\""));
        assertEquals("\"l1\r\nl2\"", SummaryCsv.quote("l1\r\nl2"));
    }

    @Test
    void summaryPdfTableSpansPagesWithPageNumbers() throws Exception {
        List<JsonNode> results = batch(40);
        byte[] pdf = SummaryPdf.render(SummaryRow.of(results), PdfDossierTest.OPTS);
        List<String> pages = PdfChecks.checkPages(pdf);
        assertTrue(pages.size() >= 2, "40 samples need more than one landscape page");
        String all = String.join("\n", pages);
        assertTrue(all.contains("13 FAIL, 13 INDETERMINATE, 14 PASS"), all.substring(0, 400));
        assertTrue(all.contains("tube 39"));
        assertTrue(PdfChecks.pixelsNear(pdf, 0, 0xC62828) > 100, "red verdict cells");
        assertTrue(PdfChecks.pixelsNear(pdf, 0, 0x1B7F3B) > 100, "green verdict cells");
        assertTrue(java.util.Arrays.equals(pdf, SummaryPdf.render(SummaryRow.of(results), PdfDossierTest.OPTS)), "deterministic");
    }

    @Test
    void summaryRowsStayShortAndEveryReasonFollowsInFull() throws Exception {
        List<JsonNode> results = batch(30);
        ObjectNode many = (ObjectNode) results.get(4);
        many.put("verdict", "INDETERMINATE");
        ArrayNode reasons = many.putArray("reasons");
        for (int k = 0; k < 12; k++) {
            reasons.add("reason " + k + ": CD3+CD56+ 20.32 % is inside the guard band of ≥ 20 %: value − 2·u = 16.26 % "
                    + "(u = 2.03 pp = max(counting SE 0.48, method 10 % of value)); retest or second-person review");
        }
        ((ObjectNode) many.path("checks").get(0)).put("outcome", "INDETERMINATE");
        List<String> pages = PdfChecks.checkPages(SummaryPdf.render(SummaryRow.of(results), PdfDossierTest.OPTS));
        String all = String.join("\n", pages).replaceAll("\\s+", " ");
        for (JsonNode r : results) {
            for (JsonNode reason : r.path("reasons")) {
                assertTrue(all.contains(reason.asText().replaceAll("\\s+", " ")), "reason in full: " + reason);
            }
        }
        assertTrue(all.contains("INDETERMINATE: viability"), "the checks not passed, by outcome");
        // one line per sample: 20 rows and more on the first page (under the tally); the reasons after the table
        String first = pages.get(0);
        for (int i = 0; i < 20; i++) assertTrue(first.contains("tube " + i + ","), "row " + i + " on page 1");
        int table = all.indexOf("tube 29,"); // its first mention is its row, the last one of the table
        assertTrue(table > 0 && all.indexOf("Reasons #1 tube 0") > table, "reasons below the table");
    }

    @Test
    void oneLotIsSaidOnceSeveralGetAColumn() throws Exception {
        List<JsonNode> results = batch(3);
        for (JsonNode r : results) ((ObjectNode) r.path("sample")).put("lot", "LOT-7/A");
        String one = PdfChecks.checkPages(SummaryPdf.render(SummaryRow.of(results), PdfDossierTest.OPTS)).get(0);
        assertTrue(one.contains("Lot LOT-7/A") && !one.contains("Lot SHA-256"), one);
        ((ObjectNode) results.get(1).path("sample")).put("lot", "LOT-8/A");
        String two = PdfChecks.checkPages(SummaryPdf.render(SummaryRow.of(results), PdfDossierTest.OPTS)).get(0);
        assertTrue(two.contains("Lot SHA-256 prefix") && two.contains("LOT-8/A"), two);
    }

    @Test
    void emptyBatchStillRenders() throws Exception {
        assertEquals(1, PdfChecks.checkPages(SummaryPdf.render(List.of(), PdfDossierTest.OPTS)).size());
        assertEquals(1, parseCsv(SummaryCsv.render(List.of())).size());
    }
}
