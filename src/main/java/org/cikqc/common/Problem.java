package org.cikqc.common;

import java.util.Objects;

/**
 * One defect found in an input, as data: a stable code, a severity, a human message and where it is
 * (a byte offset into the file and/or a keyword). {@code offset} is -1 when not applicable;
 * {@code keyword} is null when not applicable.
 */
public record Problem(String code, Severity severity, String message, long offset, String keyword) {

    public Problem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static Problem at(String code, Severity severity, long offset, String message) {
        return new Problem(code, severity, message, offset, null);
    }

    public static Problem keyword(String code, Severity severity, String keyword, String message) {
        return new Problem(code, severity, message, -1, keyword);
    }

    /** "message (at byte N, keyword K)" for one-line errors. */
    public String describe() {
        StringBuilder sb = new StringBuilder(message);
        if (offset >= 0 || keyword != null) {
            sb.append(" (");
            if (offset >= 0) sb.append("at byte ").append(offset);
            if (offset >= 0 && keyword != null) sb.append(", ");
            if (keyword != null) sb.append("keyword ").append(keyword);
            sb.append(')');
        }
        return sb.toString();
    }
}
