package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cikqc.common.Severity;
import org.junit.jupiter.api.Test;

/**
 * Viability fits read by cell size: a brighter population of cells larger than the viable ones is live (activated
 * blasts), one of smaller cells is dead.
 */
class LiveBySizeTest {

    private static final LiveBySize.Options O = LiveBySize.Options.defaults();

    /** A population: n dye values (log-normal, median, log-SD) with FSC-A (log-normal around fsc, log-SD 0.2). */
    private record Pop(int n, double dye, double dyeSd, double fsc) { }

    private static double[][] sample(long seed, Pop... pops) {
        double[][] dye = new double[pops.length][];
        double[][] fsc = new double[pops.length][];
        for (int k = 0; k < pops.length; k++) {
            dye[k] = Synthetic.logNormal(seed + 2L * k, pops[k].n(), pops[k].dye(), pops[k].dyeSd());
            fsc[k] = Synthetic.logNormal(seed + 2L * k + 1, pops[k].n(), pops[k].fsc(), 0.2);
        }
        return new double[][] {Synthetic.concat(dye), Synthetic.concat(fsc)};
    }

    private static double below(double[] v, double t) {
        int n = 0;
        for (double x : v) if (x < t) n++;
        return (double) n / v.length;
    }

    private static DensityThreshold.Result fit(double[] dye) {
        return DensityThreshold.fit(dye, StepOptions.viability());
    }

    /** Resting live cells at 400, live blasts (2.3x larger) at 2,500, 3 % dead cells (smaller) at 60,000. */
    private static double[][] dapiLike() {
        return sample(11, new Pop(30_000, 400, 0.25, 50_000), new Pop(55_000, 2_500, 0.25, 115_000),
                new Pop(2_600, 60_000, 0.35, 45_000));
    }

    /** The viability fit of {@code s}, which reading by size leaves as it is (the same object). */
    private static DensityThreshold.Result assertUnchanged(double[][] s) {
        DensityThreshold.Result f = fit(s[0]);
        assertSame(f, LiveBySize.apply(f, s[0], s[1], O, AllowedWindow.ANY));
        return f;
    }

    @Test
    void largerBrighterCellsBetweenTheViableAndTheDeadPeakAreLive() {
        // DAPI-like: resting live cells at 400, live blasts (2.3x larger, violet autofluorescence) at 2,500, a few
        // dead cells (smaller) at 60,000; true viability 97 %
        double[][] s = dapiLike();
        DensityThreshold.Result f = fit(s[0]);
        assertTrue(below(s[0], f.threshold()) < 0.5, "the density alone cuts at the first valley: " + f.threshold());
        DensityThreshold.Result r = LiveBySize.apply(f, s[0], s[1], O, AllowedWindow.ANY);
        assertEquals(DensityThreshold.Method.LIVE_BY_SIZE, r.method());
        assertTrue(r.threshold() > 5_000 && r.threshold() < 30_000, "threshold in the blasts-dead valley: " + r.threshold());
        assertEquals(0.97, below(s[0], r.threshold()), 0.01);
        FitIssue i = r.issues().stream().filter(x -> x.code() == FitIssue.Code.LIVE_BY_SIZE).findFirst().orElseThrow();
        assertEquals(Severity.INFO, i.severity());
        assertTrue(i.message().contains("median FSC-A"), i.message());
        assertFalse(r.hasPlausibleRange());
        assertEquals(r.fractionAbove(), 1 - below(s[0], r.threshold()), 1e-9);
    }

    @Test
    void aTopmostPeakOfLargerCellsIsLiveUpToItsUpperTail() {
        // amine-dye-like: resting live at 2,700, blasts (2.3x larger, more surface) at 8,300, and 2 % dead cells
        // (smaller) at 25,000 not resolved from the blasts' upper flank; true viability 98 %
        double[][] s = sample(21, new Pop(22_000, 2_700, 0.25, 210_000), new Pop(53_000, 8_300, 0.3, 490_000),
                new Pop(1_500, 25_000, 0.4, 220_000));
        DensityThreshold.Result f = fit(s[0]);
        assertEquals(2, f.peaks().size(), f.peaks().toString());
        assertTrue(below(s[0], f.threshold()) < 0.5, "the density alone cuts between resting and blasts: " + f.threshold());
        DensityThreshold.Result r = LiveBySize.apply(f, s[0], s[1], O, AllowedWindow.ANY);
        assertEquals(DensityThreshold.Method.LIVE_BY_SIZE, r.method());
        assertTrue(Double.isNaN(r.valley()), "a tail, not a valley");
        assertEquals(0.98, below(s[0], r.threshold()), 0.02);
        assertTrue(r.issues().stream().anyMatch(x -> x.message().contains("topmost peak")), r.issues().toString());
    }

