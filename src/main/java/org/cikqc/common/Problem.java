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
        message = bounded(message, MAX_MESSAGE);
        keyword = keyword == null ? null : bounded(keyword, MAX_KEYWORD);
    }

    /** Longest message kept whole; a longer one (a 5 MB channel name quoted from a damaged file) is shortened. */
    public static final int MAX_MESSAGE = 1_000;
    /** Longest error line kept whole (a message with the file and what it quotes). */
    public static final int MAX_ERROR_LINE = 2 * MAX_MESSAGE;
    private static final int MAX_KEYWORD = 200;

    /**
     * {@code s} itself when it has at most {@code max} characters, else its start and its end (where a message's
     * location usually is) around "[… N characters left out …]", at most {@code max} + 40 characters in all.
     */
    public static String bounded(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int head = max * 2 / 3;
        int tail = max - head;
        if (Character.isHighSurrogate(s.charAt(head - 1))) head--;
        if (Character.isLowSurrogate(s.charAt(s.length() - tail))) tail--;
        return s.substring(0, head) + "[… " + (s.length() - head - tail) + " characters left out …]"
                + s.substring(s.length() - tail);
    }

    public static Problem at(String code, Severity severity, long offset, String message) {
        return new Problem(code, severity, message, offset, null);
    }

    public static Problem keyword(String code, Severity severity, String keyword, String message) {
        return new Problem(code, severity, message, -1, keyword);
    }

    /**
     * "message (at byte N, keyword K)" for one-line errors. Control characters (line breaks, a form-feed TEXT
     * delimiter quoted from a damaged file, ...) are shown as backslash escapes, so the description stays one line.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(oneLine(message));
        if (offset >= 0 || keyword != null) {
            sb.append(" (");
            if (offset >= 0) sb.append("at byte ").append(offset);
            if (offset >= 0 && keyword != null) sb.append(", ");
            if (keyword != null) sb.append("keyword ").append(oneLine(keyword));
            sb.append(')');
        }
        return sb.toString();
    }

    /** {@code s} bounded to {@value #MAX_ERROR_LINE} characters ({@link #bounded}) on one line ({@link #oneLine}). */
    public static String errorLine(String s) {
        return oneLine(bounded(s, MAX_ERROR_LINE));
    }

    /** {@code s} with every control character (C0, DEL, C1, U+2028, U+2029) written as a backslash escape. */
    public static String oneLine(String s) {
        if (s == null) return null;
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control && b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            if (b == null) continue;
            if (!control) b.append(c);
            else if (c <= 0xff) b.append(String.format("\\x%02x", (int) c));
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b == null ? s : b.toString();
    }
}
