package org.cikqc.gating;

import java.util.Objects;

import org.cikqc.transform.RatioTransform;

/**
 * A named Gating-ML fratio: {@code ratio.apply(numerator, denominator)}, then clipped to
 * [{@code boundMin}, {@code boundMax}] (infinite when the bound is absent).
 *
 * @param id          the transformation id
 * @param ratio       fratio parameters A, B, C
 * @param numerator   first fcs-dimension (channel or fluorochrome name)
 * @param denominator second fcs-dimension
 * @param boundMin    lower clip, or {@code Double.NEGATIVE_INFINITY}
 * @param boundMax    upper clip, or {@code Double.POSITIVE_INFINITY}
 */
public record RatioTransformation(String id, RatioTransform ratio, String numerator, String denominator,
                                  double boundMin, double boundMax) implements Transformation {
    public RatioTransformation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (Double.isNaN(boundMin) || Double.isNaN(boundMax)) throw new IllegalArgumentException("NaN bound");
    }

    /** An unbounded ratio. */
    public RatioTransformation(String id, RatioTransform ratio, String numerator, String denominator) {
        this(id, ratio, numerator, denominator, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** The ratio of one event's two values, clipped to the bounds. */
    public double apply(double x1, double x2) {
        double y = ratio.apply(x1, x2);
        if (y < boundMin) return boundMin;
        if (y > boundMax) return boundMax;
        return y;
    }

    /** True when either bound is finite. */
    public boolean bounded() { return boundMin != Double.NEGATIVE_INFINITY || boundMax != Double.POSITIVE_INFINITY; }
}
