package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ViableDebrisTest {
    private static final double LOWER = 16_000; // the cells gate's FSC-A boundary

    /** Live cells (FSC-A median 80,000) and the upper tail of debris (median 12,000) that passed the cells gate. */
    private static double[] liveAndDebris(long seed, int live, int debris) {
        double[] d = Synthetic.logNormal(seed + 1, debris * 4, 12_000, 0.55);
        double[] kept = Arrays.stream(d).filter(v -> v > LOWER).limit(debris).toArray();
        return Synthetic.concat(Synthetic.logNormal(seed, live, 80_000, 0.2), kept);
    }

    private static int countBelow(double[] v, double cut) {
        int n = 0;
        for (double x : v) if (x > LOWER && x < cut) n++;
        return n;
    }

    @Test
    void findsTheDebrisTailBelowTheLiveCells() {
        double[] fsc = liveAndDebris(1, 15_000, 700);
        ViableDebris.Result r = ViableDebris.fit(fsc, LOWER, ViableDebris.Options.defaults());
        assertTrue(r.found(), r.issues().toString());
        assertTrue(r.cut() > 25_000 && r.cut() < 45_000, "cut " + r.cut());
        assertEquals(countBelow(fsc, r.cut()), r.debris());
        // nearly all debris below the cut, hardly any live cell
        double[] live = Synthetic.logNormal(1, 15_000, 80_000, 0.2);
        assertTrue(countBelow(live, r.cut()) < 30, "live cells below the cut: " + countBelow(live, r.cut()));
        assertTrue(r.debris() > 550, "debris found " + r.debris());
        assertTrue(r.issues().stream().anyMatch(i -> i.code() == FitIssue.Code.DYE_NEGATIVE_DEBRIS));
        assertFalse(r.flagged(), "information only");
        assertTrue(r.debrisMode() < 0.35 * r.mainMode() && r.peakToValley() >= 1.5);
    }

    @Test
    void liveCellsAloneHaveNoDebris() {
        double[] fsc = Synthetic.logNormal(2, 20_000, 80_000, 0.25);
        ViableDebris.Result r = ViableDebris.fit(fsc, LOWER, ViableDebris.Options.defaults());
        assertFalse(r.found(), r.issues().toString());
        assertEquals(0, r.debris());
        assertTrue(r.issues().stream().anyMatch(i -> i.code() == FitIssue.Code.NO_DEBRIS_PEAK
                || i.code() == FitIssue.Code.UNIMODAL));
    }

    @Test
    void smallLiveLymphocytesBesideBlastsAreNotDebris() {
        // resting lymphocytes at half the blasts' FSC-A: a population of their own, but cells
        double[] fsc = Synthetic.concat(Synthetic.logNormal(3, 12_000, 80_000, 0.15),
                Synthetic.logNormal(4, 4_000, 40_000, 0.12));
        ViableDebris.Result r = ViableDebris.fit(fsc, LOWER, ViableDebris.Options.defaults());
        assertFalse(r.found(), r.issues().toString());
    }

    @Test
    void aFewStrayEventsAreNotDebris() {
        double[] fsc = liveAndDebris(5, 20_000, 12);
        ViableDebris.Result r = ViableDebris.fit(fsc, LOWER, ViableDebris.Options.defaults());
        assertFalse(r.found(), r.issues().toString());
    }

    @Test
    void tooFewOrUnusableEventsAreReported() {
        ViableDebris.Result r = ViableDebris.fit(new double[] {1, 2, Double.NaN, -5}, Double.NaN,
                ViableDebris.Options.defaults());
        assertFalse(r.found());
        assertEquals(FitIssue.Code.TOO_FEW_EVENTS, r.issues().get(0).code());
        assertThrows(IllegalArgumentException.class, () -> new ViableDebris.Options(0.3, 0.5, 1.5, 0.002, 20, 3, 200));
    }
}
