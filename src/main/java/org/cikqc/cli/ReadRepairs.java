package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsProblems;

/**
 * The one warning line {@code export} and {@code gate} print when a file was read only with repairs (its WARNING
 * and ERROR problems), so that values from a damaged file never go out silently; {@code inspect} lists them all.
 */
final class ReadRepairs {
    private ReadRepairs() { }

    /**
     * Prints "cikqc: warning: FILE: N defect(s) repaired or noted while reading it; the first: …" when there are any.
     * A truncation is named whenever there is one, since it is the defect that loses events.
     */
    static void warn(PrintWriter err, Path file, FcsDataSet ds) {
        List<Problem> defects = ds.problems().stream().filter(p -> p.severity() != Severity.INFO).toList();
        if (defects.isEmpty()) return;
        Problem shown = truncation(ds).orElse(defects.get(0));
        err.println("cikqc: warning: " + file + ": " + defects.size() + " defect(s) repaired or noted while reading it; "
                + (shown == defects.get(0) ? "the first: " : "among them: ") + shown.describe()
                + (defects.size() > 1 ? " (cikqc inspect lists them all)" : ""));
    }

    /** One warning line per defect the reader met in the DATA itself (e.g. NaN or infinite float values). */
    static void warnData(PrintWriter err, Path file, List<Problem> found) {
        for (Problem p : found) err.println("cikqc: warning: " + file + ": " + p.describe());
    }

    /**
     * Refuses (exit 3) a data set that declares events but has none in the file (DATA entirely beyond the file's
     * end), so that {@code export} and {@code gate} never write an empty table for a sample that has events.
     */
    static void requireEvents(Path file, FcsDataSet ds) {
        Optional<Problem> cut = truncation(ds);
        if (ds.events() == 0 && cut.isPresent()) {
            throw CikqcException.input(file + ": no event can be read: " + cut.get().describe());
        }
    }

    private static Optional<Problem> truncation(FcsDataSet ds) {
        return ds.problems().stream().filter(p -> FcsProblems.TRUNCATED_DATA.equals(p.code())).findFirst();
    }
}
