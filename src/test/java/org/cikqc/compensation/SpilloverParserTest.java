package org.cikqc.compensation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.Keywords;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyword forms, $COMP / $DFCiTOj orientation and CSV parsing. */
class SpilloverParserTest {

    static final List<FcsParameter> ACCURI = TestData.params("FSC-A", "SSC-A", "FL1-A", "FL2-A", "FL3-A", "FL4-A",
            "FSC-H", "SSC-H", "FL1-H", "FL2-H", "Time");

    static Keywords kw(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return Keywords.ofMap(m);
    }

    static Optional<SpilloverMatrix> parse(List<FcsParameter> params, List<Problem> problems, String... kv) {
        return SpilloverParser.fromKeywords(kw(kv), params, problems);
    }

    static Problem only(List<Problem> problems, String code) {
        List<Problem> hits = problems.stream().filter(p -> p.code().equals(code)).toList();
        assertEquals(1, hits.size(), "expected one " + code + " in " + problems);
        return hits.get(0);
    }

    // ---------------------------------------------------------------- $SPILLOVER forms

    @Test
    void namesLeavingOutScatter() {
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(ACCURI, pr, "$SPILLOVER", "2,FL1-A,FL2-A,1,0.12,0.03,1").orElseThrow();
        assertEquals(List.of("FL1-A", "FL2-A"), m.detectors());
        assertEquals(m.detectors(), m.sources());
        assertEquals(0.12, m.get(0, 1)); // row FL1-A (source) into column FL2-A (detector)
        assertEquals(0.03, m.get(1, 0));
        assertEquals("$SPILLOVER", m.origin());
        assertTrue(pr.isEmpty(), pr.toString());
    }

    @Test
    void channelNumbersAndWhitespace() {
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(ACCURI, pr, "$SPILLOVER", " 2 , 3 , 4 , 1.000 , 0.25 , 0.000 , 1.000 ").orElseThrow();
        assertEquals(List.of("FL1-A", "FL2-A"), m.detectors());
        assertEquals(0.25, m.get(0, 1));
        assertTrue(pr.isEmpty(), pr.toString());
    }

    @Test
    void flowCoreRenamedNumbersAreAliases() {
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(ACCURI, pr, "$SPILLOVER", "2,X3,X4,1,0,0,1").orElseThrow();
        assertEquals(List.of("FL1-A", "FL2-A"), m.detectors());
        assertEquals(Severity.INFO, pr.get(0).severity());
        assertEquals(2, pr.stream().filter(p -> p.code().equals("SPILLOVER_CHANNEL_ALIAS")).count());
    }

    @Test
    void caseInsensitiveAndSuffixNames() {
        List<Problem> pr = new ArrayList<>();
        List<FcsParameter> params = TestData.params("FSC-A", "FITC-A", "PE-A", "Time");
        SpilloverMatrix m = parse(params, pr, "SPILL", "2,fitc-a,PE,1,0.1,0,1").orElseThrow();
        assertEquals(List.of("FITC-A", "PE-A"), m.detectors(), "names are canonical $PnN");
        assertEquals("SPILL", m.origin());
        assertTrue(pr.isEmpty(), pr.toString());
    }

    @Test
    void lowercaseSpilloverAndDollarSpill() {
        List<Problem> pr = new ArrayList<>();
        assertEquals("spillover", parse(ACCURI, pr, "spillover", "1,FL1-A,1").orElseThrow().origin());
        assertEquals("$SPILL", parse(ACCURI, pr, "$SPILL", "1,FL1-A,1").orElseThrow().origin());
        assertTrue(pr.isEmpty());
    }

    @Test
    void decimalCommasAllValues() {
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(ACCURI, pr, "$SPILLOVER", "2,FL1-A,FL2-A,1,000,0,125,0,030,1,000").orElseThrow();
        assertArrayEquals(new double[] {1, 0.125}, m.values()[0]);
        assertArrayEquals(new double[] {0.03, 1}, m.values()[1]);
        assertEquals(Severity.WARNING, only(pr, "SPILLOVER_DECIMAL_COMMA").severity());
    }

