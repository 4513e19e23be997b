package org.cikqc.sim;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * A spillover matrix in FCS {@code $SPILLOVER} orientation: {@code matrix[i][j]} is the fraction of dye i's
 * signal seen by detector j, so observed = true · S (row vectors) and compensation multiplies by S⁻¹.
 *
 * @param detectors $PnN of the fluorescence detectors, in matrix order
 * @param matrix    the square matrix, unit diagonal (copied; not exposed mutably through {@link #get})
 */
public record Spillover(List<String> detectors, double[][] matrix) {

    public Spillover {
        detectors = List.copyOf(detectors);
        double[][] copy = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            if (matrix[i].length != detectors.size()) throw new IllegalArgumentException("matrix is not square");
            copy[i] = matrix[i].clone();
        }
        if (copy.length != detectors.size()) throw new IllegalArgumentException("matrix size != detector count");
        matrix = copy;
    }

    /** Coefficient of dye i into detector j. */
    public double get(int i, int j) { return matrix[i][j]; }

    /** Number of detectors. */
    public int size() { return detectors.size(); }

    /** A copy of the matrix. */
    public double[][] toArray() {
        double[][] copy = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) copy[i] = matrix[i].clone();
        return copy;
    }

    /** The {@code $SPILLOVER} keyword value: {@code n,name1,…,namen,s11,s12,…,snn} (row-major). */
    public String toKeyword() {
        StringBuilder sb = new StringBuilder().append(detectors.size());
        for (String d : detectors) sb.append(',').append(d);
        for (double[] row : matrix) {
            for (double v : row) sb.append(',').append(format(v));
        }
        return sb.toString();
    }

    /** Plain decimal with no exponent and no trailing zeros: 1, 0.15, 0.0075. */
    static String format(double v) {
        if (v == 0) return "0";
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
    }
}
