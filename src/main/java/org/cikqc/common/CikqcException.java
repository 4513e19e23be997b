package org.cikqc.common;

/**
 * The one unchecked root of every error cikqc reports to a user. The {@link Kind} decides the CLI exit code;
 * the message is a complete one-line description (the CLI prefixes the file name).
 */
public class CikqcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Error categories, each mapped to one exit code. */
    public enum Kind {
        USAGE(2), INVALID_INPUT(3), INVALID_SPEC(4), OUTPUT_IO(5), INTERNAL(1);

        private final int exitCode;

        Kind(int exitCode) { this.exitCode = exitCode; }

        public int exitCode() { return exitCode; }
    }

    private final Kind kind;
    private final transient Problem problem;

    public CikqcException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public CikqcException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    public CikqcException(Kind kind, Problem problem) {
        this(kind, problem.describe(), problem, null);
    }

    protected CikqcException(Kind kind, String message, Problem problem, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.problem = problem;
    }

    public Kind kind() { return kind; }

    /** The structured problem behind this error, or null. */
    public Problem problem() { return problem; }

    public static CikqcException input(String message) { return new CikqcException(Kind.INVALID_INPUT, message); }

    public static CikqcException spec(String message) { return new CikqcException(Kind.INVALID_SPEC, message); }

    public static CikqcException output(String message, Throwable cause) {
        return new CikqcException(Kind.OUTPUT_IO, message, cause);
    }

    /** OUTPUT_IO "{@code what}: {@link IoErrors#describe what the I/O error says}", e.g. "cannot write X: X: permission denied". */
    public static CikqcException outputFailed(String what, java.io.IOException e) {
        return new CikqcException(Kind.OUTPUT_IO, what + ": " + IoErrors.describeAfter(what, e), e);
    }

    /** INVALID_INPUT "{@code what}: {@link IoErrors#describe what the I/O error says}", e.g. "cannot read ledger X: …". */
    public static CikqcException inputFailed(String what, java.io.IOException e) {
        return new CikqcException(Kind.INVALID_INPUT, what + ": " + IoErrors.describeAfter(what, e), e);
    }
}
