package org.cikqc.qc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.cikqc.common.CikqcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class QcSpecTest {

    @TempDir
    Path tmp;

    @Test
    void defaultSpecValues() {
        QcSpec s = QcSpec.defaultSpec();
        assertEquals("cik-release-default", s.id());
        assertEquals("1.5.0", s.version());
        assertEquals(50_000, s.gating().sample().events());
        assertEquals(20261122L, s.gating().sample().seed());
        assertEquals(500, s.gating().acquisitionQc().eventsPerBin());
        // the acquisition-QC settings equal AcquisitionQc's own defaults, so the spec states what runs
        QcSpec.AcquisitionQc a = s.gating().acquisitionQc();
        org.cikqc.autogate.AcquisitionQc.Options d = org.cikqc.autogate.AcquisitionQc.Options.defaults();
        assertEquals(d.eventsPerBin(), a.eventsPerBin());
        assertEquals(d.rateZ(), a.rateThreshold());
        assertEquals(d.minRateChange(), a.minRateChange());
        assertEquals(d.driftZ(), a.driftThreshold());
        assertEquals(d.minDriftShift(), a.minDriftShift());
        assertEquals(d.consecutiveBins(), a.consecutiveBins());
        assertEquals(0.999, s.gating().singlets().predictionLevel());
        assertEquals(99.5, s.gating().thresholds().fmoPercentile());
        assertFalse(s.gating().thresholds().dimShoulderViable());
        assertEquals(new QcSpec.Window(50, 20000), s.gating().thresholds().window(PanelRole.CD56).orElseThrow());
        assertTrue(s.gating().thresholds().window(PanelRole.CD14_19).isEmpty());
        assertEquals(20_000, s.limits().events().minSingletLeukocytes());
        assertEquals(10_000, s.limits().events().minViable());
        assertEquals(100, s.limits().populations().minEventsForLimit());
        assertEquals(25, s.limits().populations().lloqEvents());
        assertEquals(10.0, s.limits().acquisitionQc().reviewAbovePct());
        assertEquals(30.0, s.limits().acquisitionQc().notEvaluableAbovePct());
        assertEquals(2.0, s.limits().guardBandK());
        assertEquals(new Limit(Limit.Op.AT_LEAST, 80), s.limits().attribute(Metric.VIABILITY).limit());
        assertEquals(new Limit(Limit.Op.AT_LEAST, 80), s.limits().attribute(Metric.CD3).limit());
        assertEquals(new Limit(Limit.Op.AT_LEAST, 20), s.limits().attribute(Metric.CD3_CD56).limit());
        for (Metric m : new Metric[] {Metric.NK, Metric.CD3_CD56NEG, Metric.CD4, Metric.CD8}) {
            assertTrue(s.limits().attribute(m).reportOnly(), m.key());
        }
        for (PanelRole r : PanelRole.values()) {
            assertEquals(r.isCore(), s.panel().isRequired(r), r.name());
        }
        assertTrue(s.panel().role(PanelRole.VIABILITY).orElseThrow().weakAliases().contains("eFluor 780"));
    }

    @Test
    void embeddedFileIsCanonicalAndHashIsStable() {
        QcSpec s = QcSpec.defaultSpec();
        assertArrayEquals(QcSpec.defaultSpecBytes(), s.canonicalBytes(), "default-spec.json is stored in canonical form");
        assertEquals(QcSpec.sha256Hex(QcSpec.defaultSpecBytes()), s.sha256());
        assertEquals(64, s.sha256().length());
        // compact, reordered JSON of the same content has the same hash
        ObjectNode t = TestSpecs.defaultTree();
        ObjectNode reordered = TestSpecs.MAPPER.createObjectNode();
        reordered.set("limits", t.get("limits"));
        reordered.set("gating", t.get("gating"));
        reordered.set("panel", t.get("panel"));
        reordered.set("description", t.get("description"));
        reordered.set("version", t.get("version"));
        reordered.set("id", t.get("id"));
        reordered.set("schema", t.get("schema"));
        QcSpec same = QcSpec.parse(TestSpecs.bytes(reordered), "reordered.json");
        assertEquals(s.sha256(), same.sha256());
        assertEquals(s, same);
        // 80 written as 80.0 is the same value
        QcSpec decimal = TestSpecs.modified(x -> TestSpecs.at(x, "limits.attributes.cd3_pct.limit").put("value", 80.0));
        assertEquals(s.sha256(), decimal.sha256());
        // a changed value changes the hash
        QcSpec changed = TestSpecs.modified(x -> TestSpecs.at(x, "limits.attributes.cd3_pct.limit").put("value", 85));
        assertNotEquals(s.sha256(), changed.sha256());
        // optional fields get their defaults in the canonical form
        QcSpec noWeak = TestSpecs.modified(x -> TestSpecs.at(x, "panel.roles.CD3").remove("weakAliases"));
        assertEquals(s.sha256(), noWeak.sha256());
        String canon = new String(s.canonicalBytes(), StandardCharsets.UTF_8);
        assertFalse(canon.contains("\r"));
        assertTrue(canon.endsWith("}\n"));
    }

    /**
     * windowsFullScale is optional: absent or null states the windows in data units (as every spec before 1.4.0), and
     * the canonical form writes it only when set, so such a spec file keeps its hash.
     */
    @Test
    void windowsFullScaleIsOptionalAndKeepsOldSpecsHashes() {
        QcSpec s = QcSpec.defaultSpec();
        assertEquals(262_144.0, s.gating().thresholds().windowsFullScale());
        QcSpec absent = TestSpecs.modified(x -> TestSpecs.at(x, "gating.thresholds").remove("windowsFullScale"));
        assertNull(absent.gating().thresholds().windowsFullScale());
        assertFalse(new String(absent.canonicalBytes(), StandardCharsets.UTF_8).contains("windowsFullScale"));
        QcSpec nul = TestSpecs.modified(x -> TestSpecs.at(x, "gating.thresholds").putNull("windowsFullScale"));
        assertEquals(absent.sha256(), nul.sha256());
        assertNotEquals(s.sha256(), absent.sha256());
        assertEquals(1.0, absent.gating().thresholds().windowFactor(16_777_216), "data units: never rescaled");
        assertEquals(64.0, s.gating().thresholds().windowFactor(16_777_216));
        QcSpec other = TestSpecs.modified(x -> TestSpecs.at(x, "gating.thresholds").put("windowsFullScale", 1_048_576));
        assertEquals(0.25, other.gating().thresholds().windowFactor(262_144));
        assertTrue(new String(other.canonicalBytes(), StandardCharsets.UTF_8).contains("\"windowsFullScale\": 1048576,"));
        assertError("gating.thresholds.windowsFullScale must be at least 1 and at most 1000000000000 (got 0)",
                x -> TestSpecs.at(x, "gating.thresholds").put("windowsFullScale", 0));
        assertError("gating.thresholds.windowsFullScale must be a number (got \"18-bit\")",
                x -> TestSpecs.at(x, "gating.thresholds").put("windowsFullScale", "18-bit"));
    }

    /**
     * limits.instrumentQc is optional: without it (every spec before 1.5.0) there is no instrument-QC check and the
     * spec keeps its hash; whenNotRecorded defaults to "note".
     */
    @Test
    void instrumentQcIsOptionalAndKeepsOldSpecsHashes() {
        QcSpec s = QcSpec.defaultSpec();
        assertEquals(new QcSpec.InstrumentQcLimits(24, false), s.limits().instrumentQc());
        QcSpec absent = TestSpecs.modified(x -> TestSpecs.at(x, "limits").remove("instrumentQc"));
        assertNull(absent.limits().instrumentQc());
        assertFalse(new String(absent.canonicalBytes(), StandardCharsets.UTF_8).contains("instrumentQc"));
        QcSpec nul = TestSpecs.modified(x -> TestSpecs.at(x, "limits").putNull("instrumentQc"));
        assertEquals(absent.sha256(), nul.sha256());
        assertTrue(QcEvaluator.evaluate(absent, QcEvaluatorTest.good().build()).check("instrument_qc").isEmpty(),
                "no check without the field");
        QcSpec dflt = TestSpecs.modified(x -> TestSpecs.at(x, "limits.instrumentQc").remove("whenNotRecorded"));
        assertEquals(s.sha256(), dflt.sha256(), "whenNotRecorded defaults to note");
        QcSpec strict = TestSpecs.modified(x -> TestSpecs.at(x, "limits.instrumentQc")
                .put("maxAgeHours", 12.5).put("whenNotRecorded", "not-evaluable"));
        assertEquals(new QcSpec.InstrumentQcLimits(12.5, true), strict.limits().instrumentQc());
        assertError("limits.instrumentQc.maxAgeHours must be greater than 0 and at most 8760 (got 0)",
                x -> TestSpecs.at(x, "limits.instrumentQc").put("maxAgeHours", 0));
        assertError("limits.instrumentQc.whenNotRecorded must be \"note\" or \"not-evaluable\" (got \"ignore\")",
                x -> TestSpecs.at(x, "limits.instrumentQc").put("whenNotRecorded", "ignore"));
        assertError("limits.instrumentQc.maxAge is not a known field (allowed here: maxAgeHours, whenNotRecorded) (got 3)",
                x -> TestSpecs.at(x, "limits.instrumentQc").put("maxAge", 3));
    }

    /**
     * limits.sampleHold is optional (the default spec has none: the keyword is the site's own) and written only when
     * set; whenNotRecorded defaults to "not-evaluable"; a keyword must be a printable name.
     */
    @Test
    void sampleHoldIsOptionalWithASiteKeyword() {
        assertNull(QcSpec.defaultSpec().limits().sampleHold());
        assertFalse(new String(QcSpec.defaultSpec().canonicalBytes(), StandardCharsets.UTF_8).contains("sampleHold"));
        QcSpec set = TestSpecs.modified(x -> TestSpecs.at(x, "limits").putObject("sampleHold")
                .put("startKeyword", " THAW TIME ").put("maxMinutes", 60));
        assertEquals(new QcSpec.SampleHoldLimits("THAW TIME", 60, true), set.limits().sampleHold());
        assertTrue(new String(set.canonicalBytes(), StandardCharsets.UTF_8).contains("\"sampleHold\": {"));
        assertEquals(set.sha256(), TestSpecs.modified(x -> TestSpecs.at(x, "limits").putObject("sampleHold")
                .put("startKeyword", "THAW TIME").put("maxMinutes", 60).put("whenNotRecorded", "not-evaluable")).sha256());
        QcSpec nul = TestSpecs.modified(x -> TestSpecs.at(x, "limits").putNull("sampleHold"));
        assertEquals(QcSpec.defaultSpec().sha256(), nul.sha256());
        assertError("limits.sampleHold.maxMinutes must be greater than 0 and at most 525600 (got 0)",
                x -> TestSpecs.at(x, "limits").putObject("sampleHold").put("startKeyword", "T").put("maxMinutes", 0));
        assertError("limits.sampleHold.startKeyword must be an FCS keyword name (1-256 printable characters) (got \"  \")",
                x -> TestSpecs.at(x, "limits").putObject("sampleHold").put("startKeyword", "  ").put("maxMinutes", 60));
        assertError("limits.sampleHold.whenNotRecorded must be \"note\" or \"not-evaluable\" (got \"skip\")",
                x -> TestSpecs.at(x, "limits").putObject("sampleHold").put("startKeyword", "T").put("maxMinutes", 60)
                        .put("whenNotRecorded", "skip"));
        assertError("limits.sampleHold.keyword is not a known field (allowed here: startKeyword, maxMinutes,"
                + " whenNotRecorded) (got \"T\")",
                x -> TestSpecs.at(x, "limits").putObject("sampleHold").put("keyword", "T"));
    }

    @Test
    void loadFromFile() throws IOException {
        Path f = tmp.resolve("site.json");
        Files.write(f, QcSpec.defaultSpecBytes());
        assertEquals(QcSpec.defaultSpec().sha256(), QcSpec.load(f).sha256());
        CikqcException e = assertThrows(CikqcException.class, () -> QcSpec.load(tmp.resolve("nope.json")));
        assertEquals(4, e.kind().exitCode());
        assertTrue(e.getMessage().endsWith("nope.json: spec file not found"), e.getMessage());
    }

    private static String error(Consumer<ObjectNode> edit) {
        CikqcException e = assertThrows(CikqcException.class, () -> TestSpecs.modified(edit));
        assertEquals(CikqcException.Kind.INVALID_SPEC, e.kind());
        assertTrue(e.getMessage().startsWith("test-spec.json: "), e.getMessage());
        return e.getMessage();
    }

    private static void assertError(String expected, Consumer<ObjectNode> edit) {
        String msg = error(edit);
        assertEquals("test-spec.json: " + expected, msg);
    }

    @Test
    void errorsNameTheFieldAndTheValue() {
        assertError("limits.attributes.cd3_pct.limit.value must be at least 0 and at most 100 (got 180)",
                t -> TestSpecs.at(t, "limits.attributes.cd3_pct.limit").put("value", 180));
        assertError("limits.attributes.cd3_pct.limit.op must be \">=\" or \"<=\" (got \"=>\")",
                t -> TestSpecs.at(t, "limits.attributes.cd3_pct.limit").put("op", "=>"));
        assertError("gating.sample.events must be an integer (got \"50000\")",
                t -> TestSpecs.at(t, "gating.sample").put("events", "50000"));
        assertError("gating.sample.events must be an integer (got 1.5)",
                t -> TestSpecs.at(t, "gating.sample").put("events", 1.5));
        assertError("gating.sample.events must be between 1000 and 10000000 (got 10)",
                t -> TestSpecs.at(t, "gating.sample").put("events", 10));
        assertError("gating.singlets.predictionLevel must be greater than 0.5 and less than 1 (got 1)",
                t -> TestSpecs.at(t, "gating.singlets").put("predictionLevel", 1));
        assertError("limits.guardBand.k must be a number (got null)",
                t -> TestSpecs.at(t, "limits.guardBand").putNull("k"));
        assertError("gating.acquisitionQc.madThreshold was replaced by rateThreshold (default 5) and driftThreshold "
                + "(default 6), with minRateChange (0.2) and minDriftShift (0.05); see docs/spec.md",
                t -> TestSpecs.at(t, "gating.acquisitionQc").put("madThreshold", 6));
        assertError("gating.acquisitionQc.driftThreshold must be greater than 0 and less than 100 (got 0)",
                t -> TestSpecs.at(t, "gating.acquisitionQc").put("driftThreshold", 0));
        assertError("gating.acquisitionQc.rateThreshold is required but missing",
                t -> TestSpecs.at(t, "gating.acquisitionQc").remove("rateThreshold"));
        assertError("gating.acquisitionQc.removeMargins must be true or false (got \"yes\")",
                t -> TestSpecs.at(t, "gating.acquisitionQc").put("removeMargins", "yes"));
        assertError("schema must be \"cikqc.spec/1\" (the only spec schema this cikqc reads) (got \"cikqc.spec/2\")",
                t -> t.put("schema", "cikqc.spec/2"));
        assertError("gating.thresholds.viabilityDimShoulder must be \"non-viable\", \"non-viable-validated\" or \"viable\""
                + " (got \"dead\")",
                t -> TestSpecs.at(t, "gating.thresholds").put("viabilityDimShoulder", "dead"));
        assertTrue(error(t -> t.put("id", "my spec")).startsWith("test-spec.json: id must be"));
        assertTrue(error(t -> t.put("version", "one")).startsWith("test-spec.json: version must look like"));
    }

    @Test
    void unknownAndMissingFieldsAreErrors() {
        assertTrue(error(t -> t.put("limit", 1)).startsWith("test-spec.json: limit is not a known field (allowed here: schema, id"));
        assertTrue(error(t -> TestSpecs.at(t, "limits.attributes.cd3_pct").put("methodCv", 3))
                .startsWith("test-spec.json: limits.attributes.cd3_pct.methodCv is not a known field (allowed here: limit, methodCvPct, basis)"));
        assertTrue(error(t -> TestSpecs.at(t, "limits.attributes").put("cd3_cd56_pos_pct", 3))
                .startsWith("test-spec.json: limits.attributes.cd3_cd56_pos_pct is not a known field"));
        assertError("limits.attributes.nk_pct is required but missing",
                t -> TestSpecs.at(t, "limits.attributes").remove("nk_pct"));
        assertError("limits.attributes.cd3_pct.limit is required but missing",
                t -> TestSpecs.at(t, "limits.attributes.cd3_pct").remove("limit"));
        assertError("gating.thresholds is required but missing", t -> TestSpecs.at(t, "gating").remove("thresholds"));
    }

    @Test
    void viabilityDimShoulderIsOptionalAndRoundTrips() throws IOException {
        QcSpec viable = TestSpecs.modified(t -> TestSpecs.at(t, "gating.thresholds").put("viabilityDimShoulder", "viable"));
        assertTrue(viable.gating().thresholds().dimShoulderViable());
        assertNotEquals(QcSpec.defaultSpec().sha256(), viable.sha256());
        // a spec written before the setting existed reads as the default
        QcSpec older = TestSpecs.modified(t -> TestSpecs.at(t, "gating.thresholds").remove("viabilityDimShoulder"));
        assertFalse(older.gating().thresholds().dimShoulderViable());
        Path f = tmp.resolve("viable.json");
        Files.write(f, viable.canonicalBytes());
        assertTrue(QcSpec.load(f).gating().thresholds().dimShoulderViable());
        QcSpec validated = TestSpecs.modified(t -> TestSpecs.at(t, "gating.thresholds")
                .put("viabilityDimShoulder", "non-viable-validated"));
        assertEquals(QcSpec.DimShoulder.NON_VIABLE_VALIDATED, validated.gating().thresholds().dimShoulder());
        assertFalse(validated.gating().thresholds().dimShoulderViable());
        Path g = tmp.resolve("validated.json");
        Files.write(g, validated.canonicalBytes());
        assertEquals(QcSpec.DimShoulder.NON_VIABLE_VALIDATED, QcSpec.load(g).gating().thresholds().dimShoulder());
        assertEquals(QcSpec.DimShoulder.NON_VIABLE, QcSpec.defaultSpec().gating().thresholds().dimShoulder());
    }

    @Test
    void panelValidation() {
        assertError("panel.roles.CD3.required must be true: CD3 is a core role of the CIK panel (got false)",
                t -> TestSpecs.at(t, "panel.roles.CD3").put("required", false));
        assertError("panel.roles.CD56 is required but missing (core role of the CIK panel)",
                t -> TestSpecs.at(t, "panel.roles").remove("CD56"));
        assertTrue(error(t -> TestSpecs.at(t, "panel.roles").set("CD99", TestSpecs.at(t, "panel.roles.CD4").deepCopy()))
                .startsWith("test-spec.json: panel.roles.CD99 is not a known panel role (roles: FSC_A, FSC_H"));
        assertError("panel.roles.CD4.aliases[1] is also an alias of CD3 (same tokens) (got \"cd-3\")",
                t -> ((ArrayNode) TestSpecs.at(t, "panel.roles.CD4").get("aliases")).add("cd-3"));
        assertError("panel.roles.CD3.aliases[3] is not a usable alias: it needs a letter or digit and may only end with '*' (got \"C*D3\")",
                t -> ((ArrayNode) TestSpecs.at(t, "panel.roles.CD3").get("aliases")).add("C*D3"));
        assertError("panel.roles.CD3.aliases[3] is listed twice (got \"cd3\")",
                t -> ((ArrayNode) TestSpecs.at(t, "panel.roles.CD3").get("aliases")).add("cd3"));
        assertError("panel.roles.CD3.aliases must not be empty (got an array of 0)",
                t -> TestSpecs.at(t, "panel.roles.CD3").putArray("aliases"));
        assertTrue(error(t -> TestSpecs.at(t, "panel.roles.FSC_A").putArray("weakAliases").add("FSC"))
                .contains("panel.roles.FSC_A.weakAliases apply only to marker roles"));
        // optional roles may be made required (a site that always stains CD45)
        QcSpec strict = TestSpecs.modified(t -> TestSpecs.at(t, "panel.roles.CD45").put("required", true));
        assertTrue(strict.panel().isRequired(PanelRole.CD45));
        // and optional roles may be dropped
        QcSpec noCd16 = TestSpecs.modified(t -> TestSpecs.at(t, "panel.roles").remove("CD16"));
        assertTrue(noCd16.panel().role(PanelRole.CD16).isEmpty());
    }

    @Test
    void crossFieldValidation() {
        assertError("gating.thresholds.windows.CD3.max must be greater than min (100) (got 100)",
                t -> TestSpecs.at(t, "gating.thresholds.windows.CD3").put("max", 100));
        assertTrue(error(t -> TestSpecs.at(t, "gating.thresholds.windows").set("FSC_A",
                TestSpecs.at(t, "gating.thresholds.windows.CD3").deepCopy()))
                .startsWith("test-spec.json: gating.thresholds.windows.FSC_A is not a marker role"));
        assertTrue(error(t -> TestSpecs.at(t, "limits.events").put("minViable", 30_000))
                .startsWith("test-spec.json: limits.events.minViable must not exceed minSingletLeukocytes (20000)"));
        assertError("limits.populations.lloqEvents must not exceed minEventsForLimit (100) (got 200)",
                t -> TestSpecs.at(t, "limits.populations").put("lloqEvents", 200));
        assertError("limits.acquisitionQc.reviewAbovePct must not exceed notEvaluableAbovePct (30) (got 40)",
                t -> TestSpecs.at(t, "limits.acquisitionQc").put("reviewAbovePct", 40));
    }

    @Test
    void syntaxErrors() {
        CikqcException dup = assertThrows(CikqcException.class, () -> QcSpec.parse(
                "{\"schema\": \"cikqc.spec/1\", \"schema\": \"x\"}".getBytes(StandardCharsets.UTF_8), "dup.json"));
        assertTrue(dup.getMessage().startsWith("dup.json: not valid JSON: Duplicate field 'schema'"), dup.getMessage());
        assertEquals(4, dup.kind().exitCode());
        CikqcException trailing = assertThrows(CikqcException.class, () -> QcSpec.parse(
                "{} {}".getBytes(StandardCharsets.UTF_8), "t.json"));
        assertEquals("t.json: not valid JSON: more JSON after the end of the document (a file holds one JSON value) "
                + "(line 1, column 4)", trailing.getMessage());
        CikqcException deep = assertThrows(CikqcException.class, () -> QcSpec.parse(
                ("{\"a\": " + "[".repeat(1500) + "]".repeat(1500) + "}").getBytes(StandardCharsets.UTF_8), "d.json"));
        assertEquals("d.json: not valid JSON: objects and arrays nested 1001 deep, more than the 1000 allowed "
                + "(line 1, column 1007)",
                deep.getMessage());
        CikqcException longNumber = assertThrows(CikqcException.class, () -> QcSpec.parse(
                ("{\"a\": " + "9".repeat(1200) + "}").getBytes(StandardCharsets.UTF_8), "l.json"));
        assertEquals("l.json: not valid JSON: a number of 1200 characters, more than the 1000 allowed at a (line 1, "
                + "column 1207)",
                longNumber.getMessage());
        CikqcException nan = assertThrows(CikqcException.class, () -> QcSpec.parse(
                "{\"gating\": {\"sample\": {\"seed\": NaN}}}".getBytes(StandardCharsets.UTF_8), "n.json"));
        assertEquals("n.json: not valid JSON: 'NaN' is not a JSON number (JSON has no NaN or Infinity) at "
                + "gating.sample.seed (line 1, column 35)", nan.getMessage());
        CikqcException plus = assertThrows(CikqcException.class, () -> QcSpec.parse(
                "{\"a\": [1, +2]}".getBytes(StandardCharsets.UTF_8), "p.json"));
        assertEquals("p.json: not valid JSON: Unexpected character '+' in numeric value: JSON does not allow numbers "
                + "to have plus signs at a[1] (line 1, column 12)", plus.getMessage());
        CikqcException comment = assertThrows(CikqcException.class, () -> QcSpec.parse(
                "{\"a\": /* c */ 1}".getBytes(StandardCharsets.UTF_8), "c.json"));
        assertTrue(comment.getMessage().contains("(JSON has no comments) at a (line 1"), comment.getMessage());
        CikqcException notObject = assertThrows(CikqcException.class, () -> QcSpec.parse(
                "[1]".getBytes(StandardCharsets.UTF_8), "a.json"));
        assertEquals("a.json: $ must be a JSON object (got an array of 1)", notObject.getMessage());
        CikqcException empty = assertThrows(CikqcException.class, () -> QcSpec.parse(new byte[0], "e.json"));
        assertTrue(empty.getMessage().startsWith("e.json: "), empty.getMessage());
    }

    @Test
    void reportOnlyLimitIsExplicitNull() {
        QcSpec s = TestSpecs.modified(t -> TestSpecs.at(t, "limits.attributes.cd3_pct").putNull("limit"));
        assertNull(s.limits().attribute(Metric.CD3).limit());
    }
}
