package org.cikqc.qc;


/**
 * The reported attributes. Each is one population as a percentage of its parent: the numerator is
 * {@link #population()} and the denominator its parent. The {@link #key()} is the name used in the spec
 * ({@code limits.attributes}) and in {@code result.json} ({@code metrics}).
 */
public enum Metric {
    /** Viable / CD45+ singlets (or / singlets without CD45). */
    VIABILITY("viability_pct", QcPopulation.VIABLE, null, "viability"),
    /** CD3+ / viable. */
    CD3("cd3_pct", QcPopulation.CD3_POS, null, "CD3+"),
    /** CD3+CD56+ / viable. */
    CD3_CD56("cd3_cd56_pct", QcPopulation.CD3_CD56, null, "CD3+CD56+"),
    /** CD3−CD56+ (NK) / viable. */
    NK("nk_pct", QcPopulation.NK, null, "CD3-CD56+ (NK)"),
    /** CD3+CD56− / viable. */
    CD3_CD56NEG("cd3_cd56neg_pct", QcPopulation.CD3_CD56NEG, null, "CD3+CD56-"),
    /** CD4+ / viable CD3+ (only when CD4 is in the panel). */
    CD4("cd4_pct", QcPopulation.CD4_POS, PanelRole.CD4, "CD4+ of CD3+"),
    /** CD8+ / viable CD3+ (only when CD8 is in the panel). */
    CD8("cd8_pct", QcPopulation.CD8_POS, PanelRole.CD8, "CD8+ of CD3+");

    private final String key;
    private final QcPopulation population;
    private final PanelRole optionalMarker;
    private final String label;

    Metric(String key, QcPopulation population, PanelRole optionalMarker, String label) {
        this.key = key;
        this.population = population;
        this.optionalMarker = optionalMarker;
        this.label = label;
    }

    /** The spec/result key, e.g. {@code cd3_cd56_pct}. */
    public String key() { return key; }

    /** The numerator population (its parent is the denominator). */
    public QcPopulation population() { return population; }

    /** The optional marker this metric needs (CD4, CD8), or null when it needs only core roles. */
    public PanelRole optionalMarker() { return optionalMarker; }

    /** A short human label for reasons ("CD3+CD56+"). */
    public String label() { return label; }
}
