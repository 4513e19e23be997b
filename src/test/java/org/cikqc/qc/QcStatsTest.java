package org.cikqc.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QcStatsTest {

    private static void wilson(long k, long n, double lo, double hi, double tol) {
        Interval i = QcStats.wilson95(k, n);
        assertEquals(lo, i.lo(), tol, "lower bound of " + k + "/" + n);
        assertEquals(hi, i.hi(), tol, "upper bound of " + k + "/" + n);
    }

    @Test
    void wilsonMatchesNewcombe1998() {
        // Newcombe RG, Stat Med 1998;17:857, Table II (Wilson score method, 4 decimals)
        wilson(81, 263, 0.2553, 0.3662, 5e-5);
        wilson(15, 148, 0.0624, 0.1605, 5e-5);
        wilson(0, 20, 0.0, 0.1611, 5e-5);
        wilson(1, 29, 0.0061, 0.1718, 5e-5);
    }

    @Test
    void wilsonMatchesTheDomainStudyTable() {
        // cik-qc-domain.md §2.6 (percent, 1 decimal)
        wilson(200, 1000, 0.176, 0.226, 5e-4);
        wilson(2000, 10000, 0.192, 0.208, 5e-4);
        wilson(800, 1000, 0.774, 0.824, 5e-4);
        wilson(50, 1000, 0.038, 0.065, 5e-4);
        wilson(100, 10000, 0.0082, 0.0121, 5e-5);
    }

    @Test
    void wilsonClosedFormToMachinePrecision() {
        wilson(200, 1000, 0.1763770904431985, 0.22591896464813466, 1e-13);
        wilson(0, 10, 0.0, 0.2775327998628892, 1e-13);
        Interval all = QcStats.wilson95(10, 10);
        assertEquals(1.0, all.hi(), 0.0, "k = n gives exactly 1");
        assertEquals(0.7224672001371107, all.lo(), 1e-13);
        assertEquals(new Interval(0, 1), QcStats.wilson95(0, 0), "nothing known for n = 0");
        // symmetric: k/n and (n-k)/n mirror
        Interval a = QcStats.wilson95(37, 120);
        Interval b = QcStats.wilson95(83, 120);
        assertEquals(a.lo(), 1 - b.hi(), 1e-12);
        assertEquals(a.hi(), 1 - b.lo(), 1e-12);
    }

    @Test
    void countingStatistics() {
        assertEquals(0.063, QcStats.countingCv(200, 1000), 5e-4);
        assertEquals(0.020, QcStats.countingCv(2000, 10000), 5e-4);
        assertEquals(0.099, QcStats.countingCv(100, 10000), 5e-4);
        assertEquals(0.0126491, QcStats.binomialSe(200, 1000), 1e-6);
        assertEquals(0.20, QcStats.poissonCv(25), 1e-12);
        assertEquals(0.10, QcStats.poissonCv(100), 1e-12);
        assertEquals(0.0, QcStats.countingCv(10, 10), 0.0);
        assertTrue(Double.isInfinite(QcStats.countingCv(0, 10)));
        assertTrue(Double.isNaN(QcStats.binomialSe(0, 0)));
        assertThrows(IllegalArgumentException.class, () -> QcStats.wilson95(11, 10));
        assertThrows(IllegalArgumentException.class, () -> QcStats.wilson95(-1, 10));
    }

    @Test
    void lloqClasses() {
        assertEquals(Lloq.OK, QcStats.classify(100, 100, 25));
        assertEquals(Lloq.IMPRECISE, QcStats.classify(99, 100, 25));
        assertEquals(Lloq.IMPRECISE, QcStats.classify(25, 100, 25));
        assertEquals(Lloq.BELOW_LLOQ, QcStats.classify(24, 100, 25));
        assertEquals(Lloq.BELOW_LLOQ, QcStats.classify(0, 100, 25));
        assertThrows(IllegalArgumentException.class, () -> QcStats.classify(5, 10, 20));
    }
}
