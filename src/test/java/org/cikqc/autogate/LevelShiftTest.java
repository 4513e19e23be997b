package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

class LevelShiftTest {
    private static final DoubleUnaryOperator FIVE_PERCENT = level -> 0.05;

    /** 100 points at positions 0..99: {@code course(i) + noise}, plus {@code shift} on [from, to). */
    private static double[] series(long seed, double sd, DoubleUnaryOperator course, int from, int to, double shift) {
        Random r = new Random(seed);
        double[] y = new double[100];
        for (int i = 0; i < y.length; i++) {
            y[i] = course.applyAsDouble(i) + sd * r.nextGaussian() + (i >= from && i < to ? shift : 0);
        }
        return y;
    }

    private static double[] positions() {
        double[] t = new double[100];
        for (int i = 0; i < t.length; i++) t[i] = i;
        return t;
    }

    @Test
    void findsALongStepOnATrendWithItsEdgesAndSize() {
        for (long seed = 1; seed <= 10; seed++) {
            double[] y = series(seed, 0.01, i -> 2 - 0.001 * i, 40, 65, -0.2);
            LevelShift.Fit fit = LevelShift.find(positions(), y, 0.01, 6, FIVE_PERCENT, 3);
            assertEquals(1, fit.shifts().size(), "seed " + seed + ": " + fit.shifts());
            LevelShift.Shift s = fit.shifts().get(0);
            assertEquals(40, s.from(), "seed " + seed);
            assertEquals(65, s.to(), "seed " + seed);
            assertEquals(-0.2, s.shift(), 0.01);
            assertTrue(s.z() < -6);
            assertEquals(2 - 0.001 * 10, fit.course(10), 0.01);
        }
    }

    @Test
    void findsAStepAtTheEndOfTheRunAndTwoSteps() {
        double[] y = series(3, 0.01, i -> 1, 75, 100, 0.15);
        LevelShift.Fit fit = LevelShift.find(positions(), y, 0.01, 6, FIVE_PERCENT, 3);
        assertEquals(1, fit.shifts().size(), fit.shifts().toString());
        assertEquals(75, fit.shifts().get(0).from());
        assertEquals(100, fit.shifts().get(0).to());
        double[] two = series(4, 0.01, i -> 1, 10, 25, 0.15);
        for (int i = 60; i < 80; i++) two[i] -= 0.1;
        LevelShift.Fit both = LevelShift.find(positions(), two, 0.01, 6, FIVE_PERCENT, 3);
        assertEquals(2, both.shifts().size(), both.shifts().toString());
    }

    @Test
    void trendsCurvesAndHalvesAreNotShifts() {
        for (long seed = 1; seed <= 10; seed++) {
            // a steep steady trend
            assertEquals(0, LevelShift.find(positions(), series(seed, 0.01, i -> 2 - 0.004 * i, 0, 0, 0), 0.01, 6,
                    FIVE_PERCENT, 3).shifts().size());
            // a U-shaped drift of ±0.07 and a warm-up that fades: no step a linear course leaves out has sharp edges
            LevelShift.Fit u = LevelShift.find(positions(), series(seed, 0.01,
                    i -> 0.28 * Math.pow((i - 49.5) / 99, 2) - 0.07, 0, 0, 0), 0.01, 6, FIVE_PERCENT, 3);
            assertEquals(0, u.shifts().size(), "seed " + seed + ": " + u.shifts());
            LevelShift.Fit warm = LevelShift.find(positions(), series(seed, 0.01,
                    i -> 0.1 * Math.exp(-i / 20.0), 0, 0, 0), 0.01, 6, FIVE_PERCENT, 3);
            assertEquals(0, warm.shifts().size(), "seed " + seed + ": " + warm.shifts());
            // a run made of two halves: neither is the normal course
            assertEquals(0, LevelShift.find(positions(), series(seed, 0.01, i -> 1, 50, 100, 0.2), 0.01, 6,
                    FIVE_PERCENT, 3).shifts().size());
        }
    }

    @Test
    void smallOrNoisyChangesAreNotShifts() {
        // below the minimum change, and a change within the noise the caller expects
        assertEquals(0, LevelShift.find(positions(), series(5, 0.005, i -> 1, 30, 60, 0.04), 0.005, 6, FIVE_PERCENT, 3)
                .shifts().size());
        assertEquals(0, LevelShift.find(positions(), series(5, 0.005, i -> 1, 30, 60, 0.06), 0.1, 6, FIVE_PERCENT, 3)
                .shifts().size());
        assertNull(LevelShift.find(new double[] {0, 1, 2, 3, 4}, new double[] {1, 1, 2, 1, 1}, 0.1, 6, FIVE_PERCENT, 3));
    }
}
