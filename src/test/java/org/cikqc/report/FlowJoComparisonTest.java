package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.cikqc.common.CikqcException;
import org.cikqc.gating.gatingml.FlowJoWorkspace.Population;
import org.junit.jupiter.api.Test;

/** Metrics of a result beside the same percentages of FlowJo populations. */
class FlowJoComparisonTest {

    private static Population pop(String path) {
        int cut = path.lastIndexOf('/');
        return new Population(path, cut > 0 ? path.substring(0, cut) : null, "rectangle", -1);
    }

    private static final List<Population> TREE = List.of(pop("/Cells"), pop("/Cells/Single Cells"),
            pop("/Cells/Single Cells/CD45+"), pop("/Cells/Single Cells/CD45+/7-AAD-"),
            pop("/Cells/Single Cells/CD45+/7-AAD-/Q1: CD3- , CD56+"), pop("/Cells/Single Cells/CD45+/7-AAD-/Q2: CD3+ , CD56+"),
            pop("/Cells/Single Cells/CD45+/7-AAD-/CD3+"), pop("/Cells/Single Cells/CD45+/7-AAD-/CD3+/CD4+"),
            pop("/Cells/Single Cells/CD45+/7-AAD-/CD3+/CD56-"));
    private static final String LIVE = "/Cells/Single Cells/CD45+/7-AAD-";

    @Test
    void populationsAreFoundByTheirNamesWithTheDenominatorsCikqcUses() {
        List<String> notes = new ArrayList<>();
        List<FlowJoComparison.Mapping> m = FlowJoComparison.map(TREE, List.of("viability_pct", "cd3_pct", "cd3_cd56_pct",
                "nk_pct", "cd3_cd56neg_pct", "cd4_pct", "cd8_pct"), List.of(), notes, "w.wsp");
        assertEquals(List.of(
                new FlowJoComparison.Mapping("viability_pct", LIVE, "/Cells/Single Cells/CD45+", "by name"),
                new FlowJoComparison.Mapping("cd3_pct", LIVE + "/CD3+", LIVE, "by name"),
                new FlowJoComparison.Mapping("cd3_cd56_pct", LIVE + "/Q2: CD3+ , CD56+", LIVE, "by name"),
                new FlowJoComparison.Mapping("nk_pct", LIVE + "/Q1: CD3- , CD56+", LIVE, "by name"),
                // a CD56- gate under CD3+ is CD3+CD56-, still of the viable cells
                new FlowJoComparison.Mapping("cd3_cd56neg_pct", LIVE + "/CD3+/CD56-", LIVE, "by name"),
                new FlowJoComparison.Mapping("cd4_pct", LIVE + "/CD3+/CD4+", LIVE + "/CD3+", "by name")), m);
        assertEquals(List.of("no FlowJo population is named like cd8_pct (not compared; --map METRIC=PATH[@OF] names one)"),
                notes);
    }

