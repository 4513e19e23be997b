package org.cikqc.autogate;

import java.util.List;
import java.util.stream.Collectors;

/** What every fitter result has: its issues, and whether they flag it for review. */
public interface FitResult {

    /** Issues found while fitting, in the order they arose. */
    List<FitIssue> issues();

    /** True when any issue is a WARNING or ERROR: the QC must report INDETERMINATE rather than a verdict. */
    default boolean flagged() {
        return issues().stream().anyMatch(FitIssue::flags);
    }

    /** True when the fit produced no usable geometry (an ERROR issue). */
    default boolean failed() {
        return issues().stream().anyMatch(i -> i.severity() == org.cikqc.common.Severity.ERROR);
    }

    /** The messages of the flagging issues joined by "; ", or "" when not flagged. */
    default String reason() {
        return issues().stream().filter(FitIssue::flags).map(i -> i.code() + ": " + i.message())
                .collect(Collectors.joining("; "));
    }
}