    @Test
    void aShoulderOfLargerCellsIsLiveUnlessTheSiteValidatedItAsDyingCells() {
        // the dim shoulder of DensityThresholdTest's fixable-dye sample (60 % viable), its cells as large as blasts
        // (2.2x): live, so the threshold goes to the valley above it; a shoulder the site validated stays
        double[][] s = sample(300, new Pop(24_000, 1_000, 0.3, 50_000), new Pop(2_000, 2_900, 0.25, 110_000),
                new Pop(14_000, 20_000, 0.35, 35_000));
        DensityThreshold.Result f = fit(s[0]);
        assertEquals(DensityThreshold.Method.SHOULDER, f.method(), f.issues().toString());
        DensityThreshold.Result r = LiveBySize.apply(f, s[0], s[1], O, AllowedWindow.ANY);
        assertEquals(DensityThreshold.Method.LIVE_BY_SIZE, r.method());
        assertEquals(0.65, below(s[0], r.threshold()), 0.01);
        assertFalse(r.issues().stream().anyMatch(x -> x.code() == FitIssue.Code.DIM_SHOULDER), r.issues().toString());
        assertFalse(r.flagged(), r.issues().toString());
        DensityThreshold.Result validated = DensityThreshold.fit(s[0], StepOptions.viability().toBuilder()
                .shoulderValidated(true).build());
        assertEquals(DensityThreshold.Method.SHOULDER, validated.method());
        assertSame(validated, LiveBySize.apply(validated, s[0], s[1], O, AllowedWindow.ANY));
        // the same shoulder of cells as small as the viable ones: dying, the shoulder stands
        assertUnchanged(sample(300, new Pop(24_000, 1_000, 0.3, 50_000), new Pop(2_000, 2_900, 0.25, 45_000),
                new Pop(14_000, 20_000, 0.35, 35_000)));
    }

    @Test
    void aBrighterPopulationOfSmallerCellsIsDead() {
        // 7-AAD: live at 50, dead (shrunk) at 20,000: the valley stands
        assertUnchanged(sample(31, new Pop(40_000, 50, 0.5, 50_000), new Pop(8_000, 20_000, 0.4, 30_000)));
    }

    @Test
    void dyingCellsOfTheSameSizeAreNotReadAsLive() {
        // a dim (apoptotic) peak whose cells are as large as the viable ones, and a bright dead peak: not larger by
        // the ratio, so the first valley stands
        DensityThreshold.Result f = assertUnchanged(sample(41, new Pop(40_000, 300, 0.3, 60_000),
                new Pop(6_000, 4_000, 0.25, 66_000), new Pop(5_000, 60_000, 0.3, 40_000)));
        assertTrue(f.peaks().size() >= 2, f.peaks().toString());
    }

    @Test
    void aPopulationTooSmallToReadIsLeftAlone() {
        // 0.6 % larger bright cells above the valley: fewer than 1 % of the events
        assertUnchanged(sample(51, new Pop(40_000, 300, 0.3, 60_000), new Pop(250, 20_000, 0.2, 150_000)));
    }

    @Test
    void aMovedThresholdIsCheckedAgainstTheWindowAndMismatchedArraysAreLeftAlone() {
        double[][] s = dapiLike();
        DensityThreshold.Result f = fit(s[0]);
        DensityThreshold.Result r = LiveBySize.apply(f, s[0], s[1], O, new AllowedWindow(0, 3_000));
        assertTrue(r.issues().stream().anyMatch(x -> x.code() == FitIssue.Code.OUTSIDE_ALLOWED_WINDOW), r.issues().toString());
        assertSame(f, LiveBySize.apply(f, s[0], java.util.Arrays.copyOf(s[1], 10), O, AllowedWindow.ANY));
    }

