package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.cikqc.common.CikqcException;
import org.cikqc.qc.QcSpec;
import org.cikqc.sim.CikSimulator;
import org.cikqc.sim.SimulatedFcs;
import org.cikqc.sim.SimulationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** FMO/unstained controls give percentile thresholds; spec windows and panel errors reach the verdict and exit codes. */
class ControlsAndWindowsTest {

    @TempDir
    Path dir;

    private static JsonNode run(Path f, AnalysisOptions o) throws IOException {
        return new ObjectMapper().readTree(SampleRunner.resultBytes(f, o));
    }

    @Test
    void fmoControlSetsTheCd56ThresholdFromItsPercentile() throws IOException {
        Path stained = TestData.file("cik-pass.fcs");
        // an FMO-CD56-like control: the same product without any CD56+ cells
        Path fmo = dir.resolve("fmo-cd56.fcs");
        SimulatedFcs.write(new CikSimulator(SimulationSpec.builder().events(20_000).seed(7).viability(0.92).cd3(0.93)
                .cd3cd56(0.0).nk(0.0).cd16OfNk(0).build()), fmo);
        AnalysisOptions o = new AnalysisOptions(QcSpec.defaultSpec(), null, Map.of(), Map.of("fmo-cd56", fmo), null, -1,
                null, null);
        JsonNode r = run(stained, o);
        JsonNode cd56 = r.path("gates").path("thresholds").path("CD56");
        assertTrue(cd56.path("method").asText().startsWith("control p99.5"), cd56.toString());
        assertTrue(cd56.path("control_events").asInt() > 1000, cd56.toString());
        // the display value is the control's threshold's, the density fit's own under density_* names
        java.util.regex.Matcher lm = java.util.regex.Pattern.compile(
                "logicle\\(T=([^,]+), W=([^,]+), M=([^,]+), A=([^)]+)\\)").matcher(cd56.path("display_transform").asText());
        assertTrue(lm.matches(), cd56.toString());
        double shown = new org.cikqc.transform.LogicleTransform(Double.parseDouble(lm.group(1)),
                Double.parseDouble(lm.group(2)), Double.parseDouble(lm.group(3)), Double.parseDouble(lm.group(4)))
                .apply(cd56.path("threshold").asDouble());
        assertEquals(shown, cd56.path("threshold_transformed").asDouble(), 1e-5, cd56.toString());
        assertTrue(cd56.has("density_threshold") && cd56.has("density_fraction_above") && !cd56.has("fraction_above"),
                cd56.toString());
        double cik = r.path("metrics").path("cd3_cd56_pct").path("value").asDouble();
        assertEquals(40.0, cik, 4.0, "CD3+CD56+ with the FMO threshold stays near the truth (~40 %)");
        assertTrue(r.path("provenance").path("inputs").has(fmo.toAbsolutePath().normalize().toString()));
        // an unknown control role is a configuration error
        AnalysisOptions bad = new AnalysisOptions(QcSpec.defaultSpec(), null, Map.of(), Map.of("fmo-cd99", fmo), null, -1,
                null, null);
        CikqcException e = assertThrows(CikqcException.class, () -> SampleRunner.resultBytes(stained, bad));
        assertEquals(CikqcException.Kind.INVALID_SPEC, e.kind());
    }

    @Test
    void aThresholdOutsideItsWindowMakesTheResultIndeterminate() throws IOException {
        Path stained = TestData.file("cik-pass.fcs");
        String spec = new String(QcSpec.defaultSpecBytes(), StandardCharsets.UTF_8)
                .replaceFirst("\"CD56\": \\{\\s*\"min\": 50,\\s*\"max\": 20000", "\"CD56\": {\"min\": 5000, \"max\": 20000");
        Path specFile = dir.resolve("narrow.json");
        Files.writeString(specFile, spec);
        QcSpec s = QcSpec.load(specFile);
        JsonNode r = run(stained, new AnalysisOptions(s, specFile, Map.of(), Map.of(), null, -1, null, null));
        assertEquals("INDETERMINATE", r.path("verdict").asText());
        assertTrue(r.path("reasons").toString().contains("CD56"), r.path("reasons").toString());
    }

