package org.cikqc.gating;

import org.cikqc.common.CikqcException;

/**
 * An invalid gating strategy (unknown reference, cycle, bad geometry) or a strategy that does not fit a data set
 * (unknown channel). Kind {@link CikqcException.Kind#INVALID_INPUT}; {@link #subject()} names the gate, quadrant,
 * transformation or matrix the one-line message is about, so that a reader can point at its line.
 */
public final class GatingException extends CikqcException {
    private static final long serialVersionUID = 1L;

    private final String subject;

    private GatingException(String subject, String message) {
        super(Kind.INVALID_INPUT, message);
        this.subject = subject;
    }

    /** An error about the element with id {@code subject} (may be null). */
    public static GatingException of(String subject, String message) { return new GatingException(subject, message); }

    /** The id of the gate/quadrant/transformation/matrix concerned, or null. */
    public String subject() { return subject; }
}
