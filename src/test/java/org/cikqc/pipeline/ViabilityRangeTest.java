package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cikqc.qc.GatingIssue;
import org.junit.jupiter.api.Test;

/**
 * {@link StrategyFitter#extremesAcrossThreshold}: an attribute counted on the viable cells, with the viability
 * threshold anywhere in a range, takes its lowest and highest value where the population and its parent are counted
 * at the same threshold, which need not be at either end of the range.
 */
class ViabilityRangeTest {
    private static final boolean[] ALL = {true, true, true, true, true, true, true, true};

    @Test
    void theExtremesAreFoundAtEveryThresholdInTheRangeWithTiesTakenTogether() {
        double[] dye = {1, 2, 3, 4, 4, 5, 6, 2.5};
        boolean[] num = {true, false, true, false, true, false, true, false};
        // below 2.5: events 1, 2 (1 of 2); then 2.5 (1 of 3), 3 (2 of 4), the two 4s together (3 of 6), 5 (3 of 7);
        // 6 lies above the range and is never counted
        GatingIssue.Range r = extremes(dye, ALL, ALL, num, 2.5, 5.5);
        assertEquals(1, r.lowCount());
        assertEquals(3, r.lowEvents());
        assertEquals(1, r.highCount());
        assertEquals(2, r.highEvents());
        assertEquals(100.0 / 3, r.low(), 1e-12);
        assertEquals(50.0, r.high(), 1e-12);
        // ties: no threshold separates two equal values; were the two 4s taken one at a time, 1 of 2 would be lowest
        GatingIssue.Range tie = extremes(new double[] {1, 4, 4}, new boolean[] {true,
                true, true}, new boolean[] {true, true, true}, new boolean[] {true, false, true}, 2, 5);
        assertEquals(2, tie.lowCount());
        assertEquals(3, tie.lowEvents());
        // not at the ends: the lowest share lies inside a range that ends after an event of the population
        GatingIssue.Range inside = extremes(new double[] {1, 2, 3, 4},
                new boolean[] {true, true, true, true}, new boolean[] {true, true, true, true},
                new boolean[] {true, false, false, true}, 1.5, 4.5);
        assertEquals(1, inside.lowCount());
        assertEquals(3, inside.lowEvents());
        assertEquals(1, inside.highCount());
        assertEquals(1, inside.highEvents());
    }

    @Test
    void eventsOutsideTheParentOrTheMetricsParentAreNotCounted() {
        double[] dye = {1, 2, 3, 4};
        boolean[] parent = {true, false, true, true};
        boolean[] den = {true, true, false, true}; // e.g. CD3+ for CD4+ % of CD3+
        boolean[] num = {true, true, false, false};
        GatingIssue.Range r = extremes(dye, parent, den, num, 0.5, 5);
        assertEquals(1, r.lowCount());
        assertEquals(2, r.lowEvents());
        assertEquals(1, r.highCount());
        assertEquals(1, r.highEvents());
        assertNull(extremes(dye, new boolean[4], den, num, 0.5, 5),
                "no parent event at any threshold");
    }

    @Test
    void aRangeWhoseEndsAreOutOfOrderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GatingIssue.Range(3, 4, 1, 2, "b"));
        assertThrows(IllegalArgumentException.class, () -> new GatingIssue.Range(1, 0, 1, 2, "b"));
        assertEquals(false, new GatingIssue.Range(1, 4, 1, 2, "b").oneDenominator());
        assertEquals(true, new GatingIssue.Range(1, 2, 4, "b").oneDenominator());
    }

    /** The extremes with the metric's parent given as the viability parent and a mask within it. */
    private static GatingIssue.Range extremes(double[] dye, boolean[] parent, boolean[] den, boolean[] num, double low,
                                              double high) {
        return StrategyFitter.extremesAcrossThreshold(dye, e -> parent[e] && den[e], e -> num[e], low, high, "b");
    }
}
