package org.cikqc.gating;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.cikqc.common.ScaledInverse;

/**
 * A Gating-ML {@code EllipsoidGate}: an event v is inside when
 * {@code (v - mean)ᵀ · inv(covarianceMatrix) · (v - mean) <= distanceSquare}.
 *
 * @param id               gate id
 * @param parentId         parent population, or null
 * @param dimensions       two or more axes
 * @param mean             the centre, one coordinate per dimension
 * @param covarianceMatrix square, one row per dimension, invertible (used as given, not symmetrised)
 * @param distanceSquare   the squared Mahalanobis radius, ≥ 0
 */
public record EllipsoidGate(String id, String parentId, List<Dimension> dimensions, double[] mean,
                            double[][] covarianceMatrix, double distanceSquare) implements Gate {

    public EllipsoidGate {
        Objects.requireNonNull(id, "id");
        dimensions = List.copyOf(dimensions);
        int d = dimensions.size();
        if (d < 2) throw GatingException.of(id, "gate '" + id + "': an ellipsoid needs at least 2 dimensions");
        mean = mean.clone();
        if (mean.length != d) {
            throw GatingException.of(id, "gate '" + id + "': mean has " + mean.length + " coordinates for " + d + " dimensions");
        }
        if (covarianceMatrix.length != d) {
            throw GatingException.of(id, "gate '" + id + "': covariance matrix has " + covarianceMatrix.length
                    + " rows for " + d + " dimensions");
        }
        double[][] c = new double[d][];
        for (int i = 0; i < d; i++) {
            if (covarianceMatrix[i].length != d) {
                throw GatingException.of(id, "gate '" + id + "': covariance row " + (i + 1) + " has "
                        + covarianceMatrix[i].length + " entries, expected " + d);
            }
            c[i] = covarianceMatrix[i].clone();
        }
        covarianceMatrix = c;
        if (!(distanceSquare >= 0) || Double.isInfinite(distanceSquare)) {
            throw GatingException.of(id, "gate '" + id + "': distanceSquare must be finite and >= 0, is " + distanceSquare);
        }
        for (double v : mean) {
            if (!Double.isFinite(v)) throw GatingException.of(id, "gate '" + id + "': mean must be finite");
        }
        inverse(id, covarianceMatrix);
    }

    /** The inverse of the covariance matrix; throws when it is not finite or singular (at its own scale). */
    static double[][] inverse(String id, double[][] cov) {
        for (double[] row : cov) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw GatingException.of(id, "gate '" + id + "': covariance matrix must be finite, has " + v);
                }
            }
        }
        double[][] inverse = ScaledInverse.of(cov);
        if (inverse == null) throw GatingException.of(id, "gate '" + id + "': covariance matrix is singular");
        return inverse;
    }

    @Override
    public double[] mean() { return mean.clone(); }

    @Override
    public double[][] covarianceMatrix() {
        double[][] c = new double[covarianceMatrix.length][];
        for (int i = 0; i < c.length; i++) c[i] = covarianceMatrix[i].clone();
        return c;
    }

    /** Geometric membership of one point; the parent is not considered. */
    public boolean contains(double... point) {
        int d = mean.length;
        if (point.length != d) throw new IllegalArgumentException("expected " + d + " coordinates");
        double[][] inv = inverse(id, covarianceMatrix);
        double q = 0;
        for (int j = 0; j < d; j++) {
            double dj = point[j] - mean[j];
            for (int k = 0; k < d; k++) q += dj * inv[j][k] * (point[k] - mean[k]);
        }
        return q <= distanceSquare;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EllipsoidGate g && id.equals(g.id) && Objects.equals(parentId, g.parentId)
                && dimensions.equals(g.dimensions) && Arrays.equals(mean, g.mean)
                && Arrays.deepEquals(covarianceMatrix, g.covarianceMatrix)
                && Double.compare(distanceSquare, g.distanceSquare) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, parentId, dimensions, Arrays.hashCode(mean), Arrays.deepHashCode(covarianceMatrix),
                distanceSquare);
    }

    @Override
    public String toString() {
        return "EllipsoidGate[id=" + id + ", parentId=" + parentId + ", dimensions=" + dimensions + ", mean="
                + Arrays.toString(mean) + ", covarianceMatrix=" + Arrays.deepToString(covarianceMatrix)
                + ", distanceSquare=" + distanceSquare + "]";
    }
}
