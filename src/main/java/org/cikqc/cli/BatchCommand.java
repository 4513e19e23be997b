package org.cikqc.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.common.CikqcException;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.Analyzer;
import org.cikqc.pipeline.InputFiles;
import org.cikqc.pipeline.OutputOptions;
import org.cikqc.pipeline.SampleResult;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc batch DIR|FILE... --out DIR [--threads N] [--strict-exit]}: analyses every FCS file in parallel with
 * per-file isolation, then writes {@code DIR/summary.csv} and {@code DIR/summary.pdf}.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Analyse many FCS files in parallel: every *.fcs / *.lmd (any case) found under the folders "
                + "given (recursively, hidden entries skipped) and every file given by name, in sorted order.",
                "Each sample gets OUT/<sample>/ (result.json, gates.xml, report.pdf, plots/) or, when it cannot be "
                        + "analysed, OUT/<sample>/error.json; the others go on. Then OUT/summary.csv and OUT/summary.pdf "
                        + "(one row per input, errors included) and one audit entry per sample in OUT/audit.jsonl.",
                "Outputs do not depend on --threads. Progress goes to standard error (a bar on a terminal); one line "
                        + "per sample to standard output at the end."},
        exitCodeListHeading = "%nExit codes (the first that applies, in this order):%n",
        exitCodeList = {
            "5:an output could not be written",
            "1:internal error",
            "4:the spec is invalid, or a file's panel cannot be mapped to it",
            "3:some input is invalid (its error.json is written; the others are complete)",
            "10:with --strict-exit: some verdict is not PASS",
            "0:every input processed",
            "2:usage error"})
public final class BatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Folders to search and/or FCS files.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", converter = Converters.OutputFolder.class, required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", converter = Converters.Positive.class,
            description = "Analyses at once (default: available processors, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--strict-exit", description = "Exit 10 when any verdict is not PASS (after 5, 1, 4 and 3).")
    boolean strictExit;

    @Mixin
    AnalysisArgs analysis;


    @Override
    public Integer call() {
        AnalysisOptions options = analysis.analysisOptions();
        OutputOptions output = analysis.outputOptions(Instant.now());
        java.io.PrintWriter err = spec.commandLine().getErr();
        List<Path> files = InputFiles.collect(inputs, out, skipped -> err.println("cikqc: warning: " + skipped));
        if (files.isEmpty()) throw CikqcException.input("no FCS files (*.fcs, *.lmd) found in " + inputs);
        List<SampleResult> results = BatchExecution.run(files, options, output, out, threads, "batch",
                Analyzer.SAMPLE_RUNNER, spec.commandLine().getOut(), err);
        return Outcomes.exitCode(results, strictExit);
    }
}
