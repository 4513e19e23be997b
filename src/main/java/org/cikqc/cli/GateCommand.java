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
import org.cikqc.gating.gatingml.GatingMlReader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc gate FILE --gating-ml G.xml --out DIR}: applies a Gating-ML 2.0 strategy to every event and writes
 * {@code DIR/membership.tsv} (one 0/1 column per population, one row per event in file order, streamed) and
 * {@code DIR/counts.tsv}, both atomically.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Apply a Gating-ML 2.0 gating strategy to one data set of an FCS file.",
                "Writes DIR/membership.tsv (header: population ids - one column per quadrant of a quadrant gate - then "
                        + "one row of 0/1 per event, in file order) and DIR/counts.tsv (gate_id, parent_id, count, "
                        + "percent_of_parent; a root population's percentage is of all events)."},
        footer = {"",
                "--compensation M.csv: a FlowJo-style spillover matrix (header row of detector names). It replaces the",
                "file's own $SPILLOVER for compensation-ref=\"FCS\", and gates can also name it explicitly as",
                "compensation-ref=\"M\" (the file's base name without extension, when that is a valid XML id).",
                "",
                "Exit codes: 0 done, 2 usage, 3 invalid input (FCS file, Gating-ML, matrix, unknown channel/matrix/gate),",
                "5 output error."})
public final class GateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "FCS file")
    Path file;

    @Option(names = "--gating-ml", required = true, paramLabel = "G.xml", description = "Gating-ML 2.0 document")
    Path gatingMl;

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
        try (FcsFile fcs = FcsFile.open(file, readOptions(strategy.populationIds().size()))) {
            FcsDataSet ds = fcs.dataSet(dataset);
            ReadRepairs.requireEvents(file, ds);
            CompiledStrategy compiled;
            try {
                compiled = external != null ? GatingEngine.compile(strategy, ds.parameters(), external)
                        : GatingEngine.compile(strategy, ds);
            } catch (GatingException e) {
                throw CikqcException.input(gmlName + ": " + e.getMessage() + " [" + file.getFileName() + "]");
            }
            ReadRepairs.warn(err, file, ds);
            for (Problem p : compiled.problems()) err.println("cikqc: " + p.severity().name().toLowerCase(Locale.ROOT) + ": "
                    + p.describe());
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw CikqcException.outputFailed("cannot create " + out, e);
            }
            AtomicFiles.write(out.resolve("membership.tsv"), os -> writeMembership(os, fcs, dataset, compiled));
            PopulationCounts counts = compiled.counts();
            AtomicFiles.writeString(out.resolve("counts.tsv"), countsTsv(counts));
            err.printf("cikqc: gated %,d events into %d populations; wrote %s and %s%n", counts.events(),
                    counts.populationIds().size(), out.resolve("membership.tsv"), out.resolve("counts.tsv"));
        }
        return 0;
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

    /** Streams the membership table, batch by batch and at most 1 MiB of text at a time. */
    static void writeMembership(OutputStream os, FcsFile fcs, int dataset, CompiledStrategy compiled) throws IOException {
        List<String> pops = compiled.populationIds();
        os.write((String.join("\t", pops) + "\n").getBytes(StandardCharsets.UTF_8));
        int np = pops.size();
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
                            buf[at + 2 * p] = res.contains(p, i) ? (byte) '1' : (byte) '0';
                            buf[at + 2 * p + 1] = (byte) '\t';
                        }
                        buf[at + rowLen - 1] = '\n';
                    }
                    os.write(buf, 0, rows * rowLen);
                }
            }
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
