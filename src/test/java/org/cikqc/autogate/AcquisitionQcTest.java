package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.ClogMode;
import org.cikqc.sim.SimChannel;
import org.cikqc.sim.SimulatedSample;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.SimulationTruth;
import org.junit.jupiter.api.Test;

class AcquisitionQcTest {

    private static boolean has(FitResult r, FitIssue.Code code) {
        return r.issues().stream().anyMatch(i -> i.code() == code);
    }

    static List<AcquisitionQc.Channel> channels(SimulatedSample s) {
        List<AcquisitionQc.Channel> ch = new ArrayList<>();
        for (SimChannel c : s.channels()) {
            if (c.kind() == SimChannel.Kind.SCATTER) {
                ch.add(AcquisitionQc.Channel.scatter(c.name(), s.values(c.name()), SimChannel.RANGE));
            } else if (c.kind() == SimChannel.Kind.FLUORESCENCE) {
                ch.add(AcquisitionQc.Channel.fluorescence(c.name(), s.values(c.name()), SimChannel.RANGE));
            }
        }
        return ch;
    }

    /** {caught clog events / clog events, wrongly removed / non-clog events}, rate and drift rules only. */
    private static double[] score(SimulatedSample s, AcquisitionQc.Result r) {
        SimulationTruth t = s.truth();
        byte[] f = r.eventFlags();
        int clog = 0, caught = 0, other = 0, wrong = 0;
        for (int i = 0; i < s.events(); i++) {
            boolean removed = (f[i] & (AcquisitionQc.FLAG_FLOW_RATE | AcquisitionQc.FLAG_SIGNAL_DRIFT)) != 0;
            if (t.inClog(i)) {
                clog++;
                if (removed) caught++;
            } else {
                other++;
                if (removed) wrong++;
            }
        }
        return new double[] {clog == 0 ? 1 : (double) caught / clog, (double) wrong / other};
    }

