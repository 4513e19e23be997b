package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import org.cikqc.pipeline.BatchRunner;
import org.cikqc.pipeline.SampleResult;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Batch progress on standard error: a progress bar on an interactive terminal ({@code System.console() != null}),
 * otherwise one plain line per finished input ({@code [3/12] tube3.fcs -> tube3: PASS (1.4 s)}), which suits log
 * files and CI. Thread-safe.
 */
final class BatchProgress implements BatchRunner.Listener, AutoCloseable {
    private final PrintWriter err;
    private final ProgressBar bar;
    private final int total;
    private final ConcurrentHashMap<Path, Long> startedAt = new ConcurrentHashMap<>();

    private BatchProgress(PrintWriter err, ProgressBar bar, int total) {
        this.err = err;
        this.bar = bar;
        this.total = total;
    }

    /** A progress bar when {@code interactive}, else plain lines on {@code err}. */
    static BatchProgress create(PrintWriter err, int total, boolean interactive, String task) {
        ProgressBar bar = null;
        if (interactive) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUnit(" samples", 1).build();
        }
        return new BatchProgress(err, bar, total);
    }

    @Override
    public void started(Path input) {
        startedAt.put(input, System.nanoTime());
    }

    @Override
    public void finished(SampleResult r, int done, int total) {
        Long t0 = startedAt.remove(r.input());
        double secs = t0 == null ? 0 : (System.nanoTime() - t0) / 1e9;
        if (bar != null) {
            synchronized (bar) {
                bar.step();
                bar.setExtraMessage(r.sample() + ": " + r.verdict());
            }
            return;
        }
        synchronized (err) {
            err.println(String.format(Locale.ROOT, "[%d/%d] %s -> %s: %s (%.1f s)", done, this.total,
                    r.input().getFileName(), r.sample(), r.verdict(), secs)
                    + (r.ok() ? "" : ": " + r.failure().message()));
            err.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
