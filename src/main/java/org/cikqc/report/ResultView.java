package org.cikqc.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Tolerant reading of a {@code cikqc.result/1} tree: every accessor tries the current field name and its
 * likely variants, and missing or null fields come back as null (printed "—" in the dossier, empty in CSV),
 * never as an exception. The field names are listed here in one place so a schema change is a one-line edit.
 */
final class ResultView {
    /** Shown for a missing value in human-readable outputs. */
    static final String DASH = "\u2014";

    /** Metrics in report order, with their display names. */
    static final List<String> METRIC_ORDER = List.of("viability_pct", "cd3_pct", "cd3_cd56_pct", "nk_pct",
            "cd3_cd56neg_pct", "cd4_pct", "cd8_pct");

    private static final Map<String, String> METRIC_NAMES = Map.of(
            "viability_pct", "Viability (% of CD45+ singlets)",
            "cd3_pct", "CD3+ T cells (% of viable CD45+)",
            "cd3_cd56_pct", "CD3+CD56+ CIK (% of viable CD45+)",
            "nk_pct", "CD3-CD56+ NK (% of viable CD45+)",
            "cd3_cd56neg_pct", "CD3+CD56- (% of viable CD45+)",
            "cd4_pct", "CD4+ (% of CD3+)",
            "cd8_pct", "CD8+ (% of CD3+)");

    private final JsonNode root;

    ResultView(JsonNode root) {
        this.root = root == null ? MissingNode.getInstance() : root;
    }

    JsonNode root() { return root; }

    /** The node at a dotted path ("sample.file"; "inputs.0.sha256" indexes arrays), or a missing node. */
    static JsonNode at(JsonNode base, String dotted) {
        JsonNode n = base;
        for (String part : dotted.split("\\.")) {
            if (n == null || n.isMissingNode() || n.isNull()) return MissingNode.getInstance();
            if (n.isArray() && part.chars().allMatch(Character::isDigit)) n = n.path(Integer.parseInt(part));
            else n = n.path(part);
        }
        return n == null ? MissingNode.getInstance() : n;
    }

    /** The first present, non-null node among the dotted paths, or a missing node. */
    static JsonNode first(JsonNode base, String... dotted) {
        for (String d : dotted) {
            JsonNode n = at(base, d);
            if (!n.isMissingNode() && !n.isNull()) return n;
        }
        return MissingNode.getInstance();
    }

    /** Text of the first present field, or null. Numbers and booleans are rendered; objects as compact JSON. */
    static String text(JsonNode base, String... dotted) {
        return asText(first(base, dotted));
    }

