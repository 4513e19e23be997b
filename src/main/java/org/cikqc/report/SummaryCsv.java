package org.cikqc.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.cikqc.common.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The batch {@code summary.csv}: one row per sample with file, lot, SHA-256, verdict, every metric with its 95 %
 * CI bounds, the reasons joined with "; ", and the spec and software that produced the result. RFC 4180: comma
 * separated, CRLF line ends, fields quoted when they contain a comma, quote, CR or LF (quotes doubled); UTF-8
 * without BOM. Numbers are written exactly as in the result JSON (no rounding); missing values are empty.
 *
 * <p>Columns: {@code file, lot, sha256, verdict}, then for each metric {@code m, m_ci_low, m_ci_high} (the seven
 * standard metrics always, in {@link #STANDARD_METRICS} order, then any other metric found in any result, sorted),
 * then {@code reasons, spec_id, spec_sha256, tool_version, build_commit, result} ({@code result}: the folder under the
 * output root that holds the sample's result or error record, which tells apart inputs of one name from different
 * folders; last, so that the columns before it keep their places).
 */
public final class SummaryCsv {
    /** The metric columns always present, in order. */
    public static final List<String> STANDARD_METRICS = ResultView.METRIC_ORDER;

    private SummaryCsv() { }

    /** Absolute-count columns: the column and the population path's ending it reports. */
    private static final String[][] ABSOLUTE = {{"viable_per_ul", "/viable"}, {"cd3_per_ul", "/viable/CD3+"},
            {"cd3_cd56_per_ul", "/viable/CD3+CD56+"}};

    /** Cells/µL of the absolute-count population whose path ends with {@code suffix}, or null. */
    private static String perUl(JsonNode a, String suffix) {
        for (JsonNode p : a.path("populations")) {
            if (p.path("path").asText("").endsWith(suffix) && p.path("cellsPerUl").isNumber()) {
                return p.path("cellsPerUl").asText();
            }
        }
        return null;
    }

    /** The CSV text for the rows, in the order given. */
    public static String render(List<SummaryRow> rows) {
        List<JsonNode> results = rows.stream().map(SummaryRow::result).toList();
        Set<String> metrics = new LinkedHashSet<>(STANDARD_METRICS);
        List<String> extra = new ArrayList<>();
        for (JsonNode r : results) {
            for (String m : new ResultView(r).metricNames()) if (!metrics.contains(m) && !extra.contains(m)) extra.add(m);
        }
        extra.sort(null);
        metrics.addAll(extra);

        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("file", "lot", "sha256", "verdict"));
        for (String m : metrics) {
            header.add(m);
            header.add(m + "_ci_low");
            header.add(m + "_ci_high");
        }
        // absolute counts, when any result has them: the beads counted against and cells/µL of the QC populations
        boolean absolute = results.stream().anyMatch(r -> r.path("absoluteCounts").isObject());
        if (absolute) {
            header.add("beads");
            for (String[] a : ABSOLUTE) header.add(a[0]);
        }
        header.addAll(List.of("reasons", "spec_id", "spec_sha256", "tool_version", "build_commit", "result"));
        row(sb, header);
        for (SummaryRow sr : rows) {
            ResultView r = new ResultView(sr.result());
            List<String> f = new ArrayList<>();
            f.add(r.sampleFile());
            f.add(r.lot());
            f.add(r.sampleSha256());
            f.add(r.verdict());
            for (String m : metrics) {
                JsonNode node = r.metric(m);
                if (node.isMissingNode() || node.isNull()) {
                    f.add(null);
                    f.add(null);
                    f.add(null);
                    continue;
                }
                f.add(node.isNumber() ? ResultView.plain(node) : ResultView.text(node, "value", "percent", "pct"));
                JsonNode ci = ResultView.first(node, "ci95", "ci", "ci_95");
                if (ci.isArray() && ci.size() == 2) {
                    f.add(ResultView.asText(ci.get(0)));
                    f.add(ResultView.asText(ci.get(1)));
                } else if (ci.isObject()) {
                    f.add(ResultView.text(ci, "lo", "low", "lower"));
                    f.add(ResultView.text(ci, "hi", "high", "upper"));
                } else {
                    f.add(ResultView.text(node, "ci_low", "ci95_low"));
                    f.add(ResultView.text(node, "ci_high", "ci95_high"));
                }
            }
            if (absolute) {
                JsonNode a = sr.result().path("absoluteCounts");
                f.add(a.path("beads").isNumber() ? a.path("beads").asText() : null);
                for (String[] col : ABSOLUTE) f.add(perUl(a, col[1]));
            }
            f.add(String.join("; ", r.reasons()));
            f.add(r.specId());
            f.add(r.specSha256());
            f.add(r.toolVersion());
            f.add(r.buildCommit());
            f.add(sr.folder());
            row(sb, f);
        }
        return sb.toString();
    }

    /** Writes the CSV atomically. */
    public static void write(Path target, List<SummaryRow> rows) {
        AtomicFiles.writeString(target, render(rows));
    }

    private static void row(StringBuilder sb, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(quote(fields.get(i)));
        }
        sb.append("\r\n");
    }

    /** One RFC 4180 field: null is empty; quoted when it holds a comma, quote, CR or LF. */
    public static String quote(String field) {
        if (field == null) return "";
        boolean needs = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\r') >= 0
                || field.indexOf('\n') >= 0;
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
