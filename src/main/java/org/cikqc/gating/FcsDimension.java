package org.cikqc.gating;

import java.util.Objects;

/**
 * A Gating-ML {@code fcs-dimension}: the values of one channel, compensated per {@code compensationRef} and
 * optionally transformed. With a matrix reference, {@code name} names an output of that matrix (a fluorochrome of a
 * {@code spectrumMatrix}) or a channel the matrix does not touch (e.g. scatter).
 *
 * @param name              channel ($PnN) or fluorochrome name
 * @param compensationRef   {@link Dimension#FCS}, {@link Dimension#UNCOMPENSATED} or a matrix id
 * @param transformationRef id of a scale transformation, or null
 */
public record FcsDimension(String name, String compensationRef, String transformationRef) implements Dimension {

    public FcsDimension {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(compensationRef, "compensationRef");
        if (transformationRef != null && transformationRef.isEmpty()) transformationRef = null;
    }

    /** An uncompensated, untransformed channel. */
    public static FcsDimension of(String name) { return new FcsDimension(name, UNCOMPENSATED, null); }

    @Override
    public String label() {
        return name + " [" + compensationRef + (transformationRef == null ? "" : ", " + transformationRef) + "]";
    }
}
