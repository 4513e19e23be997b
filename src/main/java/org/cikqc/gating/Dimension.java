package org.cikqc.gating;

/**
 * One axis a gate is drawn on: which values (an FCS channel or a ratio of two channels), compensated how
 * ({@link #compensationRef()}), and on which scale ({@link #transformationRef()}). Two gates that use equal
 * dimensions share one computed column in the engine.
 *
 * <p>Compensation references follow Gating-ML 2.0: {@value #UNCOMPENSATED} (scale values as stored, $PnE/$PnG
 * applied), {@value #FCS} (the data set's own spillover matrix, identity when it has none) or the id of a
 * {@link CompensationMatrix} in the strategy.
 */
public sealed interface Dimension permits FcsDimension, RatioDimension {

    /** Compensation reference for the acquisition-defined ($SPILLOVER) matrix of the data set. */
    String FCS = "FCS";

    /** Compensation reference for uncompensated scale values. */
    String UNCOMPENSATED = "uncompensated";

    /** {@value #FCS}, {@value #UNCOMPENSATED} or a matrix id; never null. */
    String compensationRef();

    /** Id of a {@link ScaleTransformation} applied last, or null for the untransformed values. */
    String transformationRef();

    /** A short human label, e.g. {@code FL1-H [FCS, Logicle1]}. */
    String label();
}
