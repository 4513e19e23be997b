package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cikqc.pipeline.AnalysisAudit;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.Analyzer;
import org.cikqc.pipeline.BatchRunner;
import org.cikqc.pipeline.BatchSummary;
import org.cikqc.pipeline.OutputOptions;
import org.cikqc.pipeline.SampleProcessor;
import org.cikqc.pipeline.SampleResult;
import org.cikqc.report.PdfDossier;

/**
 * A whole batch as {@code batch} and {@code demo} run it: parallel analysis with progress, then
 * {@code summary.csv}/{@code summary.pdf} and their audit entry ({@code batch.summary}), then one line per sample
 * on standard output in input order.
 */
final class BatchExecution {
    /** Audit action of the summary files. */
    static final String SUMMARY_ACTION = "batch.summary";

    private BatchExecution() { }

    /** Runs the batch and returns the results in input order (summary written, lines printed). */
    static List<SampleResult> run(List<Path> files, AnalysisOptions options, OutputOptions output, Path out,
            int threads, String command, Analyzer analyzer, PrintWriter stdout, PrintWriter stderr) {
        AnalysisAudit audit = AnalysisAudit.at(out, Outcomes.actor(), options);
        SampleProcessor processor = new SampleProcessor(analyzer, options, output, out, audit, command);
        processor.requireWritableOutput();
        int n = Math.max(1, Math.min(threads, files.size()));
        stderr.println("cikqc " + command + ": " + files.size() + " file(s) on " + n + " thread(s) -> " + out);
        stderr.flush();
        List<SampleResult> results;
        try (BatchProgress progress = BatchProgress.create(stderr, files.size(), System.console() != null,
                "cikqc " + command)) {
            results = new BatchRunner(processor, n).run(files, progress);
        }
        List<Path> summary = BatchSummary.write(processor.outRoot(), results, output.pdf(),
                PdfDossier.Options.at(output.generatedAt()));
        List<Path> resultFiles = new ArrayList<>();
        for (SampleResult r : results) {
            if (r.ok() && r.outcome().resultJson() != null) resultFiles.add(r.outcome().resultJson());
            else if (!r.ok() && r.failure().record() != null) resultFiles.add(r.failure().record());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("command", command);
        details.put("samples", results.size());
        details.put("verdicts", Outcomes.verdictCounts(results));
        audit.recordFiles(SUMMARY_ACTION, resultFiles, summary, details);
        Outcomes.printLines(stdout, results);
        stdout.println(Outcomes.tally(results));
        for (Path p : summary) stdout.println("summary: " + p);
        stdout.flush();
        return results;
    }
}
