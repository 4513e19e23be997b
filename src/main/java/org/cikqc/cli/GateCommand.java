package org.cikqc.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.common.Sha256;
import org.cikqc.compensation.SpilloverMatrix;
import org.cikqc.compensation.SpilloverParser;
import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.ValueKind;
import org.cikqc.gating.BatchResult;
import org.cikqc.gating.CompensationMatrix;
import org.cikqc.gating.CompiledStrategy;
import org.cikqc.gating.GatingEngine;
import org.cikqc.gating.GatingException;
import org.cikqc.gating.GatingStrategy;
import org.cikqc.gating.PopulationCounts;
import org.cikqc.gating.gatingml.FlowJoWorkspace;
import org.cikqc.gating.gatingml.GatingMlReader;
import org.cikqc.qc.ResultJson;
import org.cikqc.report.FlowJoComparison;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc gate FILE --gating-ml G.xml --out DIR} (or {@code --flowjo W.wsp [--sample S]}, a FlowJo workspace
 * sample's gate tree read by {@link FlowJoWorkspace}): applies the strategy to every event and writes
 * {@code DIR/membership.tsv} (one 0/1 column per population, one row per event in file order, streamed) and
 * {@code DIR/counts.tsv}, both atomically.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Apply a Gating-ML 2.0 gating strategy, or the gate tree of a FlowJo 10 workspace sample, to one "
                + "data set of an FCS file.",
                "Writes DIR/membership.tsv (header: population ids - one column per quadrant of a quadrant gate - then "
                        + "one row of 0/1 per event, in file order) and DIR/counts.tsv (gate_id, parent_id, count, "
                        + "percent_of_parent; a root population's percentage is of all events)."},
        footer = {"",
                "--compensation M.csv: a FlowJo-style spillover matrix (header row of detector names). It replaces the",
                "file's own $SPILLOVER for compensation-ref=\"FCS\", and gates can also name it explicitly as",
                "compensation-ref=\"M\" (the file's base name without extension, when that is a valid XML id).",
                "",
                "--flowjo W.wsp: population paths head the columns; counts.tsv adds flowjo_count (saved in the",
                "workspace) and difference. The sample's matrix and display transforms come from the workspace.",
                "With --result R.json (cikqc's result for FILE), DIR/comparison.tsv puts each metric beside the same",
                "percentage of FlowJo's populations (found by name or given with --map METRIC=PATH[@OF]).",
                "",
                "Exit codes: 0 done, 2 usage, 3 invalid input (FCS file, Gating-ML, workspace, matrix, unknown",
                "channel/matrix/gate/sample),",
                "5 output error."})