    /** The spec's acquisition-QC settings reach the analysis (cik-pass.fcs has a clog the default removes). */
    @Test
    void acquisitionQcSettingsOfTheSpecAreUsed() throws IOException {
        Path stained = TestData.file("cik-pass.fcs");
        JsonNode def = run(stained, AnalysisOptions.defaults()).path("gates").path("acquisition_qc");
        assertTrue(def.path("sample_removed_pct_by_rule").path("FLOW_RATE").asDouble() > 3, def.toString());
        assertEquals(0.0, def.path("sample_removed_pct_by_rule").path("SIGNAL_DRIFT").asDouble(), def.toString());

        JsonNode lax = acquisition(stained, "\"rateThreshold\": 5,", "\"rateThreshold\": 60,");
        assertEquals(0.0, lax.path("sample_removed_pct_by_rule").path("FLOW_RATE").asDouble(), lax.toString());
        JsonNode bigChange = acquisition(stained, "\"minRateChange\": 0.2,", "\"minRateChange\": 9,");
        assertEquals(0.0, bigChange.path("sample_removed_pct_by_rule").path("FLOW_RATE").asDouble(), bigChange.toString());
        JsonNode strictDrift = acquisition(stained, "\"driftThreshold\": 6,\\s*\"minDriftShift\": 0.05,",
                "\"driftThreshold\": 0.3, \"minDriftShift\": 0,");
        assertTrue(strictDrift.path("sample_removed_pct_by_rule").path("SIGNAL_DRIFT").asDouble() > 0, strictDrift.toString());
        // margin events are reported per channel (the simulator clips some scatter at $PnR − 1)
        JsonNode perChannel = def.path("sample_margin_events_by_channel");
        long sum = 0;
        for (JsonNode c : perChannel) sum += c.asLong();
        assertTrue(perChannel.path("FSC-A").asLong() > 0 && sum >= perChannel.path("FSC-A").asLong(), def.toString());
        JsonNode noMargins = acquisition(stained, "\"removeMargins\": true", "\"removeMargins\": false");
        assertEquals(0.0, noMargins.path("sample_removed_pct_by_rule").path("MARGIN").asDouble(), noMargins.toString());
        for (JsonNode c : noMargins.path("sample_margin_events_by_channel")) assertEquals(0, c.asLong(), noMargins.toString());
        JsonNode coarse = acquisition(stained, "\"eventsPerBin\": 500,", "\"eventsPerBin\": 1000,");
        assertTrue(coarse.path("bins").asInt() < def.path("bins").asInt(), coarse.toString());
    }

    private JsonNode acquisition(Path stained, String regex, String replacement) throws IOException {
        String text = new String(QcSpec.defaultSpecBytes(), StandardCharsets.UTF_8);
        String spec = text.replaceFirst(regex, replacement);
        assertTrue(!spec.equals(text), "spec edit applies: " + regex);
        Path specFile = dir.resolve("acq-" + Integer.toHexString(regex.hashCode()) + ".json");
        Files.writeString(specFile, spec);
        QcSpec s = QcSpec.load(specFile);
        return run(stained, new AnalysisOptions(s, specFile, Map.of(), Map.of(), null, -1, null, null))
                .path("gates").path("acquisition_qc");
    }

    @Test
    void aControlWithoutAChannelItsThresholdNeedsIsAnInputErrorNamingIt() throws IOException {
        Path stained = TestData.file("cik-pass.fcs");
        Path fmo = dir.resolve("fmo-cd56.fcs");
        SimulatedFcs.write(new CikSimulator(SimulationSpec.builder().events(5_000).seed(7).build()), fmo);
        // the CD56 channel renamed wherever TEXT names it ($PnN, $SPILLOVER; same length, so offsets stay valid)
        String text = new String(Files.readAllBytes(fmo), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("PE-A"), "the control names PE-A");
        Files.write(fmo, text.replace("PE-A", "PE-Q").getBytes(StandardCharsets.ISO_8859_1));
        AnalysisOptions o = new AnalysisOptions(QcSpec.defaultSpec(), null, Map.of(), Map.of("fmo-cd56", fmo), null, -1,
                null, null);
        CikqcException e = assertThrows(CikqcException.class, () -> SampleRunner.resultBytes(stained, o));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertEquals(fmo + ": control fmo-cd56 has no channel PE-A (CD56), which its CD56 threshold needs",
                e.getMessage());
    }

    @Test
    void aMissingRoleIsAConfigurationErrorListingTheChannels() {
        Path stained = TestData.file("cik-few-events.fcs");
        AnalysisOptions o = new AnalysisOptions(QcSpec.defaultSpec(), null, Map.of("CD3", "NoSuchChannel"), Map.of(), null,
                -1, null, null);
        CikqcException e = assertThrows(CikqcException.class, () -> SampleRunner.resultBytes(stained, o));
        assertEquals(CikqcException.Kind.INVALID_SPEC, e.kind());
        assertTrue(e.getMessage().contains("FITC-A"), e.getMessage());
    }

    @Test
    void anUnreadableFileIsAnInputError() throws IOException {
        Path bad = dir.resolve("bad.fcs");
        Files.writeString(bad, "not an FCS file at all, but long enough to have a HEADER of 58 bytes ...........");
        CikqcException e = assertThrows(CikqcException.class, () -> SampleRunner.resultBytes(bad, AnalysisOptions.defaults()));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("bad.fcs"), e.getMessage());
    }
}
