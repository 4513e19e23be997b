package org.cikqc.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.cikqc.common.AtomicFiles;
import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.ValueKind;

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
    enum Values { raw, scale }

    /** Output formats. */
    enum Format { csv, tsv }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "FCS file")
    Path file;

    @Option(names = "--dataset", paramLabel = "N", description = "data set index, 0-based (default ${DEFAULT-VALUE})")
    int dataset = 0;

    @Option(names = "--values", paramLabel = "KIND",
            description = "raw (as stored, masked) or scale (log decoded, /$PnG, x$TIMESTEP); default ${DEFAULT-VALUE}")
    Values values = Values.raw;

    @Option(names = "--format", paramLabel = "FMT", description = "csv or tsv (default ${DEFAULT-VALUE})")
    Format format = Format.csv;

    @Option(names = "--out", required = true, paramLabel = "F", description = "output file (written atomically)")
    Path out;

    @Override
    public Integer call() {
        try (FcsFile fcs = FcsFile.open(file, FcsReadOptions.LENIENT)) {
            FcsDataSet ds = fcs.dataSet(dataset);
            char sep = format == Format.csv ? ',' : '\t';
            ValueKind kind = values == Values.raw ? ValueKind.RAW : ValueKind.SCALE;
            AtomicFiles.writeText(out, w -> writeEvents(w, fcs, ds, kind, sep));
            spec.commandLine().getErr().printf("cikqc: exported %,d events x %d parameters to %s%n", ds.events(),
                    ds.parameters().size(), out);
        }
        return 0;
    }

    static void writeEvents(Writer w, FcsFile fcs, FcsDataSet ds, ValueKind kind, char sep) throws IOException {
        int np = ds.parameters().size();
        for (int p = 0; p < np; p++) {
            if (p > 0) w.write(sep);
            w.write(quote(ds.parameter(p).name(), sep));
        }
        w.write('\n');
        boolean[] asFloat = new boolean[np];
        for (int p = 0; p < np; p++) {
            FcsParameter fp = ds.parameter(p);
            asFloat[p] = fp.datatype() == 'F' && (kind == ValueKind.RAW || !fp.isLog() && fp.gain() == 1 && fp.timestep() == 0);
        }
        StringBuilder sb = new StringBuilder(256);
        try (EventReader r = fcs.events(ds.index(), kind)) {
            EventBatch b;
            while ((b = r.next()) != null) {
                for (int i = 0; i < b.size(); i++) {
                    sb.setLength(0);
                    for (int p = 0; p < np; p++) {
                        if (p > 0) sb.append(sep);
                        appendNumber(sb, b.column(p)[i], asFloat[p]);
                    }
                    sb.append('\n');
                    w.append(sb);
                }
            }
        }
    }

    /** Shortest text that reads back to the same value (float precision for float data). */
    static void appendNumber(StringBuilder sb, double v, boolean asFloat) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v);
        } else if (Double.isNaN(v)) {
            sb.append("NaN");
        } else if (asFloat) {
            sb.append((float) v);
        } else {
            sb.append(v);
        }
    }

    static String quote(String s, char sep) {
        if (s.indexOf(sep) < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
