package org.cikqc.qc;

/**
 * How well a population's event count supports a quantitative result (ICCS guidance, domain study §1.6 and §6.1
 * A3): with the default spec, ≥ 100 events (≈ 10 % Poisson CV) is {@link #OK}, 25–99 is {@link #IMPRECISE}, fewer
 * than 25 (&gt; 20 % CV) is {@link #BELOW_LLOQ} and is reported as "&lt; LLOQ".
 */
public enum Lloq {
    /** Enough events to judge the population against a limit. */
    OK,
    /** Reported with an "imprecise" flag; not enough events to judge against a limit. */
    IMPRECISE,
    /** Below the lower limit of quantification: report "&lt; LLOQ". */
    BELOW_LLOQ
}
