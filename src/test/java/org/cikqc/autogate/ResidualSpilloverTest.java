package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.cikqc.transform.LogicleTransform;
import org.cikqc.transform.Transform;
import org.junit.jupiter.api.Test;

/**
 * CD3+ cells of a CIK product: CD3 log-normal over a decade, CD56 negatives around 0 with detector noise and
 * spreading, CIK cells CD56 log-normal; residual spillover adds slope × CD3 to every cell's CD56.
 */
class ResidualSpilloverTest {

    private static final Transform SPACE = new LogicleTransform(262_144, 0.5, 4.5, 0);
    private static final DensityThreshold.Options DENSITY = StepOptions.cd56();

    /** events: [0] CD3, [1] CD56; {@code cikFromCd3} makes the CIK share climb with CD3 (biology, not spillover). */
    private static double[][] cells(long seed, int n, double cikShare, double slope, boolean cikFromCd3) {
        Random r = new Random(seed);
        double[] cd3 = new double[n];
        double[] cd56 = new double[n];
        for (int e = 0; e < n; e++) {
            double z = r.nextGaussian();
            cd3[e] = 30_000 * Math.pow(10, 0.3 * z);
            double share = cikFromCd3 ? Math.min(0.9, Math.max(0.02, cikShare + 0.35 * z)) : cikShare;
            double own = r.nextDouble() < share ? 4_000 * Math.pow(10, 0.3 * r.nextGaussian()) : 0;
            double noise = Math.sqrt(60 * 60 + 2 * (own + 0.01 * cd3[e])) * r.nextGaussian();
            cd56[e] = own + 150 + noise + slope * cd3[e];
        }
        return new double[][] {cd3, cd56};
    }

    private static ResidualSpillover.Result fit(double[][] c) {
        return ResidualSpillover.fit(c[0], c[1], SPACE, DENSITY, ResidualSpillover.Options.defaults());
    }

    @Test
    void aLeaningNegativePopulationGivesTheMissingMatrixEntry() {
        for (double slope : new double[] {0.03, 0.06}) {
            double[][] c = cells(11, 20_000, 0.3, slope, false);
            ResidualSpillover.Result r = fit(c);
            assertTrue(r.measured() && r.found(), "slope " + slope + ": " + r);
            assertEquals(slope, r.slope(), 0.2 * slope);
            assertTrue(r.r2() > 0.95, "R² " + r.r2());
            double[] level = r.level();
            assertTrue(level[level.length - 1] > level[0], "the negative level climbs with CD3");
            // corrected by the slope, the negatives lie (nearly) level again
            assertEquals(1_000 - r.slope() * 50_000, r.correct(1_000, 50_000), 1e-9);
            double[] corrected = new double[c[1].length];
            for (int e = 0; e < corrected.length; e++) corrected[e] = r.correct(c[1][e], c[0][e]);
            ResidualSpillover.Result again = fit(new double[][] {c[0], corrected});
            assertTrue(Math.abs(again.slope()) < 0.1 * slope, "after correction: " + again.slope());
        }
    }

    @Test
    void correctCompensationLeavesTheNegativesLevel() {
        for (long seed = 1; seed <= 5; seed++) {
            ResidualSpillover.Result r = fit(cells(seed, 20_000, 0.3, 0, false));
            assertTrue(r.measured());
            assertFalse(r.found(), "seed " + seed + ": " + r);
        }
    }

    @Test
    void aPositiveShareThatFollowsCd3IsNotSpillover() {
        // more CIK cells among the brighter CD3 cells: the positives' share changes, their negatives' level does not
        ResidualSpillover.Result r = fit(cells(7, 20_000, 0.3, 0, true));
        assertTrue(r.measured());
        assertFalse(r.found(), r.toString());
    }

