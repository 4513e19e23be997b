package org.cikqc.cli;

import java.io.PrintWriter;
import java.util.List;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Problem;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point. Exit codes: 0 done, 1 internal error, 2 usage, 3 invalid input file, 4 invalid configuration/spec,
 * 5 output I/O error (commands may define more, e.g. verify's 6 and batch --strict-exit's 10; {@code audit verify}:
 * 6 broken chain, 7 incomplete last line only).
 */
@Command(name = "cikqc", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        description = "FCS reader, Gating-ML engine and automated CIK release QC.",
        subcommands = {
                InspectCommand.class,
                ValidateCommand.class,
                ExportCommand.class,
                SpecCommand.class,
                GateCommand.class,
                AgreementCommand.class,
                AuditCommand.class,
                SimulateCommand.class,
                AnalyzeCommand.class,
                BatchCommand.class,
                HookCommand.class,
                WatchCommand.class,
                VerifyCommand.class,
                DemoCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** PDFBox logs font fallbacks through java.util.logging; they are not for the user (kept strongly reachable). */
    private static final java.util.logging.Logger PDFBOX_LOG = java.util.logging.Logger.getLogger("org.apache.pdfbox");

    public static void main(String[] args) {
        PDFBOX_LOG.setLevel(java.util.logging.Level.SEVERE);
        try {
            org.cikqc.common.AtomicFiles.removeUnfinishedOnExit(); // Ctrl-C or SIGTERM leaves no temporaries behind
        } catch (IllegalStateException stopping) {
            return; // stopped before it began: nothing was written, and the JVM ends with the signal's status
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(java.nio.file.Path.class, new Converters.NonEmptyPath());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, err));
        cl.setParameterExceptionHandler((ex, args1) -> {
            err.println(usageError(ex));
            err.flush();
            return 2;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError | Exception e) {
            code = handle(e, err); // picocli hands only Exceptions to the handler; these would end in a stack trace
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * A usage error as one line: picocli's message and where the command's help is. An unknown option or argument
     * is named first: picocli checks required options before it reports words it did not match, so
     * {@code analyze --bogus x} would otherwise be told only that {@code --out} is missing.
     */
    static String usageError(CommandLine.ParameterException ex) {
        CommandLine cl = ex.getCommandLine();
        String message = ex.getMessage();
        List<String> unmatched = cl.getUnmatchedArguments();
        if (ex instanceof CommandLine.MissingParameterException && !unmatched.isEmpty()) {
            boolean options = unmatched.stream().allMatch(a -> a.startsWith("-"));
            String words = unmatched.stream().limit(5).map(a -> "'" + a + "'")
                    .collect(java.util.stream.Collectors.joining(", "));
            message = (options ? "Unknown option" : "Unmatched argument") + (unmatched.size() > 1 ? "s: " : ": ") + words
                    + (unmatched.size() > 5 ? " and " + (unmatched.size() - 5) + " more" : "") + "; "
                    + Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        return "cikqc: " + Problem.oneLine(Problem.bounded(message, Problem.MAX_MESSAGE))
                + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')";
    }

    static int handle(Throwable ex, PrintWriter err) {
        if (ex instanceof CikqcException ce) {
            err.println("cikqc: " + Problem.errorLine(ce.getMessage()));
            err.flush();
            return ce.kind().exitCode();
        }
        if (ex instanceof OutOfMemoryError) {
            err.println("cikqc: out of memory (" + ex.getMessage() + "); this is a bug: memory should be bounded");
            err.flush();
            return 1;
        }
        err.println("cikqc: internal error: "
                + Problem.errorLine(String.valueOf(ex)));
        if (System.getenv("CIKQC_DEBUG") != null) ex.printStackTrace(err);
        err.flush();
        return 1;
    }
}
