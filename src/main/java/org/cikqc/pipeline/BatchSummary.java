package org.cikqc.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cikqc.report.PdfDossier;
import org.cikqc.report.SummaryCsv;
import org.cikqc.report.SummaryPdf;
import org.cikqc.report.SummaryRow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The batch summary: {@code OUT/summary.csv} ({@link SummaryCsv}) and {@code OUT/summary.pdf} ({@link SummaryPdf}),
 * one row per input in input order, each written atomically. An input without a result appears as a row with
 * verdict {@code ERROR}, its SHA-256 when readable, and the error message as its reason, so the summary accounts
 * for every input.
 */
public final class BatchSummary {
    /** File name of the CSV summary. */
    public static final String CSV = "summary.csv";
    /** File name of the PDF summary. */
    public static final String PDF = "summary.pdf";

    private BatchSummary() { }

    /**
     * The summary rows: each result's tree, or an {@code ERROR} row for a failure, with the folder of its result or
     * error record (none when not even the error record could be written).
     */
    public static List<SummaryRow> rows(List<SampleResult> results) {
        List<SummaryRow> rows = new ArrayList<>(results.size());
        for (SampleResult r : results) {
            boolean tree = r.ok() && r.outcome().result() != null;
            boolean folder = r.ok() || r.failure().record() != null;
            rows.add(new SummaryRow(tree ? r.outcome().result() : errorRow(r), folder ? r.sample() : null));
        }
        return rows;
    }

    private static JsonNode errorRow(SampleResult r) {
        return errorRow(String.valueOf(r.input().getFileName()), r.ok() ? null : r.failure().sha256(),
                r.verdict(),
                r.ok() ? "result tree not available" : r.failure().kind() + ": " + r.failure().message());
    }

    /** A summary row for an input without a result: its file name, SHA-256 (or null), verdict and reason. */
    public static JsonNode errorRow(String file, String sha256, String verdict, String reason) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("schema", ErrorRecord.SCHEMA);
        ObjectNode s = o.putObject("sample");
        s.put("file", file);
        if (sha256 != null) s.put("sha256", sha256);
        else s.putNull("sha256");
        o.put("verdict", verdict);
        o.putArray("reasons").add(reason);
        return o;
    }

    /**
     * Writes {@code summary.csv} and, when {@code pdf}, {@code summary.pdf} into {@code outRoot}.
     *
     * @return the files written
     */
    public static List<Path> write(Path outRoot, List<SampleResult> results, boolean pdf, PdfDossier.Options options) {
        return writeRows(outRoot, rows(results), pdf, options);
    }

    /** Writes {@code summary.csv} (and {@code summary.pdf} when {@code pdf}) of these rows, in this order. */
    public static List<Path> writeRows(Path outRoot, List<SummaryRow> rows, boolean pdf, PdfDossier.Options options) {
        List<Path> written = new ArrayList<>();
        Path csv = outRoot.resolve(CSV);
        SummaryCsv.write(csv, rows);
        written.add(csv);
        if (pdf) {
            Path p = outRoot.resolve(PDF);
            SummaryPdf.write(p, rows, options);
            written.add(p);
        }
        return written;
    }
}
