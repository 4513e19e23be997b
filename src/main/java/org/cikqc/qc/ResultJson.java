package org.cikqc.qc;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import org.cikqc.common.BuildInfo;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * Writes and reads {@code result.json} ({@code "schema": "cikqc.result/1"}; documented in
 * {@code docs/result-schema.md}). The bytes are deterministic: the same document always gives the same bytes — fixed
 * key order, percentages (values, intervals, uncertainties) with exactly 4 decimals, other fractional numbers with 6
 * significant digits, counts as integers, UTF-8, two-space indent, {@code \n} line endings, no timestamps.
 */
public final class ResultJson {

    /** The schema identifier written and accepted. */
    public static final String SCHEMA = "cikqc.result/1";

    private static final CanonicalJson WRITER = new CanonicalJson(6);
    private static final int PCT_DECIMALS = 4;
    private static final JsonMapper READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ResultJson() { }

    /**
     * The analysed sample, as given by the caller.
     *
     * @param file            file name as analysed
     * @param sha256          SHA-256 of the file (hex)
     * @param events          events in the data set ($TOT)
     * @param cyt             instrument ($CYT), or null
     * @param lot             batch/lot identifier, or null (omitted from the JSON)
     * @param acquisitionDate acquisition date as recorded ($DATE, with $BTIM when known), or null
     * @param instrumentQc    the instrument-QC keywords the file carries, as written ({@link InstrumentQc#keywords()}),
     *                        or null (omitted from the JSON)
     */
    public record Sample(String file, String sha256, long events, String cyt, String acquisitionDate, String lot,
                         Map<String, String> instrumentQc) {
        public Sample {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(sha256, "sha256");
            instrumentQc = instrumentQc == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(instrumentQc));
        }

