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
        // cd3_pct differences +1, -1, +3 (bias 1, SD 2); viability one sample; an NA row is left out
        Files.writeString(dir.resolve("a.tsv"), HEADER + row("cd3_pct", 80, 81, "yes", "yes")
                + row("viability_pct", 90, 88, "yes", "yes"));
        Files.createDirectories(dir.resolve("s2"));
        Files.writeString(dir.resolve("s2").resolve("comparison.tsv"), HEADER + row("cd3_pct", 82, 81, "yes", "no"));
        Files.writeString(dir.resolve("c.tsv"), HEADER + row("cd3_pct", 70, 73, "no", "")
                + "cd4_pct\t30\t1\t2\t\t/a\t/b\tgiven\tNA\t0\t0\tNA\tNA\t\t\t\n");
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
        assertEquals("cd3_pct\t3\t1.0000\t-3.9683\t5.9683\t2.0000\t-2.9200\t4.9200\t3.0000\t77.8333\t2/3\t1/2",
                Agreement.tsv(s).lines().skip(1).findFirst().orElseThrow());
        assertEquals("viability_pct: 1 sample, bias -2.00 pp, largest 2.00 pp; within 2u 1 of 1; same side of the limit "
                + "1 of 1", Agreement.lines(s).get(1));
    }

    @Test
    void filesThatAreNotComparisonsAreNamedWithTheLine(@TempDir Path dir) throws IOException {
        Path noColumn = dir.resolve("x.tsv");
        Files.writeString(noColumn, "metric\tcount\nx\t1\n");
        Path shortRow = dir.resolve("y.tsv");
        Files.writeString(shortRow, HEADER + "cd3_pct\t80\n");
        Path text = dir.resolve("z.tsv");
        Files.writeString(text, HEADER + row("cd3_pct", 80, 81, "yes", "yes").replace("\t81.0\t", "\tabc\t"));
        String[][] cases = {
            {noColumn.toString(), noColumn + ":1: no column 'cikqc_percent'; not a comparison.tsv of cikqc gate --flowjo"
                    + " --result"},
            {shortRow.toString(), shortRow + ":2: 2 fields, the header has 16"},
            {text.toString(), text + ":2: replayed_percent 'abc' is not a number"},
            {dir.resolve("none.tsv").toString(), dir.resolve("none.tsv") + ": comparison file not found"}};
        for (String[] c : cases) {
            CikqcException e = assertThrows(CikqcException.class, () -> Agreement.summarise(List.of(Path.of(c[0]))));
            assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
            assertEquals(c[1], e.getMessage());
        }
    }
}
