package org.cikqc.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.common.CikqcException;
import org.cikqc.fcs.FcsParameter;
import org.junit.jupiter.api.Test;

class PanelMapperTest {

    static final QcSpec.Panel PANEL = QcSpec.defaultSpec().panel();

    /** Parameters from alternating $PnN, $PnS pairs (null or "" = no $PnS). */
    static List<FcsParameter> params(String... nameMarker) {
        List<FcsParameter> out = new ArrayList<>();
        for (int i = 0; i < nameMarker.length; i += 2) {
            String name = nameMarker[i];
            double timestep = name.equalsIgnoreCase("time") ? 0.01 : 0;
            out.add(new FcsParameter(i / 2 + 1, name, nameMarker[i + 1], 32, 262144, 'F', 1, 0, 0, timestep));
        }
        return out;
    }

    static String nameOf(ChannelMap m, List<FcsParameter> p, PanelRole r) {
        return p.get(m.require(r)).name();
    }

    static CikqcException specError(Runnable r) {
        CikqcException e = assertThrows(CikqcException.class, r::run);
        assertEquals(CikqcException.Kind.INVALID_SPEC, e.kind(), e.getMessage());
        assertEquals(4, e.kind().exitCode());
        return e;
    }

    @Test
    void bdFacsDivaPanelMapsEveryRole() {
        List<FcsParameter> p = params("FSC-A", null, "FSC-H", null, "FSC-W", null, "SSC-A", null, "SSC-H", null,
                "FITC-A", "CD3", "PE-A", "CD56", "PerCP-Cy5-5-A", "7-AAD", "PE-Cy7-A", "CD4", "APC-A", "CD8",
                "APC-H7-A", "CD16", "V500-A", "CD45", "Time", null);
        ChannelMap m = PanelMapper.map(PANEL, p, Map.of());
        assertEquals("FSC-A", nameOf(m, p, PanelRole.FSC_A));
        assertEquals("FSC-H", nameOf(m, p, PanelRole.FSC_H));
        assertEquals("SSC-A", nameOf(m, p, PanelRole.SSC_A));
        assertEquals("FITC-A", nameOf(m, p, PanelRole.CD3));
        assertEquals("PE-A", nameOf(m, p, PanelRole.CD56));
        assertEquals("PerCP-Cy5-5-A", nameOf(m, p, PanelRole.VIABILITY));
        assertEquals("PE-Cy7-A", nameOf(m, p, PanelRole.CD4));
        assertEquals("APC-A", nameOf(m, p, PanelRole.CD8));
        assertEquals("APC-H7-A", nameOf(m, p, PanelRole.CD16));
        assertEquals("V500-A", nameOf(m, p, PanelRole.CD45));
        assertEquals("Time", nameOf(m, p, PanelRole.TIME));
        assertFalse(m.has(PanelRole.CD14_19));
        assertEquals(ChannelMap.Source.PNS, m.assignment(PanelRole.CD3).orElseThrow().source());
        assertEquals(5, m.require(PanelRole.CD3), "0-based index");
    }

    @Test
    void cytekAndConjugateStyleLabels() {
        List<FcsParameter> p = params("FSC-A", "", "SSC-A", "", "SSC-B-A", "", "BV421-A", "CD3 BV421",
                "PE-A", "CD56 PE", "APC-Fire 750-A", "Zombie NIR", "BV510-A", "CD45 BV510");
        ChannelMap m = PanelMapper.map(PANEL, p, null);
        assertEquals("SSC-A", nameOf(m, p, PanelRole.SSC_A), "SSC-B-A is not SSC-A");
        assertEquals("BV421-A", nameOf(m, p, PanelRole.CD3));
        assertEquals("PE-A", nameOf(m, p, PanelRole.CD56));
        assertEquals("APC-Fire 750-A", nameOf(m, p, PanelRole.VIABILITY));
        assertEquals("BV510-A", nameOf(m, p, PanelRole.CD45));
        assertFalse(m.has(PanelRole.FSC_H));
        assertFalse(m.has(PanelRole.TIME));
    }