    @Test
    void givenMappingsAreCheckedAndAmbiguousNamesLeftToTheUser() {
        List<Population> twoLive = new ArrayList<>(TREE);
        twoLive.add(pop("/Live"));
        List<String> notes = new ArrayList<>();
        List<FlowJoComparison.Mapping> m = FlowJoComparison.map(twoLive, List.of("viability_pct", "cd3_pct"), List.of(
                FlowJoComparison.parse("cd3_pct=" + LIVE + "/CD3+@/Cells")), notes, "w.wsp");
        assertEquals(List.of(new FlowJoComparison.Mapping("cd3_pct", LIVE + "/CD3+", "/Cells", "given")), m);
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("viability_pct: 2 FlowJo populations are named like it (" + LIVE + ", /Live)"),
                notes.get(0));
        assertEquals("Q2: x@y", FlowJoComparison.parse("cd3_cd56_pct=Q2: x@y@/a").population());
        // OF is a path: an '@' not followed by '/' belongs to the population's name
        FlowJoComparison.Mapping at = FlowJoComparison.parse("cd3_pct=/CD45+/Live/CD3+@T");
        assertEquals("/CD45+/Live/CD3+@T", at.population());
        assertEquals(null, at.of());
        for (String bad : List.of("cd3_pct", "=x", "cd3_pct=", "cd3_pct=@/a", "cd3_pct=/a@")) {
            assertThrows(IllegalArgumentException.class, () -> FlowJoComparison.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> FlowJoComparison.map(TREE, List.of("cd3_pct"),
                List.of(FlowJoComparison.parse("cd99_pct=/Cells")), new ArrayList<>(), "w.wsp"));
        CikqcException unknown = assertThrows(CikqcException.class, () -> FlowJoComparison.map(TREE, List.of("cd3_pct"),
                List.of(FlowJoComparison.parse("cd3_pct=/Nope")), new ArrayList<>(), "w.wsp"));
        assertEquals("w.wsp: no population /Nope (--map cd3_pct)", unknown.getMessage());
        CikqcException notAbove = assertThrows(CikqcException.class, () -> FlowJoComparison.map(TREE, List.of("cd3_pct"),
                List.of(FlowJoComparison.parse("cd3_pct=/Cells@" + LIVE)), new ArrayList<>(), "w.wsp"));
        assertEquals("w.wsp: " + LIVE + " does not contain /Cells (--map cd3_pct)", notAbove.getMessage());
    }

    @Test
    void rowsGiveBothPercentagesTheirDifferenceAndWhetherTheLimitSeesThemAlike() throws Exception {
        JsonNode result = new ObjectMapper().readTree("{\"metrics\":{"
                + "\"cd3_pct\":{\"value\":81.0,\"numerator\":810,\"denominator\":1000,\"uncertainty\":2.43},"
                + "\"cd4_pct\":{\"value\":30.0,\"numerator\":243,\"denominator\":810,\"uncertainty\":3.0}},"
                + "\"checks\":[{\"id\":\"cd3_pct\",\"limit\":{\"op\":\">=\",\"value\":80}}]}");
        List<FlowJoComparison.Mapping> maps = List.of(new FlowJoComparison.Mapping("cd3_pct", "/L/CD3+", "/L", "given"),
                new FlowJoComparison.Mapping("cd4_pct", "/L/CD3+/CD4+", "/L/CD3+", "by name"));
        List<FlowJoComparison.Row> rows = FlowJoComparison.compare(result, maps,
                Map.of("/L/CD3+", 790L, "/L", 1000L, "/L/CD3+/CD4+", 300L),
                Map.of("/L/CD3+", 800L, "/L", 1000L));
        FlowJoComparison.Row cd3 = rows.get(0);
        assertEquals(79.0, cd3.replay(), 1e-12);
        assertEquals(80.0, cd3.saved(), 1e-12);
        assertEquals(-2.0, cd3.difference(), 1e-9);
        assertTrue(cd3.within2u());
        assertFalse(cd3.sameSide(), "81 meets >= 80, 79 does not");
        FlowJoComparison.Row cd4 = rows.get(1);
        assertEquals(100.0 * 300 / 790, cd4.replay(), 1e-12);
        assertTrue(Double.isNaN(cd4.saved()));
        assertFalse(cd4.within2u(), "+7.97 pp is beyond 2 x 3 pp");
        assertNull(cd4.sameSide(), "no limit");
        String tsv = FlowJoComparison.tsv(rows);
        assertEquals("cd3_pct\t81.0000\t810\t1000\t2.4300\t/L/CD3+\t/L\tgiven\t79.0000\t790\t1000\t80.0000\t-2.0000\tyes"
                + "\t>= 80\tno", tsv.lines().skip(1).findFirst().orElseThrow());
        assertTrue(FlowJoComparison.lines(rows).get(0).endsWith("difference -2.00 pp (within 2u = 4.86 pp); OPPOSITE sides"
                + " of >= 80"), FlowJoComparison.lines(rows).get(0));
    }
}