public final class GateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "FCS file")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the gates come from: a Gating-ML document or a FlowJo workspace. */
    static final class Source {
        @Option(names = "--gating-ml", required = true, paramLabel = "G.xml", description = "Gating-ML 2.0 document")
        Path gatingMl;

        @Option(names = "--flowjo", required = true, paramLabel = "W.wsp",
                description = "FlowJo 10 workspace: replay the gate tree of one of its samples (see --sample)")
        Path flowJo;
    }

    @Option(names = "--sample", paramLabel = "NAME",
            description = "with --flowjo: the workspace sample (SampleNode name, data file name or sampleID); default: "
                    + "the sample named like FILE, or the only one")
    String sample;

    @Option(names = "--result", paramLabel = "R.json",
            description = "with --flowjo: cikqc's result.json for FILE; its metrics are compared with the same "
                    + "percentages of FlowJo's populations (DIR/comparison.tsv)")
    Path result;

    @Option(names = "--map", paramLabel = "METRIC=PATH[@OF]",
            description = "with --result: the FlowJo population of a metric (PATH) and of its denominator (OF); "
                    + "metrics not given are matched by population name")
    List<String> maps = new java.util.ArrayList<>();

    @Option(names = "--out", converter = Converters.OutputFolder.class, required = true, paramLabel = "DIR", description = "output directory (created if missing)")
    Path out;

    @Option(names = "--compensation", paramLabel = "M.csv",
            description = "spillover matrix file; replaces the file's $SPILLOVER for compensation-ref=\"FCS\" and is "
                    + "available as compensation-ref=\"<base name>\"")
    Path compensation;

    @Option(names = "--dataset", paramLabel = "N", converter = Converters.NonNegative.class, description = "data set index, 0-based (default ${DEFAULT-VALUE})")
    int dataset = 0;

    @Override
    public Integer call() {
        if (source.flowJo != null) return flowJo();
        if (sample != null || result != null || !maps.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    (sample != null ? "--sample" : result != null ? "--result" : "--map") + " is used only with --flowjo");
        }
        Path gatingMl = source.gatingMl;
        PrintWriter err = spec.commandLine().getErr();
        String gmlName = gatingMl.getFileName() == null ? gatingMl.toString() : gatingMl.getFileName().toString();
        SpilloverMatrix external = null;
        List<CompensationMatrix> extra = List.of();
        if (compensation != null) {
            external = SpilloverParser.fromCsv(compensation);
            String id = matrixId(compensation);
            if (GatingStrategy.isNcName(id)) {
                extra = List.of(new CompensationMatrix(id, external.sources(), external.detectors(), external.values(),
                        false));
            } else {
                err.println("cikqc: note: '" + id + "' is not a valid XML id; " + compensation.getFileName()
                        + " only replaces compensation-ref=\"FCS\"");
            }
        }
        GatingStrategy strategy = GatingMlReader.read(gatingMl, extra);
        StampedInput input = new StampedInput(file, "gated");
        try (FcsFile fcs = FcsFile.open(file, readOptions(strategy.populationIds().size()))) {
            FcsDataSet ds = fcs.dataSet(dataset);
            ReadRepairs.requireEvents(file, ds);
            CompiledStrategy compiled;
            try {
                compiled = external != null ? GatingEngine.compile(strategy, ds.parameters(), external)
                        : GatingEngine.compile(strategy, ds);
            } catch (GatingException e) {
                boolean matrix = external == null && e.getMessage().contains("unknown compensation-ref");
                Integer line = strategy.sourceLine(e.subject());
                throw CikqcException.input(gmlName + (line == null ? "" : ":" + line) + ": " + e.getMessage()
                        + (matrix ? "; or give that matrix as"
                        + " --compensation FILE.csv, named by its file name" : "") + " [" + file.getFileName() + "]");
            }
            ReadRepairs.warn(err, file, ds);
            printProblems(err, compiled);
            createOut();
            List<String> pops = compiled.populationIds();
            PopulationCounts counts;
            boolean staleComparison;
            List<Problem> found = new java.util.ArrayList<>();
            try (AtomicFiles.FileSet files = AtomicFiles.fileSet()) {
                files.write(out.resolve("membership.tsv"), os -> writeMembership(os, fcs, dataset, compiled,
                        allColumns(pops.size()), pops, found));
                counts = compiled.counts();
                files.writeString(out.resolve("counts.tsv"), countsTsv(counts));
                staleComparison = files.remove(out.resolve("comparison.tsv"));
                input.requireUnchanged();
                files.commit();
            }
            noteRemovedComparison(err, staleComparison);
            ReadRepairs.warnData(err, file, found);
            err.printf("cikqc: gated %,d event%s into %d population%s; wrote %s and %s%n", counts.events(),
                    counts.events() == 1 ? "" : "s", counts.populationIds().size(), counts.populationIds().size() == 1 ? "" : "s", out.resolve("membership.tsv"), out.resolve("counts.tsv"));
        }
        return 0;
    }

    private static void printProblems(PrintWriter err, CompiledStrategy compiled) {
        for (Problem p : compiled.problems()) err.println("cikqc: " + p.severity().name().toLowerCase(Locale.ROOT) + ": "
                + p.describe());
    }

    private void createOut() {
        try {
            AtomicFiles.createDirectories(out);
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot write results in " + out.toAbsolutePath(), e);
        }
    }

    /**
     * A comparison.tsv belongs with the counts.tsv beside it: one left by an earlier run with --result would be read
     * by 'cikqc agreement' as this run's, so a run without --result removes it with the commit of its own files.
     */
    private void noteRemovedComparison(PrintWriter err, boolean removed) {
        if (removed) {
            err.println("cikqc: note: removed " + out.resolve("comparison.tsv") + " of an earlier run (this one has no "
                    + "--result)");
        }
    }

    private static int[] allColumns(int n) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) c[i] = i;
        return c;
    }

    /** {@code --flowjo}: replays a workspace sample's gate tree and compares with the counts FlowJo recorded. */
    private Integer flowJo() {
        PrintWriter err = spec.commandLine().getErr();
        if (compensation != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--compensation cannot be used with --flowjo (the workspace holds each sample's matrix)");
        }
        if (!maps.isEmpty() && result == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--map is used only with --result");
        }
        List<FlowJoComparison.Mapping> given = new java.util.ArrayList<>();
        for (String m : maps) {
            try {
                given.add(FlowJoComparison.parse(m));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--map: " + e.getMessage());
            }
        }
        JsonNode recorded = result == null ? null : resultFor(result, file);
        FlowJoWorkspace ws = FlowJoWorkspace.read(source.flowJo);
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        FlowJoWorkspace.Sample chosen = ws.select(sample, fileName);
        StampedInput input = new StampedInput(file, "gated");
        try (FcsFile fcs = FcsFile.open(file, readOptions(Math.max(1, 2 * chosen.populations().size())))) {
            FcsDataSet ds = fcs.dataSet(dataset);
            ReadRepairs.requireEvents(file, ds);
            List<String> channels = ds.parameters().stream().map(p -> p.name()).toList();
            FlowJoWorkspace.Imported imported = ws.strategy(chosen, channels);
            if (imported.populations().isEmpty()) {
                throw CikqcException.input(ws.source() + ": sample " + chosen.label() + " has no gates");
            }
            List<String> mapNotes = new java.util.ArrayList<>();
            List<FlowJoComparison.Mapping> mappings = null;
            if (recorded != null) {
                List<String> metrics = FlowJoComparison.comparableMetrics(recorded, result, mapNotes);
                try {
                    mappings = FlowJoComparison.map(imported.populations(), metrics, given, mapNotes, ws.source());
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            CompiledStrategy compiled;
            try {
                compiled = imported.matrix() != null
                        ? GatingEngine.compile(imported.strategy(), ds.parameters(), imported.matrix())
                        : GatingEngine.compile(imported.strategy(), ds);
            } catch (GatingException e) {
                throw CikqcException.input(ws.source() + ": sample " + chosen.label() + ": " + e.getMessage() + " ["
                        + fileName + "]");
            }
            ReadRepairs.warn(err, file, ds);
            printProblems(err, compiled);
            for (String note : imported.notes()) err.println("cikqc: note: " + note);
            if (!fileName.equals(chosen.name()) && !fileName.equals(chosen.fileName())) {
                err.println("cikqc: note: replaying sample " + chosen.label() + " of " + ws.source() + " on " + fileName);
            }
            if (chosen.flowJoCount() >= 0 && chosen.flowJoCount() != ds.events()) {
                err.printf("cikqc: warning: FlowJo recorded %,d events for sample %s, %s has %,d: is it the same file?%n",
                        chosen.flowJoCount(), chosen.label(), fileName, ds.events());
            }
            createOut();
            List<String> ids = compiled.populationIds();
            int[] columns = new int[imported.ids().size()];
            List<String> header = new java.util.ArrayList<>();
            for (int i = 0; i < columns.length; i++) {
                columns[i] = ids.indexOf(imported.ids().get(i));
                header.add(FlowJoComparison.tsvField(imported.populations().get(i).path()));
            }
            PopulationCounts counts;
            List<String> compared = List.of();
            boolean staleComparison = false;
            List<Problem> found = new java.util.ArrayList<>();
            try (AtomicFiles.FileSet files = AtomicFiles.fileSet()) {
                files.write(out.resolve("membership.tsv"), os -> writeMembership(os, fcs, dataset, compiled, columns,
                        header, found));
                counts = compiled.counts();
                files.writeString(out.resolve("counts.tsv"), flowJoCountsTsv(counts, imported, columns));
                if (recorded != null) {
                    compared = compareMetrics(files, recorded, mappings, mapNotes, counts, imported, columns);
                } else {
                    staleComparison = files.remove(out.resolve("comparison.tsv"));
                }
                input.requireUnchanged();
                files.commit();
            }
            noteRemovedComparison(err, staleComparison);
            ReadRepairs.warnData(err, file, found);
            err.printf("cikqc: gated %,d event%s into %d population%s of FlowJo sample %s; wrote %s and %s%n",
                    counts.events(), counts.events() == 1 ? "" : "s", columns.length, columns.length == 1 ? "" : "s", chosen.label(), out.resolve("membership.tsv"),
                    out.resolve("counts.tsv"));
            err.println("cikqc: " + comparison(counts, imported, columns));
            compared.forEach(err::println);
        }
        return 0;
    }

    /**
     * {@code --result}: the result's metrics beside FlowJo's populations, written as DIR/comparison.tsv into
     * {@code files}; returns the lines to print once the files are in place.
     */
    private List<String> compareMetrics(AtomicFiles.FileSet files, JsonNode recorded,
                                        List<FlowJoComparison.Mapping> mappings, List<String> notes,
                                        PopulationCounts counts, FlowJoWorkspace.Imported imported, int[] columns) {
        java.util.Map<String, Long> replayed = new java.util.HashMap<>();
        java.util.Map<String, Long> saved = new java.util.HashMap<>();
        for (int k = 0; k < columns.length; k++) {
            FlowJoWorkspace.Population p = imported.populations().get(k);
            replayed.put(p.path(), counts.count(columns[k]));
            if (p.flowJoCount() >= 0) saved.put(p.path(), p.flowJoCount());
        }
        List<FlowJoComparison.Row> rows = FlowJoComparison.compare(recorded, mappings, replayed, saved);
        Path tsv = out.resolve("comparison.tsv");
        files.writeString(tsv, FlowJoComparison.tsv(rows));
        List<String> lines = new java.util.ArrayList<>();
        for (String n : notes) lines.add("cikqc: note: " + n);
        lines.add(String.format(Locale.ROOT, "cikqc: %d of %d metrics of %s compared with FlowJo's populations; wrote %s",
                rows.size(), recorded.path("metrics").size(), result, tsv));
        for (String line : FlowJoComparison.lines(rows)) lines.add("cikqc:   " + line);
        return lines;
    }

    /** The result file, which must be a result for {@code fcs}: the SHA-256 it records is the file's. */
    private static JsonNode resultFor(Path resultFile, Path fcs) {
        JsonNode r = ResultJson.read(resultFile);
        String sha = r.path("sample").path("sha256").asText("");
        if (!Sha256.isHex(sha)) {
            throw CikqcException.input(resultFile + ": sample.sha256 " + (r.path("sample").path("sha256").isMissingNode()
                    ? "is missing" : "is not a SHA-256") + ", so it cannot be shown to be a result for " + fcs);
        }
        String actual;
        try {
            actual = Sha256.hex(fcs);
        } catch (IOException e) {
            throw CikqcException.inputFailed(fcs + ": cannot read", e);
        }
        if (!sha.equalsIgnoreCase(actual)) {
            throw CikqcException.input(resultFile + ": a result for " + r.path("sample").path("file").asText("?")
                    + " (SHA-256 " + sha.substring(0, 12) + "…), not for " + fcs + " (" + actual.substring(0, 12) + "…)");
        }
        return r;
    }

    /**
     * counts.tsv of a FlowJo replay: gate_id and parent_id are FlowJo population paths; flowjo_count is the count
     * FlowJo recorded (empty when none) and difference = count - flowjo_count.
     */
    static String flowJoCountsTsv(PopulationCounts c, FlowJoWorkspace.Imported imp, int[] columns) {
        StringBuilder sb = new StringBuilder("gate_id\tparent_id\tcount\tpercent_of_parent\tflowjo_count\tdifference\n");
        for (int k = 0; k < columns.length; k++) {
            FlowJoWorkspace.Population p = imp.populations().get(k);
            int i = columns[k];
            double pct = c.percentOfParent(i);
            sb.append(FlowJoComparison.tsvField(p.path())).append('\t')
                    .append(FlowJoComparison.tsvField(p.parentPath())).append('\t')
                    .append(c.count(i)).append('\t')
                    .append(Double.isNaN(pct) ? "NA" : String.format(Locale.ROOT, "%.4f", pct)).append('\t');
            if (p.flowJoCount() >= 0) sb.append(p.flowJoCount()).append('\t').append(c.count(i) - p.flowJoCount());
            else sb.append('\t');
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One line: how many populations match the counts FlowJo recorded, and the largest difference. */
    static String comparison(PopulationCounts c, FlowJoWorkspace.Imported imp, int[] columns) {
        int recorded = 0;
        int equal = 0;
        long worst = 0;
        String worstPath = null;
        for (int k = 0; k < columns.length; k++) {
            FlowJoWorkspace.Population p = imp.populations().get(k);
            if (p.flowJoCount() < 0) continue;
            recorded++;
            long d = c.count(columns[k]) - p.flowJoCount();
            if (d == 0) equal++;
            else if (Math.abs(d) > Math.abs(worst)) {
                worst = d;
                worstPath = p.path();
            }
        }
        if (recorded == 0) return "FlowJo recorded no counts for this sample's populations";
        String s = String.format(Locale.ROOT, "FlowJo's recorded counts: %d of %d populations equal", equal, recorded);
        if (worstPath != null) {
            s += String.format(Locale.ROOT, "; largest difference %+d events at %s", worst, worstPath);
        }
        return s;
    }

    /** The id an external matrix file gets: its file name without the last extension. */
    static String matrixId(Path matrixFile) {
        String n = matrixFile.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /**
     * Reading options whose batch keeps a batch's memberships (one bit per event and population) within 16 MiB, so
     * that a strategy of 100,000 populations streams in small batches instead of allocating gigabytes.
     */
    static FcsReadOptions readOptions(int populations) {
        int perBatch = (int) Math.max(64, Math.min(FcsReadOptions.LENIENT.batchSize(), (1L << 27) / Math.max(1, populations)));
        return FcsReadOptions.LENIENT.withBatchSize(perBatch);
    }

    /**
     * Streams the membership table, batch by batch and at most 1 MiB of text at a time; adds to {@code found} the
     * defects the reader met in the DATA ({@link EventReader#problems()}).
     */
    static void writeMembership(OutputStream os, FcsFile fcs, int dataset, CompiledStrategy compiled, int[] columns,
                                List<String> header, List<Problem> found) throws IOException {
        os.write((String.join("\t", header) + "\n").getBytes(StandardCharsets.UTF_8));
        int np = columns.length;
        int rowLen = Math.max(1, 2 * np); // np <= Integer.MAX_VALUE / 2: every population is an XML element
        int rowsPerChunk = Math.max(1, (1 << 20) / rowLen);
        byte[] buf = new byte[rowsPerChunk * rowLen]; // at most max(rowLen, 1 MiB)
        try (EventReader r = fcs.events(dataset, ValueKind.SCALE)) {
            EventBatch b;
            while ((b = r.next()) != null) {
                BatchResult res = compiled.evaluate(b);
                int n = res.size();
                for (int from = 0; from < n; from += rowsPerChunk) {
                    int rows = Math.min(rowsPerChunk, n - from);
                    for (int k = 0; k < rows; k++) {
                        int i = from + k;
                        int at = k * rowLen;
                        for (int p = 0; p < np; p++) {
                            buf[at + 2 * p] = res.contains(columns[p], i) ? (byte) '1' : (byte) '0';
                            buf[at + 2 * p + 1] = (byte) '\t';
                        }
                        buf[at + rowLen - 1] = '\n';
                    }
                    os.write(buf, 0, rows * rowLen);
                }
            }
            found.addAll(r.problems());
        }
    }

    /** counts.tsv: one row per population in strategy order. */
    static String countsTsv(PopulationCounts c) {
        StringBuilder sb = new StringBuilder("gate_id\tparent_id\tcount\tpercent_of_parent\n");
        for (int i = 0; i < c.populationIds().size(); i++) {
            double pct = c.percentOfParent(i);
            sb.append(c.populationIds().get(i)).append('\t')
                    .append(c.parentId(i) == null ? "" : c.parentId(i)).append('\t')
                    .append(c.count(i)).append('\t')
                    .append(Double.isNaN(pct) ? "NA" : String.format(Locale.ROOT, "%.4f", pct)).append('\n');
        }
        return sb.toString();
    }
}
