package org.cikqc.compensation;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.cikqc.common.CikqcException;
import org.cikqc.common.ScaledInverse;

/**
 * A spillover matrix: {@code values[s][d]} is the fraction of source s's signal (a fluorochrome; for a square FCS
 * spillover the source is named after its primary detector) seen in detector d. Rows = sources, columns =
 * detectors. Observed detector values are modelled as {@code x = f · S}, so compensated/unmixed values are
 * {@code f = x · S⁻¹} (square) or the least-squares {@code f = x · pinv(S)} (more detectors than sources).
 *
 * <p>Immutable: the lists and the array are copied on the way in and {@link #values()} returns a copy. Equality is by
 * value (names, origin and every coefficient).
 *
 * @param sources   row labels (fluorochromes), distinct, non-blank
 * @param detectors column labels (detector $PnN names), distinct, non-blank
 * @param values    sources.size() × detectors.size() finite coefficients
 * @param origin    where the matrix came from, e.g. {@code $SPILLOVER}, {@code SPILL}, {@code $DFCiTOj},
 *                  {@code csv:comp.csv}
 */
public record SpilloverMatrix(List<String> sources, List<String> detectors, double[][] values, String origin) {

    public SpilloverMatrix {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(detectors, "detectors");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(origin, "origin");
        sources = List.copyOf(sources);
        detectors = List.copyOf(detectors);
        String where = "spillover matrix (" + origin + ")";
        if (sources.isEmpty() || detectors.isEmpty()) throw CikqcException.input(where + ": no channels");
        checkNames(where, "source", sources);
        checkNames(where, "detector", detectors);
        if (values.length != sources.size()) {
            throw CikqcException.input(where + ": " + values.length + " rows for " + sources.size() + " sources");
        }
        double[][] copy = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            if (values[r] == null || values[r].length != detectors.size()) {
                throw CikqcException.input(where + ": row " + (r + 1) + " has "
                        + (values[r] == null ? 0 : values[r].length) + " values, expected " + detectors.size());
            }
            for (int c = 0; c < values[r].length; c++) {
                if (!Double.isFinite(values[r][c])) {
                    throw CikqcException.input(where + ": coefficient [" + sources.get(r) + ", " + detectors.get(c)
                            + "] = " + values[r][c] + " is not finite");
                }
            }
            copy[r] = values[r].clone();
        }
        values = copy;
    }

    /**
     * The first coefficient of a channel's spill into itself (source and detector of the same name) that is not 1
     * (within 0.001), as {@code [PE-A, PE-A] = 100}; null when every such coefficient is 1. A spillover matrix is
     * normalised to its diagonal: 100 there is a percentage matrix, and any other value rescales the channel.
     */
    public String nonUnitDiagonal() {
        for (int r = 0; r < sources.size(); r++) {
            int c = detectors.indexOf(sources.get(r));
            if (c >= 0 && !(Math.abs(values[r][c] - 1) <= 1e-3)) {
                return "[" + sources.get(r) + ", " + detectors.get(c) + "] = " + fmt(values[r][c]);
            }
        }
        return null;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static void checkNames(String where, String what, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n == null || n.isBlank()) throw CikqcException.input(where + ": blank " + what + " name");
            if (!seen.add(n)) throw CikqcException.input(where + ": duplicate " + what + " '" + n + "'");
        }
    }

    /** The identity matrix over {@code detectors} (sources = detectors). */
    public static SpilloverMatrix identity(List<String> detectors, String origin) {
        double[][] v = new double[detectors.size()][detectors.size()];
        for (int i = 0; i < v.length; i++) v[i][i] = 1;
        return new SpilloverMatrix(detectors, detectors, v, origin);
    }

    /** A copy of the coefficients. */
    @Override
    public double[][] values() {
        double[][] c = new double[values.length][];
        for (int i = 0; i < values.length; i++) c[i] = values[i].clone();
        return c;
    }

    /** Coefficient of source row {@code s} in detector column {@code d} (0-based). */
    public double get(int s, int d) { return values[s][d]; }

    public int sourceCount() { return sources.size(); }

    public int detectorCount() { return detectors.size(); }

    /** True when there are as many sources as detectors. */
    public boolean isSquare() { return sources.size() == detectors.size(); }

    /** True when square, sources equal detectors and every coefficient is within tol of the identity. */
    public boolean isIdentity(double tol) {
        if (!isSquare() || !sources.equals(detectors)) return false;
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values.length; j++) {
                if (Math.abs(values[i][j] - (i == j ? 1 : 0)) > tol) return false;
            }
        }
        return true;
    }

    /** The same matrix with another origin label. */
    public SpilloverMatrix withOrigin(String newOrigin) {
        return new SpilloverMatrix(sources, detectors, values, newOrigin);
    }

    /**
     * The unmixing matrix U (detectors × sources) with unmixed = x[:, detectors] · U: the inverse for a square
     * matrix (LU), the Moore–Penrose pseudo-inverse (SVD) otherwise.
     *
     * @throws CikqcException (INVALID_INPUT) when a square matrix is singular or a non-square one is rank deficient
     */
    public double[][] unmixing() {
        if (isSquare()) {
            double[][] inverse = ScaledInverse.of(values);
            if (inverse == null) {
                throw CikqcException.input("spillover matrix (" + origin + ") is singular and cannot be inverted");
            }
            return inverse;
        }
        RealMatrix s = new Array2DRowRealMatrix(values, false);
        if (sources.size() > detectors.size()) {
            throw CikqcException.input("spectrum matrix (" + origin + ") has more fluorochromes (" + sources.size()
                    + ") than detectors (" + detectors.size() + "): unmixing is underdetermined");
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(s);
        if (svd.getRank() < sources.size()) {
            throw CikqcException.input("spectrum matrix (" + origin + ") has rank " + svd.getRank() + " < "
                    + sources.size() + " fluorochromes: unmixing is not unique");
        }
        return svd.getSolver().getInverse().getData();
    }

    /** True when a square matrix can be inverted (singularity judged at its own scale: {@link ScaledInverse}). */
    public boolean isInvertible() {
        return isSquare() && ScaledInverse.of(values) != null;
    }

    /**
     * Whether this and {@code other} compensate identically within {@code tol} per coefficient. Square matrices whose
     * sources are their detectors are compared over the union of their detectors, each padded with the identity (so
     * an identity 2×2 equals an identity 5×5, and a matrix that leaves a channel out equals one with a unit row for
     * it); other matrices must have the same labels in the same order.
     */
    public boolean sameCompensation(SpilloverMatrix other, double tol) {
        boolean selfNamed = isSquare() && sources.equals(detectors);
        boolean otherNamed = other.isSquare() && other.sources.equals(other.detectors);
        if (!(selfNamed && otherNamed)) {
            if (!sources.equals(other.sources) || !detectors.equals(other.detectors)) return false;
            for (int i = 0; i < values.length; i++) {
                for (int j = 0; j < values[i].length; j++) {
                    if (Math.abs(values[i][j] - other.values[i][j]) > tol) return false;
                }
            }
            return true;
        }
        Set<String> union = new LinkedHashSet<>(detectors);
        union.addAll(other.detectors);
        for (String r : union) {
            for (String c : union) {
                if (Math.abs(padded(r, c) - other.padded(r, c)) > tol) return false;
            }
        }
        return true;
    }

    private double padded(String row, String col) {
        int r = detectors.indexOf(row);
        int c = detectors.indexOf(col);
        if (r < 0 || c < 0) return row.equals(col) ? 1 : 0;
        return values[r][c];
    }

    /** The square sub-matrix over {@code keep} (names among the detectors; sources must equal detectors). */
    public SpilloverMatrix restrictTo(List<String> keep, String newOrigin) {
        if (!isSquare() || !sources.equals(detectors)) {
            throw new IllegalStateException("restrictTo needs a square matrix whose sources are its detectors");
        }
        int[] idx = new int[keep.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = detectors.indexOf(keep.get(i));
            if (idx[i] < 0) throw new IllegalArgumentException("not a detector: " + keep.get(i));
        }
        double[][] v = new double[idx.length][idx.length];
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < idx.length; j++) v[i][j] = values[idx[i]][idx[j]];
        }
        return new SpilloverMatrix(keep, keep, v, newOrigin);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpilloverMatrix m && sources.equals(m.sources) && detectors.equals(m.detectors)
                && origin.equals(m.origin) && Arrays.deepEquals(values, m.values);
    }

    @Override
    public int hashCode() { return Objects.hash(sources, detectors, origin, Arrays.deepHashCode(values)); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SpilloverMatrix[").append(origin).append(", ")
                .append(sources.size()).append('x').append(detectors.size()).append(", detectors=").append(detectors);
        if (!sources.equals(detectors)) sb.append(", sources=").append(sources);
        return sb.append(']').toString();
    }
}