    @Test
    void decimalCommasMixedWithIntegers() {
        // diagonal written as "1", spill as "0,5" / "0,02": 1,0,5,0,02,1 -> [1, 0.5; 0.02, 1]
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(ACCURI, pr, "$SPILLOVER", "2,FL1-A,FL2-A,1,0,5,0,02,1").orElseThrow();
        assertArrayEquals(new double[] {1, 0.5}, m.values()[0]);
        assertArrayEquals(new double[] {0.02, 1}, m.values()[1]);
        only(pr, "SPILLOVER_DECIMAL_COMMA");
    }

    @Test
    void ambiguousDecimalCommasAreRejected() {
        // 3 channels, one extra field: several readings give a unit diagonal -> ambiguous, ignored
        List<Problem> pr = new ArrayList<>();
        Optional<SpilloverMatrix> m = parse(ACCURI, pr, "$SPILLOVER", "3,FL1-A,FL2-A,FL3-A,1,0,0,0,1,0,0,0,0,1");
        assertTrue(m.isEmpty());
        Problem p = only(pr, "SPILLOVER_MALFORMED");
        assertEquals("$SPILLOVER", p.keyword());
        assertTrue(p.message().contains("decimal-comma"), p.message());
    }

    @Test
    void bothKeywordsPresent() {
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(ACCURI, pr, "SPILL", "2,FL1-A,FL2-A,1,0.2,0,1",
                "$SPILLOVER", "2,FL1-A,FL2-A,1,0.1,0,1").orElseThrow();
        assertEquals("$SPILLOVER", m.origin(), "$SPILLOVER is preferred");
        assertEquals(0.1, m.get(0, 1));
        Problem p = only(pr, "SPILLOVER_CONFLICT");
        assertEquals(Severity.WARNING, p.severity());
        assertEquals("SPILL", p.keyword());
        assertTrue(p.message().contains("$SPILLOVER") && p.message().contains("SPILL"), p.message());

        List<Problem> same = new ArrayList<>();
        parse(ACCURI, same, "$SPILLOVER", "2,FL1-A,FL2-A,1,0.1,0,1",
                "SPILL", "3,FL1-A,FL2-A,FL3-A,1,0.1000000001,0,0,1,0,0,0,1").orElseThrow();
        assertTrue(same.isEmpty(), "equal compensation (identity-padded, 1e-6) is no conflict: " + same);
    }

    @Test
    void malformedPreferredFallsBack() {
        List<Problem> pr = new ArrayList<>();
        // MACSQuant-style $SPILLOVER with names but no values
        SpilloverMatrix m = parse(ACCURI, pr, "$SPILLOVER", "2,FL1-A,FL2-A", "SPILL", "2,FL1-A,FL2-A,1,0.2,0,1")
                .orElseThrow();
        assertEquals("SPILL", m.origin());
        Problem p = only(pr, "SPILLOVER_MALFORMED");
        assertEquals("$SPILLOVER", p.keyword());
        assertEquals("$SPILLOVER: expected 4 coefficients for 2 channels, found 0; matrix ignored", p.message());
    }

    @Test
    void malformedVariants() {
        String[][] cases = {
            {"", "SPILLOVER_MALFORMED"},
            {"x,FL1-A,1", "SPILLOVER_MALFORMED"},
            {"3,FL1-A,FL2-A", "SPILLOVER_MALFORMED"},
            {"2,FL1-A,FL2-A,1,a,0,1", "SPILLOVER_MALFORMED"},
            {"2,FL1-A,FL1-A,1,0,0,1", "SPILLOVER_MALFORMED"},
            {"2,FL1-A,FL9-A,1,0,0,1", "SPILLOVER_UNKNOWN_CHANNEL"},
            {"2,3,40,1,0,0,1", "SPILLOVER_UNKNOWN_CHANNEL"},
            {"2,FL1-A,FL2-A,1,1,1,1", "SPILLOVER_SINGULAR"},
            {"2,FL1-A,FL2-A,1,0.1,0,2", "SPILLOVER_MALFORMED"},
            {"2,FL1-A,FL2-A,100,10,0,100", "SPILLOVER_MALFORMED"},
        };
        for (String[] c : cases) {
            List<Problem> pr = new ArrayList<>();
            assertTrue(parse(ACCURI, pr, "$SPILLOVER", c[0]).isEmpty(), c[0]);
            Problem p = only(pr, c[1]);
            assertEquals("$SPILLOVER", p.keyword(), c[0]);
            assertEquals(Severity.WARNING, p.severity());
            assertTrue(p.message().startsWith("$SPILLOVER"), p.message());
        }
    }

