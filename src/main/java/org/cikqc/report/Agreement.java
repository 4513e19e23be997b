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

/**
 * Bland–Altman agreement of cikqc with manual FlowJo gating over a validation set: the {@code comparison.tsv} files
 * of {@code cikqc gate --flowjo --result} (one per sample), summarised per metric as the mean difference (bias,
 * FlowJo replayed − cikqc) with its 95 % confidence interval, the standard deviation of the differences, the 95 %
 * limits of agreement (bias ± 1.96 SD), the largest difference, and how many samples lie within 2u and on the same
 * side of the limit.
 */
public final class Agreement {
    private Agreement() { }

    /** The comparison.tsv columns read here (by name; others are ignored). */
    private static final List<String> NEEDED = List.of("metric", "cikqc_percent", "replayed_percent", "difference_pp",
            "within_2u", "same_side");

    /** One metric over the validation set (percentage points). */
    public record Summary(String metric, int n, double bias, double biasLow, double biasHigh, double sd,
                          double loaLow, double loaHigh, double maxAbs, double meanOfMeans, int within2u,
                          int withU, int sameSide, int withLimit) { }

    /** One sample's difference for a metric. */
    record Pair(double cikqc, double replayed, double difference, String within2u, String sameSide) { }

    /**
     * Reads comparison files ({@code comparison.tsv}, or a folder holding one) and summarises them per metric, in
     * the order metrics first appear.
     *
     * @throws CikqcException (INVALID_INPUT) for a missing or unreadable file, or one that is not a comparison.tsv
     */
    public static List<Summary> summarise(List<Path> inputs) {
        Map<String, List<Pair>> byMetric = new LinkedHashMap<>();
        for (Path in : inputs) {
            Path file = java.nio.file.Files.isDirectory(in) ? in.resolve("comparison.tsv") : in;
            List<String> lines;
            try {
                lines = new String(RegularFiles.readAll(file, 64L << 20, "comparison file"), StandardCharsets.UTF_8)
                        .lines().toList();
            } catch (NoSuchFileException e) {
                throw CikqcException.input(file + ": comparison file not found");
            } catch (IOException e) {
                throw CikqcException.inputFailed(file + ": cannot read", e);
            }
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
            for (int ln = 1; ln < lines.size(); ln++) {
                if (lines.get(ln).isBlank()) continue;
                String[] f = lines.get(ln).split("\t", -1);
                if (f.length != header.size()) {
                    throw CikqcException.input(file + ":" + (ln + 1) + ": " + f.length + " fields, the header has "
                            + header.size());
                }
                double c = number(f[col[1]], file, ln, NEEDED.get(1));
                double r = number(f[col[2]], file, ln, NEEDED.get(2));
                double d = number(f[col[3]], file, ln, NEEDED.get(3));
                if (Double.isNaN(d)) continue; // FlowJo's populations held no events: nothing to compare
                byMetric.computeIfAbsent(f[col[0]], k -> new ArrayList<>()).add(new Pair(c, r, d, f[col[4]], f[col[5]]));
            }
        }
        List<Summary> out = new ArrayList<>();
        for (Map.Entry<String, List<Pair>> e : byMetric.entrySet()) out.add(summary(e.getKey(), e.getValue()));
        return out;
    }

    private static double number(String s, Path file, int ln, String column) {
        if (s.equals("NA")) return Double.NaN;
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CikqcException.input(file + ":" + (ln + 1) + ": " + column + " '" + s + "' is not a number");
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
        return new Summary(metric, n, bias, bias - half, bias + half, sd, bias - 1.96 * sd, bias + 1.96 * sd, maxAbs,
                sumMeans / n, within, withU, same, withLimit);
    }

    /** agreement.tsv: one row per metric. */
    public static String tsv(List<Summary> rows) {
        StringBuilder sb = new StringBuilder("metric\tn\tbias_pp\tbias_ci95_low\tbias_ci95_high\tsd_pp"
                + "\tloa_low_pp\tloa_high_pp\tmax_abs_difference_pp\tmean_percent\twithin_2u\tsame_side\n");
        for (Summary s : rows) {
            sb.append(s.metric()).append('\t').append(s.n()).append('\t').append(num(s.bias())).append('\t')
                    .append(num(s.biasLow())).append('\t').append(num(s.biasHigh())).append('\t').append(num(s.sd()))
                    .append('\t').append(num(s.loaLow())).append('\t').append(num(s.loaHigh())).append('\t')
                    .append(num(s.maxAbs())).append('\t').append(num(s.meanOfMeans())).append('\t')
                    .append(s.withU() == 0 ? "" : s.within2u() + "/" + s.withU()).append('\t')
                    .append(s.withLimit() == 0 ? "" : s.sameSide() + "/" + s.withLimit()).append('\n');
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
            out.add(sb.toString());
        }
        return out;
    }

    private static String num(double v) { return Double.isNaN(v) ? "NA" : String.format(Locale.ROOT, "%.4f", v); }
}
