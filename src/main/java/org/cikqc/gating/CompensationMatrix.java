package org.cikqc.gating;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Gating-ML {@code transforms:spectrumMatrix} (also used for matrices supplied outside the Gating-ML file).
 * {@code coefficients} is laid out as in the file, one row per {@code spectrum} element:
 * <ul>
 * <li>{@code invertedAlready == false}: rows = fluorochromes, columns = detectors (the spillover/spectrum matrix S);
 *   compensated values are {@code X[:,detectors] · pinv(S)} (the inverse for a square matrix).</li>
 * <li>{@code invertedAlready == true}: rows = detectors, columns = fluorochromes (the unmixing matrix M);
 *   compensated values are {@code X[:,detectors] · M}.</li>
 * </ul>
 * Compensated values are named by the fluorochromes.
 *
 * @param id              the id dimensions refer to in {@code compensation-ref}
 * @param fluorochromes   output names
 * @param detectors       input channel names ($PnN)
 * @param coefficients    the matrix as described above
 * @param invertedAlready Gating-ML {@code matrix-inverted-already}
 */
public record CompensationMatrix(String id, List<String> fluorochromes, List<String> detectors, double[][] coefficients,
                                 boolean invertedAlready) {

    public CompensationMatrix {
        Objects.requireNonNull(id, "id");
        fluorochromes = List.copyOf(fluorochromes);
        detectors = List.copyOf(detectors);
        coefficients = deepCopy(coefficients);
        int rows = invertedAlready ? detectors.size() : fluorochromes.size();
        int cols = invertedAlready ? fluorochromes.size() : detectors.size();
        if (coefficients.length != rows) {
            throw GatingException.of(id, "matrix '" + id + "': " + coefficients.length + " spectrum rows, expected " + rows
                    + (invertedAlready ? " (one per detector: matrix-inverted-already)" : " (one per fluorochrome)"));
        }
        for (double[] row : coefficients) {
            if (row.length != cols) {
                throw GatingException.of(id, "matrix '" + id + "': a spectrum row has " + row.length
                        + " coefficients, expected " + cols);
            }
        }
    }

    private static double[][] deepCopy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }

    /** A copy of the coefficients. */
    @Override
    public double[][] coefficients() { return deepCopy(coefficients); }

    /** Coefficient at (row, column) of the layout described in the class comment. */
    public double coefficient(int row, int col) { return coefficients[row][col]; }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompensationMatrix m && id.equals(m.id) && fluorochromes.equals(m.fluorochromes)
                && detectors.equals(m.detectors) && Arrays.deepEquals(coefficients, m.coefficients)
                && invertedAlready == m.invertedAlready;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, fluorochromes, detectors, Arrays.deepHashCode(coefficients), invertedAlready);
    }

    @Override
    public String toString() {
        return "CompensationMatrix[" + id + ", " + fluorochromes.size() + " fluorochromes x " + detectors.size()
                + " detectors" + (invertedAlready ? ", inverted already" : "") + "]";
    }
}
