package org.cikqc.common;

import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The inverse of a square matrix with singularity judged at the matrix's own scale. commons-math's LU refuses a
 * pivot below an absolute 1e-11, so 1e-12·I was "singular" while a rank-deficient matrix of entries near 1e12,
 * whose last pivot is rounding noise, was not. Here the LU runs on the matrix scaled by a power of two to entries of
 * order 1; the scaling is exact, so the inverse is bit for bit the one of the unscaled matrix.
 */
public final class ScaledInverse {
    private ScaledInverse() { }

    /**
     * The inverse of {@code m} (finite entries, square), or null when it is singular (all zero included).
     */
    public static double[][] of(double[][] m) {
        double max = 0;
        for (double[] row : m) {
            for (double v : row) max = Math.max(max, Math.abs(v));
        }
        if (!(max > 0) || !Double.isFinite(max)) return null;
        double scale = Math.scalb(1.0, -Math.getExponent(max));
        RealMatrix scaled = MatrixUtils.createRealMatrix(m).scalarMultiply(scale);
        LUDecomposition lu = new LUDecomposition(scaled);
        double det = lu.getDeterminant();
        if (!(Math.abs(det) > 0) || !Double.isFinite(det) || !lu.getSolver().isNonSingular()) return null;
        return lu.getSolver().getInverse().scalarMultiply(scale).getData();
    }
}
