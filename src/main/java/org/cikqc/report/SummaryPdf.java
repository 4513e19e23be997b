package org.cikqc.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.report.PdfPages.Face;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The batch {@code summary.pdf}, landscape: a verdict tally; a table of all samples, one line each where the page
 * allows (number, file, lot, SHA-256 prefix, verdict on its colour, the release metrics, the checks not passed by
 * outcome); then every sample's reasons, in full, by sample number; "Page X of Y" on every page.
 */
public final class SummaryPdf {
    private static final List<String> COLUMNS = List.of("viability_pct", "cd3_pct", "cd3_cd56_pct", "nk_pct");

    private SummaryPdf() { }

    /** Renders the summary of the rows (in the order given) and returns the PDF bytes. */
    public static byte[] render(List<SummaryRow> rows, PdfDossier.Options options) {
        List<JsonNode> results = rows.stream().map(SummaryRow::result).toList();
        try (PDDocument doc = new PDDocument()) {
            PDRectangle landscape = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
            PdfPages p = new PdfPages(doc, landscape, 36);
            p.newPage();
            p.space(4);
            p.paragraph("Batch summary - CIK release QC", Face.BOLD, 15, PdfPages.INK);
            p.space(4);
            List<ResultView> views = results.stream().map(ResultView::new).toList();
            String lot = batchLot(views);
            header(p, views, lot, options);
            p.space(8);
            List<String> labels = rows.stream().map(SummaryRow::label).toList();
            samples(p, views, labels, lot == null);
            boolean anyReasons = views.stream().anyMatch(r -> !r.reasons().isEmpty());
            p.space(2);
            p.paragraph("Viability, CD3+, CD3+CD56+ and NK are % (viability of CD45+ singlets; CD3+, CD3+CD56+ and NK "
                    + "of viable CD45+; of singlets and viable singlets for a panel without CD45). Checks not passed: "
                    + "the spec's checks with an outcome other than PASS, REPORT or NOT_APPLICABLE, by outcome. "
                    + (anyReasons ? "The reasons for each verdict follow, by sample #. " : "")
                    + "Each sample's report.pdf and result.json carry the confidence intervals, limits and provenance.",
                    Face.OBLIQUE, 8, PdfPages.MUTED);
            reasons(p, views, labels);
            p.close();
            StringBuilder basis = new StringBuilder();
            for (SummaryRow r : rows) basis.append(r.result()).append('|').append(r.folder()).append('\n');
            p.stamp("cikqc batch summary", results.size() + " samples", PdfDossier.footer(options));
            PdfDossier.info(doc, options, "Batch summary of " + results.size() + " samples",
                    PdfDossier.fileId(basis + "|" + options));
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new CikqcException(CikqcException.Kind.INTERNAL, "cannot render the summary: " + e.getMessage(), e);
        }
    }

    /**
     * The batch's one lot (the usual case), said once above the table instead of on every row, noting the samples
     * that record none; "—" when none does; null when the samples name several (each row then shows its own).
     */
    private static String batchLot(List<ResultView> results) {
        TreeSet<String> lots = new TreeSet<>();
        List<String> without = new ArrayList<>();
        for (int k = 0; k < results.size(); k++) {
            String lot = results.get(k).lot();
            if (lot == null || lot.isBlank()) without.add("#" + (k + 1));
            else lots.add(lot);
        }
        if (lots.size() > 1) return null;
        if (lots.isEmpty()) return ResultView.DASH;
        return lots.first() + (without.isEmpty() ? "" : " (none recorded for " + String.join(", ", without) + ")");
    }

