package org.cikqc.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.cikqc.common.CikqcException;
import org.cikqc.gating.gatingml.FlowJoWorkspace;

/**
 * A method comparison of a manual FlowJo analysis with cikqc's automated one: each metric of a {@code result.json}
 * beside the same percentage taken from FlowJo populations, as cikqc's engine counts them when it replays the
 * workspace's gates on the file, and as FlowJo saved them.
 *
 * <p>A metric is a population's count over another's: FlowJo's population for it is given ({@code METRIC=PATH}, with
 * {@code @OF} for the denominator) or found by name ({@link #autoMap}). Without {@code @OF} the denominator is the
 * population cikqc divides by in FlowJo's tree: the viable population for the percentages of viable cells, the CD3+
 * population for CD4 and CD8, when either is mapped and an ancestor; else the population's parent (FlowJo's "% of
 * parent"), which is also viability's (CD45+ singlets).
 */
public final class FlowJoComparison {
    private FlowJoComparison() { }

    /** Where a metric comes from in FlowJo's tree: population and denominator paths, and how they were chosen. */
    public record Mapping(String metric, String population, String of, String how) { }

    /**
     * One compared metric: cikqc's value (k of n) and uncertainty u (pp), FlowJo's counts replayed by cikqc (k of n)
     * and as FlowJo saved them (-1 when it saved none), and the metric's acceptance limit (op null when it has none).
     */
    public record Row(String metric, double cikqc, long cikqcK, long cikqcN, double uncertainty, Mapping mapping,
                      long k, long n, long savedK, long savedN, String limitOp, double limit) {
        /** FlowJo's gates replayed on the file, in percent. */
        public double replay() { return n > 0 ? 100.0 * k / n : Double.NaN; }

        /** FlowJo's saved counts, in percent (NaN when FlowJo saved none). */
        public double saved() { return savedK >= 0 && savedN > 0 ? 100.0 * savedK / savedN : Double.NaN; }

        /** Replayed minus cikqc, in percentage points. */
        public double difference() { return replay() - cikqc; }

        /** Whether the difference is within twice cikqc's uncertainty (the guard band's half-width); null without u. */
        public Boolean within2u() {
            return Double.isNaN(uncertainty) || Double.isNaN(difference()) ? null
                    : Math.abs(difference()) <= 2 * uncertainty;
        }

        /** Whether both values meet the limit, or both miss it; null without a limit. */
        public Boolean sameSide() {
            if (limitOp == null || Double.isNaN(replay())) return null;
            return meets(cikqc) == meets(replay());
        }

        private boolean meets(double v) {
            return switch (limitOp) {
                case ">=" -> v >= limit;
                case ">" -> v > limit;
                case "<=" -> v <= limit;
                case "<" -> v < limit;
                default -> true;
            };
        }
    }

