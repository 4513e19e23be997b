package org.cikqc.compensation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.cikqc.common.CikqcException;
import org.cikqc.fcs.FcsParameter;
import org.junit.jupiter.api.Test;

/** Square compensation, OLS unmixing, pre-inverted matrices, name matching and speed; synthetic data only. */
class CompensatorTest {

    static final List<FcsParameter> P = TestData.params("FSC-A", "FITC-A", "PE-A", "PerCP-A", "APC-A", "Time");

    @Test
    void squareCompensationRecoversTrueSignals() {
        double[][] s = {{1, 0.2, 0.05}, {0.01, 1, 0.3}, {0, 0.02, 1}};
        SpilloverMatrix m = new SpilloverMatrix(List.of("FITC-A", "PE-A", "PerCP-A"), List.of("FITC-A", "PE-A", "PerCP-A"),
                s, "test");
        Random r = new Random(11);
        int n = 5000;
        double[][] truth = new double[3][n];
        double[][] cols = new double[6][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) truth[k][i] = r.nextDouble() * 1e5 - 1e3;
            for (int d = 0; d < 3; d++) {
                double x = 0;
                for (int k = 0; k < 3; k++) x += truth[k][i] * s[k][d];
                cols[1 + d][i] = x;
            }
            cols[0][i] = i;
            cols[4][i] = -i;
            cols[5][i] = 2 * i;
        }
        double[][] before = SpilloverParserTest.deepCopy(cols);
        Compensator c = Compensator.of(m, P);
        assertArrayEquals(new int[] {1, 2, 3}, c.detectorColumns());
        assertArrayEquals(new String[] {"FITC-A", "PE-A", "PerCP-A"}, c.outputNames());
        assertTrue(c.isInPlaceCapable());
        c.apply(cols, n);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < n; i++) assertEquals(truth[k][i], cols[1 + k][i], 1e-9 * Math.max(1, Math.abs(truth[k][i])));
        }
        assertArrayEquals(before[0], cols[0], 0.0);
        assertArrayEquals(before[4], cols[4], 0.0);
        assertArrayEquals(before[5], cols[5], 0.0);
        // only the first n events are touched
        double[][] part = SpilloverParserTest.deepCopy(before);
        c.apply(part, 10);
        assertEquals(before[1][10], part[1][10]);
        assertEquals(truth[0][9], part[1][9], 1e-9 * Math.abs(truth[0][9]));
    }

    @Test
    void nonSquareSpectrumMatrixIsLeastSquaresUnmixing() {
        // 2 fluorochromes over 4 detectors
        double[][] s = {{1.0, 0.4, 0.1, 0.02}, {0.05, 0.3, 1.0, 0.6}};
        SpilloverMatrix m = new SpilloverMatrix(List.of("FITC", "PerCP"), List.of("FITC-A", "PE-A", "PerCP-A", "APC-A"),
                s, "spectrumMatrix");
        Compensator c = Compensator.of(m, P);
        assertArrayEquals(new String[] {"FITC", "PerCP"}, c.outputNames());
        assertTrue(!c.isInPlaceCapable());
        assertThrows(IllegalStateException.class, () -> c.apply(new double[6][1], 1));
        int n = 1000;
        Random r = new Random(2);
        double[][] in = new double[6][n];
        double[][] f = new double[2][n];
        for (int i = 0; i < n; i++) {
            f[0][i] = r.nextDouble() * 1e4;
            f[1][i] = r.nextDouble() * 1e4;
            for (int d = 0; d < 4; d++) in[1 + d][i] = f[0][i] * s[0][d] + f[1][i] * s[1][d];
        }
        double[][] out = new double[2][n];
        c.apply(in, n, out);
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < n; i++) assertEquals(f[k][i], out[k][i], 1e-8 * Math.max(1, f[k][i]));
        }
        // with noise, the result is the OLS solution: residual orthogonal to the spectra
        double[] x = {0, 1200, 700, 950, 400, 0};
        double[][] one = new double[6][1];
        for (int p = 0; p < 6; p++) one[p][0] = x[p];
        double[][] o = new double[2][1];
        c.apply(one, 1, o);
        for (int k = 0; k < 2; k++) {
            double dot = 0;
            for (int d = 0; d < 4; d++) {
                double resid = x[1 + d] - (o[0][0] * s[0][d] + o[1][0] * s[1][d]);
                dot += resid * s[k][d];
            }
            assertEquals(0, dot, 1e-8);
        }
        // a pre-inverted matrix (rows = detectors, columns = fluorochromes) gives the same result
        Compensator pre = Compensator.ofUnmixing(List.of("FITC-A", "PE-A", "PerCP-A", "APC-A"), List.of("FITC", "PerCP"),
                c.unmixingMatrix(), P, "matrix-inverted-already");
        double[][] o2 = new double[2][1];
        pre.apply(one, 1, o2);
        assertEquals(o[0][0], o2[0][0], 0.0);
        assertEquals(o[1][0], o2[1][0], 0.0);
        // underdetermined / rank-deficient spectra are rejected
        SpilloverMatrix wide = new SpilloverMatrix(List.of("A", "B", "C"), List.of("FITC-A", "PE-A"),
                new double[][] {{1, 0}, {0, 1}, {1, 1}}, "x");
        assertThrows(CikqcException.class, () -> Compensator.of(wide, P));
        SpilloverMatrix rank1 = new SpilloverMatrix(List.of("A", "B"), List.of("FITC-A", "PE-A", "APC-A"),
                new double[][] {{1, 2, 3}, {2, 4, 6}}, "x");
        assertThrows(CikqcException.class, () -> Compensator.of(rank1, P));
    }

    @Test
    void detectorNameMatching() {
        double[][] id = {{1, 0}, {0, 1}};
        // case-insensitive and bare name vs -A suffix
        Compensator c = Compensator.of(new SpilloverMatrix(List.of("fitc-a", "PE"), List.of("fitc-a", "PE"), id, "t"), P);
        assertArrayEquals(new int[] {1, 2}, c.detectorColumns());
        List<FcsParameter> ah = TestData.params("FITC-A", "FITC-H", "PE-A");
        CikqcException amb = assertThrows(CikqcException.class,
                () -> Compensator.of(new SpilloverMatrix(List.of("FITC", "PE-A"), List.of("FITC", "PE-A"), id, "t"), ah));
        assertEquals("compensation (t): detector 'FITC' is ambiguous: matches FITC-A, FITC-H; parameters are "
                + "[FITC-A, FITC-H, PE-A]", amb.getMessage());
        assertEquals(CikqcException.Kind.INVALID_INPUT, amb.kind());
        CikqcException unk = assertThrows(CikqcException.class,
                () -> Compensator.of(new SpilloverMatrix(List.of("BV421-A", "PE-A"), List.of("BV421-A", "PE-A"), id, "t"), P));
        assertTrue(unk.getMessage().startsWith("compensation (t): detector 'BV421-A' is not a parameter of this data set"),
                unk.getMessage());
        // -H never matches -A
        assertThrows(CikqcException.class,
                () -> Compensator.of(new SpilloverMatrix(List.of("FITC-H", "PE-A"), List.of("FITC-H", "PE-A"), id, "t"), P));
        // two detectors onto one parameter
        assertThrows(CikqcException.class,
                () -> Compensator.of(new SpilloverMatrix(List.of("PE", "PE-A"), List.of("PE", "PE-A"), id, "t"), P));
        // singular
        CikqcException sing = assertThrows(CikqcException.class, () -> Compensator.of(
                new SpilloverMatrix(List.of("FITC-A", "PE-A"), List.of("FITC-A", "PE-A"), new double[][] {{1, 1}, {1, 1}}, "t"), P));
        assertEquals("spillover matrix (t) is singular and cannot be inverted", sing.getMessage());
    }

    @Test
    void zeroCoefficientsDoNotSpreadNaN() {
        SpilloverMatrix m = new SpilloverMatrix(List.of("FITC-A", "PE-A", "APC-A"), List.of("FITC-A", "PE-A", "APC-A"),
                new double[][] {{1, 0.1, 0}, {0, 1, 0}, {0, 0, 1}}, "t");
        double[][] cols = new double[6][1];
        cols[1][0] = 100;
        cols[2][0] = 50;
        cols[4][0] = Double.NaN;
        Compensator.of(m, P).apply(cols, 1);
        assertEquals(100, cols[1][0], 1e-12);
        assertEquals(40, cols[2][0], 1e-12);
        assertTrue(Double.isNaN(cols[4][0]));
    }

    @Test
    void matrixValueSemantics() {
        double[][] v = {{1, 0.5}, {0, 1}};
        SpilloverMatrix a = new SpilloverMatrix(List.of("A", "B"), List.of("A", "B"), v, "o");
        v[0][1] = 9; // defensive copy
        assertEquals(0.5, a.get(0, 1));
        a.values()[0][1] = 7;
        assertEquals(0.5, a.get(0, 1));
        assertEquals(a, new SpilloverMatrix(List.of("A", "B"), List.of("A", "B"), new double[][] {{1, 0.5}, {0, 1}}, "o"));
        assertTrue(SpilloverMatrix.identity(List.of("A", "B"), "i").isIdentity(0));
        assertTrue(SpilloverMatrix.identity(List.of("A"), "i").sameCompensation(SpilloverMatrix.identity(List.of("B", "C"), "j"), 0));
        assertThrows(CikqcException.class, () -> new SpilloverMatrix(List.of("A"), List.of("A", "B"), new double[][] {{1}}, "o"));
        assertThrows(CikqcException.class,
                () -> new SpilloverMatrix(List.of("A"), List.of("A"), new double[][] {{Double.NaN}}, "o"));
        assertThrows(CikqcException.class,
                () -> new SpilloverMatrix(List.of("A", "A"), List.of("A", "B"), new double[][] {{1, 0}, {0, 1}}, "o"));
    }

    @Test
    void everyBatchPathIsBitIdenticalToOneProductAtATime() {
        Random r = new Random(9);
        for (int det : new int[] {1, 2, 3, 5, 8, 11, 16}) {
            int n = 5000;
            double[][] s = new double[det][det];
            String[] names = new String[det];
            for (int i = 0; i < det; i++) {
                names[i] = "D" + i;
                for (int j = 0; j < det; j++) s[i][j] = i == j ? 1 : (r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.1);
            }
            Compensator c = Compensator.of(new SpilloverMatrix(List.of(names), List.of(names), s, "t"), TestData.params(names));
            double[][] u = c.unmixingMatrix();
            double[][] cols = new double[det][n];
            for (double[] col : cols) for (int i = 0; i < n; i++) col[i] = r.nextGaussian() * 1e4;
            // reference: detector by detector, left to right, skipping zero coefficients
            double[][] expected = new double[det][n];
            for (int k = 0; k < det; k++) {
                for (int i = 0; i < n; i++) {
                    double acc = 0;
                    boolean first = true;
                    for (int d = 0; d < det; d++) {
                        if (u[d][k] == 0) continue;
                        acc = first ? cols[d][i] * u[d][k] : acc + cols[d][i] * u[d][k];
                        first = false;
                    }
                    expected[k][i] = acc;
                }
            }
            double[][] out = new double[det][n];
            c.apply(cols, n, out);
            double[][] ranged = new double[det][n];
            for (int from = 0; from < n; from += 777) c.apply(cols, from, Math.min(n, from + 777), ranged);
            double[][] inPlace = new double[det][];
            for (int d = 0; d < det; d++) inPlace[d] = cols[d].clone();
            c.apply(inPlace, n);
            for (int k = 0; k < det; k++) {
                assertArrayEquals(expected[k], out[k], 0.0, det + " detectors, output " + k);
                assertArrayEquals(expected[k], ranged[k], 0.0, det + " detectors, ranged, output " + k);
                assertArrayEquals(expected[k], inPlace[k], 0.0, det + " detectors, in place, output " + k);
            }
        }
    }
}
