package org.cikqc.autogate;

import java.util.HashMap;
import java.util.Map;

import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimChannel;
import org.cikqc.sim.SimulatedSample;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.Spillover;
import org.cikqc.sim.TruthMetrics;

/**
 * Test support: simulates a sample, compensates it with the inverse of the spillover the simulator wrote, runs the
 * whole auto-gating strategy and holds the fit next to the truth.
 */
final class SimulatedRun {
    final SimulationSpec spec;
    final SimulatedSample sample;
    final CikAutoGating.Fit fit;

    private SimulatedRun(SimulationSpec spec, SimulatedSample sample, CikAutoGating.Fit fit) {
        this.spec = spec;
        this.sample = sample;
        this.fit = fit;
    }

    static SimulatedRun of(SimulationSpec spec) {
        SimulatedSample s = new CikSimulator(spec).simulate();
        return new SimulatedRun(spec, s, CikAutoGating.fit(toSample(s), CikAutoGating.Panel.bdDefault()));
    }

    /** Raw columns plus fluorescence compensated with S⁻¹. */
    static CikAutoGating.Sample toSample(SimulatedSample s) {
        Map<String, double[]> raw = new HashMap<>();
        for (SimChannel c : s.channels()) raw.put(c.name(), s.values(c.name()));
        Spillover sp = s.truth().spillover();
        RealMatrix inv = MatrixUtils.inverse(MatrixUtils.createRealMatrix(sp.toArray()));
        int k = sp.size();
        int n = s.events();
        double[][] in = new double[k][];
        for (int j = 0; j < k; j++) in[j] = raw.get(sp.detectors().get(j));
        Map<String, double[]> comp = new HashMap<>();
        double[][] out = new double[k][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double v = 0;
                for (int m = 0; m < k; m++) v += in[m][i] * inv.getEntry(m, j);
                out[j][i] = v;
            }
        }
        for (int j = 0; j < k; j++) comp.put(sp.detectors().get(j), out[j]);
        return new CikAutoGating.Sample(raw, comp);
    }

    TruthMetrics truth() { return sample.truth().metrics(); }

    /** Fitted minus true, in percentage points; NaN when either is undefined. */
    static double err(Double fitted, Double truth) {
        return fitted == null || truth == null ? Double.NaN : fitted - truth;
    }

    double viabilityErr() { return err(fit.counts().viabilityPct(), truth().viabilityPct()); }

    double cd3Err() { return err(fit.counts().cd3PctOfViable(), truth().cd3PctOfViable()); }

    double cd3cd56Err() { return err(fit.counts().cd3cd56PctOfViable(), truth().cd3cd56PctOfViable()); }

    double nkErr() { return err(fit.counts().nkPctOfViable(), truth().nkPctOfViable()); }

    double cd8Err() { return err(fit.counts().cd8PctOfCd3(), truth().cd8PctOfCd3()); }

    double cd4Err() { return err(fit.counts().cd4PctOfCd3(), truth().cd4PctOfCd3()); }
}
