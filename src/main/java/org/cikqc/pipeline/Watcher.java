package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Durations;
import org.cikqc.common.Sha256;
import org.cikqc.report.FileCompleteness;
import org.cikqc.report.Ledger;
import org.cikqc.report.PdfDossier;
import org.cikqc.report.SummaryRow;

/**
 * A watch folder: analyses every new, complete FCS file under an input folder exactly once, until stopped.
 *
 * <h2>State ({@code OUT/.cikqc/})</h2>
 * <ul>
 * <li>{@code watch.lock} — {@link WatchLock}: one watcher per output folder;</li>
 * <li>{@code ledger.jsonl} — {@link Ledger}: the input's SHA-256 → STARTED / DONE / FAILED. An input is claimed
 * (STARTED) before its analysis and marked DONE (with its output folder) or FAILED (with the reason) after it.
 * Identical content under another name or path is not analysed again.</li>
 * </ul>
 * {@code OUT/summary.csv} (and {@code summary.pdf} with PDFs on) list every input the ledger holds as DONE or
 * FAILED, like a batch summary, rewritten atomically after the poll in which results arrived (and rebuilt on start
 * when missing).
 *
 * <h2>When is a file analysed</h2>
 * Each poll lists the input folder ({@link InputFiles#scan}: {@code *.fcs}/{@code *.lmd}, recursive, hidden
 * entries skipped). A file is a candidate once its size and modification time have not changed for the settle
 * time, and it is then analysed when its length is consistent with its own HEADER/TEXT
 * ({@link FileCompleteness#inspect}). A file that is not complete is looked at again on every poll (and
 * reported once per distinct reason) until it has been unchanged for the give-up time ({@link Settings#giveUp}):
 * it is then analysed as it is, so every input leaves a record (a truncated or corrupt file: FAILED with its
 * error, or a result with the reader's repairs). The watcher keeps only one small state per file present, so memory does not
 * grow with time. At most {@code threads} analyses run at once; inputs that could share an output folder name
 * never run at the same time.
 *
 * <h2>Crashes and stops</h2>
 * On start the watcher takes the lock, removes temporary files and staging folders a crash left in the output
 * folder ({@link AtomicFiles#removeStaleTemporaries}), and resumes the inputs the ledger left STARTED (their output
 * was never committed, or was committed just before the crash and is replaced by the identical re-analysis).
 * {@link #requestStop()} stops polling; analyses already running finish, queued ones are not started (they stay
 * STARTED and resume on the next start). Every output is written atomically, so an analysis abandoned by a kill
 * leaves no partial output.
 */
public final class Watcher {
    /** The folder inside the output folder holding the watcher's state. */
    public static final String STATE_DIR = ".cikqc";
    /** The ledger file name inside {@link #STATE_DIR}. */
    public static final String LEDGER = "ledger.jsonl";
    /** The lock file name inside {@link #STATE_DIR}. */
    public static final String LOCK = "watch.lock";

    /**
     * How to watch.
     *
     * @param inDir       the folder watched (recursively)
     * @param poll        time between polls
     * @param settle      how long size and modification time must be unchanged before a file is looked at (at least
     *                    one poll)
     * @param threads     analyses at once (at least 1)
     * @param retryFailed analyse again the inputs the ledger lists as FAILED (after their cause was fixed)
     * @param giveUp      a file unchanged this long that is still not consistent with its own HEADER/TEXT is
     *                    analysed anyway (and so recorded: a result, or FAILED with its error); zero: wait forever
     */
    public record Settings(Path inDir, Duration poll, Duration settle, int threads, boolean retryFailed,
                           Duration giveUp) {
        /** Default {@link #giveUp}: no acquisition leaves its file unchanged and incomplete this long. */
        public static final Duration DEFAULT_GIVE_UP = Duration.ofMinutes(10);

        public Settings {
            Objects.requireNonNull(inDir, "inDir");
            if (poll == null || poll.isNegative() || poll.isZero()) throw new IllegalArgumentException("poll must be positive");
            settle = settle == null || settle.compareTo(poll) < 0 ? poll : settle;
            if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            giveUp = giveUp == null ? DEFAULT_GIVE_UP : giveUp;
            if (giveUp.isNegative()) throw new IllegalArgumentException("giveUp must not be negative");
            if (!giveUp.isZero() && giveUp.compareTo(settle) < 0) giveUp = settle;
        }

        /** Settings with the default {@link #giveUp}. */
        public Settings(Path inDir, Duration poll, Duration settle, int threads, boolean retryFailed) {
            this(inDir, poll, settle, threads, retryFailed, DEFAULT_GIVE_UP);
        }
    }

