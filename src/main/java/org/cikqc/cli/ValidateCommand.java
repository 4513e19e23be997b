package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;
import org.cikqc.common.Severity;
import org.cikqc.fcs.EventBatch;
import org.cikqc.fcs.EventReader;
import org.cikqc.fcs.FcsDataSet;
import org.cikqc.fcs.FcsFile;
import org.cikqc.fcs.FcsReadOptions;
import org.cikqc.fcs.ValueKind;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc validate FILE...}: reads each file as STRICT would and lists every defect (not only the first).
 * Exit 0 when every file is clean, 3 otherwise. Informational notes (e.g. padding) are not defects.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check FCS files against the standard and list every defect.",
                "Exit 0 when all files are clean, 3 otherwise."})
public final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "FCS files")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean bad = false;
        for (Path f : files) {
            int defects = 0;
            try (FcsFile fcs = FcsFile.open(f, FcsReadOptions.LENIENT)) {
                for (FcsDataSet ds : fcs.dataSets()) {
                    // decode every event: the DATA must be readable too, and its values numbers
                    List<Problem> all;
                    try (EventReader r = fcs.events(ds.index(), ValueKind.RAW)) {
                        EventBatch b;
                        do {
                            b = r.next();
                        } while (b != null);
                        all = InspectCommand.problems(ds, r.problems());
                    }
                    for (Problem p : all) {
                        if (p.severity() == Severity.INFO) continue;
                        defects++;
                        out.printf("%s: data set %d: %s %s: %s%n", f, ds.index(), p.severity(), p.code(), p.describe());
                    }
                }
                if (defects == 0) out.printf("%s: OK (%d data set(s))%n", f, fcs.dataSets().size());
            } catch (CikqcException e) {
                defects++;
                Problem p = e.problem();
                out.printf("%s: ERROR %s: %s%n", f, p == null ? "INVALID_INPUT" : p.code(), p == null ? e.getMessage() : p.describe());
            }
            if (defects > 0) bad = true;
            out.flush();
        }
        return bad ? 3 : 0;
    }
}
