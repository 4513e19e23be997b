package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cikqc.common.CikqcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bland–Altman summaries of comparison.tsv files. */
class AgreementTest {
    static final String HEADER = "metric\tcikqc_percent\tcikqc_count\tcikqc_of\tuncertainty_pp\tflowjo_population"
            + "\tflowjo_of\tmapped\treplayed_percent\treplayed_count\treplayed_of\tflowjo_saved_percent\tdifference_pp"
            + "\twithin_2u\tlimit\tsame_side\n";

    static String row(String metric, double cikqc, double replayed, String within, String same) {
        return String.join("\t", metric, Double.toString(cikqc), "1", "2", "2.5", "/a", "/b", "by name",
                Double.toString(replayed), "1", "2", "NA", Double.toString(replayed - cikqc), within, ">= 80", same) + "\n";
    }

    @Test
    void biasSdLimitsOfAgreementAndCountsPerMetric(@TempDir Path dir) throws IOException {
        // cd3_pct differences +1, -1, +3 (bias 1, SD 2); viability one sample; rows with an NA value are left out
        Files.writeString(dir.resolve("a.tsv"), HEADER + row("cd3_pct", 80, 81, "yes", "yes")
                + row("viability_pct", 90, 88, "yes", "yes"));
        Files.createDirectories(dir.resolve("s2"));
        Files.writeString(dir.resolve("s2").resolve("comparison.tsv"), HEADER + row("cd3_pct", 82, 81, "yes", "no"));
        Files.writeString(dir.resolve("c.tsv"), HEADER + row("cd3_pct", 70, 73, "no", "")
                + "cd4_pct\t30\t1\t2\t\t/a\t/b\tgiven\tNA\t0\t0\tNA\tNA\t\t\t\n"
                + "cd8_pct\tNA\t1\t2\t\t/a\t/b\tgiven\t40\t0\t0\tNA\t1.5\t\t\t\n");
        List<Agreement.Summary> s = Agreement.summarise(List.of(dir.resolve("a.tsv"), dir.resolve("s2"),
                dir.resolve("c.tsv")));
        assertEquals(List.of("cd3_pct", "viability_pct"), s.stream().map(Agreement.Summary::metric).toList());
        Agreement.Summary cd3 = s.get(0);
        assertEquals(3, cd3.n());
        assertEquals(1.0, cd3.bias(), 1e-12);
        assertEquals(2.0, cd3.sd(), 1e-12);
        assertEquals(1 - 1.96 * 2, cd3.loaLow(), 1e-12);
        assertEquals(1 + 1.96 * 2, cd3.loaHigh(), 1e-12);
        double t = 4.302652729911275; // t(0.975, 2 df)
        assertEquals(1 - t * 2 / Math.sqrt(3), cd3.biasLow(), 1e-9);
        assertEquals(3.0, cd3.maxAbs(), 1e-12);
        assertEquals((80.5 + 81.5 + 71.5) / 3, cd3.meanOfMeans(), 1e-12);
        assertEquals(2, cd3.within2u());
        assertEquals(3, cd3.withU());
        assertEquals(1, cd3.sameSide());
        assertEquals(2, cd3.withLimit(), "a sample without a limit is not counted");
        Agreement.Summary via = s.get(1);
        assertTrue(Double.isNaN(via.sd()) && Double.isNaN(via.biasLow()), "one sample: no spread");
        // proportional bias by hand: means 80.5, 81.5, 71.5 (centred 8/3, 11/3, -19/3), differences centred 0, -2, 2:
        // Sxx = 182/3, Sxy = -20, slope -60/182; RSS = 8 - 400 / (182/3); t(0.975, 1 df) = 12.7062...
        double slope = -60.0 / 182;
        assertEquals(slope, cd3.slope(), 1e-12);
        assertEquals(1 - slope * cd3.meanOfMeans(), cd3.intercept(), 1e-9);
        double se = Math.sqrt((8 - 400 / (182.0 / 3)) / (182.0 / 3));
        assertEquals(slope - 12.706204736174705 * se, cd3.slopeLow(), 1e-9);
        assertEquals(slope + 12.706204736174705 * se, cd3.slopeHigh(), 1e-9);
        assertEquals(List.of("a", "s2", "c"), cd3.pairs().stream().map(Agreement.Pair::sample).toList(),
                "samples are named by their file, or the folder of a comparison.tsv");
        assertEquals("cd3_pct\t3\t1.0000\t-3.9683\t5.9683\t2.0000\t-2.9200\t4.9200\t3.0000\t77.8333\t2/3\t1/2"
                + "\t-0.3297\t-2.2644\t1.6051\tno", Agreement.tsv(s).lines().skip(1).findFirst().orElseThrow());
        assertTrue(Agreement.lines(s).get(0).endsWith("; slope of the difference on the mean -0.330 (95 % CI -2.264 to "
                + "+1.605)"), Agreement.lines(s).get(0));
        assertTrue(Double.isNaN(via.slope()), "one sample: no slope");
        assertEquals("viability_pct: 1 sample, bias -2.00 pp, largest 2.00 pp; within 2u 1 of 1; same side of the limit "
                + "1 of 1", Agreement.lines(s).get(1));
    }