    /** Events for the operator; called from the polling thread and from worker threads (be thread-safe). */
    public interface Listener {
        /** General information (start, resume, cleaning, stop). */
        default void info(String message) { }

        /** A file is not complete yet; called once per file and distinct reason. */
        default void waiting(Path file, String reason) { }

        /** A file is not analysed (already done, failed before). */
        default void skipped(Path file, String reason) { }

        /** An analysis starts. */
        default void started(Path file) { }

        /** An analysis finished (result or error record written). */
        default void finished(SampleResult result) { }

        /** Something went wrong outside any one analysis (the input folder vanished, the ledger failed). */
        default void problem(String message) { }
    }

    /** Counts of a watcher's run. */
    public record Stats(int analysed, int failed, int skipped, int resumed) { }

    private enum State { PENDING, IN_FLIGHT, FINISHED }

    /** What the watcher knows about one file present in the input folder. */
    private record Tracked(long size, FileTime mtime, Instant since, State state, String reason) {
        Tracked with(State s) { return new Tracked(size, mtime, since, s, reason); }

        Tracked withReason(String r) { return new Tracked(size, mtime, since, state, r); }

        boolean same(long sz, FileTime mt) { return size == sz && mtime.equals(mt); }
    }

    private final Settings settings;
    private final SampleProcessor processor;
    private final Listener listener;
    private final Clock clock;
    private final Path outRoot;
    private final Path inDir;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final BlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<Path, Tracked> tracked = new ConcurrentHashMap<>();
    /** Folders the scan had to skip (symbolic-link loops, unreadable folders), each reported once. */
    private final Set<String> skipWarnings = ConcurrentHashMap.newKeySet();
    private final Set<String> inFlightShas = new HashSet<>();
    private final Set<String> inFlightKeys = new HashSet<>();
    private final AtomicInteger analysed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger resumed = new AtomicInteger();
    /** Set when an input was recorded DONE or FAILED since the summary was last written. */
    private final AtomicBoolean summaryStale = new AtomicBoolean();
    private Ledger ledger;
    private ExecutorService pool;

    /**
     * @param settings  what to watch and how
     * @param processor the per-file processing; its output folder is the watcher's output folder
     * @param listener  operator events (null for none)
     */
    public Watcher(Settings settings, SampleProcessor processor, Listener listener) {
        this(settings, processor, listener, Clock.systemUTC());
    }

    /** A watcher with an injected clock (tests). */
    public Watcher(Settings settings, SampleProcessor processor, Listener listener, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.listener = listener == null ? new Listener() { } : listener;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outRoot = processor.outRoot();
        this.inDir = settings.inDir().toAbsolutePath().normalize();
    }

    /** The ledger file of an output folder. */
    public static Path ledgerFile(Path outRoot) { return outRoot.resolve(STATE_DIR).resolve(LEDGER); }

    /** The lock file of an output folder. */
    public static Path lockFile(Path outRoot) { return outRoot.resolve(STATE_DIR).resolve(LOCK); }

    /** Asks the watcher to stop (safe from any thread, e.g. a shutdown hook); {@link #run} then returns. */
    public void requestStop() {
        stop.set(true);
        wake.offer(Boolean.TRUE);
    }

