package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DriftSegmentTest {

    private static void assertBounded(int[] cand, int m) {
        assertTrue(cand.length <= DriftSegment.MAX_BOUNDARIES + 1, "at most 513 boundaries: " + cand.length);
        assertEquals(0, cand[0]);
        assertEquals(m, cand[cand.length - 1]);
        for (int i = 1; i < cand.length; i++) assertTrue(cand[i] > cand[i - 1], "increasing at " + i);
    }

    @Test
    void everyEventIsABoundaryWhileThereAreFewEnough() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, DriftSegment.boundaries(null, 5, 5));
        assertArrayEquals(new int[] {0, 2, 5, 9}, DriftSegment.boundaries(new int[] {0, 2, 5, 0, 0}, 3, 9),
                "quantized: where the time changes, then the end");
    }

    @Test
    void manyEventsOrStepsGiveAtMost513BoundariesEvenlySpaced() {
        for (int m : new int[] {512, 513, 1024, 1025, 100_000, 1_000_003}) {
            int[] cand = DriftSegment.boundaries(null, m, m);
            assertBounded(cand, m);
            int stride = cand[1] - cand[0];
            for (int i = 1; i < cand.length - 1; i++) assertEquals(stride, cand[i] - cand[i - 1]);
        }
        int m = 50_000;
        int[] starts = new int[m];
        for (int j = 0; j < 1025; j++) starts[j] = j * 40; // 1,025 Time steps of 40 events, the last partial
        int[] cand = DriftSegment.boundaries(starts, 1025, m);
        assertBounded(cand, m);
        for (int i = 0; i < cand.length - 1; i++) assertEquals(0, cand[i] % 40, "a segment takes whole steps");
    }
}
