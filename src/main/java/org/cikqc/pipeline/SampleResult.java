package org.cikqc.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cikqc.common.CikqcException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What became of one input: either an {@link SampleOutcome outcome} (a complete result folder) or a
 * {@link Failure} (an error record). Exactly one of the two is present.
 *
 * @param input   the input file as given
 * @param outcome the analysis outcome, or null when it failed
 * @param failure the failure, or null when the analysis succeeded
 */
public record SampleResult(Path input, SampleOutcome outcome, Failure failure) {

    /**
     * Why an input has no result.
     *
     * @param kind    the error category (decides the exit code)
     * @param message one line, naming the file
     * @param sha256  the input's SHA-256 when it could be read, else null
     * @param record  the {@code error.json} written for it, or null when even that could not be written
     * @param stopped true when the process was stopping (SIGTERM/SIGINT) as the analysis failed: the failure says
     *                nothing about the input, no error record is written and {@code watch} resumes the input on its
     *                next start instead of marking it FAILED
     */
    public record Failure(CikqcException.Kind kind, String message, String sha256, Path record, boolean stopped) {
        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        /** A failure of the input itself (not a stop). */
        public Failure(CikqcException.Kind kind, String message, String sha256, Path record) {
            this(kind, message, sha256, record, false);
        }
    }

    public SampleResult {
        Objects.requireNonNull(input, "input");
        if ((outcome == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of outcome and failure is required");
        }
    }

    /** A successful result. */
    public static SampleResult of(Path input, SampleOutcome outcome) {
        return new SampleResult(input, Objects.requireNonNull(outcome, "outcome"), null);
    }

    /** A failed result. */
    public static SampleResult failed(Path input, Failure failure) {
        return new SampleResult(input, null, Objects.requireNonNull(failure, "failure"));
    }

    /** True when a result folder was written. */
    public boolean ok() { return outcome != null; }

    /** The verdict (PASS, FAIL, INDETERMINATE), or "ERROR" for a failure, "STOPPED" for an analysis cut short by a stop. */
    public String verdict() { return ok() ? outcome.verdict() : failure.stopped() ? "STOPPED" : "ERROR"; }

    /** The sample (output folder) name: the result's, or the error record's folder, or the file name. */
    public String sample() {
        if (ok()) return outcome.sample();
        if (failure.record() != null && failure.record().getParent() != null) {
            return failure.record().getParent().getFileName().toString();
        }
        return String.valueOf(input.getFileName());
    }

    /** The reasons a reviewer must read: the result's {@code reasons}, or the failure message. */
    public List<String> reasons() {
        List<String> out = new ArrayList<>();
        if (!ok()) {
            out.add(failure.message());
            return out;
        }
        JsonNode rs = outcome.result() == null ? null : outcome.result().path("reasons");
        if (rs != null && rs.isArray()) {
            for (JsonNode r : rs) out.add(r.isTextual() ? r.asText() : r.toString());
        }
        return out;
    }

    /** One line for people: {@code sample: VERDICT (reason; reason)} or {@code sample: ERROR (message)}. */
    public String line() {
        List<String> rs = reasons();
        return sample() + ": " + verdict() + (rs.isEmpty() ? "" : " (" + String.join("; ", rs) + ")");
    }
}
