package org.cikqc.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.cikqc.qc.QcSpec;

/**
 * What an analysis needs besides the FCS file. Everything here is recorded in the result's provenance, so that
 * {@code cikqc verify} can re-run the analysis exactly.
 *
 * @param spec             the acceptance spec
 * @param specFile         where the spec came from (null: the embedded default)
 * @param channels         {@code --channel ROLE=NAME} overrides
 * @param controls         {@code --control ROLE=FILE} control files (e.g. {@code fmo-cd56}, {@code unstained})
 * @param compensation     an external spillover matrix (CSV/TSV) replacing the file's own, or null
 * @param dataSet          the data set to analyse, or -1 to choose (the last FCS 3.x data set, else the first)
 * @param seed             the sampling seed (null: the spec's)
 * @param lot              the batch/lot identifier for the dossier, or null (then from $LOT/LOT/BATCH keywords)
 * @param beads            the counting beads in the tube and the sample volume, for absolute counts; or null
 */
public record AnalysisOptions(QcSpec spec, Path specFile, Map<String, String> channels, Map<String, Path> controls,
                              Path compensation, int dataSet, Long seed, String lot, BeadCount beads) {

    /**
     * Single-platform absolute counting: {@code perTest} counting beads (the lot's figure) in a tube that received
     * {@code sampleMicroliters} µL of the product.
     */
    public record BeadCount(long perTest, double sampleMicroliters) {
        public BeadCount {
            if (perTest <= 0 || perTest > 1_000_000_000L) {
                throw new IllegalArgumentException("beads per test must be 1 to 1,000,000,000, got " + perTest);
            }
            if (!(sampleMicroliters >= 0.1 && sampleMicroliters <= 100_000)) {
                throw new IllegalArgumentException("sample volume must be 0.1 to 100,000 µL, got " + sampleMicroliters);
            }
        }
    }

    public AnalysisOptions {
        Objects.requireNonNull(spec, "spec");
        channels = channels == null ? Map.of() : new TreeMap<>(channels);
        controls = controls == null ? Map.of() : new TreeMap<>(controls);
    }

    /** Without absolute counting. */
    public AnalysisOptions(QcSpec spec, Path specFile, Map<String, String> channels, Map<String, Path> controls,
                           Path compensation, int dataSet, Long seed, String lot) {
        this(spec, specFile, channels, controls, compensation, dataSet, seed, lot, null);
    }

    /** The default spec and nothing else. */
    public static AnalysisOptions defaults() {
        return new AnalysisOptions(QcSpec.defaultSpec(), null, Map.of(), Map.of(), null, -1, null, null);
    }

    /** The sampling seed in force. */
    public long effectiveSeed() { return seed != null ? seed : spec.gating().sample().seed(); }

    /**
     * The SHA-256 of the spec file as the spec in use was loaded from it ({@link QcSpec#fileSha256()}: once, for the
     * whole run), or, for a spec not loaded from its file, of the file as it is now; null without a spec file.
     */
    public String specFileSha256() {
        if (specFile == null) return null;
        return spec.fileSha256() != null ? spec.fileSha256() : AnalysisPipeline.fileSha256(specFile);
    }

    /** The options as recorded in provenance (stable order; paths absolute). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec_file", specFile == null ? null : specFile.toAbsolutePath().normalize().toString());
        m.put("channels", new TreeMap<>(channels));
        Map<String, String> c = new TreeMap<>();
        controls.forEach((k, v) -> c.put(k, v.toAbsolutePath().normalize().toString()));
        m.put("controls", c);
        m.put("compensation", compensation == null ? null : compensation.toAbsolutePath().normalize().toString());
        m.put("dataset", dataSet < 0 ? "auto" : Integer.toString(dataSet));
        m.put("seed", effectiveSeed());
        m.put("lot", lot);
        if (beads != null) {
            // only when given, so that results without absolute counts stay as they were
            m.put("beads_per_test", beads.perTest());
            m.put("sample_volume_ul", beads.sampleMicroliters());
        }
        return m;
    }
}