    @Test
    void noKeywordNoMatrixNoProblem() {
        List<Problem> pr = new ArrayList<>();
        assertTrue(parse(ACCURI, pr, "$CYT", "x").isEmpty());
        assertTrue(pr.isEmpty());
    }

    // ---------------------------------------------------------------- $COMP

    @Test
    void compOrientationRowIsSourceColumnIsDetector() {
        List<FcsParameter> params = TestData.params("FL1", "FL2", "TIME");
        List<Problem> pr = new ArrayList<>();
        // FL1's dye spills 20% into FL2, FL2's dye 5% into FL1; TIME row/column all zero (Beckman writes that)
        SpilloverMatrix m = parse(params, pr, "$COMP", "3,1.0,0.2,0.0,0.05,1.0,0.0,0.0,0.0,0.0").orElseThrow();
        assertEquals(List.of("FL1", "FL2"), m.detectors(), "TIME (zero diagonal) is not compensated");
        assertEquals("$COMP", m.origin());
        assertEquals(0.2, m.get(0, 1));
        assertTrue(pr.isEmpty(), pr.toString());
        // a pure FL1-dye event with true signal 1000 is measured as (1000, 200) (+5% of 0); compensation recovers it
        double[][] cols = {{1000}, {200}, {7}};
        Compensator.of(m, params).apply(cols, 1);
        assertEquals(1000, cols[0][0], 1e-9);
        assertEquals(0, cols[1][0], 1e-9);
        assertEquals(7, cols[2][0]);
    }

    @Test
    void compBeckmanPatterns() {
        // Gallios: identity with a zero TIME row -> identity over the others (equal to its $SPILLOVER: no conflict)
        List<FcsParameter> gallios = TestData.params("FS-A", "SS-A", "FL1-A", "FL2-A", "TIME");
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(gallios, pr, "$COMP", "5,1.0,0.0,0.0,0.0,0.0,0.0,1.0,0.0,0.0,0.0,0.0,0.0,1.0,0.0,"
                + "0.0,0.0,0.0,0.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0", "$SPILLOVER", "2,3,4,1.000,0.000,0.000,1.000").orElseThrow();
        assertEquals("$SPILLOVER", m.origin());
        assertTrue(pr.isEmpty(), pr.toString());
        // 188-15: blocks of 1.0 linking H/A/W of one detector: singular, reported and ignored
        List<FcsParameter> p188 = TestData.params("FS-H", "FS-A", "FS-W", "SS-H", "SS-A", "SS-W", "FL3-H", "FL3-A", "TIME");
        List<Problem> pr2 = new ArrayList<>();
        String comp188 = "9,1.0,1.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,1.0,0.0,0.0,"
                + "0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,"
                + "1.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,0.0,0.0,0.0,0.0,"
                + "0.0,0.0,0.0,0.0,0.0,0.0";
        assertTrue(parse(p188, pr2, "$COMP", comp188, "$SPILLOVER", "2,7,8,1.000,1.000,1.000,1.000").isEmpty());
        assertEquals(2, pr2.stream().filter(p -> p.code().equals("SPILLOVER_SINGULAR")).count(), pr2.toString());
        // $COMP larger than $PAR
        List<Problem> pr3 = new ArrayList<>();
        assertTrue(parse(TestData.params("FL1"), pr3, "$COMP", "2,1,0,0,1").isEmpty());
        assertEquals("$COMP", only(pr3, "SPILLOVER_MALFORMED").keyword());
    }

