package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.cikqc.report.AuditLog;
import org.cikqc.report.AuditVerification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cikqc audit}: commands on the hash-chained audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check the hash-chained audit trail (cikqc.audit/1).",
        subcommands = {AuditCommand.Verify.class})
public final class AuditCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a sub-command is required (verify)");
    }

    /**
     * {@code cikqc audit verify LOG}: exit 0 when the chain is intact, 6 when it is broken (first broken entry
     * printed), 7 when only the last line is incomplete (an interrupted append), 3 when the file cannot be read or
     * is not an audit log.
     */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify an audit log: every entry's own hash, the chain of prev hashes, consecutive seq "
                    + "numbers, and optional anchors. Prints the head: the SHA-256 of the last verified line (its "
                    + "bytes without the line end; the next entry's prev), the value to keep elsewhere (e.g. in the "
                    + "LIMS) and pass later as --anchor."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:the chain is intact (and every anchor was found)",
                "3:the file cannot be read or is not a cikqc audit log",
                "6:the chain is broken: an entry was edited, deleted, inserted or reordered, or no line has an "
                        + "--anchor's SHA-256 (newest entries deleted, or the log rewritten)",
                "7:only the last line is incomplete (an interrupted append); earlier entries are intact"})
    static final class Verify implements Callable<Integer> {
        /** Exit code for a broken chain (same code as verify's "difference"). */
        static final int EXIT_BROKEN = 6;
        /** Exit code for an incomplete last line only. */
        static final int EXIT_TORN = 7;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOG", description = "The audit log (JSON lines).")
        Path log;

        @Option(names = "--anchor", paramLabel = "SHA256",
                description = "SHA-256 of a whole line of the log, as printed by an earlier 'audit verify' (head) "
                        + "or found in the next entry's prev; not an entry's hash field. Some line must have it "
                        + "(repeatable). Detects a truncated or rewritten log.")
        List<String> anchors = new ArrayList<>();

        @Option(names = "--json", description = "Print the outcome as one JSON object: log, status (INTACT, TORN_TAIL, "
                + "BROKEN), entries, head and, when not intact, first_break {line, seq, reason}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (String a : anchors) {
                if (!Sha256.isHex(a.strip().toLowerCase(java.util.Locale.ROOT))) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--anchor must be 64 hex digits, got '" + a + "'");
                }
            }
            AuditVerification v = AuditLog.verify(log, anchors);
            if (v.status() == AuditVerification.Status.NOT_AN_AUDIT_LOG) {
                throw CikqcException.input(log + ": " + v.describe());
            }
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("log", log.toString());
                o.put("status", v.status().name());
                o.put("entries", v.entries());
                o.put("head", v.headHash());
                if (v.firstBreak() != null) {
                    ObjectNode b = o.putObject("first_break");
                    b.put("line", v.firstBreak().line());
                    if (v.firstBreak().seq() >= 0) b.put("seq", v.firstBreak().seq());
                    else b.putNull("seq");
                    b.put("reason", v.firstBreak().reason());
                }
                out.println(o.toString());
            } else {
                String tag = switch (v.status()) {
                    case INTACT -> "OK";
                    case TORN_TAIL -> "TORN";
                    default -> "BROKEN";
                };
                out.println(tag + " " + log + ": " + v.describe());
            }
            out.flush();
            return switch (v.status()) {
                case INTACT -> 0;
                case TORN_TAIL -> EXIT_TORN;
                default -> EXIT_BROKEN;
            };
        }
    }
}
