package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.cikqc.common.BuildInfo;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.cikqc.report.AuditLog;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes the audit entries of analyses into {@code OUT/audit.jsonl} ({@link AuditLog}): one {@code analyze} entry
 * per result, one {@code analyze.error} entry per error record and one {@code analyze.stopped} entry per analysis
 * a stop cut short, whatever command ran them.
 *
 * <ul>
 * <li>inputs: the FCS file and every other input the result's provenance names (controls, compensation) with
 * their SHA-256 as the analysis read them, plus the spec (its file and file hash, or
 * {@code <embedded default spec …>} with the spec's canonical hash);</li>
 * <li>outputs: every file of the committed result folder (or the error record) with its SHA-256, named relative
 * to {@code OUT};</li>
 * <li>details: command, sample, verdict, result SHA-256, spec id/version/hash, tool version and build commit (for
 * errors: kind, exit code and message).</li>
 * </ul>
 * Thread-safe (the log serialises appends).
 */
public final class AnalysisAudit {
    /** Name of the audit log inside the output folder. */
    public static final String LOG_NAME = "audit.jsonl";
    /** Action of a successful analysis. */
    public static final String ACTION = "analyze";
    /** Action of an analysis that left an error record. */
    public static final String ERROR_ACTION = "analyze.error";
    /** Action of an analysis cut short by a stop (SIGTERM/SIGINT): nothing written, the input is not judged. */
    public static final String STOPPED_ACTION = "analyze.stopped";

    private final AuditLog log;
    private final Path outRoot;
    private final String actor;
    private final AnalysisOptions options;
    private final List<AuditLog.FileRef> optionInputs;

    /**
     * @param log     the audit log (normally {@code outRoot/audit.jsonl})
     * @param outRoot the output folder (output files are named relative to it)
     * @param actor   who runs the analysis (user name or service identity)
     * @param options the analysis options (their spec, controls and compensation are hashed once, here), or null
     *                when they could not be built (a failure entry then names no spec)
     * @throws CikqcException (INVALID_INPUT) when a control or compensation file cannot be read
     */
    public AnalysisAudit(AuditLog log, Path outRoot, String actor, AnalysisOptions options) {
        this.log = Objects.requireNonNull(log, "log");
        this.outRoot = outRoot.toAbsolutePath().normalize();
        this.actor = actor == null || actor.isBlank() ? "unknown" : actor;
        this.options = options;
        this.optionInputs = options == null ? List.of() : optionInputs(options);
    }

    /** The audit of {@code outRoot/audit.jsonl} with the system clock. */
    public static AnalysisAudit at(Path outRoot, String actor, AnalysisOptions options) {
        return new AnalysisAudit(AuditLog.open(outRoot.resolve(LOG_NAME)), outRoot, actor, options);
    }

    /** The audit log written to. */
    public AuditLog log() { return log; }

    /** The actor recorded in every entry. */
    public String actor() { return actor; }

    private static List<AuditLog.FileRef> optionInputs(AnalysisOptions o) {
        List<AuditLog.FileRef> refs = new ArrayList<>();
        for (Path control : o.controls().values()) refs.add(AuditLog.FileRef.of(control.toAbsolutePath().normalize()));
        if (o.compensation() != null) refs.add(AuditLog.FileRef.of(o.compensation().toAbsolutePath().normalize()));
        return refs;
    }

    /** The spec as an audit input: its file and the file's hash, or the embedded default and its canonical hash. */
    private AuditLog.FileRef specRef() {
        if (options == null) throw new IllegalStateException("no analysis options");
        if (options.specFile() != null) {
            // the bytes the spec in use was loaded from, not the file as it is now
            return new AuditLog.FileRef(options.specFile().toAbsolutePath().normalize().toString(),
                    options.specFileSha256());
        }
        return new AuditLog.FileRef("<embedded default spec " + options.spec().id() + " " + options.spec().version()
                + ">", options.spec().sha256());
    }

    /** Appends the {@value #ACTION} entry of a committed result. */
    public AuditLog.Appended recordOutcome(Path input, SampleOutcome outcome, String command) {
        Objects.requireNonNull(options, "a result needs the options it was produced with");
        JsonNode result = outcome.result();
        List<AuditLog.FileRef> inputs = new ArrayList<>();
        String inputSha = result == null ? null : textOrNull(result.path("sample").path("sha256"));
        Path abs = input.toAbsolutePath().normalize();
        inputs.add(inputSha != null ? new AuditLog.FileRef(abs.toString(), inputSha) : AuditLog.FileRef.of(abs));
        TreeSet<String> seen = new TreeSet<>();
        seen.add(abs.toString());
        JsonNode recorded = result == null ? null : result.path("provenance").path("inputs");
        if (recorded != null && recorded.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = recorded.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual() && seen.add(e.getKey())) {
                    inputs.add(new AuditLog.FileRef(e.getKey(), e.getValue().asText()));
                }
            }
        }
        for (AuditLog.FileRef r : optionInputs) if (seen.add(r.file())) inputs.add(r);
        AuditLog.FileRef spec = specRef();
        if (seen.add(spec.file())) inputs.add(spec);

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("command", command);
        d.put("sample", outcome.sample());
        d.put("verdict", outcome.verdict());
        d.put("result_sha256", outcome.resultSha256());
        d.put("output_dir", relative(outcome.directory()));
        d.put("spec_id", options.spec().id());
        d.put("spec_version", options.spec().version());
        d.put("spec_sha256", options.spec().sha256());
        d.put("seed", options.effectiveSeed());
        d.put("tool_version", BuildInfo.version());
        d.put("build_commit", BuildInfo.commit());
        return log.append(new AuditLog.Entry(ACTION, actor, inputs, outputsOf(outcome), d));
    }

    /** Appends the {@value #ERROR_ACTION} entry of an input that produced no result. */
    public AuditLog.Appended recordFailure(Path input, SampleResult.Failure failure, String command) {
        List<AuditLog.FileRef> outputs = new ArrayList<>();
        if (failure.record() != null && Files.isRegularFile(failure.record())) outputs.add(ref(failure.record()));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("command", command);
        d.put("sample", failure.record() == null ? null : failure.record().getParent().getFileName().toString());
        d.put("kind", failure.kind().name());
        d.put("exit_code", failure.kind().exitCode());
        d.put("message", failure.message());
        return log.append(new AuditLog.Entry(ERROR_ACTION, actor, failureInputs(input, failure), outputs,
                failureDetails(d, failure)));
    }

    /**
     * Appends the {@value #STOPPED_ACTION} entry of an analysis a stop cut short: its inputs, no outputs, and the
     * message (what failed as the process stopped). No kind or exit code: the input was not judged, and the process
     * ends with the signal's status.
     */
    public AuditLog.Appended recordStopped(Path input, SampleResult.Failure failure, String command) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("command", command);
        d.put("message", failure.message());
        return log.append(new AuditLog.Entry(STOPPED_ACTION, actor, failureInputs(input, failure), List.of(),
                failureDetails(d, failure)));
    }

    /** The input (its hash, or 64 zeros when it could not be read), the option inputs and the spec. */
    private List<AuditLog.FileRef> failureInputs(Path input, SampleResult.Failure failure) {
        List<AuditLog.FileRef> inputs = new ArrayList<>();
        String abs = input.toAbsolutePath().normalize().toString();
        // an unreadable input is still named; its hash is recorded as 64 zeros ("no content read")
        inputs.add(new AuditLog.FileRef(abs, failure.sha256() != null ? failure.sha256() : Sha256.ZERO));
        inputs.addAll(optionInputs);
        if (options != null) inputs.add(specRef());
        return inputs;
    }

    /** {@code d} followed by the details every failure and stop entry ends with. */
    private Map<String, Object> failureDetails(Map<String, Object> d, SampleResult.Failure failure) {
        d.put("input_readable", failure.sha256() != null);
        d.put("spec_id", options == null ? null : options.spec().id());
        d.put("spec_sha256", options == null ? null : options.spec().sha256());
        d.put("tool_version", BuildInfo.version());
        d.put("build_commit", BuildInfo.commit());
        return d;
    }

    /** Appends an entry for other records written by a command (e.g. the batch summary). */
    public AuditLog.Appended recordFiles(String action, List<Path> inputs, List<Path> outputs, Map<String, ?> details) {
        List<AuditLog.FileRef> in = new ArrayList<>();
        for (Path p : inputs) in.add(ref(p));
        List<AuditLog.FileRef> out = new ArrayList<>();
        for (Path p : outputs) out.add(ref(p));
        Map<String, Object> d = new LinkedHashMap<>(details == null ? Map.of() : details);
        d.putIfAbsent("tool_version", BuildInfo.version());
        d.putIfAbsent("build_commit", BuildInfo.commit());
        return log.append(new AuditLog.Entry(action, actor, in, out, d));
    }

    /** Every file of the committed folder (and any listed output outside it), sorted, with hashes. */
    private List<AuditLog.FileRef> outputsOf(SampleOutcome outcome) {
        TreeSet<Path> files = new TreeSet<>();
        if (outcome.directory() != null && Files.isDirectory(outcome.directory())) {
            try (Stream<Path> s = Files.walk(outcome.directory())) {
                s.filter(Files::isRegularFile).forEach(p -> files.add(p.toAbsolutePath().normalize()));
            } catch (IOException e) {
                throw CikqcException.outputFailed("cannot list " + outcome.directory() + " for the audit entry", e);
            } catch (java.io.UncheckedIOException e) { // the walk's own iteration failing
                throw CikqcException.outputFailed("cannot list " + outcome.directory() + " for the audit entry",
                        e.getCause());
            }
        }
        if (outcome.outputs() != null) {
            for (Path p : outcome.outputs()) if (Files.isRegularFile(p)) files.add(p.toAbsolutePath().normalize());
        }
        List<AuditLog.FileRef> refs = new ArrayList<>();
        for (Path p : files) refs.add(ref(p));
        return refs;
    }

    private AuditLog.FileRef ref(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return new AuditLog.FileRef(relative(abs), Sha256.hex(abs));
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot hash " + abs + " for the audit entry", e);
        }
    }

    /** A path relative to the output folder when inside it ('/' separated), else absolute. */
    String relative(Path p) {
        if (p == null) return null;
        Path abs = p.toAbsolutePath().normalize();
        if (!abs.startsWith(outRoot)) return abs.toString();
        return outRoot.relativize(abs).toString().replace('\\', '/');
    }

    private static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
