package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsWriter;
import org.cikqc.fcs.Keywords;
import org.cikqc.fcs.ValueKind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Files with no, or almost no, events: an INDETERMINATE result with reasons, never a crash or a nonsense number. */
class DegenerateInputsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 60, 400})
    void tinyFilesAreIndeterminateWithConsistentCounts(long events) throws IOException {
        Path src = TestData.file("cik-pass.fcs");
        Path dst = dir.resolve("tiny" + events + ".fcs");
        try (FcsFile f = FcsFile.open(src)) {
            FcsDataSet ds = f.dataSet(0);
            Map<String, String> kw = new LinkedHashMap<>();
            for (Keywords.Entry e : ds.keywords().entries()) kw.putIfAbsent(e.key(), e.value());
            try (FcsWriter w = FcsWriter.create(dst, ds.parameters(), kw, events);
                 EventReader r = f.events(0, ValueKind.RAW, 0, events)) {
                EventBatch b;
                while ((b = r.next()) != null) w.write(b.columns(), b.size());
            }
        }
        JsonNode r = new ObjectMapper().readTree(SampleRunner.resultBytes(dst, AnalysisOptions.defaults()));
        assertEquals("INDETERMINATE", r.path("verdict").asText());
        assertTrue(r.path("reasons").size() > 0);
        JsonNode m = r.path("metrics");
        long cd3 = m.path("cd3_pct").path("numerator").asLong(0);
        long cik = m.path("cd3_cd56_pct").path("numerator").asLong(0);
        assertTrue(cik <= cd3, "CD3+CD56+ (" + cik + ") cannot exceed CD3+ (" + cd3 + ")");
    }

    /**
     * Fuzz 28 D3: 5 % of the CD3 values NaN (or 10 % of FSC-A +Inf) in a file that passes: the events fell outside
     * every gate unnoticed and the product passed. Now the DATA is named corrupt and the verdict INDETERMINATE.
     */
    @org.junit.jupiter.api.Test
    void nonFiniteFloatValuesAreNeverReleased() throws IOException {
        Path src = TestData.file("cik-pass.fcs");
        assertEquals("PASS", new ObjectMapper().readTree(SampleRunner.resultBytes(src, AnalysisOptions.defaults()))
                .path("verdict").asText());
        for (String channel : new String[] {"FITC-A", "FSC-A"}) {
            Path dst = dir.resolve("nonfinite-" + channel + ".fcs");
            int col;
            try (FcsFile f = FcsFile.open(src)) {
                FcsDataSet ds = f.dataSet(0);
                col = ds.parameterIndex(channel);
                assertEquals('F', ds.parameter(col).datatype());
                Map<String, String> kw = new LinkedHashMap<>();
                for (Keywords.Entry e : ds.keywords().entries()) kw.putIfAbsent(e.key(), e.value());
                try (FcsWriter w = FcsWriter.create(dst, ds.parameters(), kw, ds.events());
                     EventReader r = f.events(0, ValueKind.RAW)) {
                    EventBatch b;
                    while ((b = r.next()) != null) {
                        double[] c = b.column(col);
                        for (int i = 0; i < b.size(); i++) {
                            long ev = b.firstEvent() + i;
                            if (ev % 20 == 7) c[i] = channel.equals("FSC-A") ? Double.POSITIVE_INFINITY : Double.NaN;
                        }
                        w.write(b.columns(), b.size());
                    }
                }
            }
            JsonNode r = new ObjectMapper().readTree(SampleRunner.resultBytes(dst, AnalysisOptions.defaults()));
            assertEquals("INDETERMINATE", r.path("verdict").asText(), channel);
            String reasons = r.path("reasons").toString();
            assertTrue(reasons.contains("input data not fit for release testing: DATA holds ")
                    && reasons.contains("non-finite float values (NaN or infinity)")
                    && reasons.contains("the first is $P" + (col + 1) + " (" + channel + ") of event 8"), reasons);
            boolean listed = false;
            for (JsonNode p : r.path("problems")) listed |= p.path("code").asText().equals("NON_FINITE_VALUE");
            assertTrue(listed, r.path("problems").toString());
        }
    }

    @org.junit.jupiter.api.Test
    void aTruncatedFileOrAnUnusableSpilloverIsNeverReleased() throws IOException {
        Path src = TestData.file("cik-pass.fcs");
        byte[] all = java.nio.file.Files.readAllBytes(src);
        Path cut = dir.resolve("cut.fcs");
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(all, all.length - 4000)); // a copy cut short
        JsonNode r = new ObjectMapper().readTree(SampleRunner.resultBytes(cut, AnalysisOptions.defaults()));
        assertEquals("INDETERMINATE", r.path("verdict").asText(), "the complete events alone would pass");
        assertEquals(1, r.path("reasons").size(), r.path("reasons").toString());
        assertTrue(r.path("reasons").get(0).asText().contains("the file is truncated"), r.path("reasons").toString());

        // the same events, their $SPILLOVER naming channels the file does not have
        Path spill = dir.resolve("spill.fcs");
        try (FcsFile f = FcsFile.open(src)) {
            FcsDataSet ds = f.dataSet(0);
            Map<String, String> kw = new LinkedHashMap<>();
            for (Keywords.Entry e : ds.keywords().entries()) kw.putIfAbsent(e.key(), e.value());
            kw.put("$SPILLOVER", "2,FOO,BAR,1,0,0,1");
            try (FcsWriter w = FcsWriter.create(spill, ds.parameters(), kw, ds.events());
                 EventReader rd = f.events(0, ValueKind.RAW)) {
                EventBatch b;
                while ((b = rd.next()) != null) w.write(b.columns(), b.size());
            }
        }
        JsonNode s = new ObjectMapper().readTree(SampleRunner.resultBytes(spill, AnalysisOptions.defaults()));
        assertEquals("INDETERMINATE", s.path("verdict").asText());
        assertTrue(s.path("reasons").toString().contains("spillover keyword cannot be used"), s.path("reasons").toString());
        // a gain of a million on FSC-A puts the top of its scale at 0.26: analysed, not an internal error
        Path gain = dir.resolve("gain.fcs");
        try (FcsFile f = FcsFile.open(src)) {
            FcsDataSet ds = f.dataSet(0);
            Map<String, String> kw = new LinkedHashMap<>();
            for (Keywords.Entry e : ds.keywords().entries()) kw.putIfAbsent(e.key(), e.value());
            java.util.List<org.cikqc.fcs.FcsParameter> ps = new java.util.ArrayList<>(ds.parameters());
            org.cikqc.fcs.FcsParameter p = ps.get(0);
            assertEquals("FSC-A", p.name());
            ps.set(0, new org.cikqc.fcs.FcsParameter(p.index(), p.name(), p.marker(), p.bits(), p.range(), p.datatype(),
                    1e6, p.logDecades(), p.logOffset(), p.timestep()));
            try (FcsWriter w = FcsWriter.create(gain, ps, kw, ds.events());
                 EventReader rd = f.events(0, ValueKind.RAW)) {
                EventBatch b;
                while ((b = rd.next()) != null) w.write(b.columns(), b.size());
            }
        }
        JsonNode gr = new ObjectMapper().readTree(SampleRunner.resultBytes(gain, AnalysisOptions.defaults()));
        assertTrue(gr.path("verdict").isTextual(), gr.toString());
        // a file with no spillover keyword at all is analysed uncompensated as before (no integrity issue)
        assertEquals("PASS", new ObjectMapper().readTree(SampleRunner.resultBytes(src, AnalysisOptions.defaults()))
                .path("verdict").asText());
    }
}
