package org.cikqc.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every reference vector of {@code shared/transforms} (60-digit mpmath values rounded to double), forward and
 * inverse, within 1e-12 using the files' own metric |got - expected| / max(|expected|, 1) (absolute on the
 * [0, 1] display scale, relative for large data values). NaN / ±Infinity in a file must be reproduced exactly.
 */
class TransformVectorsTest {

    static final double TOL = 1e-12;
    private static final Pattern PARAM = Pattern.compile("([A-Z])=?(-?[0-9.]+)");

    /** One row: input(s) and the expected value. */
    record Row(double x1, double x2, double expected, int line) { }

    static double num(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "nan" -> Double.NaN;
            case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(t);
        };
    }

    static List<Row> rows(Path file) throws IOException {
        List<Row> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) continue;
            if (!header) { header = true; continue; }
            String[] c = l.split("\t");
            String in = c[0];
            if (in.contains(",")) {
                String[] xy = in.split(",");
                out.add(new Row(num(xy[0]), num(xy[1]), num(c[1]), i + 1));
            } else {
                out.add(new Row(num(in), Double.NaN, num(c[1]), i + 1));
            }
        }
        return out;
    }

    static Map<Character, Double> params(String spec) {
        Map<Character, Double> m = new LinkedHashMap<>();
        Matcher mm = PARAM.matcher(spec);
        while (mm.find()) m.put(mm.group(1).charAt(0), Double.parseDouble(mm.group(2)));
        return m;
    }

    /** Builds the transform named by a file stem such as {@code logicle_T262144_W0.5_M4.5_A0}. */
    static Transform forName(String kind, Map<Character, Double> p) {
        return switch (kind) {
            case "flin" -> new LinearTransform(p.get('T'), p.get('A'));
            case "flog" -> new LogTransform(p.get('T'), p.get('M'));
            case "fasinh" -> new AsinhTransform(p.get('T'), p.get('M'), p.get('A'));
            case "logicle" -> new LogicleTransform(p.get('T'), p.get('W'), p.get('M'), p.get('A'));
            case "hyperlog" -> new HyperlogTransform(p.get('T'), p.get('W'), p.get('M'), p.get('A'));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The file's error metric; -1 when NaN/Inf expectations are matched exactly, +Inf on a mismatch of kind. */
    static double err(double got, double expected) {
        if (Double.isNaN(expected)) return Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (Double.isInfinite(expected)) return got == expected ? 0 : Double.POSITIVE_INFINITY;
        if (!Double.isFinite(got)) return Double.POSITIVE_INFINITY;
        return Math.abs(got - expected) / Math.max(Math.abs(expected), 1.0);
    }

    static double check(Path file, String label, java.util.function.DoubleUnaryOperator f) throws IOException {
        List<Row> rows = rows(file);
        assertTrue(rows.size() >= 100, file + ": only " + rows.size() + " rows");
        double max = 0;
        for (Row r : rows) {
            double got = f.applyAsDouble(r.x1());
            double e = err(got, r.expected());
            if (!(e <= TOL)) {
                fail(file.getFileName() + " line " + r.line() + " [" + label + "]: x=" + r.x1() + " expected "
                        + r.expected() + " got " + got + " (err " + e + ")");
            }
            max = Math.max(max, e);
        }
        System.out.printf(Locale.ROOT, "transform-ref %-52s %-42s n=%3d max_err=%.3g%n",
                file.getFileName(), label, rows.size(), max);
        return max;
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceVector() throws IOException {
        Path dir = Shared.resolve("transforms");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".tsv"))
                    .filter(p -> !p.getFileName().toString().equals("SUMMARY.tsv"))
                    .filter(p -> !p.getFileName().toString().equals("spec_examples.tsv"))
                    .sorted().toList();
        }
        assertTrue(files.size() >= 60, "expected the full set of reference vectors in " + dir + ", found " + files.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            String stem = f.getFileName().toString().replaceFirst("\\.tsv$", "");
            tests.add(DynamicTest.dynamicTest(stem, () -> runFile(f, stem)));
        }
        return tests.stream();
    }

    private static void runFile(Path f, String stem) throws IOException {
        boolean inverse = stem.endsWith("_inverse");
        String base = inverse ? stem.substring(0, stem.length() - "_inverse".length()) : stem;
        if (base.startsWith("check_logicleW0_vs_fasinh_")) {
            Map<Character, Double> p = params(base.substring("check_logicleW0_vs_fasinh_".length()));
            Transform logicle = new LogicleTransform(p.get('T'), 0, p.get('M'), p.get('A'));
            Transform asinh = new AsinhTransform(p.get('T'), p.get('M'), p.get('A'));
            check(f, logicle.describe(), logicle::apply);
            check(f, asinh.describe(), asinh::apply);
            return;
        }
        String kind = base.substring(0, base.indexOf('_'));
        Map<Character, Double> p = params(base.substring(base.indexOf('_') + 1));
        if (kind.equals("fratio")) {
            RatioTransform r = new RatioTransform(p.get('A'), p.get('B'), p.get('C'));
            List<Row> rows = rows(f);
            double max = 0;
            for (Row row : rows) {
                double got = r.apply(row.x1(), row.x2());
                double e = err(got, row.expected());
                assertTrue(e <= TOL, f.getFileName() + " line " + row.line() + ": expected " + row.expected() + " got " + got);
                max = Math.max(max, e);
            }
            double[] out = new double[rows.size()];
            r.apply(rows.stream().mapToDouble(Row::x1).toArray(), rows.stream().mapToDouble(Row::x2).toArray(),
                    rows.size(), out);
            for (int i = 0; i < out.length; i++) {
                assertTrue(err(out[i], rows.get(i).expected()) <= TOL, "batch fratio row " + i);
            }
            System.out.printf(Locale.ROOT, "transform-ref %-52s %-42s n=%3d max_err=%.3g%n", f.getFileName(),
                    r.describe(), rows.size(), max);
            return;
        }
        Transform t = forName(kind, p);
        if (inverse) {
            check(f, t.describe() + " inverse", t::inverse);
            checkBatch(f, t, true);
        } else {
            check(f, t.describe(), t::apply);
            checkBatch(f, t, false);
        }
    }

    /** The in-place batch paths must agree with the scalar ones bit for bit. */
    private static void checkBatch(Path f, Transform t, boolean inverse) throws IOException {
        List<Row> rows = rows(f);
        double[] v = rows.stream().mapToDouble(Row::x1).toArray();
        if (inverse) t.inverseInPlace(v, v.length); else t.applyInPlace(v, v.length);
        for (int i = 0; i < v.length; i++) {
            double x = rows.get(i).x1();
            double scalar = inverse ? t.inverse(x) : t.apply(x);
            assertEquals(Double.doubleToLongBits(scalar), Double.doubleToLongBits(v[i]),
                    f.getFileName() + ": batch differs from scalar at row " + i);
        }
    }

    /** The 6-digit Gating-ML example table (FlowUtils tests) and its 60-digit references. */
    @Test
    void specExamples() throws IOException {
        Path f = Shared.resolve("transforms/spec_examples.tsv");
        int n = 0;
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (l.startsWith("#") || l.startsWith("transform\t") || l.isBlank()) continue;
            String[] c = l.split("\t");
            String spec = c[0];
            String kind = spec.substring(0, spec.indexOf('('));
            Transform t = forName(kind, params(spec.substring(spec.indexOf('('))));
            double x = num(c[1]);
            double got = t.apply(x);
            double table = num(c[2]);
            double mp = num(c[3]);
            assertTrue(err(got, mp) <= TOL, spec + " x=" + x + ": expected " + mp + " got " + got);
            if (Double.isFinite(table)) assertEquals(table, got, 1e-6, spec + " x=" + x + " vs 6-digit table");
            else assertEquals(table, got, 0.0, spec + " x=" + x);
            n++;
        }
        assertTrue(n >= 40, "only " + n + " spec examples");
    }
}
