package org.cikqc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.junit.jupiter.api.Test;

class ScaledInverseTest {

    @Test
    void singularityDoesNotDependOnTheUnits() {
        double[][] a = {{1.0, 0.15, 0.02}, {0.03, 1.0, 0.28}, {0.0, 0.05, 1.0}};
        double[][] ref = ScaledInverse.of(a);
        assertNotNull(ref);
        for (double f : new double[] {0x1p-60, 0x1p-3, 0x1p40}) {
            double[][] b = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) b[i][j] = a[i][j] * f;
            }
            double[][] inv = ScaledInverse.of(b);
            assertNotNull(inv, "scaled by " + f);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) assertEquals(ref[i][j], inv[i][j] * f, 0.0, "bit for bit, x " + f);
            }
        }
        // 1e-12 entries: commons-math's absolute pivot threshold (1e-11) called this singular
        assertNotNull(ScaledInverse.of(new double[][] {{1e-12, 0}, {0, 1e-12}}));
        // rank deficient (row 3 = 0.1 row 1 + 0.7 row 2) at 1e12: the last pivot is rounding noise, far above 1e-11
        // in absolute terms, and commons-math's LU inverted it (as 15 of 20 such random matrices)
        double[] r1 = {7.308781907032909E11, 2.0771484130971707E11, 9.677559094241207E11};
        double[] r2 = {4.1008081149220166E11, 3.3271705595951117E11, 6.117182265761301E9};
        double[] r3 = new double[3];
        for (int j = 0; j < 3; j++) r3[j] = 0.1 * r1[j] + 0.7 * r2[j];
        double[][] deficient = {r1, r2, r3};
        assertTrue(new LUDecomposition(MatrixUtils.createRealMatrix(deficient)).getSolver().isNonSingular());
        assertNull(ScaledInverse.of(deficient));
        assertNull(ScaledInverse.of(new double[][] {{0, 0}, {0, 0}}));
        assertNull(ScaledInverse.of(new double[][] {{1, Double.NaN}, {0, 1}}));
    }
}