    @Test
    void beckmanIntegralChannels() {
        List<FcsParameter> p = params("FS INT", "FS INT", "FS PEAK", "FS PEAK", "SS INT", "SS INT",
                "FL1 INT", "CD3-FITC", "FL2 INT", "CD56-PE", "FL3 INT", "CD3 PerCP-Cy5.5 isotype? no: 7AAD",
                "FL5 INT", "CD45-PC7", "TIME", "TIME");
        // FL3's $PnS deliberately mentions CD3 and 7AAD: a combined label is never used for either role
        CikqcException e = specError(() -> PanelMapper.map(PANEL, p, Map.of()));
        assertTrue(e.getMessage().contains("VIABILITY"), e.getMessage());
        assertTrue(e.getMessage().contains("combined channel"), e.getMessage());

        List<FcsParameter> q = params("FS INT", "FS INT", "FS PEAK", "FS PEAK", "SS INT", "SS INT",
                "FL1 INT", "CD3-FITC", "FL2 INT", "CD56-PE", "FL3 INT", "7-AAD", "FL5 INT", "CD45-PC7", "TIME", "TIME");
        ChannelMap m = PanelMapper.map(PANEL, q, Map.of());
        assertEquals("FS INT", nameOf(m, q, PanelRole.FSC_A));
        assertEquals("FS PEAK", nameOf(m, q, PanelRole.FSC_H));
        assertEquals("SS INT", nameOf(m, q, PanelRole.SSC_A));
        assertEquals("FL1 INT", nameOf(m, q, PanelRole.CD3));
        assertEquals("FL3 INT", nameOf(m, q, PanelRole.VIABILITY));
        assertEquals("FL5 INT", nameOf(m, q, PanelRole.CD45));
        assertEquals("TIME", nameOf(m, q, PanelRole.TIME));
    }

    @Test
    void sonyBackScatterAndOtherVendorsViabilityDyes() {
        // spec 1.2.0: Sony's BSC-A is the side scatter; Beckman ViaKrome, Miltenyi Viobility and the aqua amine dye
        // labelled without LIVE/DEAD are viability dyes
        for (String dye : List.of("ViaKrome 808", "Viobility 405/520 Fixable Dye", "Fixable Aqua", "LD Aqua")) {
            List<FcsParameter> p = params("FSC-A", null, "FSC-H", null, "BSC-A", null, "FL1-A", "CD3",
                    "FL2-A", "CD56", "FL3-A", dye, "FL4-A", "CD45", "Time", null);
            ChannelMap m = PanelMapper.map(PANEL, p, Map.of());
            assertEquals("BSC-A", nameOf(m, p, PanelRole.SSC_A), dye);
            assertEquals("FL3-A", nameOf(m, p, PanelRole.VIABILITY), dye);
        }
    }

