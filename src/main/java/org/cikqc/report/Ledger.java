package org.cikqc.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The watcher's memory of which inputs it has processed, keyed by the input's SHA-256 (so a renamed or re-copied
 * identical file is not analysed twice, and a changed file with the same name is). Persisted as an append-only
 * JSON-lines file, one state change per line:
 * <pre>{"sha256":"…","file":"…","status":"STARTED|DONE|FAILED","output":"…","ts":"…Z"}</pre>
 * The latest line for a SHA-256 is its state. A restarted watcher {@link #incomplete() re-does} inputs left
 * STARTED (their partial outputs were never renamed into place, see {@link org.cikqc.common.AtomicFiles}).
 *
 * <p>Crash safety: every change is one line written at the end and forced to disk under a JVM lock and an OS
 * file lock (so a second process appending is safe). A crash can only leave an incomplete last line; it is
 * ignored on load and cut off by the next append (it was never acknowledged). Any other unreadable line means
 * the file was damaged and loading fails rather than guessing. The ledger is operational state, not the GMP
 * record: the {@link AuditLog} is.
 *
 * <p>Thread-safe. {@link #claim} re-reads the file under the lock, so of two processes claiming the same input
 * only one gets {@link Claim#NEW}. {@link Claim#RESUMED} means "STARTED earlier without an end", which is a
 * crashed run only when a single watcher uses the ledger: run one watcher per ledger (e.g. guarded by a lock
 * file), other processes may read it.
 */
public final class Ledger {
    /** State of one input. */
    public enum Status { STARTED, DONE, FAILED }

    /** What {@link #claim} decided. */
    public enum Claim {
        /** Never seen: STARTED was recorded; process it. */
        NEW,
        /** Left STARTED by an earlier run that did not finish: STARTED was recorded again; process it. */
        RESUMED,
        /** Already DONE: skip. */
        ALREADY_DONE,
        /** FAILED before: nothing recorded; skip, or call {@link #retry} after fixing the cause. */
        ALREADY_FAILED
    }

    /**
     * One state change.
     *
     * @param sha256 the input's SHA-256 (hex)
     * @param file   the input path as seen
     * @param status the new state
     * @param output the output directory (DONE), the failure reason (FAILED), or null
     * @param ts     UTC time of the change
     */
    public record Record(String sha256, String file, Status status, String output, String ts) { }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_LINE = 1 << 20;

    private final Path file;
    private final Clock clock;
    private final Map<String, Record> latest = new LinkedHashMap<>();

    /** Opens (loads) the ledger at {@code file}; it is created on the first change. */
    public Ledger(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        reload();
    }

    /** Opens the ledger with the system UTC clock. */
    public static Ledger open(Path file) {
        return new Ledger(file, Clock.systemUTC());
    }

    /** Re-reads the file (changes by other processes become visible). */
    public synchronized void reload() {
        try {
            if (!Files.exists(file)) {
                latest.clear();
                return;
            }
            load(Files.readAllBytes(file));
        } catch (IOException e) {
            throw CikqcException.inputFailed("cannot read ledger " + file, e);
        }
    }

    private void load(byte[] all) {
        latest.clear();
        int start = 0;
        int lineNo = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') continue;
            lineNo++;
            Record r = parse(all, start, i - start, lineNo);
            latest.remove(r.sha256()); // keep insertion order = order of the latest change
            latest.put(r.sha256(), r);
            start = i + 1;
        }
        // bytes after the last '\n' are an interrupted append: ignored here, cut off by the next append
    }

    private Record parse(byte[] b, int off, int len, int lineNo) {
        try {
            JsonNode n = AuditLog.JSON.readTree(b, off, len);
            String sha = n.path("sha256").asText(null);
            String st = n.path("status").asText(null);
            if (!Sha256.isHex(sha) || st == null) throw new IOException("missing sha256 or status");
            return new Record(sha, n.path("file").asText(null), Status.valueOf(st.toUpperCase(Locale.ROOT)),
                    n.path("output").isNull() ? null : n.path("output").asText(null), n.path("ts").asText(null));
        } catch (IOException | IllegalArgumentException e) {
            throw CikqcException.input("ledger " + file + " is damaged at line " + lineNo + " ("
                    + e.getMessage() + "); it was not written by an interrupted append, so it is not repaired "
                    + "automatically");
        }
    }

    /** The latest state of an input, if it was ever seen. */
    public synchronized Optional<Record> status(String sha256) {
        return Optional.ofNullable(latest.get(sha256));
    }

    /** True when the input's latest state is DONE. */
    public synchronized boolean isDone(String sha256) {
        Record r = latest.get(sha256);
        return r != null && r.status() == Status.DONE;
    }

    /** Inputs whose latest state is STARTED (a run ended without DONE or FAILED), in order: re-do these. */
    public synchronized List<Record> incomplete() {
        List<Record> out = new ArrayList<>();
        for (Record r : latest.values()) if (r.status() == Status.STARTED) out.add(r);
        return out;
    }

    /** The latest record of every input, in order of their latest change. */
    public synchronized Map<String, Record> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(latest));
    }

    /**
     * Decides, under the file lock and after re-reading the file, whether to process an input, and records
     * STARTED when it should.
     */
    public synchronized Claim claim(String sha256, String inputFile) {
        return write(sha256, inputFile, Status.STARTED, null, true);
    }

    /** Records STARTED unconditionally (an operator retry of a FAILED input). */
    public synchronized void retry(String sha256, String inputFile) {
        write(sha256, inputFile, Status.STARTED, null, false);
    }

    /** Records DONE with the output directory that was committed. */
    public synchronized void done(String sha256, String inputFile, String output) {
        write(sha256, inputFile, Status.DONE, output, false);
    }

    /** Records FAILED with a reason. */
    public synchronized void failed(String sha256, String inputFile, String reason) {
        write(sha256, inputFile, Status.FAILED, reason, false);
    }

    private Claim write(String sha256, String inputFile, Status status, String output, boolean claim) {
        if (!Sha256.isHex(sha256)) throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
        Objects.requireNonNull(inputFile, "inputFile");
        try {
            return LockedFile.withLock(file, ch -> {
                LockedFile.Tail tail = LockedFile.tail(ch, MAX_LINE);
                if (tail.torn() != null) LockedFile.truncate(ch, tail.completeEnd());
                Claim decision = Claim.NEW;
                if (claim) {
                    load(LockedFile.read(ch, 0, (int) Math.min(Integer.MAX_VALUE - 8, ch.size())));
                    Record prev = latest.get(sha256);
                    if (prev != null) {
                        switch (prev.status()) {
                            case DONE -> {
                                return Claim.ALREADY_DONE;
                            }
                            case FAILED -> {
                                return Claim.ALREADY_FAILED;
                            }
                            case STARTED -> decision = Claim.RESUMED;
                        }
                    }
                }
                Record r = new Record(sha256, inputFile, status, output,
                        TS.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
                ObjectNode o = AuditLog.JSON.createObjectNode();
                o.put("sha256", r.sha256());
                o.put("file", r.file());
                o.put("status", r.status().name());
                if (r.output() == null) o.putNull("output");
                else o.put("output", r.output());
                o.put("ts", r.ts());
                byte[] line = (AuditLog.JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.US_ASCII);
                LockedFile.appendDurably(ch, ch.size(), line);
                latest.remove(sha256);
                latest.put(sha256, r);
                return decision;
            });
        } catch (IOException e) {
            throw CikqcException.outputFailed("cannot write ledger " + file, e);
        }
    }

    /** The ledger file. */
    public Path file() { return file; }
}
