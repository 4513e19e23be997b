package org.cikqc.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.cikqc.common.AtomicFiles;
import org.cikqc.common.BuildInfo;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.cikqc.plot.Figure;
import org.cikqc.report.PdfPages.Face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The per-sample release dossier ({@code report.pdf}) built from a {@code cikqc.result/1} JSON tree and the
 * sample's figures: header block (sample, lot, instrument, acquisition date, file SHA-256, software, spec),
 * verdict banner, results table (metric, value, 95 % CI, events, limit, outcome), acceptance checks, population
 * counts, problems and flags, the figures (vector graphics, two per row), the gate geometry, and provenance;
 * running header and "Page X of Y" on every page.
 *
 * <p>Missing result fields print "—"; nothing in the result can make rendering fail. All text is set in the bundled
 * DejaVu Sans, embedded as subsets (a character it lacks degrades, see {@link FontText}); the file is still not
 * PDF/A (no XMP metadata, no output intent). For the same inputs and options (including
 * {@link Options#generatedAt()}) the bytes are identical.
 */
public final class PdfDossier {
    static final Color PASS = new Color(0x1B, 0x7F, 0x3B);
    static final Color FAIL = new Color(0xC6, 0x28, 0x28);
    static final Color AMBER = new Color(0xD9, 0x8C, 0x00);
    static final Color OTHER = new Color(0x5F, 0x6B, 0x76);

    /** How report times are printed ("2024-05-01 09:30:00 UTC"); shared with {@link SummaryPdf}. */
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private PdfDossier() { }

    /**
     * How to render.
     *
     * @param generatedAt  the "generated at" time printed in the header (use the run time; fixed in tests)
     * @param toolVersion  the version of the software rendering the report
     * @param toolCommit   its build commit
     * @param resultSha256 SHA-256 of the {@code result.json} file bytes this report was made from, or null
     * @param title        the document title
     */
    public record Options(Instant generatedAt, String toolVersion, String toolCommit, String resultSha256,
            String title) {
        public Options {
            Objects.requireNonNull(generatedAt, "generatedAt");
            generatedAt = generatedAt.truncatedTo(ChronoUnit.SECONDS);
            toolVersion = toolVersion == null ? BuildInfo.version() : toolVersion;
            toolCommit = toolCommit == null ? BuildInfo.commit() : toolCommit;
            title = title == null ? "CIK cell product - release QC dossier" : title;
        }

        /** This build's version and commit, no result hash, the default title. */
        public static Options at(Instant generatedAt) {
            return new Options(generatedAt, null, null, null, null);
        }

        /** The same options with the result file's SHA-256. */
        public Options withResultSha256(String sha256) {
            return new Options(generatedAt, toolVersion, toolCommit, sha256, title);
        }
    }

    /** Renders the dossier and returns the PDF bytes. */
    public static byte[] render(JsonNode result, List<Figure> figures, Options options) {
        Objects.requireNonNull(options, "options");
        List<Figure> figs = figures == null ? List.of() : List.copyOf(figures);
        ResultView r = new ResultView(result);
        try (PDDocument doc = new PDDocument()) {
            PdfPages p = new PdfPages(doc, PDRectangle.A4, 42);
            p.newPage();
            title(p, options);
            header(p, r, options);
            verdict(p, r);
            results(p, r);
            checks(p, r);
            problems(p, r);
            populations(p, r);
            absoluteCounts(p, r);
            figures(p, figs);
            gateRecord(p, figs);
            provenance(p, r, options);
            p.close();
            String sample = ResultView.orDash(r.sampleFile());
            p.stamp("cikqc release QC dossier", "Sample " + sample + "   Lot " + ResultView.orDash(r.lot()),
                    footer(options));
            info(doc, options, "Release QC dossier: " + sample, deterministicId(result, figs.size(), options));
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 18);
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new CikqcException(CikqcException.Kind.INTERNAL, "cannot render the dossier: " + e.getMessage(), e);
        }
    }

    /** Renders the dossier and writes it atomically to {@code target}. */
    public static void write(Path target, JsonNode result, List<Figure> figures, Options options) {
        AtomicFiles.write(target, render(result, figures, options));
    }

    // ---- sections ------------------------------------------------------------------------------------------

    private static void title(PdfPages p, Options o) throws IOException {
        p.space(6);
        p.paragraph(o.title(), Face.BOLD, 16, PdfPages.INK);
        p.space(6);
    }

    private static void header(PdfPages p, ResultView r, Options o) throws IOException {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Sample file", r.sampleFile()});
        rows.add(new String[] {"Lot / batch", r.lot()});
        rows.add(new String[] {"Instrument", r.instrument()});
        rows.add(new String[] {"Acquisition date", r.acquisitionDate()});
        String iqc = r.instrumentQc();
        if (iqc != null) rows.add(new String[] {"Instrument QC", iqc});
        rows.add(new String[] {"Events in file", ResultView.count(r.events())});
        rows.add(new String[] {"File SHA-256", r.sampleSha256()});
        rows.add(new String[] {"Analysis software", softwareText(r.toolVersion(), r.buildCommit())});
        rows.add(new String[] {"Specification", r.specId()});
        rows.add(new String[] {"Spec SHA-256", r.specSha256()});
        if (o.resultSha256() != null) rows.add(new String[] {"result.json SHA-256", o.resultSha256()});
        rows.add(new String[] {"Generated at", UTC.format(o.generatedAt())});
        p.keyValues(rows, 118, 9);
        p.space(8);
    }

    private static String softwareText(String version, String commit) {
        if (version == null && commit == null) return null;
        return "cikqc " + ResultView.orDash(version) + " (commit " + ResultView.orDash(commit) + ")";
    }

    static Color verdictColour(String verdict) {
        if (verdict == null) return OTHER;
        return switch (verdict.strip().toUpperCase(Locale.ROOT)) {
            case "PASS" -> PASS;
            case "FAIL" -> FAIL;
            case "INDETERMINATE" -> AMBER;
            default -> OTHER;
        };
    }

    private static void verdict(PdfPages p, ResultView r) throws IOException {
        String v = r.verdict();
        String label = v == null ? "NO VERDICT" : v.toUpperCase(Locale.ROOT);
        String sub = switch (label) {
            case "PASS" -> "All release criteria of the specification are met.";
            case "FAIL" -> "At least one release criterion is not met.";
            case "INDETERMINATE" -> "No release decision from this acquisition (see the reasons): retest or second-person review.";
            default -> v == null ? "The result carries no verdict." : "The sample could not be evaluated.";
        };
        p.banner("VERDICT: " + label, sub, verdictColour(v));
        List<String> reasons = r.reasons();
        if (!reasons.isEmpty()) p.titledList("Reasons:", 9, bullets(reasons), 9, 8);
        p.space(4);
    }

    private static Color outcomeColour(String outcome) {
        if (outcome == null) return PdfPages.MUTED;
        String o = outcome.toUpperCase(Locale.ROOT);
        if (o.equals("PASS") || o.equals("OK")) return PASS;
        if (o.equals("FAIL")) return FAIL;
        return AMBER;
    }

    private static void results(PdfPages p, ResultView r) throws IOException {
        List<PdfPages.Column> cols = List.of(PdfPages.Column.left("Metric"), PdfPages.Column.right("Value %"),
                PdfPages.Column.right("95 % CI"), PdfPages.Column.right("Events (k / N)"),
                PdfPages.Column.left("Limit"), PdfPages.Column.left("Outcome"));
        List<List<PdfPages.Cell>> rows = new ArrayList<>();
        for (String name : r.metricNames()) {
            JsonNode m = r.metric(name);
            JsonNode check = r.checkFor(name);
            String outcome = ResultView.outcome(check);
            String value;
            String ci;
            String events;
            if (m.isNull() || m.isMissingNode()) {
                value = null;
                ci = null;
                events = null;
                if (outcome == null) outcome = "not evaluable";
            } else {
                value = ResultView.metricPercent(m, 2);
                ci = ResultView.ciText(m);
                String k = ResultView.count(ResultView.number(m, ResultView.METRIC_K));
                String n = ResultView.count(ResultView.number(m, ResultView.METRIC_N));
                events = k == null && n == null ? null : ResultView.orDash(k) + " / " + ResultView.orDash(n);
                String flag = lloqFlag(m);
                if (flag != null) events = (events == null ? "" : events + " ") + flag;
            }
            String limit = ResultView.limitText(ResultView.first(check, "limit", "threshold"));
            rows.add(List.of(PdfPages.Cell.of(r.metricDisplayNameHere(name)),
                    PdfPages.Cell.bold(ResultView.orDash(value)), PdfPages.Cell.of(ResultView.orDash(ci)),
                    PdfPages.Cell.of(ResultView.orDash(events)), PdfPages.Cell.of(ResultView.orDash(limit)),
                    new PdfPages.Cell(ResultView.orDash(outcome), outcomeColour(outcome), null, true)));
        }
        if (rows.isEmpty()) {
            p.heading("Results", 20);
            p.paragraph("No metrics in the result.", Face.OBLIQUE, 9, PdfPages.MUTED);
        } else {
            section(p, "Results", p.layout(cols, rows, 8.5f));
        }
    }

    /** A heading and its table, the heading kept with the table's first rows. */
    private static void section(PdfPages p, String heading, PdfPages.Table t) throws IOException {
        p.heading(heading, t.lead());
        p.table(t, 0);
    }

    /** "below LLOQ" when the metric says so (lloq: true, or a numeric LLOQ above the numerator). */
    private static String lloqFlag(JsonNode m) {
        JsonNode l = m.path("lloq");
        if (l.isBoolean()) return l.asBoolean() ? "(below LLOQ)" : null;
        if (l.isTextual()) {
            return switch (l.asText().strip().toUpperCase(Locale.ROOT)) {
                case "", "OK" -> null; // enough events: nothing to flag
                case "BELOW_LLOQ" -> "(below LLOQ)";
                case "IMPRECISE" -> "(imprecise)";
                default -> "(" + l.asText() + ")";
            };
        }
        if (l.isNumber()) {
            double k = ResultView.number(m, ResultView.METRIC_K);
            if (!Double.isNaN(k) && k < l.asDouble()) return "(below LLOQ " + ResultView.decimal(l) + ")";
        }
        return null;
    }

    private static void checks(PdfPages p, ResultView r) throws IOException {
        List<JsonNode> checks = r.checks();
        if (checks.isEmpty()) return;
        List<PdfPages.Column> cols = List.of(PdfPages.Column.left("Check"), PdfPages.Column.left("Limit"),
                PdfPages.Column.right("Value"), PdfPages.Column.left("Outcome"));
        List<List<PdfPages.Cell>> rows = new ArrayList<>();
        for (JsonNode c : checks) {
            String outcome = ResultView.outcome(c);
            JsonNode v = ResultView.first(c, "value", "observed");
            String id = ResultView.text(c, "id", "name", "metric");
            JsonNode metric = id == null ? null : r.metric(id);
            String value = checkValue(v, metric);
            String limit = ResultView.limitText(ResultView.first(c, "limit", "threshold"));
            // hours (instrument_qc) and minutes (sample_hold) are the units a reader would not guess from the name,
            // and a percentage (acquisition_qc: the share of events removed) is not a count
            String unit = ResultView.text(c, "unit");
            if ("h".equals(unit) || "min".equals(unit) || "%".equals(unit)) {
                if (value != null) value += " " + unit;
                if (limit != null) limit += " " + unit;
            }
            rows.add(List.of(PdfPages.Cell.of(ResultView.orDash(id)),
                    PdfPages.Cell.of(ResultView.orDash(limit)),
                    PdfPages.Cell.of(ResultView.orDash(value)),
                    new PdfPages.Cell(ResultView.orDash(outcome), outcomeColour(outcome), null, true)));
        }
        section(p, "Acceptance checks", p.layout(cols, rows, 8.5f));
    }

    private static void populations(PdfPages p, ResultView r) throws IOException {
        List<JsonNode> pops = r.populations();
        if (pops.isEmpty()) return;
        List<PdfPages.Column> cols = List.of(PdfPages.Column.left("Population (gate path)"),
                PdfPages.Column.right("Events"), PdfPages.Column.right("Parent"),
                PdfPages.Column.right("% of parent"), PdfPages.Column.right("95 % CI"));
        List<List<PdfPages.Cell>> rows = new ArrayList<>();
        for (JsonNode n : pops) {
            String ci = ResultView.ciText(n);
            rows.add(List.of(PdfPages.Cell.of(ResultView.orDash(ResultView.text(n, "path", "name"))),
                    PdfPages.Cell.of(ResultView.orDash(ResultView.count(ResultView.number(n, ResultView.POP_COUNT)))),
                    PdfPages.Cell.of(ResultView.orDash(ResultView.count(ResultView.number(n, ResultView.POP_PARENT)))),
                    PdfPages.Cell.of(ResultView.orDash(ResultView.populationPercent(n, 2))),
                    PdfPages.Cell.of(ResultView.orDash(ci))));
        }
        section(p, "Population counts", p.layout(cols, rows, 8.5f));
    }

    /**
     * Absolute counts (cells/µL from counting beads) when the analysis was asked for them: the beads counted
     * against and, per population, cells/µL with its 95 % interval; or why there are none.
     */
    private static void absoluteCounts(PdfPages p, ResultView r) throws IOException {
        JsonNode a = r.root().path("absoluteCounts");
        if (!a.isObject()) return;
        String basis = String.format(Locale.ROOT, "%s beads per test, %s µL of sample; %s bead events, %s beads counted"
                + " (a doublet cluster's events twice).", ResultView.count(ResultView.number(a, "beadsPerTest")),
                ResultView.orDash(a.path("sampleVolumeUl").isNumber() ? a.path("sampleVolumeUl").asText() : null),
                ResultView.count(ResultView.number(a, "beadEvents")), ResultView.count(ResultView.number(a, "beads")));
        String reason = ResultView.text(a, "reason");
        if (!a.path("populations").isArray()) {
            p.heading("Absolute counts", 20);
            p.paragraph(basis + " No absolute counts: " + ResultView.orDash(reason) + ".", Face.OBLIQUE, 9, AMBER);
            return;
        }
        List<PdfPages.Column> cols = List.of(PdfPages.Column.left("Population (gate path)"),
                PdfPages.Column.right("Events"), PdfPages.Column.right("Cells/µL"), PdfPages.Column.right("95 % CI"));
        List<List<PdfPages.Cell>> rows = new ArrayList<>();
        for (JsonNode n : a.path("populations")) {
            JsonNode ci = n.path("ci95");
            String ciText = ci.isArray() && ci.size() == 2 ? String.format(Locale.ROOT, "%,.1f–%,.1f",
                    ci.get(0).asDouble(), ci.get(1).asDouble()) : null;
            rows.add(List.of(PdfPages.Cell.of(ResultView.orDash(ResultView.text(n, "path"))),
                    PdfPages.Cell.of(ResultView.orDash(ResultView.count(ResultView.number(n, "events")))),
                    PdfPages.Cell.of(String.format(Locale.ROOT, "%,.1f", n.path("cellsPerUl").asDouble())),
                    PdfPages.Cell.of(ResultView.orDash(ciText))));
        }
        section(p, "Absolute counts", p.layout(cols, rows, 8.5f));
        p.paragraph(basis + (reason == null ? "" : " " + reason + ".") + " Intervals: Poisson error of cell and bead"
                + " counts; the bead lot's own uncertainty is not included.", Face.OBLIQUE, 8, PdfPages.MUTED);
    }

    private static void problems(PdfPages p, ResultView r) throws IOException {
        List<JsonNode> probs = r.problems();
        if (probs.isEmpty()) {
            p.heading("Problems and flags", 20);
            p.paragraph("None recorded.", Face.OBLIQUE, 9, PdfPages.MUTED);
            return;
        }
        List<PdfPages.Column> cols = List.of(PdfPages.Column.left("Severity"), PdfPages.Column.left("Code"),
                PdfPages.Column.left("Message"), PdfPages.Column.left("Where"));
        List<List<PdfPages.Cell>> rows = new ArrayList<>();
        for (JsonNode n : probs) {
            String sev = ResultView.text(n, "severity", "level");
            Color c = sev == null ? PdfPages.INK : switch (sev.toUpperCase(Locale.ROOT)) {
                case "ERROR" -> FAIL;
                case "WARNING" -> AMBER;
                default -> PdfPages.INK;
            };
            List<String> where = new ArrayList<>();
            double off = ResultView.number(n, "offset");
            if (!Double.isNaN(off) && off >= 0) where.add("byte " + ResultView.count(off));
            String kw = ResultView.text(n, "keyword");
            if (kw != null) where.add("keyword " + kw);
            rows.add(List.of(new PdfPages.Cell(ResultView.orDash(sev), c, null, true),
                    PdfPages.Cell.of(ResultView.orDash(ResultView.text(n, "code"))),
                    PdfPages.Cell.of(ResultView.orDash(ResultView.text(n, "message", "text"))),
                    PdfPages.Cell.of(ResultView.orDash(String.join(", ", where)))));
        }
        section(p, "Problems and flags", p.layout(cols, rows, 8.5f));
    }

    private static void figures(PdfPages p, List<Figure> figs) throws IOException {
        if (figs.isEmpty()) return;
        // start on a fresh page unless a first row of figures fits below the tables
        p.heading("Figures", Math.min(p.pageBodyHeight() / 2, (p.width() - 14) / 2 + 30));
        float gap = 14;
        float colW = (p.width() - gap) / 2;
        float caption = 16;
        int number = 0;
        int i = 0;
        while (i < figs.size()) {
            Figure f = figs.get(i);
            boolean wide = f.aspectRatio() >= 1.6;
            if (wide) {
                float w = p.width();
                float h = (float) Math.min(w / f.aspectRatio(), p.pageBodyHeight() / 2 - caption);
                float room = p.available() - caption - 10;
                if (room < h && room >= 0.8f * h) h = room; // a little flatter rather than a page of white
                p.ensure(h + caption + 6);
                float top = p.y() - 4;
                p.figure(f, p.left(), top, w, h);
                caption(p, ++number, f, p.left(), top - h, w);
                p.moveTo(top - h - caption - 6);
                i++;
                continue;
            }
            // a row of up to two regular figures, sharing the taller height
            List<Figure> row = new ArrayList<>();
            row.add(f);
            if (i + 1 < figs.size() && figs.get(i + 1).aspectRatio() < 1.6) row.add(figs.get(i + 1));
            float h = 0;
            for (Figure g : row) h = Math.max(h, (float) (colW / g.aspectRatio()));
            h = Math.min(h, p.pageBodyHeight() / 2 - caption - 10);
            p.ensure(h + caption + 6);
            float top = p.y() - 4;
            for (int k = 0; k < row.size(); k++) {
                Figure g = row.get(k);
                float x = p.left() + k * (colW + gap);
                float gh = (float) Math.min(h, colW / g.aspectRatio());
                p.figure(g, x, top, colW, gh);
                caption(p, ++number, g, x, top - h, colW);
            }
            p.moveTo(top - h - caption - 6);
            i += row.size();
        }
    }

    /** A check's value: text as is, a count with separators, a metric's value as the results table shows it. */
    private static String checkValue(JsonNode v, JsonNode metric) {
        if (!v.isNumber()) return ResultView.asText(v);
        double x = v.asDouble();
        if (x == Math.rint(x) && Math.abs(x) >= 1000) return ResultView.count(x);
        // a metric's check shows the metric as the results table does (rounded once)
        if (metric != null && metric.isObject() && ResultView.metricValue(metric) == x) {
            return ResultView.metricPercent(metric, 2);
        }
        return ResultView.fixed(x, 2);
    }

    private static void caption(PdfPages p, int n, Figure f, float x, float bottom, float w) throws IOException {
        String text = p.fit("Figure " + n + ". " + f.title(), Face.REGULAR, 8, w);
        p.text(x + (w - p.textWidth(Face.REGULAR, 8, text)) / 2, bottom - 9, Face.REGULAR, 8,
                PdfPages.MUTED, text);
    }

    private static void gateRecord(PdfPages p, List<Figure> figs) throws IOException {
        List<PdfPages.TitledList> lists = new ArrayList<>();
        int n = 0;
        for (Figure f : figs) {
            n++;
            List<String> d = f.describeOverlays();
            if (!d.isEmpty()) lists.add(new PdfPages.TitledList("Figure " + n + ". " + f.title(), d));
        }
        p.headedLists("Gate geometry (data units)", 0, lists, 3);
    }

    /** The items as bullet points ("• item"). */
    static List<String> bullets(List<String> items) {
        List<String> out = new ArrayList<>(items.size());
        for (String s : items) out.add("\u2022 " + s);
        return out;
    }

    /**
     * Provenance and the closing note, kept on one page when a page can hold them, else broken between rows with
     * the note kept with the last one.
     */
    private static void provenance(PdfPages p, ResultView r, Options o) throws IOException {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Result schema", r.schema()});
        rows.add(new String[] {"Analysis software", softwareText(r.toolVersion(), r.buildCommit())});
        rows.add(new String[] {"Report rendered by", "cikqc " + o.toolVersion() + " (commit " + o.toolCommit() + ")"});
        rows.add(new String[] {"Specification", r.specId()});
        rows.add(new String[] {"Spec SHA-256", r.specSha256()});
        rows.add(new String[] {"Strategy SHA-256", r.strategySha256()});
        rows.add(new String[] {"Random seed", r.seed()});
        if (o.resultSha256() != null) rows.add(new String[] {"result.json SHA-256", o.resultSha256()});
        JsonNode opts = r.options();
        if (opts.isObject() && opts.size() > 0) {
            List<String> flat = new ArrayList<>();
            flatten("", opts, flat);
            rows.add(new String[] {"Options", String.join("\n", flat)});
        } else {
            rows.add(new String[] {"Options", ResultView.asText(opts)});
        }
        PdfPages.Table files = null;
        float filesLead = 0;
        float filesH = 0;
        List<JsonNode> inputs = r.inputs();
        if (!inputs.isEmpty()) {
            List<PdfPages.Column> cols = List.of(PdfPages.Column.left("File"), PdfPages.Column.left("SHA-256"));
            List<List<PdfPages.Cell>> rows2 = new ArrayList<>();
            for (JsonNode in : inputs) {
                rows2.add(List.of(PdfPages.Cell.of(ResultView.orDash(ResultView.text(in, "file", "path", "name"))),
                        PdfPages.Cell.of(ResultView.orDash(ResultView.text(in, "sha256", "hash")))));
            }
            files = p.layout(cols, rows2, 8f);
            float label = INPUTS_GAP + p.paragraphHeight(INPUTS, Face.BOLD, 9, 0);
            filesLead = label + files.lead();
            filesH = label + files.height();
        }
        float closing = CLOSING_GAP + p.paragraphHeight(CLOSING, Face.OBLIQUE, 8, 0);
        float whole = p.keyValuesHeight(rows, 118, 8.5f) + filesH + closing;
        p.heading("Provenance", whole <= p.pageBodyHeight() - 40 ? whole : 40);
        p.keyValues(rows, 118, 8.5f, files == null ? closing : filesLead);
        if (files != null) {
            p.space(INPUTS_GAP);
            p.paragraph(INPUTS, Face.BOLD, 9, PdfPages.INK);
            p.table(files, closing);
        }
        p.space(CLOSING_GAP);
        p.paragraph(CLOSING, Face.OBLIQUE, 8, PdfPages.MUTED);
    }

    private static final String INPUTS = "Input files";
    private static final float INPUTS_GAP = 6;
    private static final String CLOSING = "End of dossier. This document is generated from the result record named "
            + "above and is not signed; review and approval signatures are recorded in the LIMS/QMS against the "
            + "SHA-256 of this file, which is also written to the audit trail.";
    private static final float CLOSING_GAP = 10;

    private static void flatten(String prefix, JsonNode n, List<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.add(prefix + " = " + ResultView.orDash(ResultView.asText(n)));
        }
    }

    // ---- document metadata ---------------------------------------------------------------------------------

    static void info(PDDocument doc, Options o, String subject, byte[] id) {
        PDDocumentInformation info = new PDDocumentInformation();
        info.setTitle(o.title());
        info.setSubject(subject);
        info.setCreator("cikqc " + o.toolVersion() + " (commit " + o.toolCommit() + ")");
        info.setProducer("cikqc with Apache PDFBox");
        Calendar cal = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        cal.setTimeInMillis(o.generatedAt().toEpochMilli());
        info.setCreationDate(cal);
        doc.setDocumentInformation(info);
        // a content-derived file ID instead of PDFBox's time-based one keeps the output reproducible
        COSArray ids = new COSArray();
        ids.add(new COSString(id));
        ids.add(new COSString(id));
        doc.getDocument().getTrailer().setItem(COSName.ID, ids);
    }

    private static byte[] deterministicId(JsonNode result, int figures, Options o) {
        String basis;
        try {
            basis = (result == null ? "null" : CANONICAL.writeValueAsString(result)) + "|" + figures + "|" + o;
        } catch (IOException e) {
            basis = String.valueOf(result) + "|" + figures + "|" + o;
        }
        return fileId(basis);
    }

    /** A 16-byte PDF file ID: the start of the SHA-256 of {@code basis} (UTF-8). */
    static byte[] fileId(String basis) {
        byte[] h = java.util.HexFormat.of().parseHex(Sha256.hex(basis.getBytes(StandardCharsets.UTF_8)));
        return java.util.Arrays.copyOf(h, 16);
    }

    /** The running footer: "Generated <time> by cikqc <version> (commit <short>)". */
    static String footer(Options o) {
        return "Generated " + UTC.format(o.generatedAt()) + " by cikqc " + o.toolVersion()
                + " (commit " + shortCommit(o.toolCommit()) + ")";
    }

    static String shortCommit(String c) {
        return c == null ? "unknown" : c.length() > 12 ? c.substring(0, 12) : c;
    }
}
