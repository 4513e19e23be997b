package org.cikqc.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.math3.distribution.TDistribution;
import org.cikqc.common.CikqcException;
import org.cikqc.common.RegularFiles;
import org.cikqc.plot.BlandAltmanPlot;

/**
 * Bland–Altman agreement of cikqc with manual FlowJo gating over a validation set: the {@code comparison.tsv} files
 * of {@code cikqc gate --flowjo --result} (one per sample), summarised per metric as the mean difference (bias,
 * FlowJo replayed − cikqc) with its 95 % confidence interval, the standard deviation of the differences, the 95 %
 * limits of agreement (bias ± 1.96 SD), the largest difference, how many samples lie within 2u and on the same
 * side of the limit, and the proportional bias: the least-squares slope of the differences on the means with its
 * Student-t 95 % confidence interval (a slope whose interval excludes 0 means the two methods part as the level
 * changes, and the limits of agreement do not hold alike over the range). The per-sample points are kept for
 * {@link #figure}.
 */
public final class Agreement {
    private Agreement() { }

    /** The comparison.tsv columns read here (by name; others are ignored). */
    private static final List<String> NEEDED = List.of("metric", "cikqc_percent", "replayed_percent", "difference_pp",
            "within_2u", "same_side");

    /**
     * One metric over the validation set (percentage points). The slope (per percentage point of the mean), its
     * interval and the intercept are NaN with fewer than 3 samples or means that do not vary.
     */
    public record Summary(String metric, int n, double bias, double biasLow, double biasHigh, double sd,
                          double loaLow, double loaHigh, double maxAbs, double meanOfMeans, int within2u,
                          int withU, int sameSide, int withLimit, double slope, double slopeLow, double slopeHigh,
                          double intercept, List<Pair> pairs) {
        public Summary {
            pairs = List.copyOf(pairs);
        }

        /** Whether the slope's 95 % interval excludes 0. */
        public boolean proportionalBias() {
            return slopeLow > 0 || slopeHigh < 0;
        }
    }

    /** One sample's values for a metric: its name (the comparison's folder), both percentages, the difference. */
    public record Pair(String sample, double cikqc, double replayed, double difference, String within2u,
                       String sameSide) {
        /** The mean of the two methods. */
        public double mean() {
            return (cikqc + replayed) / 2;
        }
    }

    /**
     * Reads comparison files ({@code comparison.tsv}, or a folder holding one) and summarises them per metric, in
     * the order metrics first appear.
     *
     * @throws CikqcException (INVALID_INPUT) for a missing or unreadable file, or one that is not a comparison.tsv
     */
    public static List<Summary> summarise(List<Path> inputs) {
        Map<String, List<Pair>> byMetric = new LinkedHashMap<>();
        for (Path in : inputs) {
            Path file = comparisonFile(in);
            String sample = sampleName(file);
            List<String> lines = text(file).lines().toList();
            if (lines.isEmpty()) throw CikqcException.input(file + ": empty; not a comparison.tsv");
            List<String> header = List.of(lines.get(0).split("\t", -1));
            int[] col = new int[NEEDED.size()];
            for (int i = 0; i < col.length; i++) {
                col[i] = header.indexOf(NEEDED.get(i));
                if (col[i] < 0) {
                    throw CikqcException.input(file + ":1: no column '" + NEEDED.get(i) + "'; not a comparison.tsv of "
                            + "cikqc gate --flowjo --result");
                }
            }
            Map<String, Integer> seen = new java.util.HashMap<>();
            for (int ln = 1; ln < lines.size(); ln++) {
                if (lines.get(ln).isBlank()) continue;
                String[] f = lines.get(ln).split("\t", -1);
                String where = file + ":" + (ln + 1) + ": ";
                if (f.length != header.size()) {
                    throw CikqcException.input(where + f.length + " fields, the header has " + header.size());
                }
                String metric = f[col[0]];
                if (metric.isBlank()) throw CikqcException.input(where + "no metric named");
                Integer first = seen.putIfAbsent(metric, ln + 1);
                if (seen.size() > MAX_METRICS || (first == null && !byMetric.containsKey(metric)
                        && byMetric.size() >= MAX_METRICS)) {
                    throw CikqcException.input(where + "more than " + MAX_METRICS + " metrics"
                            + (seen.size() > MAX_METRICS ? " in one file" : " in the comparisons") + "; cikqc gate "
                            + "writes one row per metric of a result");
                }
                if (first != null) {
                    throw CikqcException.input(where + "metric " + metric + " again (first on line " + first + "); a "
                            + "comparison.tsv holds one sample");
                }
                double c = percent(f[col[1]], where, NEEDED.get(1));
                double r = percent(f[col[2]], where, NEEDED.get(2));
                double d = number(f[col[3]], where, NEEDED.get(3));
                String within = flag(f[col[4]], where, NEEDED.get(4));
                String same = flag(f[col[5]], where, NEEDED.get(5));
                // FlowJo's populations held no events (or a value is missing): nothing to compare
                if (Double.isNaN(d) || Double.isNaN(c) || Double.isNaN(r)) continue;
                if (Math.abs(d - (r - c)) > DIFFERENCE_TOLERANCE) {
                    throw CikqcException.input(where + NEEDED.get(3) + " " + f[col[3]] + " is not " + NEEDED.get(2)
                            + " - " + NEEDED.get(1) + " (" + f[col[2]] + " - " + f[col[1]] + ")");
                }
                byMetric.computeIfAbsent(metric, k -> new ArrayList<>()).add(new Pair(sample, c, r, d, within, same));
            }
        }
        List<Summary> out = new ArrayList<>();
        for (Map.Entry<String, List<Pair>> e : byMetric.entrySet()) out.add(summary(e.getKey(), e.getValue()));
        return out;
    }

