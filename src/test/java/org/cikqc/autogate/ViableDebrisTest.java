package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cikqc.transform.LogTransform;
import org.junit.jupiter.api.Test;

class ViableDebrisTest {
    private static final double LOWER = 16_000; // the cells gate's FSC-A boundary
    private static final ViableDebris.Options DEFAULTS = ViableDebris.Options.defaults();

    /** FSC-A and SSC-A of {@code n} events, each log-normal (independent). */
    private static double[][] cloud(long seed, int n, double fsc, double sdFsc, double ssc, double sdSsc) {
        return new double[][] {Synthetic.logNormal(seed, n, fsc, sdFsc), Synthetic.logNormal(seed + 1000, n, ssc, sdSsc)};
    }

    private static double[][] join(double[][] a, double[][] b) {
        return new double[][] {Synthetic.concat(a[0], b[0]), Synthetic.concat(a[1], b[1])};
    }

    /** Live blasts (FSC-A 80,000, SSC-A 30,000). */
    private static double[][] live(long seed, int n) { return cloud(seed, n, 80_000, 0.12, 30_000, 0.2); }

    /** Debris as large on FSC-A as dead cells (30,000, a wide spread that reaches the live cells) but small on SSC-A. */
    private static double[][] debris(long seed, int n) { return cloud(seed, n, 30_000, 0.45, 5_000, 0.5); }

    private static int below(double[][] v, double cut) {
        int n = 0;
        for (int i = 0; i < v[0].length; i++) if (v[0][i] > LOWER && Math.sqrt(v[0][i] * v[1][i]) < cut) n++;
        return n;
    }

    @Test
    void findsDebrisThatOverlapsTheCellsOnFscAlone() {
        double[][] d = debris(2, 4_000);
        double[][] all = join(live(1, 15_000), d);
        ViableDebris.Result r = ViableDebris.fit(all[0], all[1], LOWER, DEFAULTS);
        assertTrue(r.found(), r.issues().toString());
        // cut between the debris (size ~12,000) and the live cells (~49,000)
        assertTrue(r.cut() > 18_000 && r.cut() < 0.7 * r.mainMode(), "cut " + r.cut() + ", live mode " + r.mainMode());
        assertEquals(below(all, r.cut()), r.debris());
        assertTrue(below(live(1, 15_000), r.cut()) < 30, "live cells below the cut: " + below(live(1, 15_000), r.cut()));
        assertTrue(below(d, r.cut()) > 0.9 * below(d, Double.POSITIVE_INFINITY), "debris below the cut " + below(d, r.cut()));
        assertTrue(r.issues().stream().anyMatch(i -> i.code() == FitIssue.Code.DYE_NEGATIVE_DEBRIS));
        assertFalse(r.flagged(), "information only");
        assertTrue(r.debrisMode() < 0.35 * r.mainMode() && r.peakToValley() >= 1.5);
        assertEquals(80_000, r.liveFsc(), 2_000);
        assertEquals(30_000, r.liveSsc(), 1_500);
        // on FSC-A alone the same debris reaches into the live cells: some of it lies above their 5th percentile
        double p5 = Stats.quantileSorted(Stats.sorted(live(1, 15_000)[0]), 0.05);
        int overlap = 0;
        for (double f : d[0]) if (f > p5) overlap++;
        assertTrue(overlap > 100, "debris above the live cells' 5th FSC-A percentile " + p5 + ": " + overlap);
    }

    @Test
    void findsDebrisThatOutnumbersTheLiveCells() {
        // three times the live cells, and tighter: the debris's peak is the taller one
        double[][] all = join(live(3, 5_000), cloud(4, 15_000, 30_000, 0.3, 5_000, 0.3));
        ViableDebris.Result r = ViableDebris.fit(all[0], all[1], LOWER, DEFAULTS);
        assertTrue(r.found(), r.issues().toString());
        assertEquals(Math.sqrt(80_000 * 30_000.0), r.mainMode(), 6_000, "the live cells' mode, not the debris's");
    }

    @Test
    void aLoneEventFarBelowDoesNotHideTheDebris() {
        // one event at a tenth of the debris's size: its own bump of density beside a dip to zero, far below
        double[][] all = join(join(live(12, 15_000), debris(13, 4_000)), new double[][] {{17_000}, {30}});
        ViableDebris.Result r = ViableDebris.fit(all[0], all[1], LOWER, DEFAULTS);
        assertTrue(r.found(), r.issues().toString());
        assertTrue(r.debris() > 3_000, "debris " + r.debris());
    }

