package org.cikqc.transform;

/**
 * A one-dimensional scale transformation y = f(x) with its inverse.
 *
 * <p>Implementations are immutable value records and thread-safe. Non-finite inputs propagate as IEEE arithmetic
 * does (NaN stays NaN); see each record for values outside the transform's domain.
 */
public sealed interface Transform
        permits LinearTransform, LogTransform, AsinhTransform, LogicleTransform, HyperlogTransform,
                BoundedTransform, FlowJoBiexTransform {

    /** The transformed (display-scale) value of data value {@code x}. */
    double apply(double x);

    /** The data value whose transform is {@code y}. */
    double inverse(double y);

    /**
     * Transforms {@code v[0..n)} in place. Implementations override this where hoisting per-call work out of the
     * loop pays.
     *
     * @throws IndexOutOfBoundsException if {@code n > v.length}
     */
    default void applyInPlace(double[] v, int n) {
        if (n > v.length) throw new IndexOutOfBoundsException("n=" + n + " > length " + v.length);
        for (int i = 0; i < n; i++) v[i] = apply(v[i]);
    }

    /** Inverse-transforms {@code v[0..n)} in place. */
    default void inverseInPlace(double[] v, int n) {
        if (n > v.length) throw new IndexOutOfBoundsException("n=" + n + " > length " + v.length);
        for (int i = 0; i < n; i++) v[i] = inverse(v[i]);
    }

    /** A short human-readable description with the parameters, e.g. {@code logicle(T=262144, W=0.5, M=4.5, A=0)}. */
    String describe();
}
