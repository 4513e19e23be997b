package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.cikqc.qc.QcSpec;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cikqc spec}: prints the embedded default acceptance spec or validates a spec file. An invalid spec exits
 * with 4 and a message naming the field ({@code "site.json: limits.attributes.cd3_pct.limit.value must be ... (got 180)"}).
 */
@Command(name = "spec", mixinStandardHelpOptions = true,
        description = {"Print the embedded default QC acceptance spec, or validate a spec file (" + QcSpec.SCHEMA + ").",
                "A valid file prints its id, version and the SHA-256 of its canonical form (the hash recorded in "
                        + "every result's provenance)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed, or the spec is valid", "2:usage error", "4:the spec is invalid or unreadable"})
public final class SpecCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    /** Exactly one of the two actions. */
    static final class Action {
        @Option(names = "--print-default", required = true,
                description = "Print the embedded default spec (stored in canonical form; its SHA-256 is the spec hash).")
        boolean printDefault;

        @Option(names = "--validate", paramLabel = "FILE", required = true,
                description = "Validate FILE: exit 0 and print its id, version and SHA-256 when valid, exit 4 when not.")
        Path validate;
    }

    @Override
    public Integer call() {
        PrintWriter out = commandSpec.commandLine().getOut();
        if (action.printDefault) {
            out.print(new String(QcSpec.defaultSpecBytes(), StandardCharsets.UTF_8));
            out.flush();
            return 0;
        }
        QcSpec spec = QcSpec.load(action.validate);
        out.println(action.validate + ": valid " + QcSpec.SCHEMA + " spec '" + spec.id() + "' version " + spec.version()
                + ", sha256 " + spec.sha256());
        out.flush();
        return 0;
    }
}
