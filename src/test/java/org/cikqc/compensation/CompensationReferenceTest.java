package org.cikqc.compensation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.cikqc.fcs.FcsParameter;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The six shared compensation references: the first 1,000 uncompensated events (scale values) compensated with
 * the reference's spill file must match the compensated table within 1e-9 (relative, absolute below 1); the
 * columns outside the matrix must be left exactly as they were.
 */
class CompensationReferenceTest {

    static final double TOL = 1e-9;

    @TestFactory
    Stream<DynamicTest> sixReferences() throws IOException {
        Path dir = Shared.resolve("compensation");
        List<String> names = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("SUMMARY.tsv"), StandardCharsets.UTF_8)) {
            if (l.startsWith("name\t") || l.isBlank()) continue;
            names.add(l.split("\t")[0]);
        }
        assertEquals(6, names.size(), "SUMMARY.tsv lists six references");
        return names.stream().map(n -> DynamicTest.dynamicTest(n, () -> check(dir, n)));
    }

    private static void check(Path dir, String name) throws IOException {
        SpilloverMatrix m = SpilloverParser.fromCsv(dir.resolve(name + "_spill.tsv"));
        assertTrue(m.isSquare());
        assertEquals(m.sources(), m.detectors(), "spill files label rows with the detector of each dye");
        TestData.Table raw = TestData.read(dir.resolve(name + "_uncomp_first1000.tsv"));
        TestData.Table ref = TestData.read(dir.resolve(name + "_comp_first1000.tsv"));
        assertEquals(raw.names(), ref.names());
        assertEquals(1000, raw.rows());
        List<String> compensated = List.of(ref.comments().stream().filter(c -> c.startsWith("# compensated columns:"))
                .findFirst().orElseThrow().substring("# compensated columns:".length()).strip().split(","));
        assertEquals(m.detectors(), compensated, "the reference compensates exactly the matrix's detectors");

        List<FcsParameter> params = new ArrayList<>();
        for (int i = 0; i < raw.names().size(); i++) params.add(TestData.param(i + 1, raw.names().get(i)));
        Compensator c = Compensator.of(m, params);

        // in place
        double[][] cols = new double[raw.columns().length][];
        for (int p = 0; p < cols.length; p++) cols[p] = raw.columns()[p].clone();
        c.apply(cols, raw.rows());
        double max = 0;
        for (int p = 0; p < cols.length; p++) {
            if (!compensated.contains(raw.names().get(p))) {
                assertArrayEquals(raw.columns()[p], cols[p], 0.0, raw.names().get(p) + " must be untouched");
                assertArrayEquals(ref.columns()[p], cols[p], 0.0, raw.names().get(p) + " equals the reference");
                continue;
            }
            for (int i = 0; i < raw.rows(); i++) {
                double e = ref.columns()[p][i];
                double err = Math.abs(cols[p][i] - e) / Math.max(1.0, Math.abs(e));
                assertTrue(err <= TOL, name + " " + raw.names().get(p) + " event " + i + ": expected " + e + " got "
                        + cols[p][i]);
                max = Math.max(max, err);
            }
        }
        // general path into separate arrays gives the same numbers
        double[][] out = new double[c.outputNames().length][raw.rows()];
        c.apply(raw.columns(), raw.rows(), out);
        for (int k = 0; k < out.length; k++) {
            int col = raw.names().indexOf(c.outputNames()[k]);
            assertArrayEquals(cols[col], out[k], 0.0, "apply(in,n,out) == apply(columns,n)");
        }
        System.out.printf(Locale.ROOT, "compensation-ref %-40s %2dx%-2d max_rel_err=%.3g%n", name, m.sourceCount(),
                m.detectorCount(), max);
    }

    /** The FlowKit CSV behind one reference parses to the same matrix as the reference's spill file. */
    @Test
    void flowKitCsvMatchesReferenceSpill() {
        SpilloverMatrix csv = SpilloverParser.fromCsv(Shared.resolve("compensation/matrices/comp_complete_example.csv"));
        SpilloverMatrix ref = SpilloverParser.fromCsv(Shared.resolve("compensation/FlowKit_test_comp_example_csv_spill.tsv"));
        assertEquals("csv:comp_complete_example.csv", csv.origin());
        assertEquals(ref.detectors(), csv.detectors());
        assertTrue(csv.sameCompensation(ref, 1e-15));
    }
}
