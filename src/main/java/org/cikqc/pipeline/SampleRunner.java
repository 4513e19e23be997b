package org.cikqc.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.cikqc.plot.Figure;
import org.cikqc.plot.FigureExport;
import org.cikqc.qc.QcSpec;
import org.cikqc.qc.ResultJson;
import org.cikqc.report.PdfDossier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one analysis and writes its outputs: {@code outRoot/<sample>/} with {@code result.json}, {@code gates.xml},
 * {@code report.pdf} and {@code plots/NN-step.png|.svg}, staged in a temporary directory and renamed into place, so a
 * sample folder is complete or absent.
 */
public final class SampleRunner {
    private SampleRunner() { }

    /** Figure width in points (PNG/SVG); height follows the figure's aspect ratio. */
    private static final double FIGURE_WIDTH_PT = 400;

    /**
     * Analyses {@code fcs} and writes {@code outRoot/<sample>/}. The folder name comes from $FIL or the file name;
     * if a folder of that name holds a record (result or error) of a different input, "-" and the first 8 hex
     * digits of the input's SHA-256 are appended ({@link ResultFolders#place}). A folder of the same input is
     * replaced.
     *
     * @throws CikqcException INVALID_INPUT (3), INVALID_SPEC (4) or OUTPUT_IO (5)
     */
    public static SampleOutcome run(Path fcs, AnalysisOptions options, OutputOptions out, Path outRoot) {
        Analysis a = AnalysisPipeline.analyze(fcs, options);
        Path scratch = ResultFolders.newScratch(outRoot);
        try {
            return ResultFolders.place(write(a, out, scratch), outRoot, a.sha256());
        } finally {
            ResultFolders.deleteScratch(scratch);
        }
    }

    /** Writes the folder of {@code a} into {@code root} (an empty scratch folder), staged. */
    private static SampleOutcome write(Analysis a, OutputOptions out, Path root) {
        String name = a.sample();
        Path target = root.resolve(name);
        List<Path> written = new ArrayList<>();
        String resultSha = Sha256.hex(a.resultJson());
        JsonNode tree = ResultJson.parse(a.resultJson(), "result.json");
        try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(target)) {
            st.write("result.json", a.resultJson());
            written.add(target.resolve("result.json"));
            st.write("gates.xml", a.gatingMl());
            written.add(target.resolve("gates.xml"));
            List<Figure> figs = new ArrayList<>();
            for (Analysis.NamedFigure nf : a.figures()) {
                figs.add(nf.figure());
                if (!out.plots()) continue;
                double h = FIGURE_WIDTH_PT / nf.figure().aspectRatio();
                st.write("plots/" + nf.name() + ".png", FigureExport.png(nf.figure(), FIGURE_WIDTH_PT, h, out.dpi()));
                written.add(target.resolve("plots/" + nf.name() + ".png"));
                if (out.svg()) {
                    st.writeString("plots/" + nf.name() + ".svg", FigureExport.svg(nf.figure(), FIGURE_WIDTH_PT, h));
                    written.add(target.resolve("plots/" + nf.name() + ".svg"));
                }
            }
            if (out.pdf()) {
                byte[] pdf = PdfDossier.render(tree, figs, PdfDossier.Options.at(out.generatedAt()).withResultSha256(resultSha));
                st.write("report.pdf", pdf);
                written.add(target.resolve("report.pdf"));
            }
            st.commit();
        }
        return new SampleOutcome(name, target, target.resolve("result.json"), resultSha,
                tree.path("verdict").asText(), written, tree);
    }

    /** The exact result.json bytes of an analysis, writing nothing. */
    public static byte[] resultBytes(Path fcs, AnalysisOptions options) {
        return AnalysisPipeline.analyze(fcs, options).resultJson();
    }

    /** The analysis in memory (result bytes, Gating-ML, figures), writing nothing. */
    public static Analysis analyze(Path fcs, AnalysisOptions options) {
        return AnalysisPipeline.analyze(fcs, options);
    }

    /**
     * The options recorded in a result's provenance: spec (the file, whose SHA-256 must still match, or the
     * embedded default), channel overrides, controls, external compensation, data set, seed and lot.
     *
     * @throws CikqcException INVALID_INPUT naming what is missing or changed
     */
    public static AnalysisOptions recordedOptions(JsonNode result) {
        JsonNode prov = result.path("provenance");
        JsonNode opt = prov.path("options");
        if (opt.isMissingNode()) throw CikqcException.input("result.json has no provenance.options");
        QcSpec spec;
        Path specFile = null;
        JsonNode sf = opt.path("spec_file");
        if (sf.isNull() || sf.isMissingNode()) {
            spec = QcSpec.defaultSpec();
        } else {
            specFile = Path.of(sf.asText());
            String why = org.cikqc.common.RegularFiles.problem(specFile);
            if (why != null) throw CikqcException.input("the recorded spec " + specFile + " " + why);
            spec = QcSpec.load(specFile);
        }
        String wantSpec = prov.path("spec").path("sha256").asText("");
        if (!wantSpec.isEmpty() && !wantSpec.equals(spec.sha256())) {
            throw CikqcException.input("the spec " + (specFile == null ? "(embedded default)" : specFile)
                    + " has changed since the analysis (SHA-256 " + spec.sha256() + ", recorded " + wantSpec + ")");
        }
        Map<String, String> channels = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = opt.path("channels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            channels.put(e.getKey(), e.getValue().asText());
        }
        Map<String, Path> controls = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = opt.path("controls").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            controls.put(e.getKey(), Path.of(e.getValue().asText()));
        }
        JsonNode c = opt.path("compensation");
        Path comp = c.isNull() || c.isMissingNode() ? null : Path.of(c.asText());
        String dsText = opt.path("dataset").asText("auto");
        int ds = dsText.equals("auto") ? -1 : Integer.parseInt(dsText);
        Long seed = opt.path("seed").isNumber() ? opt.path("seed").asLong() : null;
        JsonNode lot = opt.path("lot");
        AnalysisOptions.BeadCount beads = null;
        if (opt.has("beads_per_test") || opt.has("sample_volume_ul")) {
            try {
                beads = new AnalysisOptions.BeadCount(opt.path("beads_per_test").asLong(0),
                        opt.path("sample_volume_ul").asDouble(0));
            } catch (IllegalArgumentException e) {
                throw CikqcException.input("result.json records unusable absolute-count options: " + e.getMessage());
            }
        }
        return new AnalysisOptions(spec, specFile, channels, controls, comp, ds, seed,
                lot.isNull() || lot.isMissingNode() ? null : lot.asText(), beads);
    }

    /** The FCS file a result was computed from (the provenance input whose SHA-256 is the sample's). */
    public static Path recordedInput(JsonNode result) {
        String sha = result.path("sample").path("sha256").asText("");
        JsonNode inputs = result.path("provenance").path("inputs");
        for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().asText().equals(sha)) return Path.of(e.getKey());
        }
        throw CikqcException.input("result.json records no input with the sample's SHA-256 " + sha);
    }
}