    static String asText(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isNumber()) return plain(n);
        if (n.isBoolean()) return Boolean.toString(n.asBoolean());
        return n.toString();
    }

    /** A JSON number as plain decimal text without exponent ("85.0", "12"). */
    static String plain(JsonNode n) {
        if (n.isIntegralNumber()) return n.bigIntegerValue().toString();
        BigDecimal d = n.decimalValue();
        return d.toPlainString();
    }

    /**
     * A number as the shortest decimal that is exactly its value, as a spec writes it ("80", "80.5", "0.05"; the
     * "80.0000" of result.json is 80); an integer from 1,000 up with thousands separators, as counts are printed
     * ("20,000").
     */
    static String decimal(JsonNode n) {
        BigDecimal d = n.decimalValue().stripTrailingZeros();
        if (d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(1000)) >= 0) {
            return String.format(Locale.ROOT, "%,d", d.toBigIntegerExact());
        }
        return d.toPlainString();
    }

    /** The number at the paths, or NaN when absent or not numeric (numeric strings are accepted). */
    static double number(JsonNode base, String... dotted) {
        JsonNode n = first(base, dotted);
        if (n.isNumber()) return n.asDouble();
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText().strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** A number rounded to {@code decimals} places, or null for NaN. */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return null;
        return new BigDecimal(Double.toString(v)).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * A percentage with {@code decimals} decimals, rounded once: 100·k/n from the node's own counts ({@code kFields},
     * {@code nFields}: the first present of each) when it carries both and they agree with its stored value (which result.json rounds to 4
     * decimals; rounding that again could differ in the last digit from the figures, which round the count ratio),
     * else the stored value ({@code valueFields}, or the node itself when it is a number). Null when neither exists.
     */
    static String percentText(JsonNode node, int decimals, String[] kFields, String[] nFields, String... valueFields) {
        double stored = node.isNumber() ? node.asDouble() : number(node, valueFields);
        double k = number(node, kFields);
        double n = number(node, nFields);
        if (!Double.isNaN(k) && !Double.isNaN(n) && n > 0) {
            double exact = 100.0 * k / n;
            // rounded as the figures round it (String.format "%.2f": the shortest decimal form, half up)
            if (Double.isNaN(stored) || Math.abs(exact - stored) <= 1e-4) return fixed(exact, decimals);
        }
        return fixed(stored, decimals);
    }

    /** The names a metric's count (k) goes by, first found wins; read the same way wherever it is shown. */
    static final String[] METRIC_K = {"numerator", "k", "count"};
    /** The names a metric's parent count (n) goes by. */
    static final String[] METRIC_N = {"denominator", "n", "parent_count"};
    /** The names a population's count goes by. */
    static final String[] POP_COUNT = {"count", "events"};
    /** The names a population's parent count goes by. */
    static final String[] POP_PARENT = {"parentCount", "parent_count", "parent"};

    /** A metric's value as text (see {@link #percentText}). */
    static String metricPercent(JsonNode m, int decimals) {
        return percentText(m, decimals, METRIC_K, METRIC_N, "value", "percent", "pct");
    }

    /** A population's percent of parent as text (see {@link #percentText}). */
    static String populationPercent(JsonNode p, int decimals) {
        return percentText(p, decimals, POP_COUNT, POP_PARENT, "percentOfParent", "percent", "pct");
    }

    /** An integer count with thousands separators ("48,210"), or null. */
    static String count(double v) {
        if (Double.isNaN(v)) return null;
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    static String orDash(String s) { return s == null || s.isBlank() ? DASH : s; }

    // ---- result fields -------------------------------------------------------------------------------------

    String sampleFile() { return text(root, "sample.file", "sample.name", "file"); }

    String sampleSha256() { return text(root, "sample.sha256", "sample.file_sha256", "provenance.inputs.0.sha256"); }

    double events() { return number(root, "sample.events", "sample.event_count", "sample.tot"); }

    String instrument() { return text(root, "sample.cyt", "sample.instrument", "sample.$CYT"); }

    String acquisitionDate() { return text(root, "sample.acquisitionDate", "sample.acquisition_date", "sample.date", "sample.$DATE"); }

    String lot() { return text(root, "sample.lot", "sample.batch", "lot", "batch"); }

    /**
     * The instrument-QC record as one line ("CST SUCCESS, setup 06/18/2015 11:57:42 PM, beads lot 43523"), or null
     * when the file carried none.
     */
    String instrumentQc() {
        JsonNode q = root.path("sample").path("instrumentQc");
        if (!q.isObject() || q.isEmpty()) return null;
        List<String> parts = new ArrayList<>();
        String status = text(q, "CST SETUP STATUS");
        parts.add("CST " + (status == null ? "status not recorded" : status));
        String setup = text(q, "CST SETUP DATE");
        if (setup != null) parts.add("setup " + setup);
        String expires = text(q, "CST PERFORMANCE EXPIRED");
        if (expires != null) parts.add("valid until " + expires);
        String lot = text(q, "CST BEADS LOT ID");
        if (lot != null) parts.add("beads lot " + lot);
        if ("true".equalsIgnoreCase(text(q, "CST BEADS EXPIRED"))) parts.add("beads expired");
        return String.join(", ", parts);
    }

    String verdict() { return text(root, "verdict", "decision", "result.verdict"); }

    String schema() { return text(root, "schema"); }

    String toolVersion() { return text(root, "provenance.toolVersion", "provenance.tool_version", "provenance.version"); }

    String buildCommit() { return text(root, "provenance.buildCommit", "provenance.build_commit", "provenance.commit"); }

    String specId() { return text(root, "provenance.spec.id", "provenance.spec_id", "spec.id", "spec_id"); }

    String specSha256() { return text(root, "provenance.spec.sha256", "provenance.spec_sha256", "spec.sha256", "spec_sha256"); }

    String strategySha256() { return text(root, "provenance.strategySha256", "provenance.strategy_sha256", "strategy.sha256"); }

    String seed() { return text(root, "provenance.seed", "seed"); }

    JsonNode options() { return first(root, "provenance.options", "options"); }

    /**
     * Input files of the provenance block as {file, sha256} objects: result.json's {path: SHA-256} object (the
     * sample, controls, matrix, spec, in its order), or an array of such objects.
     */
    List<JsonNode> inputs() {
        JsonNode n = first(root, "provenance.inputs", "inputs");
        if (!n.isObject()) return list(n);
        List<JsonNode> out = new ArrayList<>();
        n.fields().forEachRemaining(e -> out.add(JsonNodeFactory.instance.objectNode().put("file", e.getKey())
                .set("sha256", e.getValue())));
        return out;
    }

    List<String> reasons() {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list(first(root, "reasons", "verdict_reasons"))) {
            String t = n.isTextual() ? n.asText() : text(n, "message", "reason", "text");
            out.add(t == null ? n.toString() : t);
        }
        return out;
    }

    List<JsonNode> checks() { return list(first(root, "checks", "rules")); }

    List<JsonNode> populations() { return list(first(root, "populations", "gates")); }

    List<JsonNode> problems() { return list(first(root, "problems", "flags")); }

    /** Metric names: the standard ones present in the result first (in report order), then any others sorted. */
    List<String> metricNames() {
        JsonNode m = first(root, "metrics");
        List<String> out = new ArrayList<>();
        for (String k : METRIC_ORDER) if (m.has(k)) out.add(k);
        List<String> extra = new ArrayList<>();
        for (Iterator<String> it = m.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!METRIC_ORDER.contains(k)) extra.add(k);
        }
        extra.sort(null);
        out.addAll(extra);
        return out;
    }

    /** A metric object, or a missing/null node. */
    JsonNode metric(String name) { return at(root, "metrics." + name); }

    static String metricDisplayName(String key) { return METRIC_NAMES.getOrDefault(key, key); }

    /**
     * A metric's display name for this result: as {@link #metricDisplayName}, with "CD45+" left out of the
     * denominator when the panel has no CD45 (no population path passes a CD45+ gate), where viability is of
     * singlets and the other percentages of viable singlets.
     */
    String metricDisplayNameHere(String key) {
        String name = metricDisplayName(key);
        return hasCd45() ? name : name.replace("% of CD45+ singlets", "% of singlets").replace("% of viable CD45+",
                "% of viable singlets");
    }

    /** True unless the result's populations are known and none passes a CD45+ gate. */
    boolean hasCd45() {
        List<JsonNode> pops = populations();
        if (pops.isEmpty()) return true;
        for (JsonNode p : pops) {
            String path = text(p, "path", "name");
            if (path != null && path.contains("/CD45+")) return true;
        }
        return false;
    }

    /** The value of a metric (an object with {@code value}, or a bare number), or NaN. */
    static double metricValue(JsonNode m) {
        if (m.isNumber()) return m.asDouble();
        return number(m, "value", "percent", "pct");
    }

    /** A confidence interval as the dossier prints it ("61.28–62.54", the reasons' dash), or null if absent. */
    static String ciText(JsonNode m) {
        double[] c = ci(m);
        return Double.isNaN(c[0]) || Double.isNaN(c[1]) ? null : fixed(c[0], 2) + "–" + fixed(c[1], 2);
    }

    /** {lo, hi} of a confidence interval given as [lo, hi], {lo, hi}/{low, high}, or ci_low/ci_high; NaN if absent. */
    static double[] ci(JsonNode m) {
        JsonNode c = first(m, "ci95", "ci", "ci_95");
        if (c.isArray() && c.size() == 2) return new double[] {num(c.get(0)), num(c.get(1))};
        if (c.isObject()) return new double[] {number(c, "lo", "low", "lower"), number(c, "hi", "high", "upper")};
        return new double[] {number(m, "ci_low", "ci95_low"), number(m, "ci_high", "ci95_high")};
    }

    private static double num(JsonNode n) { return n != null && n.isNumber() ? n.asDouble() : Double.NaN; }

    /**
     * A limit as text: a string as is, a number, {op, value}, {min}/{max}, or compact JSON; numbers as
     * {@link #decimal} prints them and comparisons with the signs the verdict's reasons use ("≥ 80", not the
     * ">= 80.0000" of result.json).
     */
    static String limitText(JsonNode limit) {
        if (limit == null || limit.isMissingNode() || limit.isNull()) return null;
        if (limit.isTextual()) return limit.asText();
        if (limit.isNumber()) return decimal(limit);
        if (limit.isObject()) {
            String op = text(limit, "op", "operator", "comparator");
            String val = limitValue(limit, "value", "limit", "threshold");
            if (op != null && val != null) {
                org.cikqc.qc.Limit.Op known = org.cikqc.qc.Limit.Op.parse(op.strip());
                return (known == null ? op : known.pretty()) + " " + val;
            }
            String min = limitValue(limit, "min", "lower", "gte", "ge");
            String max = limitValue(limit, "max", "upper", "lte", "le");
            if (min != null && max != null) return min + " to " + max;
            if (min != null) return org.cikqc.qc.Limit.Op.AT_LEAST.pretty() + " " + min;
            if (max != null) return org.cikqc.qc.Limit.Op.AT_MOST.pretty() + " " + max;
        }
        return limit.toString();
    }

    private static String limitValue(JsonNode limit, String... fields) {
        JsonNode v = first(limit, fields);
        return v.isNumber() ? decimal(v) : asText(v);
    }

    /** The check that belongs to a metric: same {@code metric} field, or an id equal to the metric's stem. */
    JsonNode checkFor(String metric) {
        String stem = stem(metric);
        for (JsonNode c : checks()) {
            String m = text(c, "metric", "attribute");
            if (m != null && stem(m).equals(stem)) return c;
        }
        for (JsonNode c : checks()) {
            String id = text(c, "id", "name");
            if (id != null && stem(id).equals(stem)) return c;
        }
        return MissingNode.getInstance();
    }

    private static String stem(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.endsWith("_pct")) t = t.substring(0, t.length() - 4);
        return t.replaceAll("[^a-z0-9]", "");
    }

    static String outcome(JsonNode check) { return text(check, "outcome", "result", "status", "verdict"); }

    static List<JsonNode> list(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(out::add);
        return out;
    }
}
