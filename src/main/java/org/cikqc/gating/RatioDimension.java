package org.cikqc.gating;

import java.util.Objects;

/**
 * A Gating-ML {@code new-dimension}: the {@link RatioTransformation} {@code ratioRef} (fratio of two channels, both
 * compensated per {@code compensationRef}), optionally followed by the scale transformation
 * {@code transformationRef}.
 *
 * @param ratioRef          id of a {@link RatioTransformation}
 * @param compensationRef   {@link Dimension#FCS}, {@link Dimension#UNCOMPENSATED} or a matrix id
 * @param transformationRef id of a scale transformation applied to the ratio, or null
 */
public record RatioDimension(String ratioRef, String compensationRef, String transformationRef) implements Dimension {

    public RatioDimension {
        Objects.requireNonNull(ratioRef, "ratioRef");
        Objects.requireNonNull(compensationRef, "compensationRef");
        if (transformationRef != null && transformationRef.isEmpty()) transformationRef = null;
    }

    @Override
    public String label() {
        return ratioRef + " [" + compensationRef + (transformationRef == null ? "" : ", " + transformationRef) + "]";
    }
}
