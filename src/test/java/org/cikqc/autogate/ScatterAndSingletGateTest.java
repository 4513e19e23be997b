package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.EventClass;
import org.cikqc.sim.SimChannel;
import org.cikqc.sim.SimulatedSample;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.SimulationTruth;
import org.junit.jupiter.api.Test;

class ScatterAndSingletGateTest {

    private static boolean has(FitResult r, FitIssue.Code code) {
        return r.issues().stream().anyMatch(i -> i.code() == code);
    }

    /** Fraction of kept events of {@code cls} that {@code inside} keeps. */
    private static double kept(SimulationTruth t, EventClass cls, java.util.function.IntPredicate inside) {
        int n = 0, k = 0;
        for (int i = 0; i < t.events(); i++) {
            if (!t.kept(i) || t.classOf(i) != cls) continue;
            n++;
            if (inside.test(i)) k++;
        }
        return (double) k / n;
    }

    @Test
    void scatterGateDropsDebrisAndKeepsDeadCells() {
        for (double viability : new double[] {0.5, 0.95}) {
            SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(50_000).seed(4)
                    .viability(viability).build()).simulate();
            double[] fsc = s.values("FSC-A");
            double[] ssc = s.values("SSC-A");
            ScatterGate.Result g = ScatterGate.fit(fsc, ssc);
            assertFalse(g.flagged(), g.reason());
            assertEquals(ScatterGate.Method.DEBRIS_VALLEY, g.method());
            SimulationTruth t = s.truth();
            assertTrue(kept(t, EventClass.DEBRIS, i -> g.contains(fsc[i], ssc[i])) < 0.05);
            assertTrue(kept(t, EventClass.DEAD, i -> g.contains(fsc[i], ssc[i])) > 0.985);
            assertTrue(kept(t, EventClass.CD3POS_CD56POS, i -> g.contains(fsc[i], ssc[i])) > 0.995);
            assertFalse(g.contains(SimChannel.MAX_VALUE, 30_000), "saturated FSC is outside");
            assertFalse(g.contains(90_000, SimChannel.MAX_VALUE), "saturated SSC is outside");
            assertEquals("FSC-A", g.polygon().xDimension());
            assertTrue(g.fscThreshold() > 10_000 && g.fscThreshold() < 35_000, "" + g.fscThreshold());
        }
    }

    @Test
    void cleanSampleWithoutDebrisUsesAFractionOfTheCellMode() {
        SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(20_000).seed(5).debris(0).build())
                .simulate();
        double[] fsc = s.values("FSC-A");
        double[] ssc = s.values("SSC-A");
        ScatterGate.Result g = ScatterGate.fit(fsc, ssc);
        assertEquals(ScatterGate.Method.CELL_MODE_FRACTION, g.method());
        assertTrue(has(g, FitIssue.Code.NO_DEBRIS_PEAK));
        assertFalse(g.flagged(), "a clean sample is not a problem: " + g.reason());
        assertTrue(g.fractionInside() > 0.99, "" + g.fractionInside());
        assertTrue(kept(s.truth(), EventClass.DEAD, i -> g.contains(fsc[i], ssc[i])) > 0.985);
    }

    @Test
    void singletGateDropsDoubletsAndKeepsSinglets() {
        SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(50_000).seed(6).viability(0.7)
                .doublets(0.15).build()).simulate();
        double[] a = s.values("FSC-A");
        double[] h = s.values("FSC-H");
        SingletGate.Result g = SingletGate.fit(a, h);
        assertFalse(g.flagged(), g.reason());
        assertTrue(g.converged());
        assertEquals(0.80, g.slope(), 0.01);
        assertTrue(g.relativeScale() > 0.015 && g.relativeScale() < 0.04, "" + g.relativeScale());
        SimulationTruth t = s.truth();
        assertTrue(kept(t, EventClass.DOUBLET, i -> g.contains(a[i], h[i])) < 0.01);
        assertTrue(kept(t, EventClass.CD3POS_CD56NEG, i -> g.contains(a[i], h[i])) > 0.995);
        assertTrue(kept(t, EventClass.DEAD, i -> g.contains(a[i], h[i])) > 0.99);
        assertEquals(4, g.band().size());
        assertEquals(g.predict(50_000) * (1 - g.z() * g.relativeScale()), g.band().y(0)
                + (g.band().y(1) - g.band().y(0)) * 50_000 / g.band().x(1), 1e-6 * 50_000);
    }

    /**
     * A fit that has not met its 1e-9 tolerance at the iteration limit but whose line moved, over the last ten
     * iterations, by far less than the band's width has settled (quantized 1,024-channel heights make it cycle among
     * lines 2e-6 apart, an independent simulator's FACSCanto FCS 2.0 file: flagged before, the whole product
     * INDETERMINATE); a fit still moving is flagged.
     */
    @Test
    void aFitThatSettledIntoATinyCycleIsConvergedAndOneStillMovingIsFlagged() {
        double[] a = {1.8, 1.8001, 1.8, 1.8001};
        double[] b = {0.8135, 0.81349, 0.8135, 0.81349};
        // the two lines cross near x = 10; at x = 1,000 they lie 815.30 and 815.29: 1.2e-5 apart
        double m = SingletGate.moved(a, b, 1.8, 0.8135, 10, 1_000);
        assertEquals(Math.abs(1.8001 + 0.81349 * 1_000 - (1.8 + 0.8135 * 1_000)) / (1.8 + 0.8135 * 1_000), m, 1e-15);
        assertTrue(m < SingletGate.SETTLED_FRACTION_OF_SD * 0.04, "" + m);
        assertTrue(SingletGate.moved(new double[] {1.8}, new double[] {0.80}, 1.8, 0.8135, 10, 1_000)
                > SingletGate.SETTLED_FRACTION_OF_SD * 0.04);

        SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(20_000).seed(6).doublets(0.15).build())
                .simulate();
        SingletGate.Options d = SingletGate.Options.defaults();
        SingletGate.Result moving = SingletGate.fit(s.values("FSC-A"), s.values("FSC-H"), new SingletGate.Options(
                d.level(), 2, d.tolerance(), d.range(), d.minEvents(), d.minInliers(), d.areaName(), d.heightName(),
                d.slopeWindow()));
        assertFalse(moving.converged());
        assertTrue(moving.flagged() && moving.reason().contains("IRLS did not converge in 2 iterations"), moving.reason());
    }

    @Test
    void edgeCasesGiveFailedOrFlaggedResults() {
        assertTrue(ScatterGate.fit(new double[10], new double[10]).failed());
        assertTrue(ScatterGate.fit(new double[10], new double[11]).failed());
        double[] flat = new double[1000];
        Arrays.fill(flat, 5000);
        ScatterGate.Result f = ScatterGate.fit(flat, flat);
        assertTrue(f.failed() && has(f, FitIssue.Code.DEGENERATE_DATA), f.reason());
        assertNull(f.polygon());
        assertFalse(f.contains(5000, 5000));

        assertTrue(SingletGate.fit(new double[5], new double[5]).failed());
        assertTrue(SingletGate.fit(new double[5], new double[6]).failed());
        double[] x = Synthetic.logNormal(7, 1000, 80_000, 0.2);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = 0.8 * x[i];
        SingletGate.Result exact = SingletGate.fit(x, y);
        assertTrue(exact.failed() && has(exact, FitIssue.Code.DEGENERATE_DATA), exact.reason());
        double[] xn = Synthetic.concat(x, new double[] {Double.NaN, 1e6});
        double[] yn = Synthetic.concat(Synthetic.logNormal(8, 1000, 64_000, 0.2), new double[] {5, Double.NaN});
        SingletGate.Result noisy = SingletGate.fit(xn, yn);
        assertEquals(1000, noisy.eventsUsed(), "NaN and out-of-range pairs are left out");
        SingletGate.Result windowed = SingletGate.fit(a(), h(), SingletGate.Options.defaults()
                .withSlopeWindow(new AllowedWindow(0.9, 1.1)));
        assertTrue(has(windowed, FitIssue.Code.OUTSIDE_ALLOWED_WINDOW));
    }

    private static SimulatedSample small;

    private static SimulatedSample small() {
        if (small == null) small = new CikSimulator(SimulationSpec.builder().events(5_000).seed(9).build()).simulate();
        return small;
    }

    private static double[] a() { return small().values("FSC-A"); }

    private static double[] h() { return small().values("FSC-H"); }
}
