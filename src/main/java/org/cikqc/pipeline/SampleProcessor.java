package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;

/**
 * Runs one input through the {@link Analyzer} with per-file isolation, and always leaves a record: the result
 * folder, or an {@link ErrorRecord error record} when the analysis fails, and in both cases an audit entry
 * ({@link AnalysisAudit}). Shared by {@code analyze}, {@code batch}, {@code hook} and {@code watch}.
 *
 * <p>Failures are values, not exceptions: {@link #process} returns a {@link SampleResult} whatever happens to the
 * input (a bug in the analysis is recorded as {@link CikqcException.Kind#INTERNAL}). If the audit entry of a
 * written result cannot be appended, the result is reported as an {@link CikqcException.Kind#OUTPUT_IO OUTPUT_IO}
 * failure (the folder stays; the log is the record that is missing). Thread-safe for different inputs.
 */
public final class SampleProcessor {
    private final Analyzer analyzer;
    private final AnalysisOptions options;
    private final OutputOptions output;
    private final Path outRoot;
    private final AnalysisAudit audit;
    private final String command;
    /** Whether the process is stopping (a test substitutes its own). */
    private BooleanSupplier stopping = AtomicFiles::isStopping;

    /**
     * @param analyzer the analysis
     * @param options  analysis options
     * @param output   output options
     * @param outRoot  output folder (created when missing)
     * @param audit    where the audit entries go
     * @param command  the command name recorded in error records and audit entries (analyze, batch, hook, watch)
     */
    public SampleProcessor(Analyzer analyzer, AnalysisOptions options, OutputOptions output, Path outRoot,
            AnalysisAudit audit, String command) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.options = Objects.requireNonNull(options, "options");
        this.output = Objects.requireNonNull(output, "output");
        this.outRoot = outRoot.toAbsolutePath().normalize();
        this.audit = Objects.requireNonNull(audit, "audit");
        this.command = Objects.requireNonNull(command, "command");
    }

    /** The output folder. */
    public Path outRoot() { return outRoot; }

    /** The analysis options. */
    public AnalysisOptions options() { return options; }

    /** The output options. */
    public OutputOptions output() { return output; }

    /** The audit writer. */
    public AnalysisAudit audit() { return audit; }

    /** The command name recorded. */
    public String command() { return command; }

    /**
     * Makes sure results can be written before any input is analysed: creates the output folder when missing and
     * writes (then removes) one scratch folder in it. An output folder that cannot be created or written thus stops
     * the run once (OUTPUT_IO, exit 5: "cannot write results in /proc/bo: /proc accepts no new folders") instead of
     * failing every input alike.
     */
    public void requireWritableOutput() {
        ResultFolders.deleteScratch(ResultFolders.newScratch(outRoot));
    }

    /** Substitutes the "process is stopping" test (tests: the real one is process-wide and irreversible). */
    SampleProcessor stoppingWhen(BooleanSupplier test) {
        this.stopping = Objects.requireNonNull(test, "test");
        return this;
    }

    /**
     * Analyses {@code input}; never throws for a problem of this input (see the class comment). The analysis
     * writes into a private scratch folder and its sample folder is then renamed into place by
     * {@link ResultFolders#place}, which never lets a result replace another input's result or error record.
     */
    public SampleResult process(Path input) {
        SampleOutcome outcome;
        Path scratch = null;
        try {
            scratch = ResultFolders.newScratch(outRoot);
            SampleOutcome staged = analyzer.analyze(input, options, output, scratch);
            if (staged == null) throw new CikqcException(CikqcException.Kind.INTERNAL, "the analysis returned nothing");
            String sha = staged.result() == null ? null : staged.result().path("sample").path("sha256").asText(null);
            if (sha == null || !Sha256.isHex(sha)) sha = Sha256.hex(input);
            outcome = ResultFolders.place(staged, outRoot, sha);
        } catch (CikqcException e) {
            return failOrStopped(input, e.kind(), message(input, e));
        } catch (IOException e) {
            return failOrStopped(input, CikqcException.Kind.INVALID_INPUT,
                    input + ": cannot read: " + org.cikqc.common.IoErrors.describe(e));
        } catch (RuntimeException e) {
            return failOrStopped(input, CikqcException.Kind.INTERNAL, input + ": internal error: " + e);
        } finally {
            if (scratch != null) removeScratch(scratch);
        }
        try {
            audit.recordOutcome(input, outcome, command);
        } catch (CikqcException e) {
            return SampleResult.failed(input, new SampleResult.Failure(CikqcException.Kind.OUTPUT_IO,
                    input + ": the result " + outcome.directory() + " was written but its audit entry was not: "
                            + ErrorRecord.oneLine(e.getMessage()), null, null));
        }
        return SampleResult.of(input, outcome);
    }

    private static void removeScratch(Path scratch) {
        try {
            ResultFolders.deleteScratch(scratch);
        } catch (CikqcException e) {
            // a hidden *.staging leftover is harmless and removed by the next watcher start; the outcome stands
            org.cikqc.common.AtomicFiles.deleteAtExit(scratch);
        }
    }

    /**
     * A failure of the analysis: {@link #fail} when it is the input's, {@link #stopped} when the process was stopping
     * as it failed. A stop removes the temporaries an analysis is writing and refuses new ones, so whatever failed
     * then (a write refused, a staging folder gone, an interrupted read) says nothing about the input; the next run
     * analyses it again, and an input that is really invalid fails then.
     */
    private SampleResult failOrStopped(Path input, CikqcException.Kind kind, String message) {
        return stopping.getAsBoolean() ? stopped(input, kind, message) : fail(input, kind, message);
    }

    /**
     * Records that the analysis of {@code input} was cut short by a stop: an {@code analyze.stopped} audit entry
     * (when the log can still be appended to), no error record. The failure keeps the kind of what failed, so the
     * exit code of a command that is not ended by the signal itself still says an output was not written.
     */
    private SampleResult stopped(Path input, CikqcException.Kind kind, String message) {
        String sha = Sha256.hexOrNull(input);
        String cause = ErrorRecord.oneLine(message);
        if (cause.startsWith(input + ": ")) cause = cause.substring(input.toString().length() + 2);
        String text = input + ": the process was stopped before the result was committed; nothing of it is kept (what"
                + " failed: " + cause + ")";
        SampleResult.Failure failure = new SampleResult.Failure(kind, text, sha, null, true);
        try {
            audit.recordStopped(input, failure, command);
        } catch (CikqcException e) {
            text += alsoFailed("the audit entry", text, e);
            failure = new SampleResult.Failure(kind, text, sha, null, true);
        }
        return SampleResult.failed(input, failure);
    }

    /**
     * Records that {@code input} produced no result: writes its error record and the audit entry. Used for
     * failures found before the analysis (e.g. a file that never became complete).
     */
    public SampleResult fail(Path input, CikqcException.Kind kind, String message) {
        String sha = Sha256.hexOrNull(input); // null when unreadable: the record says so
        String text = ErrorRecord.oneLine(message);
        Path record = null;
        boolean recordsMissing = false;
        try {
            record = ErrorRecord.write(outRoot, input, sha, kind, text, command);
        } catch (CikqcException e) {
            recordsMissing = true;
            text += alsoFailed("the error record", text, e);
        }
        try {
            audit.recordFailure(input, new SampleResult.Failure(kind, text, sha, record), command);
        } catch (CikqcException e) {
            recordsMissing = true;
            text += alsoFailed("the audit entry", text, e);
        }
        // when the output folder itself fails, that is what the operator must fix first (a bug stays a bug)
        CikqcException.Kind reported = recordsMissing && kind != CikqcException.Kind.INTERNAL
                ? CikqcException.Kind.OUTPUT_IO : kind;
        return SampleResult.failed(input, new SampleResult.Failure(reported, text, sha, record));
    }

    /**
     * " [WHAT could not be written: why]" after a failure {@code text}; when its cause is the one {@code text} gives
     * already (the output folder refused everything), " [WHAT could not be written either, for the same reason]".
     */
    private static String alsoFailed(String what, String text, CikqcException e) {
        String why = e.getCause() == null ? "" : org.cikqc.common.IoErrors.reason(e.getCause());
        if (why.length() >= 12 && text.contains(why)) return " [" + what + " could not be written either, for the same reason]";
        return " [" + what + " could not be written: " + ErrorRecord.oneLine(e.getMessage()) + "]";
    }

    /** The exception's message, prefixed with the input when it does not name it already. */
    private static String message(Path input, CikqcException e) {
        String m = e.getMessage() == null ? e.kind().name() : e.getMessage();
        String name = String.valueOf(input.getFileName());
        return m.contains(name) ? m : input + ": " + m;
    }
}
