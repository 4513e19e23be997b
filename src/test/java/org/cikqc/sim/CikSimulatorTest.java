package org.cikqc.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.cikqc.common.CikqcException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CikSimulatorTest {

    private static SimulatedSample sample;

    @BeforeAll
    static void simulateOnce() {
        sample = new CikSimulator(SimulationSpec.builder().events(100_000).seed(42).build()).simulate();
    }

    @Test
    void sameSeedGivesIdenticalEventsAndOtherSeedDiffers() {
        SimulationSpec spec = SimulationSpec.builder().events(20_000).seed(5).build();
        SimulatedSample a = new CikSimulator(spec).simulate();
        SimulatedSample b = new CikSimulator(spec).simulate();
        for (int p = 0; p < a.columns().length; p++) assertArrayEquals(a.columns()[p], b.columns()[p]);
        assertEquals(a.truth().labels(), b.truth().labels());
        SimulatedSample c = new CikSimulator(spec.toBuilder().seed(6).build()).simulate();
        assertFalse(Arrays.equals(a.columns()[0], c.columns()[0]));
    }

    @Test
    void streamingDeliversTheSameEventsAsInMemory() {
        SimulationSpec spec = SimulationSpec.builder().events(150_000).seed(3).build();
        SimulatedSample whole = new CikSimulator(spec).simulate();
        long[] next = {0};
        new CikSimulator(spec).generate(chunk -> {
            assertEquals(next[0], chunk.firstEvent());
            assertTrue(chunk.size() <= CikSimulator.CHUNK_SIZE);
            for (int i = 0; i < chunk.size(); i++) {
                assertEquals(whole.columns()[0][(int) chunk.firstEvent() + i], chunk.columns()[0][i]);
            }
            next[0] += chunk.size();
        });
        assertEquals(150_000, next[0]);
    }

    @Test
    void truthMetricsMatchTheSpecWithinBinomialNoise() {
        TruthMetrics m = sample.truth().metrics();
        // ~80,000 single leukocytes: binomial SD of a percentage is < 0.2 pp
        assertEquals(90.0, m.viabilityPct(), 0.8);
        assertEquals(93.0, m.cd3PctOfViable(), 0.7);
        assertEquals(35.0, m.cd3cd56PctOfViable(), 1.0);
        assertEquals(4.0, m.nkPctOfViable(), 0.5);
        assertEquals(70.0, m.cd8PctOfCd3(), 1.0);
        assertEquals(22.0, m.cd4PctOfCd3(), 1.0);
        assertNull(m.cd16PctOfNk(), "no CD16 in the default panel");
        long[] all = sample.truth().classCountsAll();
        assertEquals(0.08, all[EventClass.DEBRIS.ordinal()] / 1e5, 0.005);
        assertEquals(0.04, all[EventClass.DOUBLET.ordinal()] / 1e5, 0.004);
        assertEquals(100_000, Arrays.stream(all).sum());
    }

    @Test
    void metricsAreRecomputableFromTheLabels() {
        SimulationTruth t = sample.truth();
        long dead = 0;
        long viable = 0;
        long cik = 0;
        for (int i = 0; i < t.events(); i++) {
            if (!t.kept(i)) continue;
            EventClass c = t.classOf(i);
            if (c == EventClass.DEAD) dead++;
            if (c.isViable()) viable++;
            if (c == EventClass.CD3POS_CD56POS) cik++;
        }
        assertEquals(100.0 * viable / (viable + dead), t.metrics().viabilityPct(), 1e-9);
        assertEquals(100.0 * cik / viable, t.metrics().cd3cd56PctOfViable(), 1e-9);
    }

    @Test
    void channelsAreNamedLikeBdAndPanelOptionsDropChannels() {
        List<String> names = sample.channels().stream().map(SimChannel::name).toList();
        assertEquals(List.of("FSC-A", "FSC-H", "SSC-A", "FITC-A", "PE-A", "PerCP-Cy5-5-A", "V500-A", "APC-A",
                "PE-Cy7-A", "Time"), names);
        assertEquals("CD56", sample.channels().get(4).marker());
        CikSimulator reduced = new CikSimulator(SimulationSpec.builder().withCd45(false).withCd4Cd8(false)
                .withCd16(true).build());
        assertEquals(List.of("FSC-A", "FSC-H", "SSC-A", "FITC-A", "PE-A", "PerCP-Cy5-5-A", "APC-Cy7-A", "Time"),
                reduced.channels().stream().map(SimChannel::name).toList());
        assertEquals(4, reduced.spillover().size());
    }

    @Test
    void spilloverIsWrittenAsKeywordAndCompensationRecoversTheNegatives() {
        Spillover s = sample.truth().spillover();
        assertEquals(0.15, s.get(0, 1), 0, "FITC into PE at level 0.15");
        assertTrue(s.toKeyword().startsWith("6,FITC-A,PE-A,PerCP-Cy5-5-A,V500-A,APC-A,PE-Cy7-A,1,0.15,0.03,"),
                s.toKeyword());
        // CD3+CD56- T cells in the PE detector: uncompensated ~ 0.15 x CD3; compensated back to autofluorescence
        double[][] inv = invert(s.toArray());
        int fitc = sample.indexOf("FITC-A");
        int[] idx = new int[s.size()];
        for (int j = 0; j < s.size(); j++) idx[j] = sample.indexOf(s.detectors().get(j));
        double[] raw = select(sample.values("PE-A"), i -> sample.truth().classOf(i) == EventClass.CD3POS_CD56NEG);
        double[] comp = new double[sample.events()];
        for (int i = 0; i < comp.length; i++) {
            double v = 0;
            for (int m = 0; m < idx.length; m++) v += sample.columns()[idx[m]][i] * inv[m][1];
            comp[i] = v;
        }
        double[] compT = select(comp, i -> sample.truth().classOf(i) == EventClass.CD3POS_CD56NEG);
        assertTrue(median(raw) > 1500, "uncompensated PE of T cells " + median(raw));
        assertTrue(median(compT) < 250, "compensated PE of T cells " + median(compT));
        assertTrue(Arrays.stream(compT).filter(v -> v < 0).count() > compT.length / 50, "spreading gives negatives");
        assertTrue(fitc >= 0);
        CikSimulator none = new CikSimulator(SimulationSpec.builder().spillover(0).build());
        for (int i = 0; i < none.spillover().size(); i++) {
            for (int j = 0; j < none.spillover().size(); j++) assertEquals(i == j ? 1 : 0, none.spillover().get(i, j));
        }
    }

    @Test
    void timeIsMonotonicAndTheClogIsAGapThenABurst() {
        double[] time = sample.values("Time");
        for (int i = 1; i < time.length; i++) assertTrue(time[i] >= time[i - 1], "Time decreases at " + i);
        ClogSegment seg = sample.truth().clogSegment();
        assertEquals(ClogMode.GAP_BURST, seg.mode());
        // nominal run 50 s at 2,000/s; segment 30.0 s .. 31.5 s; gap 30.0 .. 30.5 s, burst 3x for 1 s
        assertEquals(3000, seg.startTime(), 1e-9);
        assertEquals(3150, seg.endTime(), 1e-9);
        long inGap = Arrays.stream(time).filter(t -> t >= 3000.5 && t < 3049.5).count();
        assertEquals(0, inGap);
        assertEquals(6000, seg.events(), 300, "3 x 2,000/s for 1 s");
        for (long i = seg.firstEvent(); i < seg.endEvent(); i++) {
            assertTrue(time[(int) i] >= 3050 - 1e-2 && time[(int) i] < 3150 + 1e-2);
        }
        assertEquals(seg.events(), sample.truth().clogEvents());
    }

    @Test
    void signalShiftSegmentDimsTheSignals() {
        SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(50_000).seed(9)
                .clog(ClogMode.SIGNAL_SHIFT).clogStart(0.2).clogDuration(0.1).build()).simulate();
        ClogSegment seg = s.truth().clogSegment();
        assertEquals(5000, seg.events(), 300, "normal rate inside the segment");
        double[] fsc = s.values("FSC-A");
        double[] in = select(fsc, i -> s.truth().inClog(i) && s.truth().classOf(i) == EventClass.CD3POS_CD56NEG);
        double[] out = select(fsc, i -> !s.truth().inClog(i) && s.truth().classOf(i) == EventClass.CD3POS_CD56NEG);
        assertEquals(CikSimulator.SIGNAL_SHIFT_FACTOR, median(in) / median(out), 0.03);
    }

    @Test
    void deadCellsDebrisAndDoubletsSitWhereExpected() {
        SimulationTruth t = sample.truth();
        double[] fsc = sample.values("FSC-A");
        double[] fsch = sample.values("FSC-H");
        double[] ssc = sample.values("SSC-A");
        double[] aad = sample.values("PerCP-Cy5-5-A");
        Predicate<Integer> live = i -> t.classOf(i).isViable() && t.kept(i);
        Predicate<Integer> dead = i -> t.classOf(i) == EventClass.DEAD && t.kept(i);
        assertTrue(median(select(aad, dead::test)) > 10 * median(select(aad, live::test)));
        assertTrue(median(select(fsc, dead::test)) < 0.7 * median(select(fsc, live::test)));
        assertTrue(median(select(ssc, dead::test)) > 1.3 * median(select(ssc, live::test)));
        assertTrue(median(select(fsc, i -> t.classOf(i) == EventClass.DEBRIS)) < 12_000);
        double[] ratio = new double[fsc.length];
        for (int i = 0; i < ratio.length; i++) ratio[i] = fsch[i] / fsc[i];
        assertEquals(0.80, median(select(ratio, live::test)), 0.01);
        double doubletRatio = median(select(ratio, i -> t.classOf(i) == EventClass.DOUBLET && t.kept(i)));
        assertTrue(doubletRatio > 0.4 && doubletRatio < 0.55, "doublet FSC-H/FSC-A " + doubletRatio);
    }

    @Test
    void marginEventsAreSaturatedAtRangeMinusOne() {
        SimulationTruth t = sample.truth();
        long[] margin = t.marginEvents();
        assertTrue(margin.length >= 250 && margin.length < 600, "0.3 % forced plus natural: " + margin.length);
        for (long i : margin) {
            boolean saturated = false;
            for (int p = 0; p < sample.channels().size() - 1; p++) {
                float v = sample.columns()[p][(int) i];
                if (v == (float) SimChannel.MAX_VALUE || (p < 3 && v <= 0)) saturated = true;
                assertTrue(v <= SimChannel.MAX_VALUE);
            }
            assertTrue(saturated, "event " + i);
        }
        assertEquals(t.events() - t.clogEvents() - margin.length
                + Arrays.stream(margin).filter(i -> t.inClog((int) i)).count(), t.metrics().events());
    }

    @Test
    void invalidSpecsAreUsageErrors() {
        CikqcException e = assertThrows(CikqcException.class, () -> SimulationSpec.builder().events(10).build());
        assertEquals(CikqcException.Kind.USAGE, e.kind());
        assertThrows(CikqcException.class, () -> SimulationSpec.builder().cd3(0.3).cd3cd56(0.4).build());
        assertThrows(CikqcException.class, () -> SimulationSpec.builder().cd3(0.9).nk(0.2).build());
        assertThrows(CikqcException.class, () -> SimulationSpec.builder().viability(1.2).build());
        assertThrows(CikqcException.class, () -> SimulationSpec.builder().withCd45(false).nonLeukocytes(0.1).build());
        assertThrows(CikqcException.class, () -> SimulationSpec.builder().spillover(Double.NaN).build());
    }

    @Test
    void truthJsonRoundTrips(@TempDir Path dir) throws Exception {
        SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(5_000).seed(11).build()).simulate();
        Path f = dir.resolve("t.json");
        TruthJson.write(s.truth(), f);
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\n  \"format\" : \"cikqc-simulation-truth/1\""), text.substring(0, 60));
        SimulationTruth back = TruthJson.read(f);
        assertEquals(s.truth().spec(), back.spec());
        assertEquals(s.truth().labels(), back.labels());
        assertEquals(s.truth().metrics(), back.metrics());
        assertEquals(s.truth().clogSegment(), back.clogSegment());
        assertArrayEquals(s.truth().marginEvents(), back.marginEvents());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        TruthJson.write(back, again);
        assertEquals(text, again.toString(StandardCharsets.UTF_8));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\":\"other\"}");
        assertEquals(CikqcException.Kind.INVALID_INPUT,
                assertThrows(CikqcException.class, () -> TruthJson.read(bad)).kind());
    }

    static double[] select(double[] v, Predicate<Integer> keep) {
        return java.util.stream.IntStream.range(0, v.length).filter(keep::test).mapToDouble(i -> v[i]).toArray();
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    static double[][] invert(double[][] m) {
        return org.apache.commons.math3.linear.MatrixUtils.inverse(
                org.apache.commons.math3.linear.MatrixUtils.createRealMatrix(m)).getData();
    }
}