        /** A sample without a lot identifier. */
        public Sample(String file, String sha256, long events, String cyt, String acquisitionDate) {
            this(file, sha256, events, cyt, acquisitionDate, null, null);
        }
    }

    /**
     * How the result was produced.
     *
     * @param toolVersion    cikqc version
     * @param buildCommit    git commit of the build
     * @param specId         spec id
     * @param specVersion    spec version
     * @param specSha256     SHA-256 of the spec's canonical form
     * @param strategySha256 SHA-256 of the gating strategy, or null
     * @param seed           the pass-1 sampling seed used
     * @param options        the options that influence the result (generic, JSON-ready values)
     * @param inputs         SHA-256 of every input file by name (FCS files, FMO controls, compensation files)
     * @param channels       the channel mapping ({@link ChannelMap#describe()}), or null
     */
    public record Provenance(String toolVersion, String buildCommit, String specId, String specVersion,
                             String specSha256, String strategySha256, long seed, Map<String, ?> options,
                             Map<String, String> inputs, Map<String, ?> channels) {
        public Provenance {
            Objects.requireNonNull(toolVersion, "toolVersion");
            Objects.requireNonNull(buildCommit, "buildCommit");
            Objects.requireNonNull(specId, "specId");
            Objects.requireNonNull(specVersion, "specVersion");
            Objects.requireNonNull(specSha256, "specSha256");
            options = ordered(options);
            inputs = ordered(inputs);
            channels = channels == null ? null : ordered(channels);
        }

        /** Provenance for this build ({@link BuildInfo}) and the given spec. */
        public static Provenance of(QcSpec spec, String strategySha256, long seed, Map<String, ?> options,
                                    Map<String, String> inputs, ChannelMap channels) {
            return new Provenance(BuildInfo.version(), BuildInfo.commit(), spec.id(), spec.version(), spec.sha256(),
                    strategySha256, seed, options, inputs, channels == null ? null : channels.describe());
        }
    }

    /**
     * A whole result document.
     *
     * @param sample     the sample
     * @param result     the evaluation
     * @param problems   problems recorded while reading the file (may be empty)
     * @param gates      fitted gates/thresholds with diagnostics (generic JSON-ready map; may be empty)
     * @param provenance how it was produced
     * @param absoluteCounts cells per µL from counting beads (see {@code docs/result-schema.md}), or null when
     *                   absolute counting was not asked for
     */
    public record Document(Sample sample, QcResult result, List<Problem> problems, Map<String, ?> gates,
                           Provenance provenance, Map<String, ?> absoluteCounts) {
        public Document {
            Objects.requireNonNull(sample, "sample");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(provenance, "provenance");
            problems = problems == null ? List.of() : List.copyOf(problems);
            gates = ordered(gates);
            absoluteCounts = absoluteCounts == null ? null : ordered(absoluteCounts);
        }

        /** Without absolute counts (no {@code absoluteCounts} member is written). */
        public Document(Sample sample, QcResult result, List<Problem> problems, Map<String, ?> gates,
                        Provenance provenance) {
            this(sample, result, problems, gates, provenance, null);
        }
    }

    /**
     * Keeps the order of a {@link LinkedHashMap} or {@link SortedMap}; sorts any other map by key, so the
     * output never depends on hashing.
     */
    static <V> Map<String, V> ordered(Map<String, ? extends V> in) {
        if (in == null) return new CanonicalJson.Ordered<V>(Map.of());
        if (in instanceof LinkedHashMap<?, ?> || in instanceof SortedMap<?, ?> || in instanceof CanonicalJson.Ordered<?>) {
            return new CanonicalJson.Ordered<V>(in);
        }
        return new CanonicalJson.Ordered<V>(new TreeMap<>(in));
    }

    // ---------------------------------------------------------------- writing

    /** The deterministic bytes of a document. */
    public static byte[] toBytes(Document d) { return WRITER.bytes(tree(d)); }

    /**
     * Writes a document atomically ({@link org.cikqc.common.AtomicFiles#write(Path, byte[])}: a tracked temporary
     * beside it, forced to disk, then renamed).
     *
     * @throws CikqcException (OUTPUT_IO) when the file cannot be written
     */
    public static void write(Path file, Document d) {
        org.cikqc.common.AtomicFiles.write(file, toBytes(d));
    }

    /** The ordered JSON tree of a document (maps, lists and scalars). */
    static Map<String, Object> tree(Document d) {
        QcResult r = d.result();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("file", d.sample().file());
        s.put("sha256", d.sample().sha256());
        s.put("events", d.sample().events());
        s.put("cyt", d.sample().cyt());
        s.put("acquisitionDate", d.sample().acquisitionDate());
        if (d.sample().lot() != null) s.put("lot", d.sample().lot());
        if (d.sample().instrumentQc() != null) s.put("instrumentQc", d.sample().instrumentQc());
        root.put("sample", s);
        root.put("verdict", r.verdict().name());
        root.put("reasons", r.reasons());

        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            QcResult.MetricValue v = r.metrics().get(m);
            if (v == null) {
                metrics.put(m.key(), null);
                continue;
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("value", pct(v.value()));
            o.put("ci95", interval(v.ci95()));
            o.put("numerator", v.numerator());
            o.put("denominator", v.denominator());
            o.put("lloq", v.lloq().name());
            o.put("population", v.population());
            o.put("countingSe", pct(v.countingSe()));
            o.put("methodSd", pct(v.methodSd()));
            o.put("uncertainty", pct(v.uncertainty()));
            metrics.put(m.key(), o);
        }
        root.put("metrics", metrics);

        List<Object> checks = new ArrayList<>();
        for (QcResult.Check c : r.checks()) {
            boolean events = "events".equals(c.unit());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", c.id());
            o.put("kind", c.kind().name());
            o.put("outcome", c.outcome().name());
            if (c.limit() == null) {
                o.put("limit", null);
            } else {
                o.put("limit", mapOf("op", c.limit().op().symbol(),
                        "value", events ? (Object) Math.round(c.limit().value()) : pct(c.limit().value())));
            }
            o.put("unit", c.unit());
            o.put("value", c.value() == null ? null : events ? (Object) Math.round(c.value()) : pct(c.value()));
            o.put("uncertainty", c.uncertainty() == null ? null : pct(c.uncertainty()));
            o.put("k", c.k());
            o.put("decisionInterval", c.decisionInterval() == null ? null : interval(c.decisionInterval()));
            o.put("reason", c.reason());
            checks.add(o);
        }
        root.put("checks", checks);

        List<Object> pops = new ArrayList<>();
        for (QcResult.PopulationStat p : r.populations()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("path", p.path());
            o.put("count", p.count());
            o.put("parentCount", p.parentCount());
            o.put("percentOfParent", p.percentOfParent() == null ? null : pct(p.percentOfParent()));
            o.put("ci95", p.ci95() == null ? null : interval(p.ci95()));
            o.put("lloq", p.lloq().name());
            pops.add(o);
        }
        root.put("populations", pops);

        List<Object> issues = new ArrayList<>();
        for (GatingIssue gi : r.gatingIssues()) {
            List<String> affects = new ArrayList<>();
            for (Metric m : gi.affects()) affects.add(m.key());
            Map<String, Object> o = mapOf("subject", gi.subject(), "message", gi.message(), "affects", affects);
            if (!gi.ranges().isEmpty()) {
                Map<String, Object> ranges = new LinkedHashMap<>();
                for (Map.Entry<Metric, GatingIssue.Range> e : gi.ranges().entrySet()) {
                    GatingIssue.Range range = e.getValue();
                    Map<String, Object> ro = range.oneDenominator()
                            ? mapOf("low", pct(range.low()), "high", pct(range.high()), "events", range.lowEvents(),
                                    "basis", range.basis())
                            : mapOf("low", pct(range.low()), "high", pct(range.high()), "lowEvents", range.lowEvents(),
                                    "highEvents", range.highEvents(), "basis", range.basis());
                    if (range.bothReadings()) ro.put("bothReadings", true);
                    ranges.put(e.getKey().key(), ro);
                }
                o.put("ranges", ranges);
            }
            issues.add(o);
        }
        root.put("gatingIssues", issues);
        root.put("gates", d.gates());
        if (d.absoluteCounts() != null) root.put("absoluteCounts", d.absoluteCounts());

        List<Object> problems = new ArrayList<>();
        for (Problem p : d.problems()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("code", p.code());
            o.put("severity", p.severity().name());
            o.put("message", p.message());
            o.put("offset", p.offset() >= 0 ? (Object) p.offset() : null);
            o.put("keyword", p.keyword());
            problems.add(o);
        }
        root.put("problems", problems);

        Provenance pv = d.provenance();
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("toolVersion", pv.toolVersion());
        prov.put("buildCommit", pv.buildCommit());
        prov.put("spec", mapOf("id", pv.specId(), "version", pv.specVersion(), "sha256", pv.specSha256()));
        prov.put("strategySha256", pv.strategySha256());
        prov.put("seed", pv.seed());
        prov.put("options", pv.options());
        prov.put("inputs", pv.inputs());
        prov.put("channels", pv.channels());
        root.put("provenance", prov);
        return root;
    }

    private static BigDecimal pct(double v) { return CanonicalJson.fixed(v, PCT_DECIMALS); }

    private static List<Object> interval(Interval i) {
        List<Object> l = new ArrayList<>(2);
        l.add(pct(i.lo()));
        l.add(pct(i.hi()));
        return l;
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a result file into a tree (numbers with fractions as exact decimals), checking that it is a cikqc
     * result of this schema.
     *
     * @throws CikqcException (INVALID_INPUT) when the file is unreadable, not JSON or not a {@value #SCHEMA} document
     */
    public static JsonNode read(Path file) {
        return parse(readBytes(file), file.toString());
    }

    /**
     * The bytes of a result file (at most 64 MiB; a result is tens of KiB), for callers that compare them as stored.
     *
     * @throws CikqcException (INVALID_INPUT) when the file is missing, not a regular file, too large or unreadable
     */
    public static byte[] readBytes(Path file) {
        final long maxResultBytes = 64L << 20;
        try {
            return org.cikqc.common.RegularFiles.readAll(file, maxResultBytes, "result file");
        } catch (NoSuchFileException e) {
            throw CikqcException.input(file + ": result file not found");
        } catch (IOException e) {
            throw CikqcException.inputFailed(file + ": cannot read result", e);
        }
    }

    /** Parses result bytes; {@code source} names them in errors. */
    public static JsonNode parse(byte[] bytes, String source) {
        JsonNode n;
        try {
            n = JsonErrors.readTree(READER, bytes);
        } catch (JsonErrors.JsonSyntax e) {
            throw new CikqcException(CikqcException.Kind.INVALID_INPUT, source + ": not valid JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw CikqcException.inputFailed(source + ": cannot read result", e);
        }
        if (n == null || !n.isObject()) throw CikqcException.input(source + ": not a cikqc result (not a JSON object)");
        JsonNode schema = n.get("schema");
        if (schema == null || !schema.isTextual() || !SCHEMA.equals(schema.textValue())) {
            throw CikqcException.input(source + ": not a " + SCHEMA + " document (schema "
                    + (schema == null ? "missing" : schema.toString()) + ")");
        }
        return n;
    }
}