    // ---------------------------------------------------------------- $DFCiTOj

    @Test
    void dfcOrientationPercentOfFliInFlj() {
        // Cytomics FC500 file of the corpus: FITC (FL1) / PE (FL2) stain
        List<FcsParameter> params = TestData.params("FS Lin", "SS Lin", "FL1 Log", "FL2 Log");
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(params, pr, "@COMPENSATIONMODE", "Advanced", "$DFC1TO2", "11.20", "$DFC2TO1", "0.90",
                "$DFC1TO1", "0.00", "$DFC2TO2", "0.00").orElseThrow();
        assertEquals(List.of("FL1 Log", "FL2 Log"), m.detectors());
        assertEquals("$DFCiTOj", m.origin());
        assertEquals(0.112, m.get(0, 1), 1e-15, "row FL1 (source dye), column FL2 (detector) = $DFC1TO2 / 100");
        assertEquals(0.009, m.get(1, 0), 1e-15);
        assertEquals(1.0, m.get(0, 0));
        assertTrue(pr.isEmpty(), pr.toString());
        // pure FITC (true 1000 in FL1) is seen as 1000 in FL1 and 112 in FL2; compensation removes the 112
        double[][] cols = {{5}, {6}, {1000}, {112}};
        Compensator.of(m, params).apply(cols, 1);
        assertEquals(1000, cols[2][0], 1e-9);
        assertEquals(0, cols[3][0], 1e-9);
    }

    @Test
    void dfcBlocksPerSuffixAndZeros() {
        // coulter.lmd data set 1: Log and Lin versions of each detector -> one block per suffix
        List<FcsParameter> params = TestData.params("FS Lin", "SS Lin", "FL1 Log", "FL2 Log", "FL1 Lin", "FL2 Lin",
                "FL3 Lin", "FL3 Log");
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(params, pr, "$DFC1TO3", "28.40", "$DFC1TO2", "0.0", "$DFC3TO1", "0").orElseThrow();
        assertEquals(List.of("FL1 Log", "FL3 Log", "FL1 Lin", "FL3 Lin"), m.detectors());
        assertEquals(0.284, m.get(0, 1), 1e-15);
        assertEquals(0.284, m.get(2, 3), 1e-15);
        assertEquals(0.0, m.get(0, 3), "no coupling between Log and Lin blocks");
        assertTrue(pr.isEmpty(), pr.toString());
        // all zero (Gallios data set 1): no compensation, no problem
        List<Problem> pr2 = new ArrayList<>();
        assertTrue(parse(params, pr2, "$DFC1TO2", "0.0", "$DFC2TO1", "0.0").isEmpty());
        assertTrue(pr2.isEmpty());
        // coefficients for detectors that are not parameters
        List<Problem> pr3 = new ArrayList<>();
        assertTrue(parse(TestData.params("FS", "SS", "FL1"), pr3, "$DFC4TO5", "3.0").isEmpty());
        assertEquals(Severity.WARNING, only(pr3, "DFC_UNMAPPED").severity());
        // decimal comma in a DFC value
        List<Problem> pr4 = new ArrayList<>();
        assertEquals(0.112, parse(params, pr4, "$DFC1TO2", "11,20").orElseThrow().get(0, 1), 1e-15);
        List<Problem> pr5 = new ArrayList<>();
        assertTrue(parse(params, pr5, "$DFC1TO2", "abc").isEmpty());
        assertEquals("$DFC1TO2", only(pr5, "SPILLOVER_MALFORMED").keyword());
    }

