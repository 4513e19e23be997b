package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.EventClass;
import org.cikqc.sim.SimulatedSample;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.SimulationTruth;
import org.junit.jupiter.api.Test;

class CountingBeadsTest {

    private static final String[] FLUORESCENCE = {"FITC-A", "PE-A", "PerCP-Cy5-5-A", "V500-A", "APC-A", "PE-Cy7-A"};

    private static List<CountingBeads.Channel> channels(SimulatedSample s) {
        List<CountingBeads.Channel> ch = new ArrayList<>();
        ch.add(new CountingBeads.Channel("FSC-A", s.values("FSC-A"), true, 262_144));
        ch.add(new CountingBeads.Channel("SSC-A", s.values("SSC-A"), true, 262_144));
        for (String f : FLUORESCENCE) ch.add(new CountingBeads.Channel(f, s.values(f), false, 262_144));
        return ch;
    }

    private static boolean[] inBeads(CountingBeads.Result r, List<CountingBeads.Channel> ch, int n) {
        boolean[] in = new boolean[n];
        double[] row = new double[ch.size()];
        for (int e = 0; e < n; e++) {
            for (int c = 0; c < row.length; c++) row[c] = ch.get(c).values()[e];
            for (CountingBeads.Cluster cl : r.clusters()) if (cl.contains(row)) in[e] = true;
        }
        return in;
    }