    /** One comparison file per row (one sample each), named {@code stem1.tsv, stem2.tsv, ...}. */
    private static List<Path> samples(Path dir, String stem, String... rows) throws IOException {
        List<Path> out = new java.util.ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            Path f = dir.resolve(stem + (i + 1) + ".tsv");
            Files.writeString(f, HEADER + rows[i]);
            out.add(f);
        }
        return out;
    }

    /** Differences that grow with the level: a slope whose interval excludes 0 is reported as proportional bias. */
    @Test
    void aDifferenceThatGrowsWithTheLevelIsProportionalBias(@TempDir Path dir) throws IOException {
        // means 40, 60, 80 with differences -2, 2, 6: exactly 0.2 x mean - 10
        Agreement.Summary s = Agreement.summarise(samples(dir, "p", row("cd3_cd56_pct", 41, 39, "yes", "yes"),
                row("cd3_cd56_pct", 59, 61, "yes", "yes"), row("cd3_cd56_pct", 77, 83, "no", "yes"))).get(0);
        assertEquals(0.2, s.slope(), 1e-12);
        assertEquals(-10, s.intercept(), 1e-9);
        assertEquals(0.2, s.slopeLow(), 1e-9, "no scatter about the line: a zero-width interval");
        assertTrue(s.proportionalBias());
        assertTrue(Agreement.tsv(List.of(s)).strip().endsWith("\t0.2000\t0.2000\t0.2000\tyes"));
        assertTrue(Agreement.lines(List.of(s)).get(0).endsWith(": proportional bias, the difference changes with the "
                + "level"));
        // the same means, differences without a trend: no proportional bias
        Agreement.Summary flat = Agreement.summarise(samples(dir, "q", row("cd3_cd56_pct", 39, 41, "yes", "yes"),
                row("cd3_cd56_pct", 61, 59, "yes", "yes"), row("cd3_cd56_pct", 79, 81, "yes", "yes"))).get(0);
        assertTrue(!flat.proportionalBias() && flat.slopeLow() < 0 && flat.slopeHigh() > 0);
        // the same mean for every sample: no slope
        Agreement.Summary level = Agreement.summarise(samples(dir, "r", row("cd3_cd56_pct", 49, 51, "yes", "yes"),
                row("cd3_cd56_pct", 51, 49, "yes", "yes"), row("cd3_cd56_pct", 50, 50, "yes", "yes"))).get(0);
        assertTrue(Double.isNaN(level.slope()) && !level.proportionalBias());
        assertTrue(Agreement.tsv(List.of(level)).strip().endsWith("\tNA\tNA\tNA"));
    }

    /** A byte-order mark (as spreadsheet programs write) is not part of the first column's name. */
    @Test
    void aByteOrderMarkIsDropped(@TempDir Path dir) throws IOException {
        Path bom = dir.resolve("bom.tsv");
        Files.writeString(bom, "\ufeff" + HEADER + row("cd3_pct", 80, 81, "yes", "yes"));
        assertEquals(1.0, Agreement.summarise(List.of(bom)).get(0).bias(), 1e-12);
    }

    @Test
    void filesThatAreNotComparisonsAreNamedWithTheLine(@TempDir Path dir) throws IOException {
        Path noColumn = dir.resolve("x.tsv");
        Files.writeString(noColumn, "metric\tcount\nx\t1\n");
        Path shortRow = dir.resolve("y.tsv");
        Files.writeString(shortRow, HEADER + "cd3_pct\t80\n");
        Path text = dir.resolve("z.tsv");
        Files.writeString(text, HEADER + row("cd3_pct", 80, 81, "yes", "yes").replace("\t81.0\t", "\tabc\t"));
        Path hex = dir.resolve("hex.tsv"); // Java would read 0x1p6 as 64
        Files.writeString(hex, HEADER + row("cd3_pct", 80, 81, "yes", "yes").replace("\t80.0\t", "\t0x1p6\t"));
        Path over = dir.resolve("over.tsv");
        Files.writeString(over, HEADER + row("cd3_pct", 80, 250, "yes", "yes"));
        Path huge = dir.resolve("huge.tsv");
        Files.writeString(huge, HEADER + row("cd3_pct", 80, 81, "yes", "yes").replace("\t80.0\t", "\t1e308\t"));
        Path diff = dir.resolve("diff.tsv");
        Files.writeString(diff, HEADER + row("cd3_pct", 80, 81, "yes", "yes").replace("\t1.0\tyes", "\t55\tyes"));
        Path flag = dir.resolve("flag.tsv");
        Files.writeString(flag, HEADER + row("cd3_pct", 80, 81, "NA", "yes"));
        Path twice = dir.resolve("twice.tsv");
        Files.writeString(twice, HEADER + row("cd3_pct", 80, 81, "yes", "yes") + row("cd3_pct", 70, 71, "yes", "yes"));
        Path noName = dir.resolve("noname.tsv");
        Files.writeString(noName, HEADER + row(" ", 80, 81, "yes", "yes"));
        Path many = dir.resolve("many.tsv");
        StringBuilder rows = new StringBuilder(HEADER);
        for (int i = 0; i <= Agreement.MAX_METRICS; i++) rows.append(row("m" + i, 50, 51, "yes", "yes"));
        Files.writeString(many, rows.toString());
        Path latin1 = dir.resolve("latin1.tsv");
        Files.write(latin1, (HEADER + "cd3_pct\u00e9").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String[][] cases = {
            {noColumn.toString(), noColumn + ":1: no column 'cikqc_percent'; not a comparison.tsv of cikqc gate --flowjo"
                    + " --result"},
            {shortRow.toString(), shortRow + ":2: 2 fields, the header has 16"},
            {text.toString(), text + ":2: replayed_percent 'abc' is not a number"},
            {hex.toString(), hex + ":2: cikqc_percent '0x1p6' is not a number"},
            {over.toString(), over + ":2: replayed_percent 250.0 is not a percentage (0 to 100)"},
            {huge.toString(), huge + ":2: cikqc_percent 1e308 is not a percentage (0 to 100)"},
            {diff.toString(), diff + ":2: difference_pp 55 is not replayed_percent - cikqc_percent (81.0 - 80.0)"},
            {flag.toString(), flag + ":2: within_2u 'NA' is not yes, no or empty"},
            {twice.toString(), twice + ":3: metric cd3_pct again (first on line 2); a comparison.tsv holds one sample"},
            {noName.toString(), noName + ":2: no metric named"},
            {many.toString(), many + ":" + (Agreement.MAX_METRICS + 2) + ": more than " + Agreement.MAX_METRICS
                    + " metrics in one file; cikqc gate writes one row per metric of a result"},
            {latin1.toString(), latin1 + ": not UTF-8 text (byte offset " + (HEADER.length() + 7) + "); not a "
                    + "comparison.tsv"},
            {dir.resolve("none.tsv").toString(), dir.resolve("none.tsv") + ": comparison file not found"}};
        for (String[] c : cases) {
            CikqcException e = assertThrows(CikqcException.class, () -> Agreement.summarise(List.of(Path.of(c[0]))));
            assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
            assertEquals(c[1], e.getMessage());
        }
    }
}
