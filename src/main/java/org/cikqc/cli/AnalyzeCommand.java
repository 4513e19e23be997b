package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.pipeline.AnalysisAudit;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.Analyzer;
import org.cikqc.pipeline.OutputOptions;
import org.cikqc.pipeline.SampleProcessor;
import org.cikqc.pipeline.SampleResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc analyze FILE... --out DIR}: analyses the files one after the other into {@code DIR/<sample>/}
 * (result.json, gates.xml, report.pdf, plots/), prints one line per sample and appends one audit entry per sample
 * to {@code DIR/audit.jsonl}. A file that cannot be analysed gets {@code DIR/<sample>/error.json} and the others go
 * on.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyse FCS files one after the other: automated gating, QC evaluation against the spec, "
                + "result.json, Gating-ML gates, plots and the PDF dossier in OUT/<sample>/; one audit entry per "
                + "sample in OUT/audit.jsonl.",
                "Prints one line per sample: 'sample: VERDICT (reasons)'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every file analysed (whatever the verdicts)",
            "2:usage error",
            "3:some input file is invalid (error.json written for it)",
            "4:the spec is invalid, or a file's panel cannot be mapped to it",
            "5:an output could not be written",
            "1:internal error"})
public final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "FCS files.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--out", converter = Converters.OutputFolder.class, required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Mixin
    AnalysisArgs analysis;


    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        AnalysisOptions options = analysis.analysisOptions();
        OutputOptions output = analysis.outputOptions(Instant.now());
        AnalysisAudit audit = AnalysisAudit.at(out, Outcomes.actor(), options);
        SampleProcessor processor = new SampleProcessor(Analyzer.SAMPLE_RUNNER, options, output, out, audit, "analyze");
        processor.requireWritableOutput();
        List<SampleResult> results = new ArrayList<>();
        for (Path f : files) {
            SampleResult r = processor.process(f);
            results.add(r);
            stdout.println(r.line());
            stdout.flush();
        }
        int code = Outcomes.exitCode(results, false);
        if (code != 0) {
            long bad = results.stream().filter(r -> !r.ok()).count();
            long recorded = results.stream().filter(r -> !r.ok() && r.failure().record() != null).count();
            String where = recorded == bad ? "see their error.json"
                    : recorded == 0 ? "no error record could be written either (see the messages above)"
                    : recorded + " have an error.json; for the others see the messages above";
            stderr.println("cikqc: " + bad + " of " + results.size() + " file(s) could not be analysed; " + where);
        }
        stderr.flush();
        return code;
    }
}
