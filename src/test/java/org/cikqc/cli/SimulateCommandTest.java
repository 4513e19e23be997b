package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.ValueKind;
import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimulatedSample;
import org.cikqc.sim.SimulationSpec;
import org.cikqc.sim.SimulationTruth;
import org.cikqc.sim.TruthJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    private static int run(StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    }

    @Test
    void writesAReadableFcsFileAndTruthByteIdenticallyForTheSameSeed(@TempDir Path dir) throws Exception {
        Path f1 = dir.resolve("a.fcs");
        Path t1 = dir.resolve("a.json");
        Path f2 = dir.resolve("b.fcs");
        Path t2 = dir.resolve("b.json");
        StringWriter err = new StringWriter();
        String[] opts = {"--events", "20000", "--seed", "17", "--viability", "0.8", "--cd3cd56", "0.5", "--cd16"};
        assertEquals(0, run(err, concat(new String[] {"simulate", "--out", f1.toString(), "--truth", t1.toString()}, opts)),
                err.toString());
        assertTrue(err.toString().contains("simulated 20,000 events"), err.toString());
        assertEquals(0, run(err, concat(new String[] {"simulate", "--out", f2.toString(), "--truth", t2.toString()}, opts)));
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
        assertArrayEquals(Files.readAllBytes(t1), Files.readAllBytes(t2));

        SimulationSpec spec = SimulationSpec.builder().events(20000).seed(17).viability(0.8).cd3cd56(0.5)
                .withCd16(true).build();
        SimulatedSample expected = new CikSimulator(spec).simulate();
        SimulationTruth truth = TruthJson.read(t1);
        assertEquals(spec, truth.spec());
        assertEquals(expected.truth().labels(), truth.labels());
        try (FcsFile fcs = FcsFile.open(f1, FcsReadOptions.STRICT)) {
            FcsDataSet ds = fcs.dataSet(0);
            assertEquals("FCS3.1", ds.version());
            assertEquals(20000, ds.events());
            assertEquals("CD56", ds.parameter(ds.parameterIndex("PE-A")).marker());
            assertEquals(262144, ds.parameter(0).range());
            assertEquals("0.01", ds.keywords().get("$TIMESTEP"));
            assertEquals(expected.truth().spillover().toKeyword(), ds.keywords().get("$SPILLOVER"));
            assertEquals("4,3,2,1", ds.keywords().get("$BYTEORD"));
            assertTrue(ds.problems().stream().noneMatch(p -> p.severity() != org.cikqc.common.Severity.INFO),
                    ds.problems().toString());
            int at = 0;
            try (EventReader r = fcs.events(0, ValueKind.RAW)) {
                EventBatch b;
                while ((b = r.next()) != null) {
                    for (int i = 0; i < b.size(); i++, at++) {
                        for (int p = 0; p < b.parameterCount(); p++) {
                            assertEquals(expected.columns()[p][at], (float) b.get(i, p), "event " + at + " param " + p);
                        }
                    }
                }
            }
            assertEquals(20000, at);
        }
    }

    @Test
    void invalidOptionsAreUsageErrorsAndLeaveNoFile(@TempDir Path dir) {
        Path f = dir.resolve("x.fcs");
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "simulate", "--out", f.toString(), "--cd3", "0.3", "--cd3cd56", "0.5"), err::toString);
        assertTrue(err.toString().startsWith("cikqc: --cd3cd56 (0.5) must not exceed --cd3 (0.3) (see 'cikqc simulate"),
                err.toString());
        String[][] cases = {
                {"--cd8", "0.7", "--cd4", "0.5", "--cd8 + --cd4 must not exceed 1"},
                {"--no-cd45", "--non-leukocytes", "0.1", "--non-leukocytes must be 0 with --no-cd45: no gate"},
                {"--non-leukocytes", "0.5", "--debris", "0.3", "--debris + --doublets + --non-leukocytes must not exceed"},
                {"--rate", "5", "--rate must be in [10, 1e6], got 5.0"},
                {"--events", "10", "--events must be between 5000 and 1000000, got 10"},
                {"--dead-dim-level", "5", "--dead-dim-level must be in [10, 100000]"},
                {"--clog-duration", "0.9", "0 < --clog-duration <= 0.5 and --clog-start + --clog-duration <= 1"}};
        for (String[] c : cases) {
            StringWriter e = new StringWriter();
            String[] args = new String[c.length + 1];
            args[0] = "simulate";
            args[1] = "--out=" + f;
            System.arraycopy(c, 0, args, 2, c.length - 1);
            int code = run(e, args);
            assertEquals(2, code, String.join(" ", args) + " -> " + e);
            assertTrue(e.toString().startsWith("cikqc: ") && e.toString().contains(c[c.length - 1]), e.toString());
            assertFalse(e.toString().matches("(?s).*\\b(cd8OfCd3|nonLeukocytes|eventRate|deadDimLevel|clogStart)\\b.*"),
                    e.toString());
        }
        assertEquals(2, run(new StringWriter(), "simulate", "--out", f.toString(), "--clog", "sometimes"));
        assertFalse(Files.exists(f));
    }

    @Test
    void noCd45ImpliesNoNonLeukocytes(@TempDir Path dir) {
        Path f = dir.resolve("n.fcs");
        Path t = dir.resolve("n.json");
        assertEquals(0, run(new StringWriter(), "simulate", "--out", f.toString(), "--truth", t.toString(),
                "--events", "5000", "--no-cd45", "--no-cd4cd8", "--clog", "signal-shift"));
        SimulationTruth truth = TruthJson.read(t);
        assertFalse(truth.spec().withCd45());
        assertEquals(0, truth.spec().nonLeukocytes());
        assertEquals(7, truth.channels().size(), "3 scatter, 3 fluorescence (CD3, CD56, 7-AAD), Time");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