    /** Name patterns (a population's own name, lower case, spaces, commas and a 'Qn:' prefix removed) per metric. */
    private static final Map<String, Pattern> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("viability_pct", Pattern.compile("(live|viable|alive)(cells)?|(7-?aad|dapi|pi|viability|via|fvs\\d*"
                + "|zombie\\w*|l/?d|live/dead\\w*)[-\u2212](cells)?"));
        NAMES.put("cd3_pct", Pattern.compile("cd3\\+(cells|tcells)?|tcells"));
        NAMES.put("cd3_cd56_pct", Pattern.compile("cd3\\+cd56\\+|cd56\\+cd3\\+|cik(cells)?|nkt(-like)?(cells)?"));
        NAMES.put("nk_pct", Pattern.compile("cd3-cd56\\+|cd56\\+cd3-|nk(cells)?"));
        NAMES.put("cd3_cd56neg_pct", Pattern.compile("cd3\\+cd56-|cd56-cd3\\+"));
        NAMES.put("cd4_pct", Pattern.compile("cd4\\+(cd8-)?|cd8-cd4\\+"));
        NAMES.put("cd8_pct", Pattern.compile("cd8\\+(cd4-)?|cd4-cd8\\+"));
    }

    /**
     * A population's name as {@link #NAMES} reads it: its own name (the path below its parent's, so a name holding
     * a '/', as "Live/Dead-", is read whole).
     */
    static String key(FlowJoWorkspace.Population p) {
        String name = p.parentPath() == null ? p.path().substring(1) : p.path().substring(p.parentPath().length() + 1);
        return name.toLowerCase(Locale.ROOT).replaceFirst("^q\\d+\\s*:", "").replaceAll("[\\s,]", "");
    }

    /**
     * {@code METRIC=PATH} or {@code METRIC=PATH@OF}, as given on the command line.
     *
     * @throws IllegalArgumentException when it is not of that form
     */
    public static Mapping parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("expected METRIC=POPULATION[@OF], got '" + spec + "'");
        }
        String metric = spec.substring(0, eq).strip();
        String rest = spec.substring(eq + 1).strip();
        int at = rest.lastIndexOf("@/"); // OF is a path; a population's name may hold an '@' of its own
        if (at < 0 && rest.endsWith("@")) at = rest.length() - 1; // an empty OF, refused below
        String pop = at >= 0 ? rest.substring(0, at).strip() : rest;
        String of = at >= 0 ? rest.substring(at + 1).strip() : null;
        if (pop.isEmpty() || (of != null && of.isEmpty())) {
            throw new IllegalArgumentException("expected METRIC=POPULATION[@OF], got '" + spec + "'");
        }
        return new Mapping(metric, pop, of, "given");
    }

    /**
     * FlowJo's populations for {@code metrics}: those {@code given} as they are (checked), the others by name when
     * exactly one population is named like the metric (a 'CD56+' under a 'CD3+' or 'CD3-' population counts as
     * CD3+CD56+ or NK), with their denominators completed as the class comment says. A metric no population or
     * several are named like goes into {@code notes} and is left out.
     *
     * @throws IllegalArgumentException when a given mapping names a metric not in {@code metrics} (a usage error)
     */
    public static List<Mapping> map(List<FlowJoWorkspace.Population> pops, List<String> metrics, List<Mapping> given,
                                    List<String> notes, String workspace) {
        Map<String, FlowJoWorkspace.Population> byPath = new HashMap<>();
        for (FlowJoWorkspace.Population p : pops) byPath.put(p.path(), p);
        Map<String, Mapping> chosen = new LinkedHashMap<>();
        for (Mapping m : given) {
            if (!metrics.contains(m.metric())) {
                throw new IllegalArgumentException("--map " + m.metric() + ": not a metric the result has a value for "
                        + "(metrics: " + String.join(", ", metrics) + ")");
            }
            for (String path : m.of() == null ? List.of(m.population()) : List.of(m.population(), m.of())) {
                if (!byPath.containsKey(path)) {
                    throw CikqcException.input(workspace + ": no population " + path + " (--map " + m.metric() + ")");
                }
            }
            if (m.of() != null && !isAncestor(m.of(), m.population(), byPath)) {
                throw CikqcException.input(workspace + ": " + m.of() + " does not contain " + m.population()
                        + " (--map " + m.metric() + ")");
            }
            if (chosen.put(m.metric(), m) != null) {
                throw new IllegalArgumentException("--map " + m.metric() + " is given twice");
            }
        }
        List<String> unnamed = new ArrayList<>();
        for (String metric : metrics) {
            if (chosen.containsKey(metric)) continue;
            List<String> found = new ArrayList<>();
            if (NAMES.containsKey(metric)) {
                for (FlowJoWorkspace.Population p : pops) if (namedLike(metric, p, byPath)) found.add(p.path());
            }
            if (found.size() == 1) {
                chosen.put(metric, new Mapping(metric, found.get(0), null, "by name"));
            } else if (found.isEmpty()) {
                unnamed.add(metric);
            } else {
                notes.add(metric + ": " + found.size() + " FlowJo populations are named like it ("
                        + String.join(", ", found) + "); name one with --map " + metric + "=PATH[@OF]");
            }
        }
        if (!unnamed.isEmpty()) {
            notes.add("no FlowJo population is named like " + String.join(", ", unnamed)
                    + " (not compared; --map METRIC=PATH[@OF] names one)");
        }
        List<Mapping> out = new ArrayList<>();
        for (String metric : metrics) {
            Mapping m = chosen.get(metric);
            if (m == null) continue;
            String of = m.of();
            if (of == null) {
                String base = switch (metric) {
                    case "viability_pct" -> null;
                    case "cd4_pct", "cd8_pct" -> population(chosen.get("cd3_pct"));
                    default -> population(chosen.get("viability_pct"));
                };
                of = base != null && isAncestor(base, m.population(), byPath) ? base
                        : byPath.get(m.population()).parentPath();
            }
            if (of == null) {
                notes.add(metric + ": " + m.population() + " is a top population (no denominator); name one with --map "
                        + metric + "=PATH@OF");
                continue;
            }
            out.add(new Mapping(metric, m.population(), of, m.how()));
        }
        return out;
    }

    private static String population(Mapping m) { return m == null ? null : m.population(); }

    private static boolean namedLike(String metric, FlowJoWorkspace.Population p,
                                     Map<String, FlowJoWorkspace.Population> byPath) {
        String k = key(p);
        if (NAMES.get(metric).matcher(k).matches()) return true;
        if (!k.equals("cd56+") && !k.equals("cd56-")) return false;
        // a CD56 gate under a CD3+ or CD3- population
        for (String a : ancestors(p.path(), byPath)) {
            String ak = key(byPath.get(a));
            if (ak.equals("cd3+")) return metric.equals(k.equals("cd56+") ? "cd3_cd56_pct" : "cd3_cd56neg_pct");
            if (ak.equals("cd3-")) return metric.equals("nk_pct") && k.equals("cd56+");
        }
        return false;
    }

    private static boolean isAncestor(String ancestor, String path, Map<String, FlowJoWorkspace.Population> byPath) {
        return ancestors(path, byPath).contains(ancestor);
    }

    /** The paths of the populations that contain {@code path}, nearest first. */
    private static List<String> ancestors(String path, Map<String, FlowJoWorkspace.Population> byPath) {
        List<String> out = new ArrayList<>();
        for (String a = byPath.get(path).parentPath(); a != null && byPath.containsKey(a); a = byPath.get(a).parentPath()) {
            out.add(a);
        }
        return out;
    }

    /**
     * The metrics of a result that have a value to compare (a percentage, with an uncertainty of at least 0 when it
     * has one); those without one (a NOT_EVALUABLE result's) go into {@code notes}.
     *
     * @throws CikqcException (INVALID_INPUT) for a result without a metrics object or with a value no percentage
     */
    public static List<String> comparableMetrics(JsonNode recorded, java.nio.file.Path result, List<String> notes) {
        JsonNode all = recorded.path("metrics");
        if (!all.isObject()) throw CikqcException.input(result + ": no 'metrics' object; not a result.json of cikqc analyze");
        List<String> metrics = new java.util.ArrayList<>();
        List<String> valueless = new java.util.ArrayList<>();
        all.fields().forEachRemaining(e -> {
            JsonNode value = e.getValue().path("value");
            if (!value.isNumber()) {
                valueless.add(tsvField(e.getKey()));
                return;
            }
            double v = value.asDouble();
            if (!(v >= 0 && v <= 100)) {
                throw CikqcException.input(result + ": metrics." + tsvField(e.getKey()) + ".value "
                        + value + " is not a percentage (0 to 100)");
            }
            JsonNode u = e.getValue().path("uncertainty");
            if (u.isNumber() && !(u.asDouble() >= 0 && Double.isFinite(u.asDouble()))) {
                throw CikqcException.input(result + ": metrics." + tsvField(e.getKey())
                        + ".uncertainty " + u + " is not a number of percentage points (0 or more)");
            }
            metrics.add(e.getKey());
        });
        if (!valueless.isEmpty()) {
            notes.add("the result has no value for " + String.join(", ", valueless) + " (not compared)");
        }
        return metrics;
    }

    /**
     * The rows: for each mapping, the metric from {@code result} (its {@code metrics} and {@code checks}) and the
     * counts of its populations, replayed ({@code replayed}: path to count) and saved by FlowJo.
     */
    public static List<Row> compare(JsonNode result, List<Mapping> mappings, Map<String, Long> replayed,
                                    Map<String, Long> saved) {
        ResultView view = new ResultView(result);
        List<Row> rows = new ArrayList<>();
        for (Mapping m : mappings) {
            JsonNode metric = result.path("metrics").path(m.metric());
            JsonNode limit = view.checkFor(m.metric()).path("limit");
            String op = limit.path("op").isTextual() && limit.path("value").isNumber() ? limit.path("op").asText() : null;
            rows.add(new Row(m.metric(), ResultView.metricValue(metric), metric.path("numerator").asLong(-1),
                    metric.path("denominator").asLong(-1), ResultView.number(metric, "uncertainty"), m,
                    replayed.get(m.population()), replayed.get(m.of()), saved.getOrDefault(m.population(), -1L),
                    saved.getOrDefault(m.of(), -1L), op, limit.path("value").asDouble(Double.NaN)));
        }
        return rows;
    }

    /** comparison.tsv: one row per compared metric (see the README for its columns). */
    public static String tsv(List<Row> rows) {
        StringBuilder sb = new StringBuilder("metric\tcikqc_percent\tcikqc_count\tcikqc_of\tuncertainty_pp"
                + "\tflowjo_population\tflowjo_of\tmapped\treplayed_percent\treplayed_count\treplayed_of"
                + "\tflowjo_saved_percent\tdifference_pp\twithin_2u\tlimit\tsame_side\n");
        for (Row r : rows) {
            sb.append(tsvField(r.metric())).append('\t').append(pct(r.cikqc())).append('\t').append(count(r.cikqcK())).append('\t')
                    .append(count(r.cikqcN())).append('\t').append(pct(r.uncertainty())).append('\t')
                    .append(tsvField(r.mapping().population())).append('\t').append(tsvField(r.mapping().of())).append('\t')
                    .append(r.mapping().how()).append('\t').append(pct(r.replay())).append('\t').append(r.k())
                    .append('\t').append(r.n()).append('\t').append(pct(r.saved())).append('\t')
                    .append(pct(r.difference())).append('\t').append(yesNo(r.within2u())).append('\t')
                    .append(r.limitOp() == null ? "" : r.limitOp() + " " + plain(r.limit())).append('\t')
                    .append(yesNo(r.sameSide())).append('\n');
        }
        return sb.toString();
    }

    /** One readable line per row, as the command prints them. */
    public static List<String> lines(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: cikqc %.2f %% (%,d of %,d); FlowJo %s "
                    + "(of %s, %s) %.2f %% (%,d of %,d) replayed", r.metric(), r.cikqc(), r.cikqcK(), r.cikqcN(),
                    r.mapping().population(), r.mapping().of(), r.mapping().how(), r.replay(), r.k(), r.n()));
            if (!Double.isNaN(r.saved())) sb.append(String.format(Locale.ROOT, ", %.2f %% saved", r.saved()));
            sb.append(String.format(Locale.ROOT, "; difference %+.2f pp", r.difference()));
            if (r.within2u() != null) {
                sb.append(String.format(Locale.ROOT, " (%s 2u = %.2f pp)", r.within2u() ? "within" : "beyond",
                        2 * r.uncertainty()));
            }
            if (r.sameSide() != null) {
                sb.append(r.sameSide() ? "; same side of " : "; OPPOSITE sides of ").append(r.limitOp()).append(' ')
                        .append(plain(r.limit()));
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static String pct(double v) { return Double.isNaN(v) ? "NA" : String.format(Locale.ROOT, "%.4f", v); }

    private static String count(long v) { return v < 0 ? "NA" : Long.toString(v); }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String yesNo(Boolean b) { return b == null ? "" : b ? "yes" : "no"; }

    /** A name made safe for one TSV field (tabs and line breaks become spaces; null becomes empty). */
    public static String tsvField(String s) { return s == null ? "" : s.replaceAll("[\\t\\r\\n]", " "); }
}
