package org.cikqc.compensation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cikqc.common.Problem;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;

/** The keyword parser on real instrument files of the shared corpus (TEXT read by a test-only helper). */
class RealKeywordsTest {

    record Outcome(Optional<SpilloverMatrix> matrix, List<Problem> problems) { }

    static Outcome parse(String rel, int dataSet) throws IOException {
        Path f = Shared.resolve("corpus/fcs/" + rel);
        MiniText.DataSet ds = MiniText.read(f).get(dataSet);
        List<Problem> problems = new ArrayList<>();
        Optional<SpilloverMatrix> m = SpilloverParser.fromKeywords(ds.keywords(), ds.params(), problems);
        System.out.println("real-keywords " + f.getFileName() + " ds" + (dataSet + 1) + ": "
                + m.map(Object::toString).orElse("no matrix") + " " + problems);
        return new Outcome(m, problems);
    }

    static List<String> codes(Outcome o) { return o.problems().stream().map(Problem::code).toList(); }

    @Test
    void accuriChannelNumbersAndNames() throws IOException {
        Outcome numbers = parse("cytoflow__cytoflow/cytoflow__tests__data__instruments__Accuri - C6.fcs", 0);
        SpilloverMatrix m = numbers.matrix().orElseThrow();
        assertEquals(List.of("FL1-A", "FL2-A", "FL3-A", "FL4-A", "FL1-H", "FL2-H", "FL3-H", "FL4-H"), m.detectors());
        assertTrue(m.isIdentity(0));
        assertTrue(numbers.problems().isEmpty());

        Outcome names = parse("whitews__FlowIO/data__fcs_files__B01 KC-A-W---91-US.fcs", 0);
        SpilloverMatrix b01 = names.matrix().orElseThrow();
        assertEquals("$SPILLOVER", b01.origin());
        assertEquals(0.1203, b01.get(0, 1));
        SpilloverMatrix ref = SpilloverParser.fromCsv(Shared.resolve("compensation/FlowIO_B01_KC_fcs31_SPILLOVER_spill.tsv"));
        assertTrue(b01.sameCompensation(ref, 1e-15), "keyword parse equals the shared reference spill file");

        Outcome alias = parse("bioc__flowTime/inst__extdata__ss_example__A01.fcs", 0);
        assertEquals(List.of("FL1.A", "FL2.A", "FL3.A", "FL4.A", "FL1.H", "FL2.H", "FL3.H", "FL4.H"),
                alias.matrix().orElseThrow().detectors());
        assertTrue(codes(alias).stream().allMatch("SPILLOVER_CHANNEL_ALIAS"::equals));
    }

    @Test
    void referenceFilesMatchTheirSpillFiles() throws IOException {
        String[][] pairs = {
            {"bioc__gatingMLData/inst__extdata__Gml2__FCSFiles__9399_1_3_NKR.fcs", "gatingMLData_9399_1_3_NKR"},
            {"bioc__gatingMLData/inst__extdata__examples__166889.fcs", "gatingMLData_166889"},
            {"whitews__FlowKit/data__test_comp_example.fcs", "FlowKit_test_comp_example_embeddedSPILL"},
        };
        for (String[] p : pairs) {
            SpilloverMatrix m = parse(p[0], 0).matrix().orElseThrow();
            SpilloverMatrix ref = SpilloverParser.fromCsv(Shared.resolve("compensation/" + p[1] + "_spill.tsv"));
            assertEquals(ref.detectors(), m.detectors(), p[0]);
            assertTrue(m.sameCompensation(ref, 1e-15), p[0]);
        }
    }

    @Test
    void macsQuantNamesWithoutValuesAreMalformed() throws IOException {
        Outcome o = parse("eyurtsev__fcsparser/fcsparser__tests__data__FlowCytometers__MiltenyiBiotec__FCS3.1__"
                + "EY_2013-07-19_PBS_FCS_3.1_Well_A1.001.fcs", 0);
        assertTrue(o.matrix().isEmpty());
        assertEquals(List.of("SPILLOVER_MALFORMED"), codes(o));
    }

    @Test
    void beckmanComp() throws IOException {
        Outcome gallios2 = parse("cytoflow__cytoflow/cytoflow__tests__data__instruments__Beckman Coulter - Gallios.LMD", 1);
        assertTrue(gallios2.matrix().orElseThrow().isIdentity(0));
        assertTrue(gallios2.problems().isEmpty(), "identity $COMP agrees with identity $SPILLOVER");
        Outcome gallios1 = parse("cytoflow__cytoflow/cytoflow__tests__data__instruments__Beckman Coulter - Gallios.LMD", 0);
        assertTrue(gallios1.matrix().isEmpty(), "all-zero $DFCiTOj: no compensation");
        assertTrue(gallios1.problems().isEmpty());
        Outcome ploidy = parse("bioc__flowPloidyData/inst__extdata__188-15.LMD", 1);
        assertTrue(ploidy.matrix().isEmpty());
        assertEquals(List.of("SPILLOVER_SINGULAR", "SPILLOVER_SINGULAR"), codes(ploidy));
    }

    @Test
    void beckmanDfc() throws IOException {
        Outcome fc500 = parse("cytoflow__cytoflow/cytoflow__tests__data__instruments__Beckman Coulter - Cytomics FC500.LMD", 0);
        SpilloverMatrix m = fc500.matrix().orElseThrow();
        assertEquals(List.of("FL1 Log", "FL2 Log"), m.detectors());
        assertEquals(0.112, m.get(0, 1), 1e-15);
        assertEquals(0.009, m.get(1, 0), 1e-15);
        Outcome coulter = parse("whitews__FlowIO/data__fcs_files__coulter.lmd", 0);
        SpilloverMatrix c = coulter.matrix().orElseThrow();
        assertEquals(4, c.detectorCount(), c.toString());
        assertEquals(0.284, c.get(0, 1), 1e-15);
        Outcome navios = parse("eyurtsev__fcsparser/fcsparser__tests__data__FlowCytometers__fake_bitmask_error__fcs1_cleaned.lmd", 0);
        SpilloverMatrix nav = navios.matrix().orElseThrow();
        assertEquals(List.of("FL1 INT LOG", "FL2 INT LOG", "FL3 INT LOG", "FL4 INT LOG", "FL5 INT LOG"), nav.detectors());
        // Navios 5-colour panel: PE (FL2) spills 44.8% into the ECD detector (FL3), ECD 29.2% into PC5 (FL4),
        // FITC 13.4% into PE; the reverse directions are small. Row = source FLi, column = detector FLj.
        assertEquals(0.448, nav.get(1, 2), 1e-15);
        assertEquals(0.292, nav.get(2, 3), 1e-15);
        assertEquals(0.134, nav.get(0, 1), 1e-15);
        assertEquals(0.012, nav.get(1, 0), 1e-15);
        double upper = 0;
        double lower = 0;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                if (j > i) upper += nav.get(i, j); else if (j < i) lower += nav.get(i, j);
            }
        }
        assertTrue(upper > 5 * lower, "spill goes mostly into longer-wavelength detectors: " + upper + " vs " + lower);
        assertTrue(navios.problems().isEmpty(), navios.problems().toString());
    }
}
