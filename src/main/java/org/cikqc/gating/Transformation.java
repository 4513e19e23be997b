package org.cikqc.gating;

/**
 * A named Gating-ML {@code transforms:transformation}: either a scale transformation applied to a dimension
 * ({@link ScaleTransformation}) or an fratio defining a new dimension ({@link RatioTransformation}).
 */
public sealed interface Transformation permits ScaleTransformation, RatioTransformation {

    /** The id gates refer to. */
    String id();
}