    /** Sample count, the batch's lot when it has one, the verdict tally, time and software. */
    private static void header(PdfPages p, List<ResultView> results, String lot, PdfDossier.Options options)
            throws IOException {
        Map<String, Integer> tally = new TreeMap<>();
        for (ResultView r : results) {
            String v = r.verdict();
            tally.merge(v == null ? "NO VERDICT" : v.toUpperCase(Locale.ROOT), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        tally.forEach((k, n) -> parts.add(n + " " + k));
        List<String[]> kv = new ArrayList<>();
        kv.add(new String[] {"Samples", Integer.toString(results.size())});
        if (lot != null) kv.add(new String[] {"Lot", lot});
        kv.add(new String[] {"Verdicts", parts.isEmpty() ? null : String.join(", ", parts)});
        kv.add(new String[] {"Generated at", PdfDossier.UTC.format(options.generatedAt())});
        kv.add(new String[] {"Software", "cikqc " + options.toolVersion() + " (commit " + options.toolCommit() + ")"});
        p.keyValues(kv, 90, 9);
    }

    /**
     * The table of samples, a line each where the page allows; a Lot column when {@code lotColumn}. A sample is named
     * by its {@linkplain SummaryRow#label() label} (the file, and its result folder when that is not the file's stem).
     */
    private static void samples(PdfPages p, List<ResultView> results, List<String> labels, boolean lotColumn)
            throws IOException {
        List<PdfPages.Column> cols = new ArrayList<>(List.of(PdfPages.Column.right("#"),
                PdfPages.Column.left("Sample file")));
        if (lotColumn) cols.add(PdfPages.Column.left("Lot"));
        cols.addAll(List.of(PdfPages.Column.left("SHA-256 prefix"), PdfPages.Column.left("Verdict")));
        for (String m : COLUMNS) cols.add(PdfPages.Column.right(shortName(m)));
        cols.add(PdfPages.Column.left("Checks not passed"));
        List<List<PdfPages.Cell>> rows = new ArrayList<>();
        int i = 0;
        for (ResultView r : results) {
            String v = r.verdict();
            String sha = r.sampleSha256();
            List<PdfPages.Cell> row = new ArrayList<>();
            row.add(PdfPages.Cell.of(Integer.toString(++i)));
            row.add(PdfPages.Cell.of(ResultView.orDash(labels.get(i - 1))));
            if (lotColumn) row.add(PdfPages.Cell.of(ResultView.orDash(r.lot())));
            row.add(PdfPages.Cell.of(ResultView.orDash(sha == null ? null : sha.substring(0, Math.min(16, sha.length())))));
            row.add(new PdfPages.Cell(verdictText(v), Color.WHITE, PdfDossier.verdictColour(v), true));
            for (String m : COLUMNS) {
                JsonNode node = r.metric(m);
                String val = node.isMissingNode() || node.isNull() ? null : ResultView.metricPercent(node, 1);
                row.add(PdfPages.Cell.of(ResultView.orDash(val)));
            }
            row.add(PdfPages.Cell.of(ResultView.orDash(notPassed(r))));
            rows.add(row);
        }
        p.table(cols, rows, 8f);
    }

    /** Every sample's reasons, in full, under "#n  file  VERDICT"; nothing when no sample has any. */
    private static void reasons(PdfPages p, List<ResultView> results, List<String> labels) throws IOException {
        List<PdfPages.TitledList> lists = new ArrayList<>();
        int i = 0;
        for (ResultView r : results) {
            i++;
            List<String> reasons = PdfDossier.bullets(r.reasons());
            if (reasons.isEmpty()) continue;
            lists.add(new PdfPages.TitledList("#" + i + "   " + ResultView.orDash(labels.get(i - 1)) + "   "
                    + verdictText(r.verdict()), reasons));
        }
        p.headedLists("Reasons", 4, lists, 4);
    }

    private static String verdictText(String verdict) {
        return verdict == null ? ResultView.DASH : verdict.toUpperCase(Locale.ROOT);
    }

    /** Renders and writes the summary atomically. */
    public static void write(Path target, List<SummaryRow> rows, PdfDossier.Options options) {
        AtomicFiles.write(target, render(rows, options));
    }

    /** Outcomes that need no reviewer's attention in the summary. */
    private static final Set<String> PASSED = Set.of("PASS", "OK", "REPORT", "NOT_APPLICABLE");
    /** The order of outcome groups in "Checks not passed": the ones deciding the verdict first. */
    private static final List<String> OUTCOME_ORDER = List.of("FAIL", "NOT_EVALUABLE", "INDETERMINATE", "REVIEW");

    /**
     * The checks without a passing outcome, one line per outcome ("FAIL: viability_pct", "NOT_EVALUABLE:
     * events_singlet_leukocytes, events_viable"), FAIL first; null when there are none.
     */
    static String notPassed(ResultView r) {
        Map<String, List<String>> byOutcome = new TreeMap<>(Comparator.comparingInt((String o) -> {
            int k = OUTCOME_ORDER.indexOf(o);
            return k < 0 ? OUTCOME_ORDER.size() : k;
        }).thenComparing(Comparator.naturalOrder()));
        for (JsonNode c : r.checks()) {
            String outcome = ResultView.outcome(c);
            if (outcome == null || PASSED.contains(outcome.toUpperCase(Locale.ROOT))) continue;
            byOutcome.computeIfAbsent(outcome.toUpperCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(ResultView.orDash(ResultView.text(c, "id", "name", "metric")));
        }
        List<String> lines = new ArrayList<>();
        byOutcome.forEach((o, ids) -> lines.add(o + ": " + String.join(", ", ids)));
        return lines.isEmpty() ? null : String.join("\n", lines);
    }

    private static String shortName(String metric) {
        return switch (metric) {
            case "viability_pct" -> "Viability";
            case "cd3_pct" -> "CD3+";
            case "cd3_cd56_pct" -> "CD3+CD56+";
            case "nk_pct" -> "NK";
            default -> metric;
        };
    }
}
