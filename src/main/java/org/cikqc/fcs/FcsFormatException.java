package org.cikqc.fcs;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;

/** An FCS file that cannot be read (or, in STRICT mode, has a defect). Exit code 3. */
public final class FcsFormatException extends CikqcException {
    private static final long serialVersionUID = 1L;

    public FcsFormatException(Problem problem) {
        super(Kind.INVALID_INPUT, problem.describe(), problem, null);
    }

    public FcsFormatException(Problem problem, Throwable cause) {
        super(Kind.INVALID_INPUT, problem.describe(), problem, cause);
    }

    /** The same error with the file named at the start of the message ("FILE: defect (at byte N)"). */
    public FcsFormatException(java.nio.file.Path file, Problem problem, Throwable cause) {
        super(Kind.INVALID_INPUT, file + ": " + problem.describe(), problem, cause);
    }
}
