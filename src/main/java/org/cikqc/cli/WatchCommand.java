package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.cikqc.pipeline.AnalysisAudit;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.Analyzer;
import org.cikqc.pipeline.OutputOptions;
import org.cikqc.pipeline.SampleProcessor;
import org.cikqc.pipeline.SampleResult;
import org.cikqc.pipeline.Watcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc watch DIR --out DIR [--poll 2s] [--threads N]}: a long-running watch folder ({@link Watcher}). Stops
 * cleanly on SIGTERM/SIGINT: a shutdown hook asks the watcher to stop, waits up to {@code --grace} for the
 * analyses that are running, and ends the process with exit code 0 (a JVM ended by a signal would otherwise report
 * 128 + the signal number). An analysis still running after the grace period is abandoned: nothing partial is
 * left (outputs are staged), and it is resumed on the next start.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Watch a folder (recursively) and analyse every new FCS file once it is completely written, "
                + "exactly once per content (SHA-256), into OUT/<sample>/ with an audit entry in OUT/audit.jsonl. "
                + "OUT/summary.csv (and summary.pdf) list every finished input, rewritten after each poll with results.",
                "State in OUT/.cikqc/: ledger.jsonl (SHA-256 -> STARTED/DONE/FAILED) and watch.lock (one watcher per "
                        + "output folder). On start: removes temporaries left by a crash and resumes unfinished inputs. "
                        + "Stop with SIGTERM or Ctrl-C."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped by SIGTERM/SIGINT",
            "2:usage error",
            "3:the watched folder does not exist",
            "4:the spec is invalid",
            "5:another watcher holds the output folder, or the state cannot be written",
            "1:internal error"})
public final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The folder the instrument exports into.")
    Path in;

    @Option(names = "--out", converter = Converters.OutputFolder.class, required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--poll", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "2s",
            description = "Time between looks at the folder (default ${DEFAULT-VALUE}).")
    Duration poll;

    @Option(names = "--settle", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Size and time stamp must be unchanged this long before a file is looked at (default: --poll).")
    Duration settle;

    @Option(names = "--give-up", paramLabel = "DURATION", converter = DurationConverter.OrZero.class, defaultValue = "10m",
            description = "A file unchanged this long but still incomplete by its own HEADER/TEXT is analysed as it is "
                    + "(a corrupt or truncated file is then recorded FAILED); 0 waits forever (default ${DEFAULT-VALUE}).")
    Duration giveUp;

    @Option(names = "--threads", paramLabel = "N", converter = Converters.Positive.class, description = "Analyses at once (default ${DEFAULT-VALUE}).")
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    @Option(names = "--retry-failed", description = "Analyse again the inputs the ledger lists as FAILED.")
    boolean retryFailed;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "60s",
            description = "On SIGTERM, wait this long for running analyses (default ${DEFAULT-VALUE}).")
    Duration grace;

    @Mixin
    AnalysisArgs analysis;


    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        AnalysisOptions options = analysis.analysisOptions();
        OutputOptions output = analysis.outputOptions(Instant.now());
        AnalysisAudit audit = AnalysisAudit.at(out, Outcomes.actor(), options);
        SampleProcessor processor = new SampleProcessor(Analyzer.SAMPLE_RUNNER, options, output, out, audit, "watch");
        Watcher watcher = new Watcher(new Watcher.Settings(in, poll, settle, threads, retryFailed, giveUp), processor,
                new Log(stdout, stderr));

        AtomicInteger exit = new AtomicInteger(0);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> onSignal(watcher, finished, exit, stdout, stderr), "cikqc-watch-stop");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // stopped while starting: nothing is running or written yet, and a stopped watch ends with 0
            stderr.println("cikqc watch: stopped before it started watching");
            stderr.flush();
            org.cikqc.common.AtomicFiles.stopAndRemoveUnfinished();
            Runtime.getRuntime().halt(0);
        }
        org.cikqc.common.AtomicFiles.deferExitCleanup(); // running analyses get their grace time first (onSignal)
        try {
            watcher.run(holder());
            return 0;
        } catch (RuntimeException e) {
            exit.set(e instanceof org.cikqc.common.CikqcException ce ? ce.kind().exitCode() : 1);
            throw e;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is stopping (signal): the hook is running and ends the process
                stderr.flush();
            }
        }
    }

    /** The shutdown hook: stop, wait (bounded), end with the watcher's exit code. */
    private void onSignal(Watcher watcher, CountDownLatch finished, AtomicInteger exit, PrintWriter stdout,
            PrintWriter stderr) {
        synchronized (stderr) {
            stderr.println("cikqc watch: stop requested; finishing running analyses (up to " + grace.toSeconds() + " s)");
            stderr.flush();
        }
        watcher.requestStop();
        try {
            if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                synchronized (stderr) {
                    stderr.println("cikqc watch: analyses still running after " + grace.toSeconds()
                            + " s are abandoned (no partial output); they resume on the next start");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        org.cikqc.common.AtomicFiles.stopAndRemoveUnfinished(); // what the abandoned analyses were writing
        stdout.flush();
        stderr.flush();
        Runtime.getRuntime().halt(exit.get());
    }

    private static String holder() {
        ProcessHandle self = ProcessHandle.current();
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) host = System.getenv("COMPUTERNAME");
        return "pid " + self.pid() + " user " + Outcomes.actor() + (host == null ? "" : " host " + host) + " since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Operator output: sample lines on stdout, everything else on stderr. */
    private static final class Log implements Watcher.Listener {
        private final PrintWriter out;
        private final PrintWriter err;

        Log(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        private void e(String s) {
            synchronized (err) {
                err.println("cikqc watch: " + s);
                err.flush();
            }
        }

        @Override
        public void info(String message) { e(message); }

        @Override
        public void waiting(Path file, String reason) { e("waiting for " + file.getFileName() + ": " + reason); }

        @Override
        public void skipped(Path file, String reason) { e("skipping " + file.getFileName() + ": " + reason); }

        @Override
        public void started(Path file) { e("analysing " + file.getFileName()); }

        @Override
        public void finished(SampleResult r) {
            synchronized (out) {
                out.println(r.line());
                out.flush();
            }
        }

        @Override
        public void problem(String message) { e("problem: " + message); }
    }
}
