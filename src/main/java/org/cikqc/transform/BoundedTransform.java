package org.cikqc.transform;

import java.util.Objects;

import org.cikqc.common.CikqcException;

/**
 * Gating-ML 2.0 {@code transforms:boundMin} / {@code transforms:boundMax}: the output of {@code inner} clipped to
 * [boundMin, boundMax]. An absent bound is given as {@code -Infinity} / {@code +Infinity}. NaN outputs stay NaN.
 * The inverse clips its argument to the bounds first and returns {@code inner.inverse} of the clipped value (so
 * the inverse of a clipped output is the data value at the bound).
 *
 * <p>Constraints: inner non-null, bounds not NaN, boundMin &lt;= boundMax.
 *
 * @param inner    the transform whose output is bounded
 * @param boundMin lower output bound (or -Infinity)
 * @param boundMax upper output bound (or +Infinity)
 */
public record BoundedTransform(Transform inner, double boundMin, double boundMax) implements Transform {

    public BoundedTransform {
        Objects.requireNonNull(inner, "inner");
        if (Double.isNaN(boundMin) || Double.isNaN(boundMax)) {
            throw CikqcException.spec("bounds: boundMin/boundMax must be numbers (got " + TMath.fmt(boundMin) + ", "
                    + TMath.fmt(boundMax) + ")");
        }
        if (!(boundMin <= boundMax)) {
            throw CikqcException.spec("bounds: boundMin=" + TMath.fmt(boundMin) + " must be <= boundMax="
                    + TMath.fmt(boundMax) + " (" + inner.describe() + ")");
        }
    }

    private double clip(double y) {
        if (y < boundMin) return boundMin;
        if (y > boundMax) return boundMax;
        return y;
    }

    @Override
    public double apply(double x) { return clip(inner.apply(x)); }

    @Override
    public double inverse(double y) { return inner.inverse(clip(y)); }

    @Override
    public void applyInPlace(double[] v, int n) {
        inner.applyInPlace(v, n);
        for (int i = 0; i < n; i++) v[i] = clip(v[i]);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("bounded(").append(inner.describe());
        if (boundMin != Double.NEGATIVE_INFINITY) sb.append(", min=").append(TMath.fmt(boundMin));
        if (boundMax != Double.POSITIVE_INFINITY) sb.append(", max=").append(TMath.fmt(boundMax));
        return sb.append(')').toString();
    }
}