    @Test
    void gapThenBurstIsRemovedByTheFlowRateRule() {
        SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(100_000).seed(1).build()).simulate();
        AcquisitionQc.Result r = AcquisitionQc.run(s.values("Time"), channels(s));
        double[] sc = score(s, r);
        assertTrue(sc[0] > 0.95, "caught " + sc[0]);
        assertTrue(sc[1] < 0.02, "wrongly removed " + sc[1]);
        assertEquals(1, r.excluded().size(), r.excluded().toString());
        TimeInterval iv = r.excluded().get(0);
        assertTrue(iv.rules().contains(AcquisitionQc.Rule.FLOW_RATE));
        assertTrue(iv.start() <= s.truth().clogSegment().startTime() + 60, iv.toString());
        assertTrue(iv.end() >= s.truth().clogSegment().endTime() - 60, iv.toString());
        assertEquals(6.0, r.removedPct(AcquisitionQc.Rule.FLOW_RATE), 1.0);
        assertFalse(r.flagged(), r.reason());
    }

    @Test
    void smallRunsLoseTheClogNotTheBinsAroundIt() {
        // 5,000-28,000 events: 250-500 events per bin, a 0.12-0.42 s clog covers parts of two bins. Shifted bins find
        // a clog that raises neither bin enough, and the refined interval follows the clog, so few good events go
        // with it and its tail in the next bin is not missed
        for (int events : new int[] {5_000, 8_000, 28_000}) {
            for (int seed = 1; seed <= 8; seed++) {
                SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(events).seed(seed).build()).simulate();
                AcquisitionQc.Result r = AcquisitionQc.run(s.values("Time"), channels(s));
                String what = events + " events, seed " + seed + ": " + r.excluded();
                assertEquals(1, r.excluded().size(), what);
                double[] sc = score(s, r);
                assertTrue(sc[0] > 0.95, "caught " + sc[0] + " " + what);
                assertTrue(sc[1] < 0.025, "wrongly removed " + sc[1] + " " + what);
                assertTrue(r.excluded().get(0).detail().contains("refined to the sub-bins"), what);
            }
        }
    }

    @Test
    void signalShiftIsRemovedByTheDriftRule() {
        SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(100_000).seed(2)
                .clog(ClogMode.SIGNAL_SHIFT).clogDuration(0.05).build()).simulate();
        AcquisitionQc.Result r = AcquisitionQc.run(s.values("Time"), channels(s));
        double[] sc = score(s, r);
        assertTrue(sc[0] > 0.9, "caught " + sc[0]);
        assertTrue(sc[1] < 0.02, "wrongly removed " + sc[1]);
        assertTrue(r.removedPct(AcquisitionQc.Rule.SIGNAL_DRIFT) > 4, "" + r.removedPct(AcquisitionQc.Rule.SIGNAL_DRIFT));
        assertEquals(0, r.removedPct(AcquisitionQc.Rule.FLOW_RATE), 0.5);
    }

    @Test
    void smallRunsLoseTheSignalShiftNotTheBinsAroundIt() {
        // a 3 % shift (150-900 events) covers parts of two 250-500-event bins: the half-bin-shifted medians find one
        // that moves neither bin's median enough, and the sign-test segment follows the shift event by event
        for (int events : new int[] {5_000, 8_000, 30_000}) {
            for (int seed = 1; seed <= 5; seed++) {
                SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(events).seed(seed)
                        .clog(ClogMode.SIGNAL_SHIFT).build()).simulate();
                AcquisitionQc.Result r = AcquisitionQc.run(s.values("Time"), channels(s));
                String what = events + " events, seed " + seed + ": " + r.excluded();
                assertEquals(1, r.excluded().size(), what);
                assertEquals(java.util.Set.of(AcquisitionQc.Rule.SIGNAL_DRIFT), r.excluded().get(0).rules(), what);
                assertTrue(r.excluded().get(0).detail().contains("sign test z"), what);
                double[] sc = score(s, r);
                assertTrue(sc[0] > 0.93, "caught " + sc[0] + " " + what);
                assertTrue(sc[1] < 0.005, "wrongly removed " + sc[1] + " " + what);
            }
        }
    }

    @Test
    void longSignalShiftsAndClogsAreFoundThoughTheRunningMediansTakeThemIn() {
        // 10-30 % of the run: longer than half the running-median window, so only the level-shift scan sees them
        for (double duration : new double[] {0.1, 0.3}) {
            for (int events : new int[] {8_000, 30_000}) {
                SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(events).seed(5)
                        .clog(ClogMode.SIGNAL_SHIFT).clogDuration(duration).clogStart(0.4).build()).simulate();
                AcquisitionQc.Result r = AcquisitionQc.run(s.values("Time"), channels(s));
                String what = "signal shift " + duration + ", " + events + " events: " + r.excluded();
                double[] sc = score(s, r);
                assertTrue(sc[0] > 0.98, "caught " + sc[0] + " " + what);
                assertTrue(sc[1] < 0.003, "wrongly removed " + sc[1] + " " + what);
                if (events == 30_000) {
                    assertTrue(r.excluded().stream().anyMatch(iv -> iv.detail().contains("level shift")), what);
                    // the traces show it: inside the shift the medians lie ~0.22 decades below their baseline
                    AcquisitionQc.Trace fitc = r.traces().stream().filter(t -> t.channel().equals("FITC-A"))
                            .findFirst().orElseThrow();
                    assertEquals(r.bins().size(), fitc.medians().length);
                    int mid = (int) (r.bins().size() * (0.4 + duration / 2));
                    assertEquals(-0.22, fitc.medians()[mid] - fitc.baseline()[mid], 0.06, what);
                    assertEquals(0, fitc.medians()[2] - fitc.baseline()[2], 0.06, what);
                }
            }
        }
        // a clog whose burst lasts 13 % of the run
        SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(30_000).seed(4)
                .clogDuration(0.2).clogStart(0.4).build()).simulate();
        AcquisitionQc.Result r = AcquisitionQc.run(s.values("Time"), channels(s));
        double[] sc = score(s, r);
        assertTrue(sc[0] > 0.98, "caught " + sc[0] + " " + r.excluded());
        assertTrue(sc[1] < 0.02, "wrongly removed " + sc[1] + " " + r.excluded());
    }

    @Test
    void timeInWholeSecondsLosesOnlyTheStepOfAClog() {
        // 50,000 events over 25 s, Time counted in whole seconds: every step is atomic (its events share one time),
        // the last one partly exposed (the acquisition stops between ticks). A clog or a signal shift (0.75 s) costs
        // its own step, not the steps around it; a clean run loses nothing
        for (ClogMode mode : new ClogMode[] {ClogMode.NONE, ClogMode.GAP_BURST, ClogMode.SIGNAL_SHIFT}) {
            for (int seed = 1; seed <= 3; seed++) {
                SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(50_000).seed(seed).clog(mode)
                        .build()).simulate();
                double[] t = s.values("Time").clone();
                for (int i = 0; i < t.length; i++) t[i] = Math.floor(t[i] * 0.01);
                AcquisitionQc.Result r = AcquisitionQc.run(t, channels(s));
                String what = mode + ", seed " + seed + ": " + r.excluded();
                double[] sc = score(s, r);
                if (mode == ClogMode.NONE) {
                    assertTrue(r.excluded().isEmpty(), what);
                } else {
                    assertEquals(1, r.excluded().size(), what);
                    assertEquals(1.0, sc[0], 1e-9, what);
                    assertTrue(sc[1] < 0.015, "wrongly removed " + sc[1] + " " + what);
                }
            }
        }
    }

    @Test
    void aLongShiftMustShowInTwoChannels() {
        // 60 bins of 500 events; from event 12,000 to 18,000 (20 % of the run) FL1 is 40 % dimmer, and FL2 too or not
        for (boolean both : new boolean[] {false, true}) {
            int n = 30_000;
            java.util.Random r = new java.util.Random(5);
            double[] time = new double[n];
            double[] fl1 = new double[n];
            double[] fl2 = new double[n];
            double[] fl3 = new double[n];
            for (int i = 0; i < n; i++) {
                time[i] = i;
                boolean shifted = i >= 12_000 && i < 18_000;
                fl1[i] = Math.exp(7 + 0.8 * r.nextGaussian()) * (shifted ? 0.6 : 1);
                fl2[i] = Math.exp(6 + 0.8 * r.nextGaussian()) * (shifted && both ? 0.6 : 1);
                fl3[i] = Math.exp(8 + 0.8 * r.nextGaussian());
            }
            AcquisitionQc.Result res = AcquisitionQc.run(time, List.of(
                    AcquisitionQc.Channel.fluorescence("FL1-A", fl1, 262144),
                    AcquisitionQc.Channel.fluorescence("FL2-A", fl2, 262144),
                    AcquisitionQc.Channel.fluorescence("FL3-A", fl3, 262144)));
            if (both) {
                assertEquals(1, res.excluded().size(), res.excluded().toString());
                assertEquals(20, res.removedPct(AcquisitionQc.Rule.SIGNAL_DRIFT), 0.5, res.excluded().toString());
            } else {
                assertTrue(res.excluded().isEmpty(), res.excluded().toString());
            }
        }
    }

    @Test
    void slowTrendsAndCurvedDriftsAreNotLevelShifts() {
        // the flow rate falls by 40 % over the run; every signal follows a U of ±15 %: no interval
        for (int events : new int[] {15_000, 60_000}) {
            for (int seed = 1; seed <= 3; seed++) {
                SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(events).seed(seed)
                        .clog(ClogMode.NONE).build()).simulate();
                double[] time = s.values("Time").clone();
                double end = time[time.length - 1];
                double[] warped = new double[time.length];
                for (int i = 0; i < time.length; i++) {
                    // rate 1 − 0.4 x on [0, 1]: x solves x − 0.2 x² = 0.8 u
                    warped[i] = end * (1 - Math.sqrt(1 - 0.64 * time[i] / end)) / 0.4;
                }
                AcquisitionQc.Result rate = AcquisitionQc.run(warped, channels(s));
                assertTrue(rate.excluded().isEmpty(), events + " events, seed " + seed + ": " + rate.excluded());
                List<AcquisitionQc.Channel> curved = new ArrayList<>();
                for (AcquisitionQc.Channel c : channels(s)) {
                    double[] v = c.values().clone();
                    for (int i = 0; i < v.length; i++) {
                        double u = time[i] / end;
                        if (c.drift()) v[i] *= 0.85 + 1.2 * (u - 0.5) * (u - 0.5);
                    }
                    curved.add(new AcquisitionQc.Channel(c.name(), v, c.lowerLimit(), c.upperLimit(), c.drift()));
                }
                AcquisitionQc.Result drift = AcquisitionQc.run(time, curved);
                assertTrue(drift.excluded().isEmpty(), events + " events, seed " + seed + ": " + drift.excluded());
            }
        }
    }

    @Test
    void twoShiftsJoinedByAShortGoodRunAreBothRemoved() {
        // 40 bins of 500 events; the signal halves in events [5000, 5300) and [6000, 6300) (bins 10 and 12, bin 11
        // joins them): one sign-test segment cannot cover both, so the interval keeps its bins and loses neither
        int n = 20_000;
        java.util.Random r = new java.util.Random(11);
        double[] time = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            time[i] = i;
            boolean shifted = (i >= 5000 && i < 5300) || (i >= 6000 && i < 6300);
            v[i] = Math.exp(7 + 0.8 * r.nextGaussian()) * (shifted ? 0.5 : 1);
        }
        AcquisitionQc.Result res = AcquisitionQc.run(time, List.of(AcquisitionQc.Channel.fluorescence("FL1-A", v, 262144)));
        for (int i = 5000; i < 6300; i++) {
            if (i < 5300 || i >= 6000) assertTrue((res.eventFlags()[i] & AcquisitionQc.FLAG_SIGNAL_DRIFT) != 0, i + " " + res.excluded());
        }
        assertEquals(1, res.excluded().size(), res.excluded().toString());
        assertFalse(res.excluded().get(0).detail().contains("sign test"), res.excluded().toString());
    }

    @Test
    void stableRunsLoseOnlyMarginEventsAndMarginsMatchTruth() {
        for (int events : new int[] {5_000, 50_000}) {
            SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(events).seed(3)
                    .clog(ClogMode.NONE).build()).simulate();
            AcquisitionQc.Result r = AcquisitionQc.run(s.values("Time"), channels(s));
            assertTrue(r.excluded().isEmpty(), events + ": " + r.excluded());
            assertEquals(s.truth().marginEvents().length, r.removedByRule()[AcquisitionQc.Rule.MARGIN.ordinal()]);
            for (long i : s.truth().marginEvents()) assertTrue(r.removed((int) i));
            assertFalse(r.flagged(), r.reason());
        }
    }

    @Test
    void inputDefectsAreReportedNotThrown() {
        double[] time = {0, 1, 2, 3};
        AcquisitionQc.Result bad = AcquisitionQc.run(time,
                List.of(AcquisitionQc.Channel.fluorescence("X", new double[3], 262144)));
        assertTrue(bad.failed() && has(bad, FitIssue.Code.INVALID_INPUT));

        AcquisitionQc.Result few = AcquisitionQc.run(time,
                List.of(AcquisitionQc.Channel.fluorescence("X", new double[] {1, 262143, Double.NaN, 5}, 262144)));
        assertTrue(has(few, FitIssue.Code.TOO_FEW_EVENTS));
        assertEquals(2, few.removedTotal(), "the saturated and the NaN value are margin events");

        double[] flat = new double[5000];
        AcquisitionQc.Result same = AcquisitionQc.run(flat, List.of());
        assertTrue(has(same, FitIssue.Code.DEGENERATE_DATA));

        double[] shuffled = new double[5000];
        for (int i = 0; i < shuffled.length; i++) shuffled[i] = (i * 7919) % 5000;
        AcquisitionQc.Result nm = AcquisitionQc.run(shuffled, List.of());
        assertTrue(has(nm, FitIssue.Code.TIME_NOT_MONOTONIC));
        assertTrue(nm.excluded().isEmpty(), "uniform arrivals by value: " + nm.excluded());

        double[] withNan = new double[5000];
        for (int i = 0; i < withNan.length; i++) withNan[i] = i;
        withNan[10] = Double.NaN;
        AcquisitionQc.Result tn = AcquisitionQc.run(withNan, List.of());
        assertTrue(tn.removed(10) && has(tn, FitIssue.Code.NON_FINITE_IGNORED));
        assertEquals(1, tn.removedTotal());
        assertEquals(0, AcquisitionQc.run(new double[0], List.of()).events());
        assertTrue(Arrays.equals(new long[3], AcquisitionQc.run(new double[0], List.of()).removedByRule()));
    }
}
