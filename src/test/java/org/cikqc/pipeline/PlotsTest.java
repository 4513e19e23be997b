package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.fcs.FcsParameter;
import org.cikqc.plot.FigureExport;
import org.cikqc.qc.QcSpec;
import org.cikqc.testutil.Shared;
import org.junit.jupiter.api.Test;

/** What the pipeline's figures say about their channels, time and populations. */
class PlotsTest {

    /** Each figure of an analysis as SVG text, by name. */
    private static Map<String, String> svgs(Analysis a) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Analysis.NamedFigure f : a.figures()) out.put(f.name(), FigureExport.svg(f.figure(), 400, 300));
        return out;
    }

    @Test
    void anAxisTitleNamesAChannelOnceWhenItsMarkerRepeatsItsName() {
        assertEquals("CD3 (FITC-A)", Plots.axisTitle("FITC-A", "CD3"));
        assertEquals("CD3 (FITC-A)", Plots.axisTitle("FITC-A", " CD3 "));
        assertEquals("FSC-A", Plots.axisTitle("FSC-A", "FSC-A"));
        assertEquals("FSC-A", Plots.axisTitle("FSC-A", " fsc-a "), "case and surrounding blanks aside");
        assertEquals("SSC-A", Plots.axisTitle("SSC-A", null));
        assertEquals("SSC-A", Plots.axisTitle("SSC-A", "  "));
        assertEquals("Time (HDR-TM)", Plots.axisTitle("HDR-TM", "Time"));
    }

    @Test
    void theTimeAxisIsInSecondsOrMinutesOnlyWhenTimestepSaysSo() {
        FcsParameter scaled = new FcsParameter(1, "Time", null, 32, 262144, 'F', 1, 0, 0, 0.01);
        assertEquals(new Plots.TimeAxis("Time (s)", 1), Plots.timeAxis(scaled, new double[] {0, 180}));
        Plots.TimeAxis minutes = Plots.timeAxis(scaled, new double[] {2, 2 + Plots.MINUTES_FROM});
        assertEquals("Time (min)", minutes.title());
        assertEquals(600 / 60.0, 600 * minutes.factor(), 1e-12);
        // a MACSQuant HDR-TM channel without $TIMESTEP: nothing in the file says what it counts
        FcsParameter raw = new FcsParameter(1, "HDR-TM", "Time", 32, 262144, 'F', 1, 0, 0, 0);
        assertEquals(new Plots.TimeAxis("HDR-TM (raw units, no $TIMESTEP)", 1), Plots.timeAxis(raw, new double[] {0, 262144}));
    }

    @Test
    void aFluorescenceAxisContainsThePopulationsItShows() {
        // a population inside the full scale: [0, 1] as it is
        double[] inside = new double[1000];
        for (int i = 0; i < inside.length; i++) inside[i] = 0.2 + 0.6 * i / (inside.length - 1);
        assertArrayEquals(new double[] {0, 1}, Plots.fluorescenceRange(inside, inside.length));
        // a negative cloud spread below the logicle bottom, with one far outlier: the axis reaches the cloud's
        // 0.1 % quantile (not the outlier) with a margin; the top stays
        double[] spread = new double[10_000];
        for (int i = 0; i < spread.length; i++) spread[i] = -0.12 + 0.5 * i / (spread.length - 1);
        spread[0] = -40;
        double q = -0.12 + 0.5 * 9 / 9999.0;
        assertArrayEquals(new double[] {q - Plots.RANGE_MARGIN, 1}, Plots.fluorescenceRange(spread, spread.length), 1e-12);
        // within the margin of the edge: widened by what the margin needs
        double[] near = {0.01, 0.5, 0.99};
        double[] many = new double[3000];
        for (int i = 0; i < many.length; i++) many[i] = near[i % 3];
        assertArrayEquals(new double[] {0.01 - Plots.RANGE_MARGIN, 0.99 + Plots.RANGE_MARGIN},
                Plots.fluorescenceRange(many, many.length), 1e-12);
        // never wider than half the full scale either way; too few events: the full scale
        double[] wild = new double[1000];
        for (int i = 0; i < wild.length; i++) wild[i] = i % 2 == 0 ? -5 : 6;
        assertArrayEquals(new double[] {-Plots.RANGE_MAX_WIDENING, 1 + Plots.RANGE_MAX_WIDENING},
                Plots.fluorescenceRange(wild, wild.length));
        assertArrayEquals(new double[] {0, 1}, Plots.fluorescenceRange(new double[] {-3, 4}, 2));
    }

    @Test
    void theSizeAxisOfTheViabilityBySizeFigureFitsTheLeukocytes() {
        // cells up to 1 M FSC-A on a 24-bit channel (16.7 M): the axis ends at 1.15 x their 99.8th percentile
        int n = 5_001;
        double[] fsc = new double[n];
        for (int i = 0; i < n; i++) fsc[i] = 1e6 * i / (n - 1);
        double q = 1e6 * Math.ceil(0.998 * (n - 1)) / (n - 1);
        assertArrayEquals(new double[] {0, Plots.SIZE_HEADROOM * q}, Plots.sizeRange(fsc, null, n, 16_777_216), 1e-6);
        // only the parent's events count: the large half left out halves the top
        boolean[] small = new boolean[n];
        for (int i = 0; i < n / 2; i++) small[i] = true;
        double[] r = Plots.sizeRange(fsc, small, n, 16_777_216);
        assertTrue(r[1] < 0.6 * Plots.SIZE_HEADROOM * q && r[1] > 0.5 * q, java.util.Arrays.toString(r));
        // never beyond the channel's top; too few events, or none above 0: the channel's scale
        assertArrayEquals(new double[] {0, 262_144}, Plots.sizeRange(fsc, null, n, 262_144));
        assertArrayEquals(new double[] {0, 16_777_216}, Plots.sizeRange(fsc, null, 10, 16_777_216));
        assertArrayEquals(new double[] {0, 262_144}, Plots.sizeRange(new double[100], null, 100, 262_144));
    }

    @Test
    void subtitlesNameThePopulationShownByItsPath() {
        Analysis a = AnalysisPipeline.analyze(TestData.file("cik-pass.fcs"), AnalysisOptions.defaults());
        Map<String, String> svg = svgs(a);
        assertTrue(svg.get("02-cells").contains("events shown (kept by acquisition QC)"), "cells");
        assertTrue(svg.get("04-cd45").contains("events shown (cells \u25b8 singlets)"), "CD45");
        assertTrue(svg.get("06-cd3-cd56").contains("events shown (cells \u25b8 singlets \u25b8 CD45+ \u25b8 viable)"),
                "CD3/CD56");
        assertTrue(svg.get("09-cd4-cd8").contains("(cells \u25b8 singlets \u25b8 CD45+ \u25b8 viable \u25b8 CD3+)"),
                "CD4/CD8");
        for (String s : svg.values()) assertFalse(s.matches("(?s).*\\((Viable|CD3pos|CD45pos|Singlets)\\).*"), "no gate ids");
        assertTrue(svg.get("01-acquisition").contains(">Time (s)<"), "seconds from $TIMESTEP");
        assertTrue(svg.get("01-acquisition-signal").contains(">Time (s)<"));
    }

    @Test
    void aMacsQuantHdrTmTimeWithoutTimestepIsShownInItsOwnUnitsAndSaysSo() {
        Path f = Shared.resolve("corpus/fcs/cytoflow__cytoflow/cytoflow__tests__data__instruments__Miltenyi Biotec - "
                + "MACSQuant Analyzer.fcs");
        // the panel has no CD56: an unlabelled channel stands in, so that the analysis runs
        AnalysisOptions o = new AnalysisOptions(QcSpec.defaultSpec(), null, Map.of("CD56", "FL5-A"), Map.of(), null, -1,
                null, null);
        Map<String, String> svg = svgs(AnalysisPipeline.analyze(f, o));
        assertTrue(svg.get("01-acquisition").contains(">HDR-TM (raw units, no $TIMESTEP)<"), "no unit invented");
        assertFalse(svg.get("01-acquisition").contains("Time (s)"));
        for (String name : List.of("02-cells")) {
            assertTrue(svg.get(name).contains(">FSC-A<") && svg.get(name).contains(">SSC-A<"), name + ": plain scatter titles");
            assertFalse(svg.get(name).contains("SSC-A (SSC-A)"), name);
        }
    }
}
