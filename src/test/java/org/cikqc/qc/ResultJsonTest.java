package org.cikqc.qc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.cikqc.fcs.FcsParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class ResultJsonTest {

    @TempDir
    Path tmp;

    static Map<String, Object> gates(Map<String, Object> into) {
        Map<String, Object> cd56 = new LinkedHashMap<>();
        cd56.put("threshold", 812.3456789);
        cd56.put("method", "density-valley");
        cd56.put("valleyDepth", 0.4213);
        cd56.put("unimodal", false);
        cd56.put("peaks", new double[] {120.5, 4021.25});
        into.put("CD56", cd56);
        into.put("singlets", Map.of("slope", 0.98765432, "intercept", -12.5));
        into.put("sampleEvents", 50_000);
        into.put("nan", Double.NaN);
        return into;
    }

    static ResultJson.Document document(Map<String, Object> gateMap) {
        QcSpec spec = QcSpec.defaultSpec();
        List<FcsParameter> params = PanelMapperTest.params("FSC-A", null, "FSC-H", null, "SSC-A", null,
                "FITC-A", "CD3", "PE-A", "CD56", "PerCP-Cy5-5-A", "7-AAD", "V500-A", "CD45", "Time", null);
        ChannelMap channels = PanelMapper.map(spec.panel(), params, Map.of());
        QcInput in = QcEvaluatorTest.cik(true, 50_000, 45_000, 42_750, 9_900, 900)
                .markers(channels).threshold(PanelRole.CD56, 30.25).threshold(PanelRole.CD3, 812.3456789).build();
        QcResult result = QcEvaluator.evaluate(spec, in);
        List<Problem> problems = List.of(
                Problem.keyword("TEXT_TRAILING_PAD", Severity.WARNING, "$ENDDATA", "5714 pad bytes after TEXT; ignored"),
                Problem.at("DATA_SHORT", Severity.INFO, 1234, "data segment \"short\"\nby 2 bytes"));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("stringency", "LENIENT");
        options.put("channel", Map.of());
        ResultJson.Provenance prov = new ResultJson.Provenance("0.1.0", "abc1234", spec.id(), spec.version(),
                spec.sha256(), "f".repeat(64), spec.gating().sample().seed(), options,
                Map.of("sample.fcs", "a".repeat(64), "fmo-cd56.fcs", "b".repeat(64)), channels.describe());
        ResultJson.Sample sample = new ResultJson.Sample("sample.fcs", "a".repeat(64), 53_000, "FACSCanto II",
                "2026-03-01T10:15:00");
        return new ResultJson.Document(sample, result, problems, gateMap, prov);
    }

    @Test
    void sameInputGivesIdenticalBytes() {
        byte[] a = ResultJson.toBytes(document(gates(new LinkedHashMap<>())));
        byte[] b = ResultJson.toBytes(document(gates(new LinkedHashMap<>())));
        assertArrayEquals(a, b);
        // maps without a defined order are written sorted, so HashMap and TreeMap give the same bytes
        byte[] h = ResultJson.toBytes(document(gates(new HashMap<>())));
        byte[] t = ResultJson.toBytes(document(gates(new TreeMap<>())));
        assertArrayEquals(h, t);
        String s = new String(a, StandardCharsets.UTF_8);
        assertFalse(s.contains("\r"));
        assertTrue(s.endsWith("}\n"));
        assertTrue(s.startsWith("{\n  \"schema\": \"cikqc.result/1\",\n  \"sample\": {\n"), s.substring(0, 80));
    }

    @Test
    void goldenFile() throws IOException {
        byte[] actual = ResultJson.toBytes(document(gates(new LinkedHashMap<>())));
        byte[] expected;
        try (InputStream in = ResultJsonTest.class.getResourceAsStream("golden-result.json")) {
            expected = in == null ? new byte[0] : in.readAllBytes();
        }
        if (!java.util.Arrays.equals(expected, actual)) {
            Path out = Path.of("target", "golden-result.actual.json");
            Files.createDirectories(out.getParent());
            Files.write(out, actual);
            assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
                    "result.json format changed; if intended, copy " + out + " to src/test/resources/org/cikqc/qc/golden-result.json");
        }
    }

    @Test
    void numbersAndStructure() {
        ResultJson.Document d = document(gates(new LinkedHashMap<>()));
        JsonNode n = ResultJson.parse(ResultJson.toBytes(d), "mem");
        assertEquals("INDETERMINATE", n.get("verdict").textValue());
        List<String> gateKeys = new ArrayList<>();
        n.get("gates").fieldNames().forEachRemaining(gateKeys::add);
        assertEquals(List.of("CD56", "singlets", "sampleEvents", "nan"), gateKeys, "caller's order kept");
        List<String> optionKeys = new ArrayList<>();
        n.get("provenance").get("options").fieldNames().forEachRemaining(optionKeys::add);
        assertEquals(List.of("stringency", "channel"), optionKeys);
        List<String> keys = new ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("schema", "sample", "verdict", "reasons", "metrics", "checks", "populations", "gatingIssues",
                "gates", "problems", "provenance"), keys);
        List<String> metricKeys = new ArrayList<>();
        n.get("metrics").fieldNames().forEachRemaining(metricKeys::add);
        assertEquals(List.of("viability_pct", "cd3_pct", "cd3_cd56_pct", "nk_pct", "cd3_cd56neg_pct", "cd4_pct", "cd8_pct"),
                metricKeys);
        assertTrue(n.get("metrics").get("cd4_pct").isNull());
        JsonNode via = n.get("metrics").get("viability_pct");
        assertEquals("90.0000", via.get("value").decimalValue().toPlainString());
        assertEquals(2, via.get("ci95").size());
        assertEquals(45_000, via.get("numerator").longValue());
        assertEquals("OK", via.get("lloq").textValue());
        assertEquals("812.346", n.get("gates").get("CD56").get("threshold").decimalValue().toPlainString());
        assertTrue(n.get("gates").get("nan").isNull(), "NaN is written as null");
        assertEquals(1234, n.get("problems").get(1).get("offset").longValue());
        assertTrue(n.get("problems").get(0).get("offset").isNull());
        assertEquals("$ENDDATA", n.get("problems").get(0).get("keyword").textValue());
        assertEquals("data segment \"short\"\nby 2 bytes", n.get("problems").get(1).get("message").textValue());
        JsonNode events = n.get("checks").get(3);
        assertEquals("events_viable", events.get("id").textValue());
        JsonNode iqc = n.get("checks").get(1);
        assertEquals("instrument_qc", iqc.get("id").textValue());
        assertEquals("NOT_APPLICABLE", iqc.get("outcome").textValue(), "the sample carries no CST record");
        assertEquals("h", iqc.get("unit").textValue());
        assertEquals(24.0, iqc.get("limit").get("value").doubleValue());
        assertEquals(45_000, events.get("value").longValue());
        assertTrue(events.get("value").isIntegralNumber());
        assertEquals(QcSpec.defaultSpec().sha256(), n.get("provenance").get("spec").get("sha256").textValue());
        assertEquals("PE-A", n.get("provenance").get("channels").get("roles").get("CD56").get("name").textValue());
        assertEquals("CD56", n.get("gatingIssues").get(0).get("subject").textValue());
    }

    @Test
    void writeAndReadBack() {
        ResultJson.Document d = document(gates(new LinkedHashMap<>()));
        Path f = tmp.resolve("out/result.json");
        ResultJson.write(f, d);
        ResultJson.write(f, d);
        try {
            assertArrayEquals(ResultJson.toBytes(d), Files.readAllBytes(f));
            try (var list = Files.list(f.getParent())) {
                assertEquals(1, list.count(), "no temporary files left");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        JsonNode n = ResultJson.read(f);
        assertEquals("sample.fcs", n.get("sample").get("file").textValue());
    }

    @Test
    void readRejectsOtherDocuments() throws IOException {
        Path spec = tmp.resolve("spec.json");
        Files.write(spec, QcSpec.defaultSpecBytes());
        CikqcException e = assertThrows(CikqcException.class, () -> ResultJson.read(spec));
        assertEquals(3, e.kind().exitCode());
        assertTrue(e.getMessage().contains("not a cikqc.result/1 document (schema \"cikqc.spec/1\")"), e.getMessage());
        CikqcException missing = assertThrows(CikqcException.class, () -> ResultJson.read(tmp.resolve("none.json")));
        assertTrue(missing.getMessage().endsWith("result file not found"));
        CikqcException bad = assertThrows(CikqcException.class,
                () -> ResultJson.parse("{\"schema\": 1,".getBytes(StandardCharsets.UTF_8), "x.json"));
        assertTrue(bad.getMessage().startsWith("x.json: not valid JSON"), bad.getMessage());
    }

    @Test
    void unwritableTargetIsAnOutputError() throws IOException {
        Path file = tmp.resolve("blocker");
        Files.writeString(file, "x");
        CikqcException e = assertThrows(CikqcException.class,
                () -> ResultJson.write(file.resolve("result.json"), document(Map.of())));
        assertEquals(5, e.kind().exitCode());
    }
}
