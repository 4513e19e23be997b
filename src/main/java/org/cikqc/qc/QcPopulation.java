package org.cikqc.qc;

/**
 * The standard populations of the CIK gating hierarchy and their paths. When CD45 is in the panel the hierarchy
 * has a {@code CD45+} level between singlets and viable cells:
 * <pre>
 * /cells/singlets/CD45+/viable/CD3+CD56+      (with CD45)
 * /cells/singlets/viable/CD3+CD56+            (without CD45)
 * </pre>
 * A gating pipeline reports its counts under these paths (see {@link QcInput.Builder#population(QcPopulation, long, long)}).
 */
public enum QcPopulation {
    /** Counting beads found among the events acquisition QC kept, and left out of the cells. */
    BEADS("/beads", false),
    /** Scatter (debris-excluded) cells. */
    CELLS("/cells", false),
    /** Single cells (FSC-A/FSC-H). */
    SINGLETS("/cells/singlets", false),
    /** CD45+ singlets (only when CD45 is in the panel). */
    LEUKOCYTES("/cells/singlets/CD45+", false),
    /** Viability-dye-negative cells (of CD45+ singlets, or of singlets without CD45). */
    VIABLE("/viable", true),
    /** CD3+ of viable. */
    CD3_POS("/viable/CD3+", true),
    /** CD3+CD56+ (CIK effector, NK-like T) of viable. */
    CD3_CD56("/viable/CD3+CD56+", true),
    /** CD3+CD56− (T) of viable. */
    CD3_CD56NEG("/viable/CD3+CD56-", true),
    /** CD3−CD56+ (NK) of viable. */
    NK("/viable/CD3-CD56+", true),
    /** CD3−CD56− (other / impurity) of viable. */
    DOUBLE_NEG("/viable/CD3-CD56-", true),
    /** CD4+ of viable CD3+. */
    CD4_POS("/viable/CD3+/CD4+", true),
    /** CD8+ of viable CD3+. */
    CD8_POS("/viable/CD3+/CD8+", true),
    /** CD16+ of viable CD3−CD56+. */
    NK_CD16("/viable/CD3-CD56+/CD16+", true);

    private final String suffix;
    private final boolean belowLeukocytes;

    QcPopulation(String suffix, boolean belowLeukocytes) {
        this.suffix = suffix;
        this.belowLeukocytes = belowLeukocytes;
    }

    /**
     * The path of this population in a hierarchy with ({@code cd45 = true}) or without CD45. {@link #LEUKOCYTES}
     * without CD45 is the singlets path (singlets stand in as the leukocyte denominator).
     */
    public String path(boolean cd45) {
        if (this == LEUKOCYTES) return cd45 ? suffix : SINGLETS.suffix;
        if (!belowLeukocytes) return suffix;
        return (cd45 ? LEUKOCYTES.suffix : SINGLETS.suffix) + suffix;
    }
}