    @Test
    void spilloverPreferredOverCompAndDfc() {
        List<FcsParameter> params = TestData.params("FL1", "FL2");
        List<Problem> pr = new ArrayList<>();
        SpilloverMatrix m = parse(params, pr, "$DFC1TO2", "10", "$COMP", "2,1,0.1,0,1", "$SPILLOVER",
                "2,FL1,FL2,1,0.1,0,1").orElseThrow();
        assertEquals("$SPILLOVER", m.origin());
        assertTrue(pr.isEmpty(), "all three agree: " + pr);
        List<Problem> pr2 = new ArrayList<>();
        parse(params, pr2, "$DFC1TO2", "20", "$SPILLOVER", "2,FL1,FL2,1,0.1,0,1");
        assertEquals("$DFCiTOj", only(pr2, "SPILLOVER_CONFLICT").keyword());
    }

    // ---------------------------------------------------------------- CSV

    @Test
    void flowKitCsvWithHashHeaderAndNullChannel() {
        SpilloverMatrix full = SpilloverParser.fromCsv(Shared.resolve("compensation/matrices/den_comp.csv"));
        SpilloverMatrix nul = SpilloverParser.fromCsv(Shared.resolve("compensation/matrices/den_comp_null_channel.csv"));
        assertEquals(8, full.detectorCount());
        assertEquals("TNFa FITC FLR-A", full.detectors().get(0), "leading '# ' of the header is not part of the name");
        assertEquals(full.detectors(), full.sources());
        assertEquals(0.014139, full.get(0, 1));
        assertEquals(7, nul.detectorCount());
        assertFalse(nul.detectors().contains("TNFa FITC FLR-A"));
        assertEquals(full.restrictTo(nul.detectors(), "x").withOrigin(nul.origin()), nul,
                "the null-channel file is the full matrix without the FITC row and column");

        // compensating with the null-channel matrix leaves the null channel alone
        List<FcsParameter> params = new ArrayList<>();
        params.add(TestData.param(1, "FSC-A"));
        for (String d : full.detectors()) params.add(TestData.param(params.size() + 1, d));
        java.util.Random r = new java.util.Random(5);
        double[][] cols = new double[params.size()][500];
        for (double[] c : cols) for (int i = 0; i < c.length; i++) c[i] = r.nextGaussian() * 1000 + 2000;
        double[][] a = deepCopy(cols);
        Compensator.of(nul, params).apply(a, 500);
        assertArrayEquals(cols[0], a[0], 0.0);
        assertArrayEquals(cols[1], a[1], 0.0, "null channel TNFa FITC untouched");
        // equals X[:,7 dets] · inv(S7) computed independently
        double[][] inv = new org.apache.commons.math3.linear.LUDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(nul.values())).getSolver().getInverse().getData();
        for (int i = 0; i < 500; i++) {
            for (int k = 0; k < 7; k++) {
                double s = 0;
                for (int d = 0; d < 7; d++) s += cols[2 + d][i] * inv[d][k];
                assertEquals(s, a[2 + k][i], 1e-9 * Math.max(1, Math.abs(s)));
            }
        }
    }

    @Test
    void csvRowLabelsDelimitersAndComments(@TempDir Path tmp) throws IOException {
        // FlowJo export: empty corner cell, row labels in another order than the columns
        Path f = write(tmp, "flowjo.csv", "Compensation Matrix\n,FITC-A,PE-A,APC-A\nPE-A,0.02,1,0.1\nFITC-A,1,0.2,0\n"
                + "APC-A,0,0.01,1\n");
        SpilloverMatrix m = SpilloverParser.fromCsv(f);
        assertEquals(List.of("PE-A", "FITC-A", "APC-A"), m.sources());
        assertEquals(List.of("FITC-A", "PE-A", "APC-A"), m.detectors());
        assertEquals("csv:flowjo.csv", m.origin());
        // Compensator reorders rows so that output k is detector k
        Compensator c = Compensator.of(m, TestData.params("FITC-A", "PE-A", "APC-A"));
        double[][] cols = {{1000}, {200}, {0}}; // pure FITC: 20% in PE
        c.apply(cols, 1);
        assertEquals(1000, cols[0][0], 1e-9);
        assertEquals(0, cols[1][0], 1e-9);
        assertEquals(0, cols[2][0], 1e-9);
        // label header cell missing, tabs, CRLF, quotes, comment lines inside
        Path t = write(tmp, "m.tsv", "\"FITC-A\"\t\"PE-A\"\r\nFITC-A\t1\t0.25\r\n# note\r\nPE-A\t0.01\t1\r\n");
        SpilloverMatrix mt = SpilloverParser.fromCsv(t);
        assertEquals(List.of("FITC-A", "PE-A"), mt.detectors());
        assertEquals(0.25, mt.get(0, 1));
        // semicolons with decimal commas (European locale)
        Path s = write(tmp, "eu.csv", "FITC-A;PE-A\n1;0,25\n0,01;1\n");
        assertEquals(0.25, SpilloverParser.fromCsv(s).get(0, 1));
        // non-square spectrum matrix with fluorochrome row labels
        Path ns = write(tmp, "spectrum.csv", "fluor,D1,D2,D3\nFITC,1,0.3,0.1\nPE,0.2,1,0.4\n");
        SpilloverMatrix sm = SpilloverParser.fromCsv(ns);
        assertFalse(sm.isSquare());
        assertEquals(List.of("FITC", "PE"), sm.sources());
    }

    @Test
    void csvErrorsNameFileRowAndColumn(@TempDir Path tmp) throws IOException {
        assertCsvError(tmp, "comp.csv", "A,B,C,D,E,F\n1,0,0,0,0,0\n0,1,0,0,0,0\n0,0,1,0,0\n0,0,0,1,0,0\n0,0,0,0,1,0\n0,0,0,0,0,1\n",
                "comp.csv: row 3 has 5 values, expected 6");
        assertCsvError(tmp, "bad.csv", "A,B\n1,x\n0,1\n", "bad.csv: row 1, column 'B': 'x' is not a number");
        assertCsvError(tmp, "rect.csv", "A,B,C\n1,0,0\n0,1,0\n", "rect.csv: 2 rows of coefficients for 3 detectors "
                + "(a matrix without row labels must be square)");
        assertCsvError(tmp, "empty.csv", "\n\n", "empty.csv: empty matrix file");
        assertCsvError(tmp, "words.csv", "A,B\nfoo,bar\n", "words.csv: row 1, column 'B': 'bar' is not a number");
        assertCsvError(tmp, "nohead.csv", "1,0\n0,1\n", "nohead.csv: no header line with detector names before the coefficients");
        assertCsvError(tmp, "dup.csv", "A,A\n1,0\n0,1\n", "spillover matrix (csv:dup.csv): duplicate source 'A'");
        assertCsvError(tmp, "pct.csv", "FITC-A,PE-A\n100,29.9\n0.7,100\n", "pct.csv: coefficient [FITC-A, FITC-A] = 100"
                + " is not 1: a spillover matrix has 1 on its diagonal (a percentage matrix: divide it by 100)");
        assertCsvError(tmp, "two.csv", ",FITC-A,PE-A\nFITC-A,1,0.3\nPE-A,0.007,2\n", "two.csv: coefficient [PE-A, PE-A] = 2"
                + " is not 1: a spillover matrix has 1 on its diagonal");
        // within 0.001 of 1 is 1 as printed with few digits
        assertEquals(0.9995, SpilloverParser.fromCsv(write(tmp, "near.csv", "A,B\n0.9995,0\n0,1\n")).values()[0][0]);
        CikqcException e = assertThrows(CikqcException.class, () -> SpilloverParser.fromCsv(tmp.resolve("missing.csv")));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertEquals("missing.csv: no such file", e.getMessage());
    }

    private static void assertCsvError(Path tmp, String name, String content, String message) throws IOException {
        Path f = write(tmp, name, content);
        CikqcException e = assertThrows(CikqcException.class, () -> SpilloverParser.fromCsv(f));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertEquals(message, e.getMessage());
    }

    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
