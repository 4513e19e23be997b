package org.cikqc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.cikqc.compensation.SpilloverParser;
import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsFormatException;
import org.cikqc.fcs.FcsParameter;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.Keywords;
import org.cikqc.fcs.ValueKind;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cikqc inspect FILE...}: a human summary, or one JSON object per file with {@code --json}. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Summarise FCS files: versions, data sets, parameters, keywords and problems.",
                "Exit 0 when every file was read, 3 when some file could not be read."})
public final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "FCS files")
    List<Path> files;

    @Option(names = "--json", description = "one JSON object per file, one per line, in the order given")
    boolean json;

    @Option(names = "--stats", description = "add min/max/sum of raw values over every event, per parameter")
    boolean stats;

    @Option(names = "--strict", description = "refuse any defect instead of repairing it")
    boolean strict;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FcsReadOptions opts = strict ? FcsReadOptions.STRICT : FcsReadOptions.LENIENT;
        boolean failed = false;
        JsonFactory jf = new JsonFactory();
        for (Path f : files) {
            try (FcsFile fcs = FcsFile.open(f, opts)) {
                if (strict) {
                    for (FcsDataSet ds : fcs.dataSets()) refuseDefects(f, problems(ds));
                }
                String sha = fcs.sha256();
                Stats st = stats ? computeStats(fcs) : null;
                if (strict && st != null) {
                    for (List<Problem> read : st.read()) refuseDefects(f, read);
                }
                if (json) {
                    StringWriter sw = new StringWriter();
                    try (JsonGenerator g = jf.createGenerator(sw)) {
                        writeJson(g, f, fcs, sha, st);
                    }
                    out.println(sw);
                } else {
                    printHuman(out, f, fcs, sha, st);
                }
            } catch (CikqcException e) {
                failed = true;
                Problem p = e.problem();
                if (json) {
                    StringWriter sw = new StringWriter();
                    try (JsonGenerator g = jf.createGenerator(sw)) {
                        g.writeStartObject();
                        g.writeStringField("file", f.toString());
                        g.writeObjectFieldStart("error");
                        g.writeStringField("code", p == null ? "INVALID_INPUT" : p.code());
                        g.writeStringField("message",
                                p == null ? Problem.bounded(e.getMessage(), Problem.MAX_ERROR_LINE) : p.describe());
                        if (p != null && p.offset() >= 0) g.writeNumberField("offset", p.offset());
                        else g.writeNullField("offset");
                        g.writeEndObject();
                        g.writeEndObject();
                    }
                    out.println(sw);
                }
                err.println("cikqc: " + (e.getMessage().startsWith(f.toString()) ? "" : f + ": ")
                        + Problem.errorLine(e.getMessage()));
            }
            out.flush();
        }
        return failed ? 3 : 0;
    }

    /**
     * The reader's problems of one data set plus the defects of its spillover keywords ($SPILLOVER, SPILL, $COMP,
     * ...), which the FCS reader keeps verbatim: a malformed, non-square or singular matrix, or one naming unknown
     * channels, is a defect of the file too.
     */
    static List<Problem> problems(FcsDataSet ds) {
        List<Problem> spill = new java.util.ArrayList<>();
        SpilloverParser.fromKeywords(ds.keywords(), ds.parameters(), spill);
        if (spill.isEmpty()) return ds.problems();
        List<Problem> all = new java.util.ArrayList<>(ds.problems());
        all.addAll(spill);
        return all;
    }

    /**
     * What reading every event tells: per data set, per parameter, {min, max, sum} over raw values (NaN values are
     * skipped), and per data set the defects met in the DATA ({@link EventReader#problems()}).
     */
    record Stats(double[][][] values, List<List<Problem>> read) {
        /** The problems of data set {@code ds}: those of its header and TEXT, then those of its DATA when read. */
        static List<Problem> of(Stats st, FcsDataSet ds) {
            return st == null ? problems(ds) : problems(ds, st.read.get(ds.index()));
        }
    }

    /** {@link #problems(FcsDataSet)}, then {@code read}: the defects the reader met in the data set's DATA. */
    static List<Problem> problems(FcsDataSet ds, List<Problem> read) {
        List<Problem> p = problems(ds);
        if (read.isEmpty()) return p;
        List<Problem> all = new java.util.ArrayList<>(p);
        all.addAll(read);
        return all;
    }

    /** A strict reading refuses the first defect (any problem above INFO) of {@code problems}. */
    private static void refuseDefects(Path f, List<Problem> problems) {
        for (Problem p : problems) {
            if (p.severity() != Severity.INFO) throw new FcsFormatException(f, FcsFile.strictRefusal(p), null);
        }
    }

    static Stats computeStats(FcsFile fcs) {
        double[][][] res = new double[fcs.dataSets().size()][][];
        List<List<Problem>> read = new java.util.ArrayList<>();
        for (FcsDataSet ds : fcs.dataSets()) {
            int np = ds.parameters().size();
            double[][] s = new double[np][];
            for (int p = 0; p < np; p++) s[p] = new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0};
            try (EventReader r = fcs.events(ds.index(), ValueKind.RAW)) {
                EventBatch b;
                while ((b = r.next()) != null) {
                    int n = b.size();
                    for (int p = 0; p < np; p++) {
                        double[] c = b.column(p);
                        double mn = s[p][0];
                        double mx = s[p][1];
                        double sum = s[p][2];
                        for (int i = 0; i < n; i++) {
                            double v = c[i];
                            if (v < mn) mn = v;
                            if (v > mx) mx = v;
                            if (!Double.isNaN(v)) sum += v;
                        }
                        s[p][0] = mn;
                        s[p][1] = mx;
                        s[p][2] = sum;
                    }
                }
                read.add(r.problems());
            }
            res[ds.index()] = s;
        }
        return new Stats(res, read);
    }

    private static void writeJson(JsonGenerator g, Path f, FcsFile fcs, String sha, Stats st) throws IOException {
        g.writeStartObject();
        g.writeStringField("file", f.toString());
        g.writeStringField("sha256", sha);
        g.writeNumberField("bytes", fcs.length());
        g.writeArrayFieldStart("datasets");
        for (FcsDataSet ds : fcs.dataSets()) {
            g.writeStartObject();
            g.writeNumberField("index", ds.index());
            g.writeStringField("version", ds.version());
            g.writeNumberField("events", ds.events());
            g.writeObjectFieldStart("segments");
            writeSegment(g, "text", ds.textStart(), ds.textEnd());
            if (ds.supplementalText() != null) writeSegment(g, "stext", ds.supplementalText()[0], ds.supplementalText()[1]);
            writeSegment(g, "data", ds.dataStart(), ds.dataEnd());
            if (ds.analysisStart() > 0) writeSegment(g, "analysis", ds.analysisStart(), ds.analysisEnd());
            if (!ds.otherSegments().isEmpty()) {
                g.writeArrayFieldStart("other");
                for (long[] o : ds.otherSegments()) {
                    g.writeStartArray();
                    g.writeNumber(o[0]);
                    g.writeNumber(o[1]);
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("parameters");
            for (FcsParameter p : ds.parameters()) {
                g.writeStartObject();
                g.writeNumberField("index", p.index());
                g.writeStringField("name", p.name());
                if (p.marker() == null) g.writeNullField("marker");
                else g.writeStringField("marker", p.marker());
                g.writeNumberField("bits", p.bits());
                writeNumber(g, "range", p.range());
                g.writeStringField("datatype", String.valueOf(p.datatype()));
                writeNumber(g, "gain", p.gain());
                writeNumber(g, "logDecades", p.logDecades());
                writeNumber(g, "logOffset", p.logOffset());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("keywords");
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Keywords.Entry e : ds.keywords().entries()) {
                if (seen.add(e.key())) g.writeStringField(e.key(), e.value());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("problems");
            for (Problem p : Stats.of(st, ds)) {
                g.writeStartObject();
                g.writeStringField("code", p.code());
                g.writeStringField("severity", p.severity().name());
                g.writeStringField("message", p.message());
                if (p.offset() >= 0) g.writeNumberField("offset", p.offset());
                else g.writeNullField("offset");
                if (p.keyword() == null) g.writeNullField("keyword");
                else g.writeStringField("keyword", p.keyword());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (st != null) {
                g.writeArrayFieldStart("stats");
                double[][] s = st.values()[ds.index()];
                for (int p = 0; p < s.length; p++) {
                    g.writeStartObject();
                    g.writeStringField("name", ds.parameter(p).name());
                    if (ds.events() == 0) {
                        g.writeNullField("min");
                        g.writeNullField("max");
                    } else {
                        writeNumber(g, "min", s[p][0]);
                        writeNumber(g, "max", s[p][1]);
                    }
                    writeNumber(g, "sum", s[p][2]);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeSegment(JsonGenerator g, String name, long start, long end) throws IOException {
        g.writeArrayFieldStart(name);
        g.writeNumber(start);
        g.writeNumber(end);
        g.writeEndArray();
    }

    static void writeNumber(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) g.writeNullField(name);
        else if (v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15) g.writeNumberField(name, (long) v);
        else g.writeNumberField(name, v);
    }

    private static void printHuman(PrintWriter out, Path f, FcsFile fcs, String sha, Stats st) {
        out.println(f);
        out.printf("  %,d bytes, SHA-256 %s, %d data set(s)%n", fcs.length(), sha, fcs.dataSets().size());
        for (FcsDataSet ds : fcs.dataSets()) {
            out.printf("  data set %d: %s, %,d events x %d parameters, %d bytes/event, $CYT %s%n", ds.index(),
                    ds.version(), ds.events(), ds.parameters().size(), ds.eventBytes(),
                    ds.cytometer() == null ? "-" : ds.cytometer());
            out.printf("    segments: TEXT %d-%d%s, DATA %d-%d%s%s%n", ds.textStart(), ds.textEnd(),
                    ds.supplementalText() == null ? "" : ", supplemental TEXT " + ds.supplementalText()[0] + "-"
                            + ds.supplementalText()[1], ds.dataStart(), ds.dataEnd(),
                    ds.analysisStart() > 0 ? ", ANALYSIS " + ds.analysisStart() + "-" + ds.analysisEnd() : "",
                    ds.otherSegments().isEmpty() ? "" : ", OTHER " + ds.otherSegments().stream()
                            .map(o -> o[0] + "-" + o[1]).collect(java.util.stream.Collectors.joining(", ")));
            out.printf("    %-4s %-22s %-22s %4s %12s %2s %6s %s%n", "n", "$PnN", "$PnS", "bits", "range", "T",
                    "gain", "$PnE");
            for (FcsParameter p : ds.parameters()) {
                out.printf("    %-4d %-22s %-22s %4d %12s %2s %6s %s%n", p.index(), clip(p.name()),
                        clip(p.marker() == null ? "" : p.marker()), p.bits(), num(p.range()), p.datatype(),
                        num(p.gain()), p.isLog() ? num(p.logDecades()) + "," + num(p.logOffset()) : "linear");
                if (st != null) {
                    double[] s = st.values()[ds.index()][p.index() - 1];
                    out.printf("         raw min %s  max %s  sum %s%n", num(s[0]), num(s[1]), num(s[2]));
                }
            }
            List<Problem> problems = Stats.of(st, ds);
            if (problems.isEmpty()) {
                out.println("    no problems");
            } else {
                for (Problem p : problems) out.printf("    %-7s %s: %s%n", p.severity(), p.code(), p.describe());
            }
        }
    }

    private static String clip(String s) { return s.length() <= 22 ? s : s.substring(0, 21) + "~"; }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format("%.6g", v);
    }

}