    @Test
    void liveCellsAloneHaveNoDebris() {
        double[][] all = live(5, 20_000);
        ViableDebris.Result r = ViableDebris.fit(all[0], all[1], LOWER, DEFAULTS);
        assertFalse(r.found(), r.issues().toString());
        assertEquals(0, r.debris());
        assertTrue(Double.isNaN(r.liveFsc()) && r.sizeRegion(new LogTransform(262_144, 5), new LogTransform(262_144, 5),
                "FSC-A", "SSC-A") == null);
        assertTrue(ViableDebris.sizeOutline(r, 16, LOWER).isEmpty());
    }

    @Test
    void smallLiveLymphocytesBesideBlastsAreNotDebris() {
        // resting lymphocytes at 0.55 x the blasts' FSC-A and 0.7 x their SSC-A (0.62 x their size), or as small as
        // 0.5 x and 0.55 x (0.52 x): a population of their own, but cells
        for (double[] small : new double[][] {{44_000, 21_000}, {40_000, 16_500}}) {
            double[][] all = join(live(6, 12_000), cloud(7, 5_000, small[0], 0.1, small[1], 0.2));
            ViableDebris.Result r = ViableDebris.fit(all[0], all[1], LOWER, DEFAULTS);
            assertFalse(r.found(), r.issues().toString());
        }
    }

    @Test
    void aFewStrayEventsAreNotDebris() {
        double[][] all = join(live(8, 20_000), debris(9, 12));
        ViableDebris.Result r = ViableDebris.fit(all[0], all[1], LOWER, DEFAULTS);
        assertFalse(r.found(), r.issues().toString());
    }

    @Test
    void theRegionIsBelowTheSizeCutAndTheLiveMedians() {
        double[][] all = join(live(10, 15_000), debris(11, 4_000));
        ViableDebris.Result r = ViableDebris.fit(all[0], all[1], LOWER, DEFAULTS);
        assertTrue(r.found(), r.issues().toString());
        // different scales and decades on the two axes: the region is the same set of events
        LogTransform fx = new LogTransform(262_144, 5);
        LogTransform fy = new LogTransform(1_048_576, 4);
        Polygon p = r.sizeRegion(fx, fy, "FSC-A", "SSC-A");
        double c = r.cut();
        double[][] probes = {{c / 2, c / 2}, {c * 0.9, c * 0.9}, {c * 1.1, c * 1.1}, {c * 2, c / 2.5}, {c * 2, c / 1.5},
            {r.liveFsc() * 1.01, 1}, {1, r.liveSsc() * 1.01}, {r.liveFsc() * 0.99, c * c / r.liveFsc() * 0.95}, {3, 7}};
        for (double[] q : probes) {
            boolean expected = q[0] * q[1] < c * c && q[0] < r.liveFsc() && q[1] < r.liveSsc();
            assertEquals(expected, p.contains(fx.apply(q[0]), fy.apply(q[1])), "FSC-A " + q[0] + ", SSC-A " + q[1]);
        }
        assertFalse(p.contains(fx.apply(0), fy.apply(100)), "FSC-A 0 (flog -infinity) is a margin event, not debris");
        // the figure's outline follows the same curve
        List<double[]> outline = ViableDebris.sizeOutline(r, 16, LOWER);
        assertEquals(2 + 16 + 1, outline.size());
        assertEquals(LOWER, outline.get(0)[0]);
        assertEquals(LOWER, outline.get(18)[0]);
        for (double[] q : outline.subList(2, 18)) {
            assertTrue(q[0] >= LOWER && q[1] <= r.liveSsc() * (1 + 1e-12) && q[0] * q[1] <= c * c * (1 + 1e-9),
                    q[0] + ", " + q[1]);
        }
        // from a boundary beyond where the curve meets the live median SSC-A, the outline starts on the curve
        double late = 2 * c * c / r.liveSsc();
        List<double[]> cut = ViableDebris.sizeOutline(r, 16, late);
        assertEquals(2 + 16, cut.size());
        assertEquals(late, cut.get(17)[0], 1e-9 * late);
    }

    @Test
    void tooFewOrUnusableEventsAreReported() {
        ViableDebris.Result r = ViableDebris.fit(new double[] {1, 2, Double.NaN, -5}, new double[] {1, 2, 3, 4},
                Double.NaN, DEFAULTS);
        assertFalse(r.found());
        assertEquals(FitIssue.Code.TOO_FEW_EVENTS, r.issues().get(0).code());
        assertThrows(IllegalArgumentException.class, () -> new ViableDebris.Options(0.3, 0.5, 1.5, 0.002, 20, 3, 200));
        assertThrows(IllegalArgumentException.class, () -> ViableDebris.fit(new double[3], new double[2], 0, DEFAULTS));
    }
}