    @Test
    void nonFiniteValuesAreSkippedAndOptionsAreValidated() {
        double[][] s = dapiLike();
        s[1][0] = Double.NaN;
        s[0][1] = Double.POSITIVE_INFINITY;
        DensityThreshold.Result r = LiveBySize.apply(fit(s[0]), s[0], s[1], O, AllowedWindow.ANY);
        assertEquals(DensityThreshold.Method.LIVE_BY_SIZE, r.method());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LiveBySize.Options(1.0, 0.01, 3, 0.2, 0.9));
    }

    /**
     * Amine-dye-like: live cells at 650, dying cells (0.8x their size) spread over a decade around 1,500, dead cells
     * (half their size) at 19,000; true viability 43 %. The dying cells fill the valley: read there, about 71 %
     * viable. Whether the density shows them as a shoulder of the live peak varies from sample to sample; where it
     * does not, their size does, and the threshold goes where they are as dense as the live peak.
     */
    private static double[][] amineWithDyingSmear(long seed, double dyingFsc) {
        return sample(seed, new Pop(13_000, 650, 0.35, 60_000), new Pop(9_000, 1_500, 0.9, dyingFsc),
                new Pop(8_000, 19_000, 0.5, 30_000));
    }

    @Test
    void aSmearOfSmallerDyingCellsOverTheViablePeakIsNotViable() {
        int bySize = 0;
        for (long seed = 1; seed <= 8; seed++) {
            double[][] s = amineWithDyingSmear(seed * 100, 48_000);
            DensityThreshold.Result f = fit(s[0]);
            double valley = below(s[0], f.method() == DensityThreshold.Method.VALLEY ? f.threshold() : f.plausibleHigh());
            assertEquals(0.71, valley, 0.03, "seed " + seed + ": the valley counts most dying cells viable");
            DensityThreshold.Result r = LiveBySize.dyingBySize(f, s[0], s[1], O, false, AllowedWindow.ANY);
            if (f.method() == DensityThreshold.Method.VALLEY) {
                bySize++;
                FitIssue i = r.issues().stream().filter(x -> x.code() == FitIssue.Code.DIM_SHOULDER).findFirst()
                        .orElseThrow(() -> new AssertionError("no smear read: " + r.issues()));
                assertEquals(Severity.WARNING, i.severity());
                assertTrue(i.message().contains("smaller than the viable cells"), i.message());
                // the low end takes off the smear's part below the threshold: lower, and no lower than the truth
                // (43 % viable) by much
                assertTrue(r.plausibleLow() <= r.threshold(), r.plausibleLow() + " > " + r.threshold());
                assertTrue(below(s[0], r.plausibleLow()) > 0.40, "seed " + seed + ": low end " + below(s[0], r.plausibleLow()));
                assertEquals(f.threshold(), r.plausibleHigh(), 0);
                assertEquals(r.fractionAbove(), 1 - below(s[0], r.threshold()), 1e-9);
                assertTrue(LiveBySize.readBySize(r), "the size figure shows the evidence");
            } else {
                assertSame(f, r, "a shoulder the density found is left as it is");
                assertFalse(LiveBySize.readBySize(r), "a shoulder of the density alone is not read by size");
            }
            assertEquals(DensityThreshold.Method.SHOULDER, r.method(), "seed " + seed + ": " + r.issues());
            double viable = below(s[0], r.threshold());
            assertTrue(viable > 0.52 && viable < 0.64, "seed " + seed + ": viability " + viable);
            double[] live = java.util.Arrays.copyOf(s[0], 13_000);
            assertTrue(below(live, r.threshold()) > 0.97, "seed " + seed + ": live cells kept viable");
            // a site that validated its dim cells as dying: the same threshold, an INFO note, no range
            DensityThreshold.Result v = LiveBySize.dyingBySize(f, s[0], s[1], O, true, AllowedWindow.ANY);
            if (f.method() == DensityThreshold.Method.VALLEY) {
                assertEquals(r.threshold(), v.threshold(), 0);
                assertFalse(v.hasPlausibleRange());
                assertFalse(v.flagged(), v.issues().toString());
                assertSame(v, LiveBySize.apply(v, s[0], s[1], O, AllowedWindow.ANY), "not read again by size");
            }
        }
        assertTrue(bySize >= 2, "samples whose smear only the size shows: " + bySize);
    }

    @Test
    void aSmearOfCellsAsLargeAsTheViableOnesStaysViable() {
        // the same dye values, the dim cells as large as the live ones: a skewed live population, or live cells of
        // another kind; and a DNA dye's unstained peak squeezed against zero with an exponential upper tail
        for (long seed = 1; seed <= 8; seed++) {
            double[][] s = amineWithDyingSmear(seed * 100, 60_000);
            DensityThreshold.Result f = fit(s[0]);
            assertSame(f, LiveBySize.dyingBySize(f, s[0], s[1], O, false, AllowedWindow.ANY));
        }
        java.util.Random rnd = new java.util.Random(40);
        double[] dna = new double[40_000];
        double[] fsc = new double[dna.length];
        for (int i = 0; i < dna.length; i++) {
            dna[i] = i < 37_000 ? 60 + 80 * -Math.log(1 - rnd.nextDouble()) + 15 * rnd.nextGaussian()
                    : 1_500 * Math.exp(0.6 * rnd.nextGaussian());
            fsc[i] = (i < 37_000 ? 60_000 : 30_000) * Math.exp(0.2 * rnd.nextGaussian());
        }
        DensityThreshold.Result f = fit(dna);
        assertEquals(DensityThreshold.Method.VALLEY, f.method());
        assertSame(f, LiveBySize.dyingBySize(f, dna, fsc, O, false, AllowedWindow.ANY));
    }
}