    /**
     * Watches until {@link #requestStop()} and returns when the analyses that were running have finished.
     *
     * @param lockHolder who holds the lock (written into the lock file for people)
     * @throws CikqcException (INVALID_INPUT) when the input folder does not exist; (OUTPUT_IO) when another
     *                        watcher holds the output folder or the state cannot be written
     */
    @SuppressWarnings("try") // the lock is held for the body of the try, never referenced
    public Stats run(String lockHolder) {
        try {
            if (!Files.isDirectory(inDir)) throw CikqcException.input(inDir + ": the watched folder does not exist");
            try (WatchLock lock = WatchLock.acquire(lockFile(outRoot), lockHolder)) {
                start();
                loop();
                finish();
            }
            return new Stats(analysed.get(), failed.get(), skipped.get(), resumed.get());
        } finally {
            if (pool != null) pool.shutdownNow();
        }
    }

    private void start() {
        List<Path> removed = new ArrayList<>(AtomicFiles.removeStaleTemporaries(outRoot));
        removed.addAll(AtomicFiles.removeStaleTemporaries(outRoot.resolve(STATE_DIR)));
        if (!removed.isEmpty()) {
            listener.info("removed " + removed.size() + " temporary file(s)/folder(s) left by an interrupted run");
        }
        ledger = Ledger.open(ledgerFile(outRoot));
        // a summary lost with a crash (or never written by an older version) is rebuilt from the ledger
        if (!Files.exists(outRoot.resolve(BatchSummary.CSV))) summaryStale.set(true);
        if (settings.retryFailed()) {
            int n = 0;
            for (Ledger.Record r : ledger.snapshot().values()) {
                if (r.status() == Ledger.Status.FAILED) {
                    ledger.retry(r.sha256(), r.file());
                    n++;
                }
            }
            if (n > 0) listener.info(n + " failed input(s) will be analysed again (--retry-failed)");
        }
        pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "cikqc-watch-worker");
            t.setDaemon(true); // a stop never waits for a queued analysis; a running one is waited for in finish()
            return t;
        });
        Deque<Ledger.Record> resume = new ArrayDeque<>(ledger.incomplete());
        if (!resume.isEmpty()) listener.info("resuming " + resume.size() + " input(s) left unfinished by an earlier run");
        resumeIncomplete(resume);
        listener.info("watching " + inDir + " every " + Durations.brief(settings.poll()) + "; output " + outRoot);
    }

    /** Re-submits inputs left STARTED whose file is still there with the same content (even outside the folder). */
    private void resumeIncomplete(Deque<Ledger.Record> resume) {
        for (Ledger.Record r : resume) {
            Path f = Path.of(r.file()).toAbsolutePath().normalize();
            BasicFileAttributes a = attributes(f);
            String sha = a == null ? null : Sha256.hexOrNull(f);
            if (!r.sha256().equals(sha)) {
                listener.info("cannot resume " + f + ": the file is gone or changed; identical content is analysed when "
                        + "it appears in the watched folder");
                continue;
            }
            Set<String> keys = OutputNames.keys(f);
            synchronized (this) {
                if (inFlightShas.contains(sha) || !Collections.disjoint(keys, inFlightKeys)) continue; // the scan retries
            }
            Ledger.Claim c = ledger.claim(sha, f.toString());
            if (c == Ledger.Claim.NEW || c == Ledger.Claim.RESUMED) {
                tracked.put(f, new Tracked(a.size(), a.lastModifiedTime(), clock.instant(), State.IN_FLIGHT, null));
                resumed.incrementAndGet();
                submit(f, sha, keys, a.size(), a.lastModifiedTime());
            }
        }
    }

    private void loop() {
        while (!stop.get()) {
            try {
                scan();
            } catch (CikqcException e) {
                listener.problem(ErrorRecord.oneLine(e.getMessage()));
            }
            refreshSummary();
            try {
                wake.poll(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                wake.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
            }
        }
    }

    private void finish() {
        pool.shutdown(); // queued tasks see the stop flag and return without analysing
        try {
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                listener.info("waiting for running analyses to finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.info("stopped without waiting; unfinished inputs are resumed on the next start");
        }
        refreshSummary();
        listener.info("stopped: " + analysed.get() + " analysed, " + failed.get() + " failed, " + skipped.get()
                + " skipped");
    }

    /** One poll: look at every file of the input folder once. */
    void scan() {
        if (!Files.isDirectory(inDir)) {
            listener.problem(inDir + ": the watched folder is not there; retrying every " + Durations.brief(settings.poll()));
            return;
        }
        List<Path> files = InputFiles.scan(inDir, outRoot, skipped -> {
            if (skipWarnings.add(skipped)) listener.problem(skipped); // once per watch, not at every poll
        });
        Set<Path> present = new HashSet<>(files);
        tracked.entrySet().removeIf(e -> !present.contains(e.getKey()) && e.getValue().state() != State.IN_FLIGHT);
        Instant now = clock.instant();
        for (Path f : files) {
            if (stop.get()) return;
            BasicFileAttributes a = attributes(f);
            if (a == null) continue;
            Tracked t = tracked.get(f);
            if (t == null || !t.same(a.size(), a.lastModifiedTime())) {
                if (t == null || t.state() != State.IN_FLIGHT) {
                    tracked.put(f, new Tracked(a.size(), a.lastModifiedTime(), now, State.PENDING, null));
                }
                continue;
            }
            if (t.state() != State.PENDING) continue;
            if (Duration.between(t.since(), now).compareTo(settings.settle()) < 0) continue;
            synchronized (this) {
                if (inFlightShas.size() >= settings.threads()) continue; // bounded: the rest wait for a free worker
            }
            consider(f, t, a);
        }
    }

    private void consider(Path f, Tracked t, BasicFileAttributes a) {
        FileCompleteness.Inspection ins = FileCompleteness.inspect(f);
        if (!ins.consistent()) {
            Duration unchanged = Duration.between(t.since(), clock.instant());
            if (settings.giveUp().isZero() || unchanged.compareTo(settings.giveUp()) < 0) {
                if (!ins.reason().equals(t.reason())) {
                    tracked.put(f, t.withReason(ins.reason()));
                    listener.waiting(f, ins.reason());
                }
                return;
            }
            // unchanged for the give-up time: nothing is still writing it; analyse it as 'analyze' would, so it
            // leaves a record (a result with the reader's repairs, or FAILED with its error) instead of none
            listener.info(f + " is still incomplete after " + settings.giveUp().toSeconds() + " s unchanged ("
                    + ins.reason() + "): analysing it as it is");
        }
        String sha = Sha256.hexOrNull(f); // null: unreadable right now, looked at again on the next poll
        BasicFileAttributes again = attributes(f);
        if (sha == null || again == null || !t.same(again.size(), again.lastModifiedTime())) return; // changed: next poll
        Set<String> keys = OutputNames.keys(f);
        synchronized (this) {
            // identical content, or a sample that could take the same folder name, is running: next poll
            if (inFlightShas.contains(sha) || !Collections.disjoint(keys, inFlightKeys)) return;
        }
        Ledger.Claim c = ledger.claim(sha, f.toString());
        switch (c) {
            case ALREADY_DONE -> {
                tracked.put(f, t.with(State.FINISHED));
                skipped.incrementAndGet();
                String out = ledger.status(sha).map(Ledger.Record::output).orElse("?");
                listener.skipped(f, "already analysed (SHA-256 " + sha.substring(0, 12) + "…, output " + out + ")");
            }
            case ALREADY_FAILED -> {
                tracked.put(f, t.with(State.FINISHED));
                skipped.incrementAndGet();
                String why = ledger.status(sha).map(Ledger.Record::output).orElse("?");
                listener.skipped(f, "failed before (" + why + "); restart with --retry-failed after fixing the cause");
            }
            case NEW, RESUMED -> {
                tracked.put(f, t.with(State.IN_FLIGHT));
                submit(f, sha, keys, a.size(), a.lastModifiedTime());
            }
        }
    }

    private void submit(Path f, String sha, Set<String> keys, long size, FileTime mtime) {
        synchronized (this) {
            inFlightShas.add(sha);
            inFlightKeys.addAll(keys);
        }
        pool.execute(() -> {
            boolean ran = false;
            try {
                if (stop.get()) return; // not started: stays STARTED in the ledger and resumes on the next start
                ran = true;
                listener.started(f);
                SampleResult r = processor.process(f);
                record(f, sha, r);
                summaryStale.set(true);
                listener.finished(r);
            } catch (RuntimeException e) {
                listener.problem(f + ": " + ErrorRecord.oneLine(String.valueOf(e.getMessage()))
                        + " (the input stays STARTED in the ledger and is resumed on the next start)");
            } finally {
                synchronized (this) {
                    inFlightShas.remove(sha);
                    inFlightKeys.removeAll(keys);
                }
                if (ran) {
                    tracked.computeIfPresent(f, (p, t) -> t.same(size, mtime) ? t.with(State.FINISHED) : t);
                }
                wake.offer(Boolean.TRUE);
            }
        });
    }

    private void record(Path f, String sha, SampleResult r) {
        String file = f.toString();
        if (r.ok()) {
            String analysedSha = r.outcome().result() == null ? null
                    : r.outcome().result().path("sample").path("sha256").asText(null);
            if (analysedSha != null && !analysedSha.equals(sha)) {
                ledger.failed(sha, file, "the file changed while it was analysed; its new content (SHA-256 "
                        + analysedSha + ") is in " + r.outcome().directory());
                failed.incrementAndGet();
                return;
            }
            ledger.done(sha, file, r.outcome().directory().toString());
            analysed.incrementAndGet();
        } else if (r.failure().stopped()) {
            // not a verdict on the input: it stays STARTED and is resumed on the next start
            listener.info(f.getFileName() + ": stopped before its result was committed; it stays STARTED in the ledger"
                + " and is resumed on the next start");
        } else {
            ledger.failed(sha, file, r.failure().kind() + ": " + r.failure().message());
            failed.incrementAndGet();
        }
    }

    /**
     * Rewrites {@code summary.csv} (and {@code summary.pdf} when PDFs are on) when an input finished since the last
     * time: one row per input the ledger lists as DONE (its {@code result.json}) or FAILED (verdict ERROR and the
     * reason), sorted by input path. Called between polls, so a burst of results costs one rewrite.
     */
    private void refreshSummary() {
        if (!summaryStale.getAndSet(false)) return;
        List<Ledger.Record> records = new ArrayList<>();
        for (Ledger.Record r : ledger.snapshot().values()) if (r.status() != Ledger.Status.STARTED) records.add(r);
        if (records.isEmpty()) return;
        records.sort(Comparator.comparing(Ledger.Record::file).thenComparing(Ledger.Record::sha256));
        List<SummaryRow> rows = new ArrayList<>(records.size());
        for (Ledger.Record r : records) {
            String name = String.valueOf(Path.of(r.file()).getFileName());
            if (r.status() == Ledger.Status.FAILED) {
                // the ledger keeps the failure's message, not its error record's folder
                rows.add(new SummaryRow(BatchSummary.errorRow(name, r.sha256(), "ERROR", r.output()), null));
                continue;
            }
            Path folder = Path.of(r.output());
            Path result = folder.resolve("result.json");
            String folderName = String.valueOf(folder.getFileName());
            try {
                // parsed as batch parses results (decimals kept as written: "93.1300"), so the summaries agree
                rows.add(new SummaryRow(org.cikqc.qc.ResultJson.read(result), folderName));
            } catch (RuntimeException e) {
                rows.add(new SummaryRow(BatchSummary.errorRow(name, r.sha256(), "ERROR", result + " is unreadable: "
                        + ErrorRecord.oneLine(String.valueOf(e.getMessage()))), folderName));
            }
        }
        try {
            BatchSummary.writeRows(outRoot, rows, processor.output().pdf(),
                    PdfDossier.Options.at(processor.output().generatedAt()));
        } catch (CikqcException e) {
            summaryStale.set(true); // tried again after the next poll
            listener.problem("summary: " + ErrorRecord.oneLine(e.getMessage()));
        }
    }

    private static BasicFileAttributes attributes(Path f) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return a.isRegularFile() ? a : null;
        } catch (IOException e) {
            return null; // vanished or unreadable right now: looked at again on the next poll
        }
    }
}
