package org.cikqc.sim;

/**
 * The true class of a simulated event, with the one-character code used in the truth file's label string.
 * Exactly one class per event; flags (clog segment, margin) are kept separately.
 */
public enum EventClass {
    /** A counting bead: an identical particle, bright in every fluorescence detector. */
    BEAD('B'),
    /** Cell fragments and noise at low FSC; CD45−, 7-AAD mixed. */
    DEBRIS('.'),
    /** Two cells passing together: FSC-A ≈ sum of both, FSC-H ≈ 1.1 × the larger. */
    DOUBLET('D'),
    /** CD45− non-leukocyte single events (e.g. residual red cells); only with CD45 in the panel. */
    NON_LEUKOCYTE('L'),
    /** Dead (7-AAD bright or dim) single leukocyte, lower FSC and higher SSC. */
    DEAD('x'),
    /** Viable CD3+CD56− T cell. */
    CD3POS_CD56NEG('T'),
    /** Viable CD3+CD56+ NK-like T cell (the CIK effector); CD56 dim-to-bright continuum. */
    CD3POS_CD56POS('C'),
    /** Viable CD3−CD56+ NK cell, CD56 bright. */
    NK('N'),
    /** Viable CD3−CD56− leukocyte (B cells, monocytes: the "other" impurity). */
    CD3NEG_CD56NEG('O');

    private final char code;

    EventClass(char code) { this.code = code; }

    /** The character in the truth label string. */
    public char code() { return code; }

    /** True for the classes a perfect pipeline counts as CD45+ single leukocytes (the viability denominator). */
    public boolean isSingleLeukocyte() {
        return this == DEAD || isViable();
    }

    /** True for the four viable single-leukocyte classes. */
    public boolean isViable() {
        return this == CD3POS_CD56NEG || this == CD3POS_CD56POS || this == NK || this == CD3NEG_CD56NEG;
    }

    /** True for viable CD3+ classes. */
    public boolean isCd3Positive() {
        return this == CD3POS_CD56NEG || this == CD3POS_CD56POS;
    }

    /** The class with this label character. */
    public static EventClass ofCode(char c) {
        for (EventClass e : values()) if (e.code == c) return e;
        throw new IllegalArgumentException("unknown event class code '" + c + "'");
    }
}