    /** Most metrics summarised (a result has 7): what is held, and drawn, stays bounded by the command line. */
    static final int MAX_METRICS = 100;

    /** How far difference_pp may be from replayed − cikqc: all three are written to 4 decimals. */
    static final double DIFFERENCE_TOLERANCE = 1e-3;

    /** The comparison.tsv an input names: the file, or the one in a folder. */
    public static Path comparisonFile(Path input) {
        return java.nio.file.Files.isDirectory(input) ? input.resolve("comparison.tsv") : input;
    }

    /** The file's text: UTF-8 (a byte-order mark is dropped), at most 64 MiB. */
    private static String text(Path file) {
        byte[] bytes;
        try {
            bytes = RegularFiles.readAll(file, 64L << 20, "comparison file");
        } catch (NoSuchFileException e) {
            throw CikqcException.input(file + ": comparison file not found");
        } catch (IOException e) {
            throw CikqcException.inputFailed(file + ": cannot read", e);
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw CikqcException.input(file + ": not UTF-8 text (byte offset " + in.position() + "); not a comparison.tsv");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** A comparison's sample: the folder of a {@code comparison.tsv}, else the file's name without its extension. */
    static String sampleName(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        if (name == null) return "";
        String n = name.toString();
        if (n.equals("comparison.tsv") && abs.getParent() != null && abs.getParent().getFileName() != null) {
            return abs.getParent().getFileName().toString();
        }
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** A decimal number as cikqc writes them (digits, point, exponent), or NA (NaN). */
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private static double number(String s, String where, String column) {
        if (s.equals("NA")) return Double.NaN;
        if (DECIMAL.matcher(s).matches()) {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) return v;
        }
        throw CikqcException.input(where + column + " '" + s + "' is not a number");
    }

    private static double percent(String s, String where, String column) {
        double v = number(s, where, column);
        if (v < 0 || v > 100) throw CikqcException.input(where + column + " " + s + " is not a percentage (0 to 100)");
        return v;
    }

    /** A yes/no column: yes, no, or empty (not known). */
    private static String flag(String s, String where, String column) {
        if (s.equals("yes") || s.equals("no") || s.isEmpty()) return s;
        throw CikqcException.input(where + column + " '" + s + "' is not yes, no or empty");
    }

    static Summary summary(String metric, List<Pair> pairs) {
        int n = pairs.size();
        double sum = 0;
        double sumMeans = 0;
        double maxAbs = 0;
        int within = 0;
        int withU = 0;
        int same = 0;
        int withLimit = 0;
        for (Pair p : pairs) {
            sum += p.difference();
            sumMeans += (p.cikqc() + p.replayed()) / 2;
            maxAbs = Math.max(maxAbs, Math.abs(p.difference()));
            if (!p.within2u().isEmpty()) {
                withU++;
                if (p.within2u().equals("yes")) within++;
            }
            if (!p.sameSide().isEmpty()) {
                withLimit++;
                if (p.sameSide().equals("yes")) same++;
            }
        }
        double bias = sum / n;
        double ss = 0;
        for (Pair p : pairs) ss += (p.difference() - bias) * (p.difference() - bias);
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        double half = n > 1 ? new TDistribution(n - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(n)
                : Double.NaN;
        double meanOfMeans = sumMeans / n;
        // proportional bias: least squares of the differences on the means
        double sxx = 0;
        double sxy = 0;
        for (Pair p : pairs) {
            sxx += (p.mean() - meanOfMeans) * (p.mean() - meanOfMeans);
            sxy += (p.mean() - meanOfMeans) * (p.difference() - bias);
        }
        double slope = Double.NaN;
        double slopeHalf = Double.NaN;
        double intercept = Double.NaN;
        if (n >= 3 && sxx > 1e-12 * (1 + meanOfMeans * meanOfMeans) * n) {
            slope = sxy / sxx;
            intercept = bias - slope * meanOfMeans;
            double rss = 0;
            for (Pair p : pairs) {
                double e = p.difference() - intercept - slope * p.mean();
                rss += e * e;
            }
            slopeHalf = new TDistribution(n - 2).inverseCumulativeProbability(0.975) * Math.sqrt(rss / (n - 2) / sxx);
        }
        return new Summary(metric, n, bias, bias - half, bias + half, sd, bias - 1.96 * sd, bias + 1.96 * sd, maxAbs,
                meanOfMeans, within, withU, same, withLimit, slope, slope - slopeHalf, slope + slopeHalf, intercept,
                pairs);
    }

    /** agreement.tsv: one row per metric. */
    public static String tsv(List<Summary> rows) {
        StringBuilder sb = new StringBuilder("metric\tn\tbias_pp\tbias_ci95_low\tbias_ci95_high\tsd_pp"
                + "\tloa_low_pp\tloa_high_pp\tmax_abs_difference_pp\tmean_percent\twithin_2u\tsame_side"
                + "\tslope\tslope_ci95_low\tslope_ci95_high\tproportional_bias\n");
        for (Summary s : rows) {
            sb.append(s.metric()).append('\t').append(s.n()).append('\t').append(num(s.bias())).append('\t')
                    .append(num(s.biasLow())).append('\t').append(num(s.biasHigh())).append('\t').append(num(s.sd()))
                    .append('\t').append(num(s.loaLow())).append('\t').append(num(s.loaHigh())).append('\t')
                    .append(num(s.maxAbs())).append('\t').append(num(s.meanOfMeans())).append('\t')
                    .append(s.withU() == 0 ? "" : s.within2u() + "/" + s.withU()).append('\t')
                    .append(s.withLimit() == 0 ? "" : s.sameSide() + "/" + s.withLimit()).append('\t')
                    .append(num(s.slope())).append('\t').append(num(s.slopeLow())).append('\t')
                    .append(num(s.slopeHigh())).append('\t')
                    .append(Double.isNaN(s.slope()) ? "" : s.proportionalBias() ? "yes" : "no").append('\n');
        }
        return sb.toString();
    }

    /** One readable line per metric. */
    public static List<String> lines(List<Summary> rows) {
        List<String> out = new ArrayList<>();
        for (Summary s : rows) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: %d sample%s, bias %+.2f pp", s.metric(),
                    s.n(), s.n() == 1 ? "" : "s", s.bias()));
            if (s.n() > 1) {
                sb.append(String.format(Locale.ROOT, " (95 %% CI %+.2f to %+.2f), SD %.2f pp, limits of agreement "
                        + "%+.2f to %+.2f pp", s.biasLow(), s.biasHigh(), s.sd(), s.loaLow(), s.loaHigh()));
            }
            sb.append(String.format(Locale.ROOT, ", largest %.2f pp", s.maxAbs()));
            if (s.withU() > 0) sb.append(String.format(Locale.ROOT, "; within 2u %d of %d", s.within2u(), s.withU()));
            if (s.withLimit() > 0) {
                sb.append(String.format(Locale.ROOT, "; same side of the limit %d of %d", s.sameSide(), s.withLimit()));
            }
            if (!Double.isNaN(s.slope())) {
                sb.append(String.format(Locale.ROOT, "; slope of the difference on the mean %+.3f (95 %% CI %+.3f to "
                        + "%+.3f)%s", s.slope(), s.slopeLow(), s.slopeHigh(), s.proportionalBias()
                        ? ": proportional bias, the difference changes with the level" : ""));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Longest metric name a plot title shows whole (a title wraps, and a long one would cover the plot). */
    private static final int TITLE_NAME = 60;

    /**
     * The Bland–Altman plot of one metric: each sample's difference (FlowJo replayed − cikqc) against the mean of
     * the two, with the bias, the limits of agreement and, from 3 samples, the regression line.
     */
    public static BlandAltmanPlot figure(Summary s) {
        String name = ResultView.metricDisplayName(s.metric());
        if (name.length() > TITLE_NAME) name = name.substring(0, TITLE_NAME - 1) + "…";
        BlandAltmanPlot.Builder b = BlandAltmanPlot.builder(name + ": FlowJo vs cikqc",
                "mean of cikqc and FlowJo replayed (%)", "FlowJo replayed − cikqc (pp)");
        for (Pair p : s.pairs()) b.point(p.mean(), p.difference(), p.sample());
        b.bias(s.bias(), s.loaLow(), s.loaHigh()).trend(s.slope(), s.intercept());
        StringBuilder sub = new StringBuilder(String.format(Locale.ROOT, "%d sample%s; bias %+.2f pp", s.n(),
                s.n() == 1 ? "" : "s", s.bias()));
        if (s.n() > 1) {
            sub.append(String.format(Locale.ROOT, " (95 %% CI %+.2f to %+.2f); limits of agreement %+.2f to %+.2f pp",
                    s.biasLow(), s.biasHigh(), s.loaLow(), s.loaHigh()));
        }
        if (!Double.isNaN(s.slope())) {
            sub.append(String.format(Locale.ROOT, "; regression slope %+.3f (95 %% CI %+.3f to %+.3f)%s", s.slope(),
                    s.slopeLow(), s.slopeHigh(), s.proportionalBias() ? ": proportional bias" : ""));
        }
        return b.subtitle(sub.toString().replace('-', '−')).build();
    }

    private static String num(double v) { return Double.isNaN(v) ? "NA" : String.format(Locale.ROOT, "%.4f", v); }
}