    @Test
    void simulatedCountingBeadsAreFoundAndNothingElse() {
        for (double beads : new double[] {0.04, 0.005}) {
            SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(50_000).seed(11).beads(beads)
                    .viability(0.6).build()).simulate();
            SimulationTruth t = s.truth();
            List<CountingBeads.Channel> ch = channels(s);
            CountingBeads.Result r = CountingBeads.fit(ch, null, CountingBeads.Options.defaults());
            assertTrue(r.found(), "beads " + beads + ": " + r.issues());
            assertEquals(1, r.clusters().size(), r.issues().toString());
            boolean[] in = inBeads(r, ch, t.events());
            int beadsIn = 0;
            int beadsAll = 0;
            int others = 0;
            for (int e = 0; e < t.events(); e++) {
                boolean bead = t.classOf(e) == EventClass.BEAD;
                if (bead) beadsAll++;
                if (bead && in[e]) beadsIn++;
                if (!bead && in[e]) others++;
            }
            assertTrue(beadsIn >= 0.99 * beadsAll, beadsIn + " of " + beadsAll + " beads");
            assertTrue(others <= 2, others + " other events in the bead box");
            // tight in scatter and every fluorescence channel
            assertEquals(8, java.util.stream.IntStream.range(0, ch.size()).filter(r.clusters().get(0)::constrains).count());
            assertTrue(r.issues().get(0).message().contains("events"), r.issues().get(0).message());
            // a larger sample is searched on an even subsample of maxEvents; the box found there holds the beads
            CountingBeads.Options d = CountingBeads.Options.defaults();
            CountingBeads.Result thin = CountingBeads.fit(ch, null, new CountingBeads.Options(d.gridDecades(),
                    d.gatherDecades(), d.boxDecades(), d.maxSdDecades(), d.minFluorescence(), d.minEvents(),
                    d.maxClusters(), d.seeds(), 10_000));
            if (beads > 0.01) {
                assertEquals(10_000, thin.eventsUsed());
                assertEquals(r.clusters().get(0).events() / 5.0, thin.clusters().get(0).events(), 0.1 * r.clusters().get(0).events() / 5.0);
                boolean[] inThin = inBeads(thin, ch, t.events());
                int agree = 0;
                for (int e = 0; e < t.events(); e++) if (inThin[e] == in[e]) agree++;
                assertTrue(agree >= t.events() - 5, (t.events() - agree) + " events classified differently");
            }
        }
    }

    @Test
    void aSampleWithoutBeadsHasNone() {
        for (long seed = 1; seed <= 3; seed++) {
            SimulatedSample s = new CikSimulator(SimulationSpec.builder().events(50_000).seed(seed)
                    .viability(seed == 2 ? 0.5 : 0.9).debris(seed == 3 ? 0.3 : 0.08).build()).simulate();
            CountingBeads.Result r = CountingBeads.fit(channels(s), null, CountingBeads.Options.defaults());
            assertFalse(r.found(), r.issues().toString());
        }
    }

    /** Cells: two log-normal populations spread as cells are (CV ≥ 25 % in fluorescence, 10–25 % in scatter). */
    private static double[][] cells(Random rnd, int n) {
        double[][] v = new double[5][n];
        for (int e = 0; e < n; e++) {
            boolean pos = rnd.nextDouble() < 0.6;
            v[0][e] = 80_000 * Math.exp(0.10 * rnd.nextGaussian());
            v[1][e] = 30_000 * Math.exp(0.25 * rnd.nextGaussian());
            v[2][e] = (pos ? 12_000 : 300) * Math.exp(0.35 * rnd.nextGaussian());
            v[3][e] = (pos ? 3_000 : 200) * Math.exp(0.45 * rnd.nextGaussian());
            v[4][e] = 150 * Math.exp(0.5 * rnd.nextGaussian()) + 60 * rnd.nextGaussian();
        }
        return v;
    }

    private static List<CountingBeads.Channel> channels(double[][] v) {
        List<CountingBeads.Channel> ch = new ArrayList<>();
        ch.add(new CountingBeads.Channel("FSC-A", v[0], true, 262_144));
        ch.add(new CountingBeads.Channel("SSC-A", v[1], true, 262_144));
        for (int c = 2; c < v.length; c++) ch.add(new CountingBeads.Channel("FL" + (c - 1), v[c], false, 262_144));
        return ch;
    }

    /**
     * Beads dark in one channel (noise around zero there), with 10 % bead doublets at twice the signal, inside the
     * cells' scatter cloud: two clusters, the dark channel constrains neither.
     */
    @Test
    void beadsDarkInAChannelAndBeadDoubletsAreTwoClusters() {
        Random rnd = new Random(3);
        int cells = 40_000;
        int beads = 1_000;
        double[][] c = cells(rnd, cells);
        double[][] v = new double[5][cells + beads];
        for (int k = 0; k < 5; k++) System.arraycopy(c[k], 0, v[k], 0, cells);
        double[] level = {70_000, 28_000, 40_000, 25_000, 0};
        for (int e = cells; e < cells + beads; e++) {
            double f = e - cells < beads / 10 ? 2 : 1;
            for (int k = 0; k < 4; k++) v[k][e] = f * level[k] * Math.exp(0.03 * rnd.nextGaussian());
            v[4][e] = 80 * rnd.nextGaussian();
        }
        List<CountingBeads.Channel> ch = channels(v);
        CountingBeads.Result r = CountingBeads.fit(ch, null, CountingBeads.Options.defaults());
        assertEquals(2, r.clusters().size(), r.issues().toString());
        assertEquals(900, r.clusters().get(0).events(), 10);
        assertEquals(100, r.clusters().get(1).events(), 5);
        for (CountingBeads.Cluster cl : r.clusters()) assertFalse(cl.constrains(4), "the dark channel");
        // the cells are untouched
        boolean[] in = inBeads(r, ch, cells);
        for (int e = 0; e < cells; e++) assertFalse(in[e], "cell " + e);
        // keep: events left out are not searched
        boolean[] keep = new boolean[cells + beads];
        for (int e = 0; e < cells; e++) keep[e] = true;
        assertFalse(CountingBeads.fit(ch, keep, CountingBeads.Options.defaults()).found());
    }

    /**
     * What is not beads: constant data (a pile-up at one value in every channel), and particles tight in scatter
     * but in one fluorescence channel only (fewer than the two beads must be tight in).
     */
    @Test
    void constantDataAndSingleChannelParticlesAreNotBeads() {
        Random rnd = new Random(4);
        double[][] c = cells(rnd, 20_000);
        double[][] constant = new double[5][5_000];
        for (double[] x : constant) java.util.Arrays.fill(x, 264);
        assertFalse(CountingBeads.fit(channels(constant), null, CountingBeads.Options.defaults()).found());
        int n = 20_000 + 800;
        double[][] v = new double[5][n];
        for (int k = 0; k < 5; k++) System.arraycopy(c[k], 0, v[k], 0, 20_000);
        for (int e = 20_000; e < n; e++) {
            v[0][e] = 30_000 * Math.exp(0.03 * rnd.nextGaussian());
            v[1][e] = 20_000 * Math.exp(0.03 * rnd.nextGaussian());
            v[2][e] = 50_000 * Math.exp(0.03 * rnd.nextGaussian());
            v[3][e] = 100 * Math.exp(0.5 * rnd.nextGaussian());
            v[4][e] = 80 * rnd.nextGaussian();
        }
        CountingBeads.Result r = CountingBeads.fit(channels(v), null, CountingBeads.Options.defaults());
        assertFalse(r.found(), r.issues().toString());
        // the same particles bright in a second channel are beads
        for (int e = 20_000; e < n; e++) v[3][e] = 9_000 * Math.exp(0.03 * rnd.nextGaussian());
        assertTrue(CountingBeads.fit(channels(v), null, CountingBeads.Options.defaults()).found());
    }

    /**
     * Beads whose signal drifts by −30 % over the run (as a laser or PMT may drift, the cells with them): spread
     * over 0.15 decades in all, tight within each stretch of the run, so found, and the box holds them all.
     */
    @Test
    void driftingBeadsAreFoundWholly() {
        Random rnd = new Random(6);
        int cells = 30_000;
        int beads = 1_500;
        int n = cells + beads;
        double[][] v = new double[5][n];
        double[][] c = cells(rnd, cells);
        // beads interleaved with the cells in acquisition order
        int ci = 0;
        int bi = 0;
        for (int e = 0; e < n; e++) {
            boolean bead = bi < beads && (ci >= cells || rnd.nextDouble() < (double) beads / n);
            if (bead) {
                double drift = 1 - 0.3 * e / n;
                v[0][e] = 30_000 * Math.exp(0.03 * rnd.nextGaussian());
                v[1][e] = 20_000 * Math.exp(0.03 * rnd.nextGaussian());
                v[2][e] = drift * 40_000 * Math.exp(0.03 * rnd.nextGaussian());
                v[3][e] = drift * 9_000 * Math.exp(0.03 * rnd.nextGaussian());
                v[4][e] = drift * 15_000 * Math.exp(0.03 * rnd.nextGaussian());
                bi++;
            } else {
                for (int k = 0; k < 5; k++) v[k][e] = c[k][ci];
                ci++;
            }
        }
        CountingBeads.Result r = CountingBeads.fit(channels(v), null, CountingBeads.Options.defaults());
        assertEquals(1, r.clusters().size(), r.issues().toString());
        assertEquals(bi, r.clusters().get(0).events(), 0.01 * bi);
        assertTrue(r.clusters().get(0).sd()[2] < 0.02, "the spread within stretches of the run: " + r.clusters().get(0).sd()[2]);
    }

    /**
     * Flow-Count-like beads bright in one fluorescence channel only: the singlets alone are not enough (one tight
     * channel), but their doublets, twice as bright, are tight in two; found first, they predict the singlets at half
     * their signal, which are then taken on one channel. The doublets count two beads per event.
     */
    @Test
    void singletsAreFoundBesideTheirDoublets() {
        Random rnd = new Random(7);
        int cells = 30_000;
        int singlets = 1_200;
        int doublets = 150;
        int n = cells + singlets + doublets;
        double[][] v = new double[5][n];
        double[][] c = cells(rnd, cells);
        for (int k = 0; k < 5; k++) System.arraycopy(c[k], 0, v[k], 0, cells);
        for (int e = cells; e < n; e++) {
            double f = e >= cells + singlets ? 2 : 1;
            v[0][e] = f * 30_000 * Math.exp(0.03 * rnd.nextGaussian());
            v[1][e] = f * 20_000 * Math.exp(0.03 * rnd.nextGaussian());
            v[2][e] = f * 60_000 * Math.exp(0.03 * rnd.nextGaussian());
            // dim: noise for singlets, just positive and tight for doublets
            v[3][e] = f * f * f * 120 * Math.exp(0.03 * rnd.nextGaussian()) + (f == 1 ? 150 * rnd.nextGaussian() : 0);
            v[4][e] = 80 * rnd.nextGaussian();
        }
        CountingBeads.Result r = CountingBeads.fit(channels(v), null, CountingBeads.Options.defaults());
        assertEquals(2, r.clusters().size(), r.issues().toString());
        int beads = 0;
        for (CountingBeads.Cluster cl : r.clusters()) beads += cl.events() * cl.beadsPerEvent();
        assertEquals(singlets + 2 * doublets, beads, 0.02 * singlets, r.issues().toString());
        assertTrue(r.clusters().stream().anyMatch(cl -> cl.beadsPerEvent() == 2 && Math.abs(cl.events() - doublets) < 5),
                r.issues().toString());
    }

    /** A channel in which the beads sit at the top of the scale (saturated) does not constrain their box. */
    @Test
    void aSaturatedChannelDoesNotConstrain() {
        Random rnd = new Random(5);
        double[][] c = cells(rnd, 20_000);
        int n = 21_000;
        double[][] v = new double[5][n];
        for (int k = 0; k < 5; k++) System.arraycopy(c[k], 0, v[k], 0, 20_000);
        for (int e = 20_000; e < n; e++) {
            v[0][e] = 30_000 * Math.exp(0.03 * rnd.nextGaussian());
            v[1][e] = 20_000 * Math.exp(0.03 * rnd.nextGaussian());
            v[2][e] = 262_143;
            v[3][e] = 9_000 * Math.exp(0.03 * rnd.nextGaussian());
            v[4][e] = 15_000 * Math.exp(0.03 * rnd.nextGaussian());
        }
        CountingBeads.Result r = CountingBeads.fit(channels(v), null, CountingBeads.Options.defaults());
        assertEquals(1, r.clusters().size(), r.issues().toString());
        assertFalse(r.clusters().get(0).constrains(2));
        assertTrue(r.clusters().get(0).constrains(3) && r.clusters().get(0).constrains(4));
    }
}
