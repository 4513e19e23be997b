package org.cikqc.common;

/** How serious a recorded {@link Problem} is. */
public enum Severity {
    /** Informational: the file is unusual but nothing was changed. */
    INFO,
    /** A defect that a named repair handled (LENIENT), or a non-fatal inconsistency. */
    WARNING,
    /** A defect that makes the data unusable or untrustworthy. */
    ERROR
}
