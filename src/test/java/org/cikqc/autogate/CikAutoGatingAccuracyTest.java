package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.TruthMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole strategy on simulated products against the truth: viability, %CD3+ and %CD3+CD56+ within 1
 * percentage point across viability 50–98 %, CD3+CD56+ 5–70 %, spillover 0 and 0.15 (compensated with the
 * inverse matrix), 5,000–500,000 events. (Spillover 0.3 is measured by {@link AccuracyReport}; CD3+CD56+ can
 * then be off by up to ~2 pp because dim CD56 cells sink into the spread negatives.)
 */
class CikAutoGatingAccuracyTest {

    static final double[][] COMPOSITIONS = {{0.50, 0.05}, {0.70, 0.20}, {0.90, 0.35}, {0.98, 0.70}, {0.80, 0.05},
        {0.95, 0.50}, {0.60, 0.60}};

    static Stream<Arguments> grid() {
        List<Arguments> out = new ArrayList<>();
        for (double spill : new double[] {0, 0.15}) {
            for (int events : new int[] {5_000, 50_000}) {
                for (double[] c : COMPOSITIONS) {
                    for (long seed = 1; seed <= 2; seed++) out.add(Arguments.of(c[0], c[1], spill, events, seed));
                }
            }
        }
        return out.stream();
    }

    private static void assertAccurate(SimulatedRun r, String what) {
        assertNotNull(r.fit.cd56(), what + ": " + r.fit.reason());
        assertEquals(0, r.viabilityErr(), 1.0, what + " viability");
        assertEquals(0, r.cd3Err(), 1.0, what + " CD3+");
        assertEquals(0, r.cd3cd56Err(), 1.0, what + " CD3+CD56+");
        assertEquals(0, r.nkErr(), 1.0, what + " NK");
        if (r.spec.withCd4Cd8()) {
            assertEquals(0, r.cd8Err(), 1.5, what + " CD8 of CD3+");
            assertEquals(0, r.cd4Err(), 1.5, what + " CD4 of CD3+");
        }
    }

    @ParameterizedTest(name = "viability {0}, CD3+CD56+ {1}, spillover {2}, {3} events, seed {4}")
    @MethodSource("grid")
    void recoversTheTrueMetrics(double viability, double cd3cd56, double spill, int events, long seed) {
        SimulatedRun r = SimulatedRun.of(SimulationSpec.builder().events(events).seed(seed).viability(viability)
                .cd3cd56(cd3cd56).spillover(spill).build());
        assertAccurate(r, r.spec.toString());
    }

    @Test
    void largeSampleOf500000Events() {
        SimulatedRun r = SimulatedRun.of(SimulationSpec.builder().events(500_000).seed(7).viability(0.85)
                .cd3cd56(0.4).build());
        assertAccurate(r, "500k");
        assertFalse(r.fit.flagged(), r.fit.reason());
        assertEquals(0, r.viabilityErr(), 0.3);
        assertEquals(0, r.cd3cd56Err(), 0.5);
    }

    @Test
    void panelWithoutCd45OrCd4Cd8ButWithCd16() {
        SimulatedRun r = SimulatedRun.of(SimulationSpec.builder().events(30_000).seed(3).withCd45(false)
                .withCd4Cd8(false).withCd16(true).build());
        assertNull(r.fit.cd45());
        assertNull(r.fit.cd8());
        assertNotNull(r.fit.cd16());
        assertAccurate(r, "no CD45");
        TruthMetrics t = r.truth();
        assertEquals(t.cd16PctOfNk(), r.fit.counts().cd16PctOfNk(), 5.0, "CD16 of NK (few NK cells)");
    }

    @Test
    void fittingIsDeterministic() {
        SimulationSpec spec = SimulationSpec.builder().events(20_000).seed(11).build();
        CikAutoGating.Fit a = SimulatedRun.of(spec).fit;
        CikAutoGating.Fit b = SimulatedRun.of(spec).fit;
        assertEquals(a.counts(), b.counts());
        assertEquals(a.cd56().threshold(), b.cd56().threshold(), 0);
        assertEquals(a.scatter().polygon(), b.scatter().polygon());
        assertEquals(a.singlets().band(), b.singlets().band());
        assertEquals(a.acquisition().excluded(), b.acquisition().excluded());
    }

    @Test
    void tinyOrBrokenSamplesAreFlaggedNotThrown() {
        SimulatedRun big = SimulatedRun.of(SimulationSpec.builder().events(5_000).seed(2).build());
        CikAutoGating.Sample full = SimulatedRun.toSample(big.sample);
        for (int n : new int[] {0, 30, 300}) {
            CikAutoGating.Fit f = CikAutoGating.fit(head(full, n), CikAutoGating.Panel.bdDefault());
            assertTrue(f.flagged(), n + " events should be flagged");
            assertFalse(f.reason().isEmpty() && f.scatter() != null && !f.scatter().failed(), f.reason());
        }
        Map<String, double[]> comp = new HashMap<>(full.compensated());
        double[] cd56 = comp.get("PE-A").clone();
        java.util.Arrays.fill(cd56, Double.NaN);
        comp.put("PE-A", cd56);
        CikAutoGating.Fit f = CikAutoGating.fit(new CikAutoGating.Sample(full.raw(), comp),
                CikAutoGating.Panel.bdDefault());
        assertTrue(f.cd56().failed() && f.flagged(), f.reason());
        assertTrue(f.reason().contains("CD56"), f.reason());
    }

    @Test
    void panelMismatchIsAnInputError() {
        CikAutoGating.Sample s = SimulatedRun.toSample(SimulatedRun.of(SimulationSpec.builder().events(5_000).seed(4)
                .withCd45(false).build()).sample);
        CikAutoGating.Panel panel = new CikAutoGating.Panel("FSC-A", "FSC-H", "SSC-A", "Time", null, "7-AAD-A",
                "FITC-A", "PE-A", null, null, null);
        org.cikqc.common.CikqcException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.cikqc.common.CikqcException.class, () -> CikAutoGating.fit(s, panel));
        assertEquals(org.cikqc.common.CikqcException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("7-AAD-A"), e.getMessage());
        assertEquals(List.of(CikAutoGating.Step.ACQUISITION, CikAutoGating.Step.CELLS, CikAutoGating.Step.SINGLETS,
                        CikAutoGating.Step.VIABILITY, CikAutoGating.Step.CD3, CikAutoGating.Step.CD56),
                new ArrayList<>(CikAutoGating.fit(s, new CikAutoGating.Panel("FSC-A", "FSC-H", "SSC-A", "Time", null,
                        "PerCP-Cy5-5-A", "FITC-A", "PE-A", null, null, null)).steps().keySet()));
    }

    private static CikAutoGating.Sample head(CikAutoGating.Sample s, int n) {
        Map<String, double[]> raw = new HashMap<>();
        s.raw().forEach((k, v) -> raw.put(k, java.util.Arrays.copyOf(v, n)));
        Map<String, double[]> comp = new HashMap<>();
        s.compensated().forEach((k, v) -> comp.put(k, java.util.Arrays.copyOf(v, n)));
        return new CikAutoGating.Sample(raw, comp);
    }
}
