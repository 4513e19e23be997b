package org.cikqc.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cikqc.common.CikqcException;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;

/** Channel mapping over the real marker/channel names of the shared corpus ({@code corpus/MANIFEST.tsv}). */
class PanelMapperCorpusTest {

    record DataSet(String file, List<FcsParameter> params) {
        String joinedNames() {
            List<String> n = new ArrayList<>();
            for (FcsParameter p : params) n.add(p.name());
            return String.join(";", n);
        }
    }

    private static List<DataSet> loaded;

    /**
     * The corpus data sets; each test calls this first, so a missing shared folder skips every test loudly (a JUnit
     * assumption naming the folder) instead of yielding zero tests.
     */
    static synchronized List<DataSet> sets() {
        Path manifest = Shared.resolve("corpus/MANIFEST.tsv");
        if (loaded == null) {
            try {
                loaded = read(manifest);
            } catch (IOException e) {
                throw new UncheckedIOException(manifest + ": " + e.getMessage(), e);
            }
        }
        return loaded;
    }

    private static List<DataSet> read(Path manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split("\t", -1);
        int path = indexOf(header, "path");
        int markers = indexOf(header, "markers");
        int pnn = indexOf(header, "pnn_channels");
        List<DataSet> sets = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length <= pnn || f[pnn].isBlank()) continue;
            String[] names = f[pnn].split("\\|", -1);
            String[] marks = f[markers].split("\\|", -1);
            for (int d = 0; d < names.length; d++) {
                String[] n = names[d].split(";", -1);
                String[] m = d < marks.length ? marks[d].split(";", -1) : new String[0];
                List<FcsParameter> params = new ArrayList<>();
                for (int i = 0; i < n.length; i++) {
                    String marker = i < m.length && !m[i].isBlank() ? m[i] : null;
                    params.add(new FcsParameter(i + 1, n[i], marker, 32, 262144, 'F', 1, 0, 0, 0));
                }
                sets.add(new DataSet(f[path] + "#" + (d + 1), params));
            }
        }
        assertTrue(sets.size() > 70, "corpus manifest read: " + sets.size() + " data sets");
        return List.copyOf(sets);
    }

    private static int indexOf(String[] header, String col) {
        for (int i = 0; i < header.length; i++) if (header[i].equals(col)) return i;
        throw new IllegalStateException("manifest has no column " + col);
    }

    private static DataSet find(String namesPrefix, String markerContains) {
        for (DataSet s : sets()) {
            if (!s.joinedNames().startsWith(namesPrefix)) continue;
            if (markerContains == null) return s;
            for (FcsParameter p : s.params()) {
                if (p.marker() != null && p.marker().contains(markerContains)) return s;
            }
        }
        fail("no corpus data set with names starting '" + namesPrefix + "' and a marker containing '" + markerContains + "'");
        return null;
    }

    private static String mapped(ChannelMap m, DataSet s, PanelRole r) {
        if (!m.has(r)) return null;
        FcsParameter p = s.params().get(m.require(r));
        return p.marker() != null ? p.marker() : p.name();
    }

    /**
     * Every data set either maps (with all roles optional) or fails with an exit-4 error naming the role; and every
     * marker assignment really names the marker as a whole token (no CD3/CD38, CD4/CD45 confusion).
     */
    @Test
    void everyCorpusDataSetMapsOrFailsCleanly() {
        QcSpec.Panel lenient = PanelMapperTest.lenient();
        int mapped = 0;
        for (DataSet s : sets()) {
            ChannelMap m;
            try {
                m = PanelMapper.map(lenient, s.params(), Map.of());
            } catch (CikqcException e) {
                assertEquals(CikqcException.Kind.INVALID_SPEC, e.kind(), s.file());
                assertTrue(e.getMessage().contains("ambiguous") || e.getMessage().contains("several roles"),
                        s.file() + ": " + e.getMessage());
                continue;
            }
            mapped++;
            for (ChannelMap.Assignment a : m.assignments().values()) {
                if (!a.role().isMarker()) continue;
                String label = (a.marker() != null ? a.marker() : a.name()).toLowerCase(Locale.ROOT);
                switch (a.role()) {
                    case CD3 -> assertTrue(label.matches(".*\\bcd3(e|epsilon)?\\b.*"), s.file() + " CD3 <- " + label);
                    case CD4 -> assertTrue(label.matches(".*\\bcd4\\b.*"), s.file() + " CD4 <- " + label);
                    case CD45 -> assertTrue(label.matches(".*\\bcd45\\b.*") && !label.matches(".*cd45r[ao].*"),
                            s.file() + " CD45 <- " + label);
                    case CD8 -> assertTrue(label.matches(".*\\bcd8a?\\b.*"), s.file() + " CD8 <- " + label);
                    case CD56 -> assertTrue(label.matches(".*\\bcd56\\b.*"), s.file() + " CD56 <- " + label);
                    default -> { }
                }
            }
        }
        assertTrue(mapped > 50, "most data sets map with an all-optional panel: " + mapped);
    }

    @Test
    void bdFacsCantoWithCd38AndCd45ButNoCd3() {
        DataSet s = find("Time;FSC-A;FSC-W;SSC-A;FITC-A;PE-A;PerCP-A", "CD38");
        ChannelMap m = PanelMapper.map(PanelMapperTest.lenient(), s.params(), Map.of());
        assertFalse(m.has(PanelRole.CD3), "CD38 is not CD3");
        assertEquals("CD45", mapped(m, s, PanelRole.CD45));
        assertEquals("CD19", mapped(m, s, PanelRole.CD14_19));
        assertEquals("FSC-A", mapped(m, s, PanelRole.FSC_A));
        assertEquals("Time", mapped(m, s, PanelRole.TIME));
        assertFalse(m.has(PanelRole.FSC_H), "FSC-W is not FSC-H");
        // with the real (strict) panel the file is rejected, naming every missing core role
        CikqcException e = PanelMapperTest.specError(() -> PanelMapper.map(PanelMapperTest.PANEL, s.params(), Map.of()));
        for (String role : List.of("CD3", "CD56", "VIABILITY")) {
            assertTrue(e.getMessage().contains("required role " + role + " matches no channel"), e.getMessage());
        }
    }

    @Test
    void miltenyiLowerCaseMarkersWithDetectorSuffix() {
        DataSet s = find("HDR-TM;FSC-A;SSC-A;FL1-A", "cd45");
        ChannelMap m = PanelMapper.map(PanelMapperTest.lenient(), s.params(), Map.of());
        assertEquals("cd45 VioBlue-A", mapped(m, s, PanelRole.CD45));
        assertEquals("cd3 PE-A", mapped(m, s, PanelRole.CD3));
        assertEquals("cd8 FITC-A", mapped(m, s, PanelRole.CD8));
        assertEquals("cd4 APC-A", mapped(m, s, PanelRole.CD4));
        assertEquals("PI/PE-Cy5-A", mapped(m, s, PanelRole.VIABILITY));
        assertEquals("HDR-TM", s.params().get(m.require(PanelRole.TIME)).name());
    }

    @Test
    void dumpChannelsAreRejected() {
        DataSet vivid = find("FSC-A;FSC-H;SSC-A;B515-A", "VIVID");
        ChannelMap m = PanelMapper.map(PanelMapperTest.lenient(), vivid.params(), Map.of());
        assertFalse(m.has(PanelRole.VIABILITY), "VIVID / CD14 is a viability+CD14 dump channel");
        assertEquals("CD19", mapped(m, vivid, PanelRole.CD14_19), "the separate CD19 channel, not the dump channel");
        assertFalse(m.has(PanelRole.CD45), "CD45RO is not CD45");
        assertEquals("CD3", mapped(m, vivid, PanelRole.CD3));
        assertEquals("CD8", mapped(m, vivid, PanelRole.CD8));
        assertEquals("CD4", mapped(m, vivid, PanelRole.CD4));
        assertEquals("FSC-H", mapped(m, vivid, PanelRole.FSC_H));

        DataSet nk = find("FSC-A;SSC-A;PE-A;PerCP-Cy5-5-A", "CD3&19");
        ChannelMap n = PanelMapper.map(PanelMapperTest.lenient(), nk.params(), Map.of());
        assertFalse(n.has(PanelRole.CD3), "CD3&19 is a CD3/CD19 dump channel");
        assertEquals("Live/dead", mapped(n, nk, PanelRole.VIABILITY));
    }

    @Test
    void spectralPanelWithCd8aCd8bAndViabilityWord() {
        DataSet s = find("FSC-A;FSC-H;SSC-A;SSC-H;450/50Violet-A", "CD8a");
        ChannelMap m = PanelMapper.map(PanelMapperTest.lenient(), s.params(), Map.of());
        assertEquals("BV650 - CD8a", mapped(m, s, PanelRole.CD8), "CD8b is not an alias of CD8");
        assertEquals("BV785 - CD3", mapped(m, s, PanelRole.CD3));
        assertEquals("APCCy7 - CD4", mapped(m, s, PanelRole.CD4));
        assertEquals("L/D Aqua - Viability", mapped(m, s, PanelRole.VIABILITY));
        assertFalse(m.has(PanelRole.CD45), "AF700 - CD45RO is not CD45");
    }

    @Test
    void fullCikPanelOnA40ColourSpectralFile() {
        DataSet s = find("Time;SSC-W;SSC-H;SSC-A;FSC-W;FSC-H;FSC-A", "CD56");
        ChannelMap m = PanelMapper.map(PanelMapperTest.PANEL, s.params(), Map.of());
        assertEquals("CD3", mapped(m, s, PanelRole.CD3));
        assertEquals("CD56", mapped(m, s, PanelRole.CD56));
        assertEquals("Viability", mapped(m, s, PanelRole.VIABILITY));
        assertEquals("CD16", mapped(m, s, PanelRole.CD16));
        assertEquals("FSC-A", mapped(m, s, PanelRole.FSC_A));
        assertEquals("SSC-A", mapped(m, s, PanelRole.SSC_A), "SSC-B-A is the violet side scatter");
        assertFalse(m.has(PanelRole.CD45));
    }

    @Test
    void areaRuleOnDuplicatedMarkerLabels() {
        DataSet s = find("FSC-A;FSC-H;FSC-W;SSC-A;SSC-H;SSC-W;Am Cyan-A", "CD14");
        ChannelMap m = PanelMapper.map(PanelMapperTest.lenient(), s.params(), Map.of());
        assertEquals("PE-CY7-A", s.params().get(m.require(PanelRole.CD14_19)).name());
    }

    @Test
    void twoCd8ChannelsAreAmbiguousAndNamed() {
        DataSet s = find("FSC-H;SSC-H;FL1-H;FL2-H;FL3-H;FL2-A;FL4-H;Time", "CD8 B PE");
        CikqcException e = PanelMapperTest.specError(
                () -> PanelMapper.map(PanelMapperTest.lenient(), s.params(), Map.of()));
        assertTrue(e.getMessage().contains("role CD8 is ambiguous"), e.getMessage());
        assertTrue(e.getMessage().contains("CD8 B PE") && e.getMessage().contains("CD8 APC"), e.getMessage());
        ChannelMap m = PanelMapper.map(PanelMapperTest.lenient(), s.params(), Map.of("CD8", "FL4-H"));
        assertEquals("CD8 APC", mapped(m, s, PanelRole.CD8));
        assertEquals("CD3 PerCP", mapped(m, s, PanelRole.CD3));
        assertEquals("CD4 FITC", mapped(m, s, PanelRole.CD4));
    }

    @Test
    void beckmanAndOlderNamesMapScatter() {
        DataSet gallios = find("FS INT LIN;SS INT LIN;TIME;FL3 INT LIN", null);
        ChannelMap g = PanelMapper.map(PanelMapperTest.lenient(), gallios.params(), Map.of());
        assertEquals("FS INT LIN", mapped(g, gallios, PanelRole.FSC_A));
        assertEquals("FS PEAK LIN", mapped(g, gallios, PanelRole.FSC_H));
        assertEquals("SS INT LIN", mapped(g, gallios, PanelRole.SSC_A));
        assertEquals("TIME", mapped(g, gallios, PanelRole.TIME));

        DataSet old = find("FS Lin;SS Lin;FL1 Log;FL2 Log", "CD3-FITC");
        ChannelMap o = PanelMapper.map(PanelMapperTest.lenient(), old.params(), Map.of());
        assertEquals(0, o.require(PanelRole.FSC_A));
        assertEquals(1, o.require(PanelRole.SSC_A));
        assertEquals("CD3-FITC", mapped(o, old, PanelRole.CD3));
        assertEquals("CD4-PE", mapped(o, old, PanelRole.CD4).strip(), "the manifest keeps a trailing space: tokens ignore it");

        DataSet cyto = find("Time;Cell_length;(Rh103)Di", "CD56");
        ChannelMap c;
        try {
            c = PanelMapper.map(PanelMapperTest.lenient(), cyto.params(), Map.of("CD14_19", "none"));
        } catch (CikqcException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        assertEquals("Cisplatin", mapped(c, cyto, PanelRole.VIABILITY));
        assertEquals("CD3", mapped(c, cyto, PanelRole.CD3));
        assertEquals("CD56", mapped(c, cyto, PanelRole.CD56));
        assertNotNull(mapped(c, cyto, PanelRole.CD45));
    }
}
