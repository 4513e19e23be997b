package org.cikqc.report;

import java.nio.file.Path;

/**
 * The outcome of {@link AuditLog#verify}: whether the chain is intact, how many entries were verified, the head
 * (hash of the last verified line) and, when not intact, the first broken entry.
 *
 * @param log        the file checked
 * @param status     the overall outcome
 * @param entries    entries verified from the start of the chain (all of them when intact)
 * @param headHash   SHA-256 of the last verified line (64 zeros when none), usable as an anchor
 * @param firstBreak the first problem, or null when intact
 */
public record AuditVerification(Path log, Status status, long entries, String headHash, Break firstBreak) {

    /** Overall outcome. */
    public enum Status {
        /** Every line verified; every anchor found. */
        INTACT,
        /** Every complete line verified, but the file ends in an incomplete line (an interrupted append). */
        TORN_TAIL,
        /** A line is edited, missing, inserted or out of order, or an anchor is missing: evidence of tampering
         * or corruption. */
        BROKEN,
        /** No line of the file is a {@value AuditLog#SCHEMA} entry: the wrong file was given. */
        NOT_AN_AUDIT_LOG
    }

    /**
     * Where the chain breaks.
     *
     * @param line   1-based line number
     * @param seq    the seq the line claims, or -1 when unreadable
     * @param reason why it breaks
     */
    public record Break(long line, long seq, String reason) { }

    /** True when the status is {@link Status#INTACT}. */
    public boolean intact() { return status == Status.INTACT; }

    /** One line for people: "intact: 12 entries, head …" or "line 5 (seq 5): …". */
    public String describe() {
        if (firstBreak == null) return "intact: " + entries + " entries, head " + headHash;
        String where = "line " + firstBreak.line() + (firstBreak.seq() >= 0 ? " (seq " + firstBreak.seq() + ")" : "");
        return switch (status) {
            case TORN_TAIL -> "torn tail at " + where + ": " + firstBreak.reason();
            case NOT_AN_AUDIT_LOG -> "not a cikqc audit log: " + where + ": " + firstBreak.reason();
            default -> "broken at " + where + ": " + firstBreak.reason()
                    + (entries > 0 ? "; entries 1.." + entries + " verified" : "; no entry verified");
        };
    }
}
