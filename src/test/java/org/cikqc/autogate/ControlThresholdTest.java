package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ControlThresholdTest {

    private static boolean has(FitResult r, FitIssue.Code code) {
        return r.issues().stream().anyMatch(i -> i.code() == code);
    }

    @Test
    void percentileOfAnFmoWithConfidenceInterval() {
        double[] fmo = Synthetic.mixture(1, 20_000, 100, 50, 0, 0, 1);
        ControlThreshold.Result r = ControlThreshold.fit(fmo);
        double expected = 100 + 50 * 2.5758293035489;
        assertEquals(expected, r.threshold(), 6);
        assertTrue(r.lower95() <= r.threshold() && r.threshold() <= r.upper95());
        assertTrue(r.lower95() < expected && expected < r.upper95(), r.lower95() + " .. " + r.upper95());
        assertFalse(r.flagged(), r.reason());
        assertEquals(99.5, r.percentile());
        assertEquals(2000, ControlThreshold.Options.defaults().minEvents());
        long above = Arrays.stream(fmo).filter(r::isPositive).count();
        assertEquals(100, above, 2);
    }

    @Test
    void smallOrDegenerateControlsAreFlaggedNotThrown() {
        ControlThreshold.Result few = ControlThreshold.fit(Synthetic.mixture(2, 500, 0, 1, 0, 0, 1));
        assertTrue(few.flagged() && !few.failed() && has(few, FitIssue.Code.TOO_FEW_EVENTS));
        ControlThreshold.Result none = ControlThreshold.fit(new double[] {1, 2, 3});
        assertTrue(none.failed() && Double.isNaN(none.threshold()));
        double[] flat = new double[3000];
        Arrays.fill(flat, 7);
        ControlThreshold.Result f = ControlThreshold.fit(flat);
        assertEquals(7, f.threshold());
        assertTrue(has(f, FitIssue.Code.DEGENERATE_DATA));
        double[] withNan = Synthetic.concat(Synthetic.mixture(3, 3000, 0, 1, 0, 0, 1), new double[] {Double.NaN});
        ControlThreshold.Result n = ControlThreshold.fit(withNan);
        assertEquals(1, n.nonFinite());
        assertFalse(n.flagged());
        ControlThreshold.Result w = ControlThreshold.fit(Synthetic.mixture(4, 3000, 0, 1, 0, 0, 1),
                ControlThreshold.Options.of(99).withWindow(new AllowedWindow(10, 20)));
        assertTrue(has(w, FitIssue.Code.OUTSIDE_ALLOWED_WINDOW));
    }
}
