package org.cikqc.autogate;

import java.util.HashMap;
import java.util.Map;

import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimulatedSample;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.Spillover;

/** A simulated sample in memory with its fluorescence compensated by the inverse of the written spillover. */
final class SimulatedRun {
    final SimulationSpec spec;
    final SimulatedSample sample;

    private SimulatedRun(SimulationSpec spec, SimulatedSample sample) {
        this.spec = spec;
        this.sample = sample;
    }

    static SimulatedRun of(SimulationSpec spec) {
        return new SimulatedRun(spec, new CikSimulator(spec).simulate());
    }

    /** Fluorescence channels compensated with S⁻¹, by channel name. */
    Map<String, double[]> compensated() {
        Spillover sp = sample.truth().spillover();
        RealMatrix inv = MatrixUtils.inverse(MatrixUtils.createRealMatrix(sp.toArray()));
        int k = sp.size();
        int n = sample.events();
        double[][] in = new double[k][];
        for (int j = 0; j < k; j++) in[j] = sample.values(sp.detectors().get(j));
        Map<String, double[]> comp = new HashMap<>();
        for (int j = 0; j < k; j++) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double v = 0;
                for (int m = 0; m < k; m++) v += in[m][i] * inv.getEntry(m, j);
                out[i] = v;
            }
            comp.put(sp.detectors().get(j), out);
        }
        return comp;
    }
}
