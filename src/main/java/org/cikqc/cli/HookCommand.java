package org.cikqc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.cikqc.pipeline.AnalysisAudit;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.Analyzer;
import org.cikqc.pipeline.ErrorRecord;
import org.cikqc.pipeline.HookRunner;
import org.cikqc.pipeline.OutputOptions;
import org.cikqc.pipeline.SampleProcessor;
import org.cikqc.pipeline.SampleResult;
import org.cikqc.report.FileCompleteness;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc hook FILE --out DIR [--timeout 120s]}: the one-shot command for an instrument's post-acquisition
 * script. Waits (bounded) until the file is complete, analyses it, and always leaves a record in {@code DIR}: the
 * result folder, or {@code DIR/<sample>/error.json} (also for a timeout or an invalid spec), plus the audit entry.
 */
@Command(name = "hook", mixinStandardHelpOptions = true,
        description = {"For an instrument's post-acquisition script: wait until FILE is completely written (its size "
                + "has settled and matches its own HEADER/TEXT), then analyse it like 'analyze'.",
                "Always leaves a record: OUT/<sample>/ with the result, or OUT/<sample>/error.json (file, sha256, kind, "
                        + "message) when the file is invalid, never completes within --timeout, or the spec is invalid; "
                        + "and an audit entry in OUT/audit.jsonl."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:analysed (whatever the verdict)",
            "2:usage error",
            "3:the file is invalid or did not become complete in time",
            "4:the spec is invalid, or the file's panel cannot be mapped to it",
            "5:an output could not be written",
            "1:internal error"})
public final class HookCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The FCS file the instrument is writing or has written.")
    Path file;

    @Option(names = "--out", converter = Converters.OutputFolder.class, required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up waiting after this long (default ${DEFAULT-VALUE}; e.g. 90s, 5m).", defaultValue = "120s")
    Duration timeout;

    @Option(names = "--settle", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The size must be unchanged this long (default ${DEFAULT-VALUE}).", defaultValue = "2s")
    Duration settle;

    @Option(names = "--poll", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Look at the file this often while waiting (default ${DEFAULT-VALUE}).", defaultValue = "500ms")
    Duration poll;

    @Mixin
    AnalysisArgs analysis;


    @Override
    public Integer call() throws InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (timeout.compareTo(settle) < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout (" + timeout.toMillis()
                    + " ms) is shorter than --settle (" + settle.toMillis() + " ms): the file could never be complete");
        }
        OutputOptions output = analysis.outputOptions(Instant.now());
        AnalysisOptions options;
        try {
            options = analysis.analysisOptions();
        } catch (CikqcException e) {
            return configFailure(e, stdout, stderr);
        }
        AnalysisAudit audit = AnalysisAudit.at(out, Outcomes.actor(), options);
        SampleProcessor processor = new SampleProcessor(Analyzer.SAMPLE_RUNNER, options, output, out, audit, "hook");
        Duration p = poll.compareTo(timeout) > 0 ? timeout : poll;
        SampleResult r = new HookRunner(processor, new FileCompleteness(timeout, p, settle)).run(file);
        stdout.println(r.line());
        stdout.flush();
        if (!r.ok()) {
            stderr.println("cikqc: " + r.failure().message()
                    + (r.failure().record() == null ? "" : " (recorded in " + r.failure().record() + ")"));
            stderr.flush();
        }
        return Outcomes.exitCode(List.of(r), false);
    }

    /** A spec or option problem still leaves an error record and an audit entry for the file (the LIMS waits for one). */
    private int configFailure(CikqcException e, PrintWriter stdout, PrintWriter stderr) {
        String sha;
        try {
            sha = Sha256.hex(file);
        } catch (IOException io) {
            sha = null; // not readable (yet): recorded as such
        }
        String msg = ErrorRecord.oneLine(e.getMessage());
        Path record = ErrorRecord.write(out, file, sha, e.kind(), msg, "hook");
        AnalysisAudit.at(out, Outcomes.actor(), null)
                .recordFailure(file, new SampleResult.Failure(e.kind(), msg, sha, record), "hook");
        stdout.println(record.getParent().getFileName() + ": ERROR (" + msg + ")");
        stdout.flush();
        stderr.println("cikqc: " + msg + " (recorded in " + record + ")");
        stderr.flush();
        return e.kind().exitCode();
    }
}
