/**
 * Gating-ML 2.0 scale transformations ({@code flin}, {@code flog}, {@code fasinh}, {@code logicle},
 * {@code hyperlog}, {@code fratio}), output bounds ({@code transforms:boundMin/boundMax}) and FlowJo 10's
 * lookup-table biexponential.
 *
 * <p>Every {@link org.cikqc.transform.Transform} maps a data value x to a display value y; for the Gating-ML
 * transforms the "top of scale" T maps to 1. Parameters are validated in the records' compact constructors and
 * violations raise {@link org.cikqc.common.CikqcException#spec(String)} with a message naming the transform and
 * the parameter. Numerical constants of logicle, hyperlog and the FlowJo table are computed once per distinct
 * parameter set and cached. This package depends only on {@code org.cikqc.common}.
 */
package org.cikqc.transform;
