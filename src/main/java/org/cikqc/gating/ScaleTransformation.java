package org.cikqc.gating;

import java.util.Objects;

import org.cikqc.transform.Transform;

/**
 * A named scale transformation (flin, flog, fasinh, logicle, hyperlog; Gating-ML {@code boundMin}/{@code boundMax}
 * are expressed by wrapping it in a {@link org.cikqc.transform.BoundedTransform}).
 *
 * @param id        the transformation id
 * @param transform the function
 */
public record ScaleTransformation(String id, Transform transform) implements Transformation {
    public ScaleTransformation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(transform, "transform");
    }
}
