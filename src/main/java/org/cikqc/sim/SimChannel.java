package org.cikqc.sim;

/**
 * One parameter of the simulated FCS file, named as a BD FACSDiva instrument would write it.
 *
 * @param name   $PnN, e.g. {@code FITC-A}
 * @param marker $PnS, e.g. {@code CD3}, or null for scatter and time
 * @param kind   what the channel measures
 */
public record SimChannel(String name, String marker, Kind kind) {

    /** Channel kinds. */
    public enum Kind { SCATTER, FLUORESCENCE, TIME }

    /** $PnR of every simulated parameter (18-bit BD range). */
    public static final double RANGE = 262_144;

    /** The largest value a parameter can take: $PnR − 1; events at this value are saturated. */
    public static final double MAX_VALUE = RANGE - 1;
}
