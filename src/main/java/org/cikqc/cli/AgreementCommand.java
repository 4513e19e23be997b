package org.cikqc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.plot.BlandAltmanPlot;
import org.cikqc.plot.FigureExport;
import org.cikqc.report.Agreement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc agreement COMPARISON...}: the Bland–Altman summary, per metric, of the {@code comparison.tsv} files
 * that {@code cikqc gate --flowjo --result} writes for the samples of a validation set (see {@link Agreement}).
 */
@Command(name = "agreement", mixinStandardHelpOptions = true,
        description = {"Summarise the agreement of cikqc with manual FlowJo gating over a validation set: the "
                + "comparison.tsv files of 'cikqc gate --flowjo --result' (or folders holding one), per metric: "
                + "bias (mean of FlowJo replayed - cikqc) with its 95 %% CI, SD, 95 %% limits of agreement "
                + "(bias +- 1.96 SD), the largest difference, how many samples are within 2u and on the same side "
                + "of the limit, and the slope of the difference on the mean (proportional bias) with its 95 %% CI; "
                + "--plots draws a Bland-Altman plot per metric."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:usage error", "3:a file is missing or not a comparison.tsv", "5:output error",
            "1:internal error"})
public final class AgreementCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "COMPARISON", description = "comparison.tsv files, or folders holding one")
    List<Path> inputs;

    @Option(names = "--out", converter = Converters.OutputFile.class, paramLabel = "agreement.tsv",
            description = "also write the summary as TSV (atomically)")
    Path out;

    @Option(names = "--plots", converter = Converters.OutputFolder.class, paramLabel = "DIR",
            description = "write a Bland-Altman plot per metric: DIR/agreement-METRIC.png (150 dpi) and .svg")
    Path plots;

    @Override
    public Integer call() {
        List<Path> files = new java.util.ArrayList<>();
        for (Path in : inputs) {
            Path f = Agreement.comparisonFile(in);
            for (Path earlier : files) {
                if (Converters.sameFile(f, earlier)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "COMPARISON " + f
                            + " is given twice (as " + earlier + "); each sample counts once");
                }
            }
            if (out != null && Converters.sameFile(out, f)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--out " + out + " is the "
                        + "comparison " + f + "; it would be replaced");
            }
            files.add(f);
        }
        List<Agreement.Summary> rows = Agreement.summarise(inputs);
        PrintWriter stdout = spec.commandLine().getOut();
        if (plots != null) writePlots(rows);
        if (out != null) AtomicFiles.writeString(out, Agreement.tsv(rows));
        if (rows.isEmpty()) stdout.println("no compared metrics in " + inputs.size() + " file(s)");
        for (String line : Agreement.lines(rows)) stdout.println(line);
        stdout.flush();
        if (plots != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("cikqc: wrote " + rows.size() + " Bland-Altman plot" + (rows.size() == 1 ? "" : "s")
                    + " (PNG and SVG) to " + plots);
            err.flush();
        }
        return 0;
    }

    /** Figure size (points): 4:3, the width of a dossier column. */
    private static final double WIDTH_PT = 400;

    /**
     * Draws every metric's plot in memory first, so a failure while drawing leaves no figure written, then writes
     * them (each atomically).
     */
    private void writePlots(List<Agreement.Summary> rows) {
        Set<String> used = new HashSet<>();
        java.util.Map<Path, byte[]> files = new java.util.LinkedHashMap<>();
        for (Agreement.Summary s : rows) {
            String id = s.metric().replaceAll("[^A-Za-z0-9._+-]", "_");
            // a file name stays well inside the 255 bytes file systems allow, whatever a metric is called
            String stem = "agreement-" + (id.length() > 100 ? id.substring(0, 100) : id);
            String name = stem;
            for (int k = 2; !used.add(name.toLowerCase(Locale.ROOT)); k++) name = stem + "-" + k;
            BlandAltmanPlot fig = Agreement.figure(s);
            double h = WIDTH_PT / fig.aspectRatio();
            files.put(plots.resolve(name + ".png"), FigureExport.png(fig, WIDTH_PT, h, FigureExport.DEFAULT_DPI));
            files.put(plots.resolve(name + ".svg"), FigureExport.svg(fig, WIDTH_PT, h).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            AtomicFiles.createDirectories(plots);
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot write plots in " + plots.toAbsolutePath(), e);
        }
        for (java.util.Map.Entry<Path, byte[]> f : files.entrySet()) AtomicFiles.write(f.getKey(), f.getValue());
    }
}
