package org.cikqc.sim;

/**
 * The QC metrics a perfect gating would report, computed from the true labels with the QC's definitions. All
 * percentages are 0–100; a metric whose denominator is empty, or whose markers are not in the panel, is null.
 *
 * @param events             events considered
 * @param cd45Singlets       single leukocytes (dead or viable): the viability denominator
 * @param viable             viable single leukocytes: the phenotype denominator
 * @param viabilityPct       viable / CD45+ singlets
 * @param cd3PctOfViable     CD3+ (CD56+ or −) / viable
 * @param cd3cd56PctOfViable CD3+CD56+ / viable
 * @param cd3Cd56negPctOfViable CD3+CD56− / viable
 * @param nkPctOfViable      CD3−CD56+ / viable
 * @param otherPctOfViable   CD3−CD56− / viable
 * @param cd8PctOfCd3        CD8+ / viable CD3+ (null without CD4/CD8 in the panel)
 * @param cd4PctOfCd3        CD4+ / viable CD3+ (null without CD4/CD8 in the panel)
 * @param cd16PctOfNk        CD16+ / NK (null without CD16 in the panel)
 */
public record TruthMetrics(long events, long cd45Singlets, long viable, Double viabilityPct, Double cd3PctOfViable,
                           Double cd3cd56PctOfViable, Double cd3Cd56negPctOfViable, Double nkPctOfViable,
                           Double otherPctOfViable, Double cd8PctOfCd3, Double cd4PctOfCd3, Double cd16PctOfNk) {

    /**
     * Computes the metrics from per-class counts and marker-bit counts.
     *
     * @param classCounts counts indexed by {@link EventClass#ordinal()}
     * @param cd8OfCd3    viable CD3+ events with the CD8 bit
     * @param cd4OfCd3    viable CD3+ events with the CD4 bit
     * @param cd16OfNk    NK events with the CD16 bit
     * @param spec        the spec (which markers the panel has)
     */
    static TruthMetrics of(long[] classCounts, long cd8OfCd3, long cd4OfCd3, long cd16OfNk, SimulationSpec spec) {
        long events = 0;
        long singlets = 0;
        long viable = 0;
        for (EventClass c : EventClass.values()) {
            long n = classCounts[c.ordinal()];
            events += n;
            if (c.isSingleLeukocyte()) singlets += n;
            if (c.isViable()) viable += n;
        }
        long t = classCounts[EventClass.CD3POS_CD56NEG.ordinal()];
        long cik = classCounts[EventClass.CD3POS_CD56POS.ordinal()];
        long nk = classCounts[EventClass.NK.ordinal()];
        long other = classCounts[EventClass.CD3NEG_CD56NEG.ordinal()];
        return new TruthMetrics(events, singlets, viable, pct(viable, singlets), pct(t + cik, viable),
                pct(cik, viable), pct(t, viable), pct(nk, viable), pct(other, viable),
                spec.withCd4Cd8() ? pct(cd8OfCd3, t + cik) : null,
                spec.withCd4Cd8() ? pct(cd4OfCd3, t + cik) : null,
                spec.withCd16() ? pct(cd16OfNk, nk) : null);
    }

    private static Double pct(long k, long n) {
        return n == 0 ? null : 100.0 * k / n;
    }
}