    @Test
    void anOverstatedEntryPushingNegativesDownIsNotRead() {
        ResidualSpillover.Result r = fit(cells(3, 20_000, 0.3, -0.04, false));
        assertTrue(r.measured());
        assertTrue(r.slope() < 0, "measured as falling: " + r.slope());
        assertFalse(r.found());
    }

    @Test
    void anOverstatedEntryIsReadWhenFallingLevelsAreAsked() {
        ResidualSpillover.Options falling = ResidualSpillover.Options.defaults().withFalling();
        assertTrue(falling.falling() && !ResidualSpillover.Options.defaults().falling());
        for (double slope : new double[] {-0.03, -0.06}) {
            double[][] c = cells(13, 20_000, 0.3, slope, false);
            ResidualSpillover.Result r = ResidualSpillover.fit(c[0], c[1], SPACE, DENSITY, falling);
            assertTrue(r.measured() && r.found(), "slope " + slope + ": " + r);
            assertEquals(slope, r.slope(), 0.2 * Math.abs(slope));
            assertTrue(r.shift() < 0, "the negative level falls with CD3: " + r.shift());
            double[] level = r.level();
            assertTrue(level[level.length - 1] < level[0], "the negative level falls with CD3");
            // and a climbing one is still read
            double[][] up = cells(13, 20_000, 0.3, -slope, false);
            assertTrue(ResidualSpillover.fit(up[0], up[1], SPACE, DENSITY, falling).found());
        }
        // level negatives and a positive share that follows CD3 are not read either way
        for (long seed = 1; seed <= 5; seed++) {
            double[][] c = cells(seed, 20_000, 0.3, 0, false);
            assertFalse(ResidualSpillover.fit(c[0], c[1], SPACE, DENSITY, falling).found(), "seed " + seed);
        }
        double[][] biology = cells(7, 20_000, 0.3, 0, true);
        assertFalse(ResidualSpillover.fit(biology[0], biology[1], SPACE, DENSITY, falling).found());
    }

    @Test
    void negativesPiledUpAtTheFloorHaveNoLevel() {
        // a channel whose lowest value is 1,500: the dim CD3 cells' negatives pile up there, the bright ones' are
        // lifted clear of it by the spillover. Read without the floor, the pile's spike is a level in the dim bins
        double[][] c = cells(17, 20_000, 0.3, 0.06, false);
        double floor = 1_500;
        for (int e = 0; e < c[1].length; e++) c[1][e] = Math.max(floor, c[1][e]);
        assertTrue(fit(c).found(), "without the floor the step reads as a line");
        DensityThreshold.Options withFloor = DENSITY.toBuilder().floor(floor).build();
        ResidualSpillover.Result r = ResidualSpillover.fit(c[0], c[1], SPACE, withFloor,
                ResidualSpillover.Options.defaults().withFalling());
        assertFalse(r.measured() || r.found(), r.toString());
        // a floor below every negative changes nothing
        double[][] clear = cells(17, 20_000, 0.3, 0.06, false);
        DensityThreshold.Options low = DENSITY.toBuilder().floor(-1e6).build();
        assertEquals(fit(clear).slope(), ResidualSpillover.fit(clear[0], clear[1], SPACE, low,
                ResidualSpillover.Options.defaults()).slope(), 1e-12);
    }

    @Test
    void tooFewEventsAreNotMeasured() {
        ResidualSpillover.Result r = fit(cells(5, 1_500, 0.3, 0.05, false));
        assertFalse(r.measured());
        assertFalse(r.found());
        assertTrue(Double.isNaN(r.slope()));
        // a source without spread carries no slope
        double[][] c = cells(5, 20_000, 0.3, 0, false);
        java.util.Arrays.fill(c[0], 25_000);
        assertFalse(fit(c).measured());
        assertThrows(IllegalArgumentException.class,
                () -> ResidualSpillover.fit(new double[3], new double[4], SPACE, DENSITY, ResidualSpillover.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new ResidualSpillover.Options(2, 250, 0.1, 0.98, 0.1, 0.8, 0.05, false));
    }
}
