package org.cikqc.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.BuildInfo;
import org.cikqc.common.CikqcException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Reads and writes the truth file of a simulated sample ({@value #FORMAT}), UTF-8 JSON with a fixed key order:
 *
 * <pre>
 * format            "cikqc-simulation-truth/1"
 * generator         "cikqc &lt;version&gt;"
 * spec              the {@link SimulationSpec}, every field (deadDim and deadDimLevel only when not their defaults)
 * events            number of events in the FCS file
 * channels          [{name, marker, kind}] in file order
 * spillover         {detectors, matrix}: the matrix written as $SPILLOVER (observed = true · S)
 * removal           {rule, clogSegment (or null), clogEvents, marginEvents, keptEvents, marginEventIndices}
 * classCounts       {all: {CLASS: n}, kept: {CLASS: n}}
 * metrics           true QC metrics on kept events ({@link TruthMetrics}); percentages 0–100, null if undefined
 * metricsAllEvents  the same on all events (reference only)
 * labels            {encoding, classes: {code: CLASS}, classString, subsetEncoding, subsetString}
 * </pre>
 *
 * {@code classString} has one character per event in file order ({@code B} counting bead, only with beads; {@code .} debris, {@code D} doublet, {@code L}
 * CD45− non-leukocyte, {@code x} dead, {@code T} CD3+CD56−, {@code C} CD3+CD56+, {@code N} NK CD3−CD56+, {@code O}
 * CD3−CD56−); {@code subsetString} one digit per event, 1·CD8 + 2·CD4 + 4·CD16 of the true expression. Event i
 * is removed by acquisition QC when it lies in {@code [clogSegment.firstEvent, clogSegment.endEvent)} or is listed
 * in {@code marginEventIndices}.
 */
public final class TruthJson {
    /** The format tag written first. */
    public static final String FORMAT = "cikqc-simulation-truth/1";

    private static final String REMOVAL_RULE = "acquisition QC removes the clog segment [firstEvent, endEvent) and "
            + "margin events (a value >= $PnR-1 in any parameter but Time, or a scatter value <= 0); metrics are "
            + "computed on the remaining events with the QC definitions: viability = viable / CD45+ single "
            + "leukocytes; CD3+, CD3+CD56+, NK, CD3-CD56- of viable single leukocytes; CD8/CD4 of viable CD3+; "
            + "CD16 of NK";

    private TruthJson() { }

    private static ObjectMapper mapper() {
        return new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /** The truth as a JSON tree-ready map (ordered). */
    static Map<String, Object> toMap(SimulationTruth truth) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("generator", "cikqc " + BuildInfo.version());
        m.put("spec", truth.spec());
        m.put("events", truth.events());
        m.put("channels", truth.channels());
        Map<String, Object> spill = new LinkedHashMap<>();
        spill.put("detectors", truth.spillover().detectors());
        spill.put("matrix", truth.spillover().toArray());
        m.put("spillover", spill);
        Map<String, Object> removal = new LinkedHashMap<>();
        removal.put("rule", REMOVAL_RULE);
        removal.put("clogSegment", truth.clogSegment() == null ? null : segmentMap(truth.clogSegment()));
        removal.put("clogEvents", truth.clogEvents());
        removal.put("marginEvents", truth.marginEvents().length);
        removal.put("keptEvents", truth.metrics().events());
        removal.put("marginEventIndices", truth.marginEvents());
        m.put("removal", removal);
        Map<String, Object> counts = new LinkedHashMap<>();
        // without beads the truth is written as before beads existed (byte for byte)
        boolean beads = truth.spec().beads() > 0;
        counts.put("all", classMap(truth.classCountsAll(), beads));
        counts.put("kept", classMap(truth.classCountsKept(), beads));
        m.put("classCounts", counts);
        m.put("metrics", truth.metrics());
        m.put("metricsAllEvents", truth.metricsAllEvents());
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("encoding", "classString: one character per event in file order");
        Map<String, String> codes = new LinkedHashMap<>();
        for (EventClass c : EventClass.values()) {
            if (beads || c != EventClass.BEAD) codes.put(String.valueOf(c.code()), c.name());
        }
        labels.put("classes", codes);
        labels.put("classString", truth.labels());
        labels.put("subsetEncoding", "subsetString: one digit per event in file order, 1*CD8 + 2*CD4 + 4*CD16 "
                + "(true expression, whether or not the panel measures the marker)");
        labels.put("subsetString", truth.subsets());
        m.put("labels", labels);
        return m;
    }

    private static Map<String, Object> segmentMap(ClogSegment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", s.mode());
        m.put("startSeconds", s.startSeconds());
        m.put("endSeconds", s.endSeconds());
        m.put("startTime", s.startTime());
        m.put("endTime", s.endTime());
        m.put("firstEvent", s.firstEvent());
        m.put("endEvent", s.endEvent());
        m.put("events", s.events());
        return m;
    }

    private static Map<String, Long> classMap(long[] counts, boolean beads) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (EventClass c : EventClass.values()) if (beads || c != EventClass.BEAD) m.put(c.name(), counts[c.ordinal()]);
        return m;
    }

    /** Writes the truth to {@code out} (not closed). */
    public static void write(SimulationTruth truth, OutputStream out) throws IOException {
        mapper().writeValue(out, toMap(truth));
    }

    /** Writes the truth to {@code file} atomically; I/O failures become an OUTPUT_IO {@link CikqcException}. */
    public static void write(SimulationTruth truth, Path file) {
        AtomicFiles.write(file, out -> write(truth, out));
    }

    /** The spec object with the fields written only when not at their defaults filled in (a copy). */
    static JsonNode withSpecDefaults(JsonNode spec) {
        if (!(spec instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) return spec;
        com.fasterxml.jackson.databind.node.ObjectNode c = o.deepCopy();
        if (!c.has("deadDim")) c.put("deadDim", SimulationSpec.DEFAULT_DEAD_DIM);
        if (!c.has("deadDimLevel")) c.put("deadDimLevel", SimulationSpec.DEFAULT_DEAD_DIM_LEVEL);
        if (!c.has("beads")) c.put("beads", 0.0);
        return c;
    }

    /**
     * Reads a truth file written by {@link #write(SimulationTruth, Path)}; a file of another format or with
     * inconsistent content is an INVALID_INPUT {@link CikqcException}.
     */
    public static SimulationTruth read(Path file) {
        ObjectMapper om = mapper();
        try {
            JsonNode root = om.readTree(file.toFile());
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw CikqcException.input(file + ": not a " + FORMAT + " file");
            }
            SimulationSpec spec = om.treeToValue(withSpecDefaults(root.get("spec")), SimulationSpec.class);
            List<SimChannel> channels = new ArrayList<>();
            for (JsonNode c : root.path("channels")) channels.add(om.treeToValue(c, SimChannel.class));
            JsonNode sp = root.path("spillover");
            List<String> detectors = new ArrayList<>();
            for (JsonNode d : sp.path("detectors")) detectors.add(d.asText());
            double[][] matrix = om.treeToValue(sp.path("matrix"), double[][].class);
            JsonNode removal = root.path("removal");
            JsonNode seg = removal.path("clogSegment");
            ClogSegment segment = seg.isNull() || seg.isMissingNode() ? null : new ClogSegment(
                    ClogMode.valueOf(seg.path("mode").asText()), seg.path("startSeconds").asDouble(),
                    seg.path("endSeconds").asDouble(), seg.path("startTime").asDouble(),
                    seg.path("endTime").asDouble(), seg.path("firstEvent").asLong(), seg.path("endEvent").asLong());
            long[] margin = om.treeToValue(removal.path("marginEventIndices"), long[].class);
            JsonNode labels = root.path("labels");
            String classString = labels.path("classString").asText();
            String subsetString = labels.path("subsetString").asText();
            if (classString.length() != root.path("events").asInt() || subsetString.length() != classString.length()) {
                throw CikqcException.input(file + ": label strings do not have one character per event");
            }
            long[] all = counts(root.path("classCounts").path("all"));
            long[] kept = counts(root.path("classCounts").path("kept"));
            return new SimulationTruth(spec, channels, new Spillover(detectors, matrix), segment, all, kept,
                    removal.path("clogEvents").asLong(), margin,
                    om.treeToValue(root.get("metrics"), TruthMetrics.class),
                    om.treeToValue(root.get("metricsAllEvents"), TruthMetrics.class), classString, subsetString);
        } catch (IOException | IllegalArgumentException e) {
            throw new CikqcException(CikqcException.Kind.INVALID_INPUT,
                    "cannot read truth file " + file + ": " + org.cikqc.common.IoErrors.describe(e), e);
        }
    }

    private static long[] counts(JsonNode node) {
        long[] c = new long[EventClass.values().length];
        for (EventClass e : EventClass.values()) c[e.ordinal()] = node.path(e.name()).asLong();
        return c;
    }
}