    @Test
    void flowJoStyleNamesInPnN() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "Comp-FITC-A :: CD3", null,
                "Comp-PE-A :: CD56", null, "Comp-APC-A :: LIVE/DEAD Near-IR", null, "Comp-BV421-A :: CD4", null);
        ChannelMap m = PanelMapper.map(PANEL, p, Map.of());
        assertEquals(2, m.require(PanelRole.CD3));
        assertEquals(3, m.require(PanelRole.CD56));
        assertEquals(4, m.require(PanelRole.VIABILITY));
        assertEquals(5, m.require(PanelRole.CD4));
        assertEquals(ChannelMap.Source.PNN, m.assignment(PanelRole.CD3).orElseThrow().source());
    }

    @Test
    void cd3NeverMatchesCd38AndCd4NeverCd45() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "FITC-A", "CD38", "PE-A", "CD56",
                "APC-A", "7-AAD", "V500-A", "CD45", "BV605-A", "CD45RA", "BV711-A", "CD8b");
        CikqcException e = specError(() -> PanelMapper.map(PANEL, p, Map.of()));
        assertTrue(e.getMessage().contains("required role CD3 matches no channel"), e.getMessage());
        assertTrue(e.getMessage().contains("P3 FITC-A (CD38)"), "lists the channels: " + e.getMessage());

        List<FcsParameter> q = params("FSC-A", null, "SSC-A", null, "FITC-A", "CD38", "PerCP-A", "CD3",
                "PE-A", "CD56", "APC-A", "7-AAD", "V500-A", "CD45", "BV605-A", "CD45RO");
        ChannelMap m = PanelMapper.map(PANEL, q, Map.of());
        assertEquals("PerCP-A", nameOf(m, q, PanelRole.CD3));
        assertEquals("V500-A", nameOf(m, q, PanelRole.CD45));
        assertFalse(m.has(PanelRole.CD4), "CD45 and CD45RO are not CD4");
        assertFalse(m.has(PanelRole.CD8));
    }

    @Test
    void tokenAwareAliasesWithPrefixes() {
        Label viability = Label.of("Fixable Viability Dye eFluor 780");
        assertEquals(Label.Match.CONTAINS, Label.Alias.compile("Viab*").match(viability));
        assertEquals(Label.Match.NONE, Label.Alias.compile("Viab").match(viability));
        assertEquals(Label.Match.EXACT, Label.Alias.compile("7-AAD").match(Label.of("7 AAD")));
        assertEquals(Label.Match.CONTAINS, Label.Alias.compile("7-AAD").match(Label.of("7-AAD-A")));
        assertEquals(Label.Match.NONE, Label.Alias.compile("CD3").match(Label.of("CD38 PE")));
        assertEquals(Label.Match.NONE, Label.Alias.compile("CD56").match(Label.of("CD56bright")));
        assertEquals(Label.Match.CONTAINS, Label.Alias.compile("CD3").match(Label.of("CD3 PerCP-Cy5.5")));
        assertEquals(Label.Match.CONTAINS, Label.Alias.compile("CD3").match(Label.of("FITC-A :: CD3")));
        assertEquals(Label.Match.EXACT, Label.Alias.compile("FSC-A").match(Label.of("fsc.a")));
        assertEquals(List.of("cd16", "cd56", "pe"), texts(Label.of("CD16/56 PE")));
        assertEquals(List.of("cd3", "cd19"), texts(Label.of("CD3&19")));
        assertEquals(List.of("cd45", "7", "aad"), texts(Label.of("CD45/7-AAD")));
        assertEquals(List.of("cd3", "fitc"), texts(Label.of("CD 3 FITC")));
        assertEquals(List.of("cd45", "v500"), texts(Label.of("CD-45 V500")));
        assertEquals(List.of("cd3", "fitc"), texts(Label.of("hCD3 FITC")), "human prefix");
        assertEquals(List.of("anti", "cd56"), texts(Label.of("anti-huCD56")));
        assertEquals(Label.Match.CONTAINS, Label.Alias.compile("CD3").match(Label.of("hCD3-FITC")));
        assertEquals(Label.Match.NONE, Label.Alias.compile("CD3").match(Label.of("mCD3 FITC")), "anti-mouse CD3");
        assertEquals(Label.Match.NONE, Label.Alias.compile("CD3").match(Label.of("hCD38")));
        assertFalse(Label.isCdToken(Label.of("(Cd112)Di").tokens().get(0)), "cadmium isotope tag");
        assertTrue(Label.isCdToken(Label.of("cd45").tokens().get(0)));
        assertEquals(null, Label.Alias.compile("CD*3"));
        assertEquals(null, Label.Alias.compile(" - "));
    }

    private static List<String> texts(Label l) {
        List<String> t = new ArrayList<>();
        for (Label.Token k : l.tokens()) t.add(k.text());
        return t;
    }

    @Test
    void combinedChannelsAreNeverUsed() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "PE-A", "CD3&19", "APC-A", "CD56",
                "V450-A", "VIVID / CD14", "FITC-A", "CD3");
        ChannelMap m = PanelMapper.map(lenient(), p, Map.of());
        assertEquals("FITC-A", nameOf(m, p, PanelRole.CD3), "CD3&19 is a dump channel, not CD3");
        assertFalse(m.has(PanelRole.VIABILITY));
        assertFalse(m.has(PanelRole.CD14_19));
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("VIVID / CD14") && n.contains("combined")), m.notes().toString());
    }

    @Test
    void weakAliasesYieldToAntibodyConjugates() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "APC-Cy7-A", "APC-eFluor 780 - CD3",
                "PE-A", "CD56", "BV510-A", "eFluor 506");
        ChannelMap m = PanelMapper.map(PANEL, p, Map.of());
        assertEquals("APC-Cy7-A", nameOf(m, p, PanelRole.CD3));
        assertEquals("BV510-A", nameOf(m, p, PanelRole.VIABILITY));
    }

    /**
     * A FACSCalibur records scatter as pulse height only: FSC-H and SSC-H stand for FSC-A and SSC-A, and FSC_H is left
     * unmapped (it is the same channel), so there is no singlet gate. The analysis stopped with exit 4 before.
     */
    @Test
    void heightOnlyScatterStandsForTheArea() {
        List<FcsParameter> p = params("FSC-H", null, "SSC-H", null, "FL1-H", "CD3 FITC", "FL2-H", "CD56 PE",
                "FL3-H", "7-AAD", "Time", null);
        ChannelMap m = PanelMapper.map(PANEL, p, Map.of());
        assertEquals("FSC-H", nameOf(m, p, PanelRole.FSC_A));
        assertEquals("SSC-H", nameOf(m, p, PanelRole.SSC_A));
        assertFalse(m.has(PanelRole.FSC_H), "FSC-H is FSC_A's channel");
        assertTrue(m.assignment(PanelRole.FSC_A).orElseThrow().why().startsWith("height-only scatter"));
        assertTrue(m.notes().stream().anyMatch(n -> n.startsWith("FSC_H: P1 FSC-H is FSC_A's channel")), m.notes().toString());

        List<FcsParameter> beckman = params("FS PEAK", null, "SS PEAK", null, "FL1 PEAK", "CD3", "FL2 PEAK", "CD56",
                "FL3 PEAK", "PI");
        ChannelMap b = PanelMapper.map(PANEL, beckman, Map.of());
        assertEquals("FS PEAK", nameOf(b, beckman, PanelRole.FSC_A));
        assertEquals("SS PEAK", nameOf(b, beckman, PanelRole.SSC_A));

        // an area channel, when there is one, is FSC_A and the height channel FSC_H, as before
        List<FcsParameter> both = params("FSC-A", null, "FSC-H", null, "SSC-H", null, "FITC-A", "CD3", "PE-A", "CD56",
                "APC-A", "7-AAD");
        ChannelMap w = PanelMapper.map(PANEL, both, Map.of());
        assertEquals("FSC-A", nameOf(w, both, PanelRole.FSC_A));
        assertEquals("FSC-H", nameOf(w, both, PanelRole.FSC_H));
        assertEquals("SSC-H", nameOf(w, both, PanelRole.SSC_A));
        // a width channel is not a height, and a height the user gave to FSC_H is not taken for FSC_A
        assertThrows(CikqcException.class, () -> PanelMapper.map(PANEL, params("FSC-W", null, "SSC-W", null,
                "FITC-A", "CD3", "PE-A", "CD56", "APC-A", "7-AAD"), Map.of()));
        CikqcException given = assertThrows(CikqcException.class, () -> PanelMapper.map(PANEL, p, Map.of("FSC_H", "FSC-H")));
        assertTrue(given.getMessage().contains("required role FSC_A matches no channel"), given.getMessage());
    }

    @Test
    void areaPreferredOverHeightAndWidth() {
        List<FcsParameter> p = params("FSC-A", null, "FSC-H", null, "SSC-A", null, "FITC-H", "CD3", "FITC-A", "CD3",
                "FITC-W", "CD3", "PE-A", "CD56", "PE-H", "CD56", "APC-A", "7-AAD");
        ChannelMap m = PanelMapper.map(PANEL, p, Map.of());
        assertEquals("FITC-A", nameOf(m, p, PanelRole.CD3));
        assertEquals("PE-A", nameOf(m, p, PanelRole.CD56));
        assertTrue(m.assignment(PanelRole.CD3).orElseThrow().why().contains("area channel preferred"));
        assertTrue(m.notes().stream().anyMatch(n -> n.startsWith("CD3: area channel")), m.notes().toString());
    }

    @Test
    void ambiguousMatchListsCandidatesAndOverrideResolvesIt() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "FITC-A", "CD3", "PE-A", "CD56",
                "APC-A", "CD56", "PerCP-A", "7-AAD");
        CikqcException e = specError(() -> PanelMapper.map(PANEL, p, Map.of()));
        assertTrue(e.getMessage().contains("role CD56 is ambiguous"), e.getMessage());
        assertTrue(e.getMessage().contains("P4 PE-A (CD56)") && e.getMessage().contains("P5 APC-A (CD56)"), e.getMessage());
        assertTrue(e.getMessage().contains("--channel CD56=NAME"), e.getMessage());

        ChannelMap m = PanelMapper.map(PANEL, p, Map.of("CD56", "APC-A"));
        assertEquals("APC-A", nameOf(m, p, PanelRole.CD56));
        assertEquals(ChannelMap.Source.OVERRIDE, m.assignment(PanelRole.CD56).orElseThrow().source());

        ChannelMap ci = PanelMapper.map(PANEL, p, Map.of("cd56", "pe-a"));
        assertEquals("PE-A", nameOf(ci, p, PanelRole.CD56), "case-insensitive role and name");
    }

    @Test
    void aRoleChannelWhoseNameAnotherParameterHasIsAnInputError() {
        // fuzz round 28 D1: $P1N renamed FITC-A, the CD3 channel's name (found through its $P4S): gates name channels
        // by $PnN, which resolves to P1, so CD3 was gated on FSC data (CD3+ 100 %, a PASS)
        List<FcsParameter> p = params("FITC-A", null, "SSC-A", null, "PE-A", "CD56", "FITC-A", "CD3",
                "PerCP-A", "7-AAD", "FSC-H", null);
        CikqcException e = assertThrows(CikqcException.class, () -> PanelMapper.map(PANEL, p, Map.of()));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("CD3's channel P4 FITC-A (CD3) has the $PnN of P1 FITC-A: gates and the"
                + " spillover matrix name channels by $PnN"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(keyword $P4N)"), e.getMessage());
    }

    /**
     * Two equally good candidates with one $PnN (a mutated file: $P2N FSC-H rewritten FSC-A): --channel, which names
     * channels by $PnN, cannot choose between them, so the file is refused (exit 3), not the spec (exit 4).
     */
    @Test
    void ambiguousCandidatesSharingOnePnNAreAnInputError() {
        List<FcsParameter> p = params("FSC-A", null, "FSC-A", null, "SSC-A", null, "FITC-A", "CD3", "PE-A", "CD56",
                "PerCP-A", "7-AAD");
        CikqcException e = assertThrows(CikqcException.class, () -> PanelMapper.map(PANEL, p, Map.of()));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("role FSC_A is ambiguous: P1 FSC-A [$PnN 'FSC-A'], P2 FSC-A [$PnN 'FSC-A']"
                + " match equally well and share one $PnN"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(keyword $P2N)"), e.getMessage());
        // different names stay a mapping the user can settle with --channel (exit 4)
        List<FcsParameter> q = params("FSC-A", null, "SSC-A", null, "FITC-A", "CD3", "1.5", "CD3", "PE-A", "CD56",
                "PerCP-A", "7-AAD");
        CikqcException f = assertThrows(CikqcException.class, () -> PanelMapper.map(PANEL, q, Map.of()));
        assertEquals(CikqcException.Kind.INVALID_SPEC, f.kind(), f.getMessage());
    }

    @Test
    void exactLabelBeatsContainingLabel() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "FITC-A", "CD3", "PE-A", "CD56",
                "BV421-A", "CD56 FMO", "PerCP-A", "7-AAD");
        ChannelMap m = PanelMapper.map(PANEL, p, Map.of());
        assertEquals("PE-A", nameOf(m, p, PanelRole.CD56));
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("weaker match P5 BV421-A")), m.notes().toString());
    }

    @Test
    void badOverridesAreSpecErrors() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "FITC-A", "CD3", "PE-A", "CD56",
                "PerCP-A", "7-AAD", "APC-A", "CD8");
        CikqcException unknownName = specError(() -> PanelMapper.map(PANEL, p, Map.of("CD56", "PE-Cy7-A")));
        assertTrue(unknownName.getMessage().contains("no channel has $PnN 'PE-Cy7-A'"), unknownName.getMessage());
        assertTrue(unknownName.getMessage().contains("channels: P1 FSC-A, P2 SSC-A, P3 FITC-A (CD3)"), unknownName.getMessage());
        CikqcException unknownRole = specError(() -> PanelMapper.map(PANEL, p, Map.of("CD99", "PE-A")));
        assertTrue(unknownRole.getMessage().contains("unknown role 'CD99'"), unknownRole.getMessage());
        CikqcException twice = specError(() -> PanelMapper.map(PANEL, p, Map.of("CD56", "PE-A", "CD8", "PE-A")));
        assertTrue(twice.getMessage().contains("already assigned"), twice.getMessage());
        CikqcException required = specError(() -> PanelMapper.map(PANEL, p, Map.of("CD3", "none")));
        assertTrue(required.getMessage().contains("cannot be unmapped"), required.getMessage());

        ChannelMap m = PanelMapper.map(PANEL, p, Map.of("CD8", "none"));
        assertFalse(m.has(PanelRole.CD8));
        assertTrue(m.notes().contains("CD8 left unmapped by --channel CD8=none"), m.notes().toString());
    }

    @Test
    void overrideTakesAChannelAwayFromAutomaticMatching() {
        // width-only scatter: FSC_A and SSC_A are required and match nothing
        CikqcException e = specError(() -> PanelMapper.map(PANEL, params("FSC-W", null, "SSC-W", null, "FL1-H",
                "CD3 FITC", "FL2-H", "CD56 PE", "FL3-H", "7AAD"), Map.of()));
        assertTrue(e.getMessage().contains("required role FSC_A") && e.getMessage().contains("required role SSC_A"),
                "all problems in one message: " + e.getMessage());
        // FSC-H-only instrument, the user maps it explicitly (as the automatic height-only rule would)
        List<FcsParameter> p = params("FSC-H", "Forward Scatter", "SSC-H", "Side Scatter", "FL1-H", "CD3 FITC",
                "FL2-H", "CD56 PE", "FL3-H", "7AAD");
        ChannelMap m = PanelMapper.map(PANEL, p, Map.of("FSC_A", "FSC-H", "SSC-A", "SSC-H"));
        assertEquals(0, m.require(PanelRole.FSC_A));
        assertEquals(1, m.require(PanelRole.SSC_A));
        assertFalse(m.has(PanelRole.FSC_H), "FSC-H is taken by the FSC_A override");
        assertEquals("FL3-H", nameOf(m, p, PanelRole.VIABILITY));
    }

    @Test
    void describeIsOrderedForProvenance() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "FITC-A", "CD3", "PE-A", "CD56", "PerCP-A", "7-AAD");
        Map<String, Object> d = PanelMapper.map(PANEL, p, Map.of()).describe();
        @SuppressWarnings("unchecked")
        Map<String, Object> roles = (Map<String, Object>) d.get("roles");
        assertEquals(List.of("FSC_A", "SSC_A", "CD3", "CD56", "VIABILITY"), new ArrayList<>(roles.keySet()));
        assertTrue(d.get("roles") instanceof LinkedHashMap);
    }

    /** The default panel with every role optional (to inspect mappings of files that lack core roles). */
    static QcSpec.Panel lenient() {
        Map<PanelRole, QcSpec.RoleSpec> m = new EnumMap<>(PanelRole.class);
        PANEL.roles().forEach((r, s) -> m.put(r, new QcSpec.RoleSpec(false, s.aliases(), s.weakAliases())));
        return new QcSpec.Panel(m);
    }

    @Test
    void ambiguousDumpChannelIsLeftUnmappedWithANote() {
        List<FcsParameter> p = params("FSC-A", null, "SSC-A", null, "FITC-A", "CD3", "PE-A", "CD56", "PerCP-A", "7-AAD",
                "Nd142Di", "CD19", "Lu175Di", "CD14");
        ChannelMap m = PanelMapper.map(PANEL, p, Map.of());
        org.junit.jupiter.api.Assertions.assertFalse(m.has(PanelRole.CD14_19));
        org.junit.jupiter.api.Assertions.assertTrue(m.notes().stream().anyMatch(n -> n.startsWith("CD14_19: ambiguous")),
                m.notes().toString());
        ChannelMap chosen = PanelMapper.map(PANEL, p, Map.of("CD14_19", "Nd142Di"));
        org.junit.jupiter.api.Assertions.assertEquals("Nd142Di", nameOf(chosen, p, PanelRole.CD14_19));
    }
}
