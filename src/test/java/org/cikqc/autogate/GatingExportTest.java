package org.cikqc.autogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.ValueKind;
import org.cikqc.gating.CompiledStrategy;
import org.cikqc.gating.GatingEngine;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.PopulationCounts;
import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimulatedFcs;
import org.cikqc.sim.SimulationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported strategy, run by the gating engine over the written FCS file, reproduces the fit's counts. */
class GatingExportTest {

    @Test
    void engineCountsEqualTheFittedCounts(@TempDir Path dir) {
        SimulationSpec spec = SimulationSpec.builder().events(30_000).seed(21).viability(0.8).cd3cd56(0.4)
                .withCd16(true).build();
        CikSimulator sim = new CikSimulator(spec);
        Path fcs = dir.resolve("cik.fcs");
        SimulatedFcs.write(sim, fcs);
        SimulatedRun run = SimulatedRun.of(spec);
        CikAutoGating.Fit fit = run.fit;
        assertFalse(fit.flagged(), fit.reason());
        GatingStrategy strategy = GatingExport.toStrategy(fit, CikAutoGating.Panel.bdDefault(), CikSimulator.TIMESTEP);
        PopulationCounts counts;
        try (FcsFile file = FcsFile.open(fcs, FcsReadOptions.STRICT)) {
            FcsDataSet ds = file.dataSet(0);
            CompiledStrategy compiled = GatingEngine.compile(strategy, ds, GatingEngine.Options.EXACT);
            try (EventReader r = file.events(0, ValueKind.SCALE)) {
                EventBatch b;
                while ((b = r.next()) != null) compiled.evaluate(b);
            }
            counts = compiled.counts();
        }
        CikAutoGating.Counts c = fit.counts();
        assertEquals(30_000, counts.events());
        assertTrue(fit.acquisition().excluded().size() >= 1, "the default clog is excluded");
        assertEquals(c.keptByAcquisitionQc(), counts.count(GatingExport.KEPT), 0);
        assertEquals(c.cells(), counts.count(GatingExport.CELLS), 0);
        assertEquals(c.singlets(), counts.count(GatingExport.SINGLETS), 0);
        assertEquals(c.cd45Singlets(), counts.count(GatingExport.CD45), 0);
        assertEquals(c.viable(), counts.count(GatingExport.VIABLE), 0);
        assertEquals(c.cd3(), counts.count(GatingExport.CD3), 0);
        assertEquals(c.cd3cd56(), counts.count(GatingExport.CD3POS_CD56POS), 0);
        assertEquals(c.nk(), counts.count(GatingExport.CD3NEG_CD56POS), 0);
        assertEquals(c.other(), counts.count(GatingExport.CD3NEG_CD56NEG), 0);
        assertEquals(c.cd3() - c.cd3cd56(), counts.count(GatingExport.CD3POS_CD56NEG), 0);
        assertEquals(c.cd8OfCd3(), counts.count(GatingExport.CD8), 0);
        assertEquals(c.cd4OfCd3(), counts.count(GatingExport.CD4), 0);
        assertEquals(c.cd16OfNk(), counts.count(GatingExport.CD16), 0);
        assertEquals(c.cd3cd56PctOfViable(), counts.percentOfParent(GatingExport.CD3POS_CD56POS), 0.02);
    }

    @Test
    void failedStepsAreLeftOutWithTheirDependants() {
        SimulatedRun run = SimulatedRun.of(SimulationSpec.builder().events(5_000).seed(2).build());
        CikAutoGating.Sample s = SimulatedRun.toSample(run.sample);
        java.util.Map<String, double[]> comp = new java.util.HashMap<>(s.compensated());
        double[] nan = new double[run.sample.events()];
        java.util.Arrays.fill(nan, Double.NaN);
        comp.put("PerCP-Cy5-5-A", nan);
        CikAutoGating.Fit broken = CikAutoGating.fit(new CikAutoGating.Sample(s.raw(), comp),
                CikAutoGating.Panel.bdDefault());
        GatingStrategy g = GatingExport.toStrategy(broken, CikAutoGating.Panel.bdDefault(), 1);
        assertTrue(g.populationIds().contains(GatingExport.CD45), g.populationIds().toString());
        assertFalse(g.populationIds().contains(GatingExport.VIABLE));
        assertFalse(g.populationIds().contains(GatingExport.CD3POS_CD56POS));
    }
}
