package org.cikqc.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import java.util.ArrayList;
import java.util.List;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.compensation.Compensator;
import org.cikqc.compensation.SpilloverMatrix;
import org.cikqc.compensation.SpilloverParser;
import org.cikqc.transform.Transform;
import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.ValueKind;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cikqc export FILE --out F}: events as CSV/TSV with $PnN headers, streamed. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the events of one data set as CSV or TSV with $PnN column headers.")
public final class ExportCommand implements Callable<Integer> {

    /** Value scales export can write. */
    enum Values { raw, scale, compensated }

    /** Output formats. */
    enum Format { csv, tsv }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "FCS file")
    Path file;

    @Option(names = "--dataset", paramLabel = "N", converter = Converters.NonNegative.class, description = "data set index, 0-based (default ${DEFAULT-VALUE})")
    int dataset = 0;

    @Option(names = "--values", paramLabel = "KIND",
            description = "raw (as stored, masked), scale (log decoded, /$PnG, x$TIMESTEP) or compensated (scale values "
                    + "compensated with the file's spillover matrix or --compensation); default ${DEFAULT-VALUE}")
    Values values = Values.raw;

    @Option(names = "--format", paramLabel = "FMT", description = "csv or tsv (default ${DEFAULT-VALUE})")
    Format format = Format.csv;

    @Option(names = "--compensation", paramLabel = "M.csv",
            description = "with --values compensated: this spillover matrix (CSV/TSV with detector headers) instead of the file's own")
    Path compensation;

    @Option(names = "--transform", paramLabel = "SPEC",
            description = {"apply a display transform to the fluorescence channels (not FSC/SSC/Time) after the values "
                    + "chosen by --values: logicle[:T,W,M,A] (default 262144,0.5,4.5,0), asinh[:T,M,A], "
                    + "log[:T,M], linear[:T,A], hyperlog[:T,W,M,A], biex[:width,negative,positive,maxRange]"})
    String transform;

    @Option(names = "--transform-channels", split = ",", paramLabel = "NAME",
            description = "the $PnN channels to transform (default: every channel except scatter and time)")
    java.util.List<String> transformChannels;

    @Option(names = "--out", converter = Converters.OutputFile.class, required = true, paramLabel = "F", description = "output file (written atomically)")
    Path out;

    @Override
    public Integer call() {
        if (Converters.sameFile(out, file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is the input file; it would be replaced");
        }
        if (compensation != null && Converters.sameFile(out, compensation)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--out " + out + " is the --compensation matrix; it would be replaced");
        }
        if (transform == null && transformChannels != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--transform-channels needs --transform");
        }
        StampedInput input = new StampedInput(file, "exported");
        try (FcsFile fcs = FcsFile.open(file, FcsReadOptions.LENIENT)) {
            FcsDataSet ds = fcs.dataSet(dataset);
            ReadRepairs.requireEvents(file, ds);
            char sep = format == Format.csv ? ',' : '\t';
            ValueKind kind = values == Values.raw ? ValueKind.RAW : ValueKind.SCALE;
            Compensator comp = values == Values.compensated ? compensator(ds) : null;
            if (values != Values.compensated && compensation != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--compensation needs --values compensated");
            }
            Transform t = transform == null ? null : TransformSpecs.parse(transform);
            boolean[] tr = transformed(ds, t);
            List<Problem> found = new ArrayList<>();
            AtomicFiles.writeText(out, w -> {
                writeEvents(w, fcs, ds, kind, sep, comp, t, tr, found);
                input.requireUnchanged();
            });
            ReadRepairs.warn(spec.commandLine().getErr(), file, ds);
            ReadRepairs.warnData(spec.commandLine().getErr(), file, found);
            spec.commandLine().getErr().printf("cikqc: exported %,d events x %d parameters to %s%n", ds.events(),
                    ds.parameters().size(), out);
        }
        return 0;
    }

    private Compensator compensator(FcsDataSet ds) {
        SpilloverMatrix m;
        if (compensation != null) {
            m = SpilloverParser.fromCsv(compensation);
            return Compensator.squareOf(m, ds.parameters(), compensation.getFileName().toString());
        } else {
            List<Problem> probs = new ArrayList<>();
            m = SpilloverParser.fromKeywords(ds.keywords(), ds.parameters(), probs).orElse(null);
            if (m == null) {
                String why = probs.isEmpty()
                        ? " (its TEXT has no $SPILLOVER, SPILL, $SPILL, spillover, $COMP or non-zero $DFCiTOj keyword)"
                        : " (" + probs.get(0).describe() + ")";
                throw CikqcException.input(file + ": --values compensated: the file has no usable spillover matrix"
                        + why + "; give one with --compensation M.csv");
            }
        }
        return Compensator.of(m, ds.parameters());
    }

    private boolean[] transformed(FcsDataSet ds, Transform t) {
        boolean[] tr = new boolean[ds.parameters().size()];
        if (t == null) return tr;
        if (transformChannels != null && !transformChannels.isEmpty()) {
            for (String name : transformChannels) {
                int i = ds.parameterIndex(name);
                if (i < 0) throw CikqcException.input(file + ": --transform-channels: no channel named '" + name + "'");
                tr[i] = true;
            }
        } else {
            for (int i = 0; i < tr.length; i++) {
                String n = ds.parameter(i).name().toUpperCase(java.util.Locale.ROOT);
                tr[i] = !(n.startsWith("FSC") || n.startsWith("SSC") || n.startsWith("FS ") || n.startsWith("SS ")
                        || n.equals("FS") || n.equals("SS") || ds.parameter(i).isTime());
            }
        }
        return tr;
    }

    static void writeEvents(Writer w, FcsFile fcs, FcsDataSet ds, ValueKind kind, char sep, Compensator comp,
                            Transform t, boolean[] tr, List<Problem> found) throws IOException {
        int np = ds.parameters().size();
        for (int p = 0; p < np; p++) {
            if (p > 0) w.write(sep);
            w.write(quote(ds.parameter(p).name(), sep));
        }
        w.write('\n');
        StringBuilder sb = new StringBuilder(256);
        try (EventReader r = fcs.events(ds.index(), kind)) {
            EventBatch b;
            while ((b = r.next()) != null) {
                if (comp != null) comp.apply(b.columns(), b.size());
                if (t != null) {
                    for (int p = 0; p < np; p++) if (tr[p]) t.applyInPlace(b.column(p), b.size());
                }
                for (int i = 0; i < b.size(); i++) {
                    sb.setLength(0);
                    for (int p = 0; p < np; p++) {
                        if (p > 0) sb.append(sep);
                        appendNumber(sb, b.column(p)[i]);
                    }
                    sb.append('\n');
                    w.append(sb);
                }
            }
            found.addAll(r.problems());
        }
    }

    /**
     * The shortest text that reads back as the same double: integers without a fraction, others as
     * {@link Double#toString}. A float32 value is exact in a double, so its text reads back exactly both as a double
     * and as a float (1312.8499755859375, not 1312.85, which is only the nearest float's shortest text).
     */
    static void appendNumber(StringBuilder sb, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v);
        } else if (Double.isNaN(v)) {
            sb.append("NaN");
        } else {
            sb.append(v);
        }
    }

    static String quote(String s, char sep) {
        if (s.indexOf(sep) < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
