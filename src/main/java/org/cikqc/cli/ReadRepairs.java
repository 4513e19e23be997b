package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.cikqc.fcs.FcsDataSet;

/**
 * The one warning line {@code export} and {@code gate} print when a file was read only with repairs (its WARNING
 * and ERROR problems), so that values from a damaged file never go out silently; {@code inspect} lists them all.
 */
final class ReadRepairs {
    private ReadRepairs() { }

    /** Prints "cikqc: warning: FILE: N defect(s) repaired or noted while reading it; the first: …" when there are any. */
    static void warn(PrintWriter err, Path file, FcsDataSet ds) {
        List<Problem> defects = ds.problems().stream().filter(p -> p.severity() != Severity.INFO).toList();
        if (defects.isEmpty()) return;
        err.println("cikqc: warning: " + file + ": " + defects.size() + " defect(s) repaired or noted while reading it;"
                + " the first: " + defects.get(0).describe() + (defects.size() > 1 ? " (cikqc inspect lists them all)" : ""));
    }
}
