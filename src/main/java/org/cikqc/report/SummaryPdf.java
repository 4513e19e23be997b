package org.cikqc.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.report.PdfPages.Face;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The batch {@code summary.pdf}: a landscape table of all samples (file, lot, SHA-256 prefix, verdict on its
 * colour, the release metrics, reasons) under a verdict tally, with "Page X of Y" on every page.
 */
public final class SummaryPdf {
    private static final List<String> COLUMNS = List.of("viability_pct", "cd3_pct", "cd3_cd56_pct", "nk_pct");

    private SummaryPdf() { }

    /** Renders the summary for the results (in the order given) and returns the PDF bytes. */
    public static byte[] render(List<JsonNode> results, PdfDossier.Options options) {
        try (PDDocument doc = new PDDocument()) {
            PDRectangle landscape = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
            PdfPages p = new PdfPages(doc, landscape, 36);
            p.newPage();
            p.space(4);
            p.paragraph("Batch summary - CIK release QC", Face.BOLD, 15, PdfPages.INK);
            p.space(4);
            Map<String, Integer> tally = new TreeMap<>();
            StringBuilder basis = new StringBuilder();
            for (JsonNode r : results) {
                String v = new ResultView(r).verdict();
                tally.merge(v == null ? "NO VERDICT" : v.toUpperCase(Locale.ROOT), 1, Integer::sum);
                basis.append(r).append('\n');
            }
            List<String> parts = new ArrayList<>();
            tally.forEach((k, n) -> parts.add(n + " " + k));
            List<String[]> kv = new ArrayList<>();
            kv.add(new String[] {"Samples", Integer.toString(results.size())});
            kv.add(new String[] {"Verdicts", parts.isEmpty() ? null : String.join(", ", parts)});
            kv.add(new String[] {"Generated at", PdfDossier.UTC.format(options.generatedAt())});
            kv.add(new String[] {"Software", "cikqc " + options.toolVersion() + " (commit " + options.toolCommit() + ")"});
            p.keyValues(kv, 90, 9);
            p.space(8);

            List<PdfPages.Column> cols = new ArrayList<>(List.of(PdfPages.Column.right("#"),
                    PdfPages.Column.left("Sample file"), PdfPages.Column.left("Lot"),
                    PdfPages.Column.left("SHA-256 prefix"), PdfPages.Column.left("Verdict")));
            for (String m : COLUMNS) cols.add(PdfPages.Column.right(shortName(m)));
            cols.add(PdfPages.Column.left("Reasons"));
            List<List<PdfPages.Cell>> rows = new ArrayList<>();
            int i = 0;
            for (JsonNode result : results) {
                ResultView r = new ResultView(result);
                String v = r.verdict();
                String sha = r.sampleSha256();
                List<PdfPages.Cell> row = new ArrayList<>();
                row.add(PdfPages.Cell.of(Integer.toString(++i)));
                row.add(PdfPages.Cell.of(ResultView.orDash(r.sampleFile())));
                row.add(PdfPages.Cell.of(ResultView.orDash(r.lot())));
                row.add(PdfPages.Cell.of(ResultView.orDash(sha == null ? null : sha.substring(0, Math.min(16, sha.length())))));
                row.add(new PdfPages.Cell(v == null ? ResultView.DASH : v.toUpperCase(Locale.ROOT), Color.WHITE,
                        PdfDossier.verdictColour(v), true));
                for (String m : COLUMNS) {
                    JsonNode node = r.metric(m);
                    String val = node.isMissingNode() || node.isNull() ? null
                            : ResultView.metricPercent(node, 1);
                    row.add(PdfPages.Cell.of(ResultView.orDash(val)));
                }
                row.add(PdfPages.Cell.of(ResultView.orDash(String.join("; ", r.reasons()))));
                rows.add(row);
            }
            p.table(cols, rows, 8f);
            p.space(6);
            p.paragraph("Values are % (viability of CD45+ singlets; CD3+, CD3+CD56+ and NK of viable CD45+; of singlets "
                    + "and viable singlets for a panel without CD45). "
                    + "Each sample's report.pdf and result.json carry the confidence intervals, limits and provenance.",
                    Face.OBLIQUE, 8, PdfPages.MUTED);
            p.close();
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

    /** Renders and writes the summary atomically. */
    public static void write(Path target, List<JsonNode> results, PdfDossier.Options options) {
        AtomicFiles.write(target, render(results, options));
    }

    private static String shortName(String metric) {
        return switch (metric) {
            case "viability_pct" -> "Viability %";
            case "cd3_pct" -> "CD3+ %";
            case "cd3_cd56_pct" -> "CD3+CD56+ %";
            case "nk_pct" -> "NK %";
            default -> metric;
        };
    }
}
