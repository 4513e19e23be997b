package org.cikqc.autogate;

/**
 * The per-step density-threshold options of the CIK gating sequence, tuned on simulated products against their
 * truth:
 * <ul>
 * <li>CD45: read as one positive peak when unimodal (almost every event of a product is a leukocyte), with the
 * fallback threshold 5 robust SD below it — dead cells are CD45-dim, and a 3-SD tail cut them off — or lower,
 * down the peak's lower flank to where its density falls to 1 % of the peak's height: dead cells about half as
 * bright make a shoulder there, into which the 5-SD tail cut (an independent simulator's products with 15-30 %
 * dead cells read 2-3 pp too viable); peaks above the negative ceiling (CD45-dim dead cells in a peak of their
 * own) are all leukocytes;</li>
 * <li>CD3: several peaks at or below the negative ceiling are all negative (monocytes, lifted by autofluorescence
 * and Fc binding, below the CD3+ cells);</li>
 * <li>viability: read as one negative peak when unimodal (few dead cells); a dim shoulder on the viable peak
 * (dying cells not resolved from it) is not viable;</li>
 * <li>CD3, CD56, CD4, CD8, CD16: as the data say (the valley between the two peaks, or the tail of a single
 * peak read as negative or positive from its position), a single positive peak's threshold bounded when negatives
 * are smeared below it; for CD56 a single peak read as positive is bounded by its negative reading as well.</li>
 * </ul>
 * The caller adds the allowed window and the minimum peak height of its spec.
 */
public final class StepOptions {
    private StepOptions() { }

    /** CD45+ on singlets (see above). */
    public static DensityThreshold.Options cd45() {
        return DensityThreshold.Options.defaults().toBuilder().singlePeak(DensityThreshold.PeakRole.POSITIVE)
                .tailSigmas(5).lowerFlankFloor(0.01).negativesUpToCeiling(true).build();
    }

    /**
     * The viability dye on CD45+ singlets (viable = below the threshold). With an amine-reactive (fixable) dye the
     * viable cells stain dimly, and unstained events that reach this step (debris or non-leukocytes, above all
     * without a CD45 gate) form a small peak below them: a lowest peak with less than a tenth of the next peak's
     * events and under 5 % of all is not taken for the viable population when a brighter (dead) peak follows.
     * Dying cells (7-AAD-dim, or an intermediate amine-dye uptake) that form a shoulder on the viable peak's upper
     * flank rather than a peak of their own are not viable either: the threshold goes to where the shoulder begins
     * ({@link DensityThreshold.Options#shoulderSignificance()}; slope recovery 0.2 both ways, ≥ 1 % of the events).
     */
    public static DensityThreshold.Options viability() {
        return DensityThreshold.Options.defaults().toBuilder().singlePeak(DensityThreshold.PeakRole.NEGATIVE)
                .minorLowPeak(0.1, 0.05).shoulder(0.2, 0.01).build();
    }

    /**
     * CD3 on viable cells and the subsets (CD4, CD8 on CD3+; CD16 on NK): negatives not resolved below a single
     * positive peak, at least 5 % of the events beyond its mirror image, bound the threshold.
     */
    public static DensityThreshold.Options marker() {
        return DensityThreshold.Options.defaults().toBuilder().negativeShoulder(0.05).dimLowestPeak(0.01).build();
    }

    /**
     * CD3 on viable cells: as {@link #marker()}, and with three or more peaks every one at or below the negative
     * ceiling is negative: CIK products keep a few monocytes, which autofluorescence and Fc binding lift above the
     * CD3− lymphocytes into a peak of their own, still far below the CD3+ cells (an independent simulator's product
     * with 3 % monocytes read CD3+ 3.2 pp high with the threshold in the valley below them). Peaks left between the
     * negatives and the topmost (above the ceiling: monocytes binding a tandem, or CD3-dim T cells) bound the
     * threshold up to the valley below the topmost ({@link DensityThreshold.Options#middlePeakRange()}): a sixth
     * independent simulator's poorly expanded products, 8-20 % monocytes, read CD3+ 7-14 pp high at the lower valley.
     */
    public static DensityThreshold.Options cd3() {
        return marker().toBuilder().negativesUpToCeiling(true).middlePeakRange(1).build();
    }

    /**
     * CD56 on CD3+ cells: as {@link #marker()}, and a single peak read as positive may be the negatives, its
     * threshold bounded by both readings. The CD3+ cells of a CIK product are about 20-80 % CD56+ (domain study), so
     * a single CD56 peak is as likely the CD56- T cells (lifted above the negative ceiling by under-compensation or
     * bright blasts, the CD56+ ones smeared above them) as the CD56+ ones, and only its position decides which: read
     * as positive, CD3+CD56+ is nearly all CD3+ cells, which no CIK product shows. CD3 on viable cells is expected to
     * be one positive peak (CD3+ ≥ 80-90 %), and is not bounded this way. Peaks between the negatives and the
     * topmost, however many events they hold, bound the threshold up to the valley below the topmost
     * ({@link DensityThreshold.Options#middlePeakRange()}): CD4+ or CD8+ T cells lifted by a degraded tandem's
     * spillover the file's matrix does not correct (PE-Cy7 into PE) form such a peak, and the valley below it read
     * CD3+CD56+ 7-26 pp high on five products of a sixth independent simulator.
     */
    public static DensityThreshold.Options cd56() {
        return marker().toBuilder().boundPositiveReading(true).boundNegativeReading(true)
                .middlePeakRange(Double.POSITIVE_INFINITY).build();
    }
}
