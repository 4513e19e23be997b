package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.cikqc.report.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's logic in-process with a fake analyzer; the crash test with the real one is in the cli tests. */
class WatcherTest {
    final List<String> waiting = new CopyOnWriteArrayList<>();
    final List<String> skipped = new CopyOnWriteArrayList<>();
    final List<SampleResult> finished = new CopyOnWriteArrayList<>();

    Watcher.Listener listener() {
        return new Watcher.Listener() {
            @Override
            public void waiting(Path file, String reason) { waiting.add(file.getFileName() + ": " + reason); }

            @Override
            public void skipped(Path file, String reason) { skipped.add(file.getFileName() + ": " + reason); }

            @Override
            public void finished(SampleResult result) { finished.add(result); }
        };
    }

    Watcher watcher(Path in, Path out, FakeAnalyzer fake) {
        return new Watcher(new Watcher.Settings(in, Duration.ofMillis(50), Duration.ofMillis(100), 2, false),
                BatchRunnerTest.processor(fake, out, "watch"), listener());
    }

    /** Runs {@code w} on its own thread until {@code done} holds, then stops it and returns its stats. */
    static Watcher.Stats runUntil(Watcher w, BooleanSupplier done, String what) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Watcher.Stats> run = ex.submit(() -> w.run("test"));
            await(done, what);
            w.requestStop();
            return run.get();
        } finally {
            ex.shutdownNow();
        }
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void analysesEachCompleteFileOnceAndWaitsForIncompleteOnes(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Files.createDirectories(in);
        Path a = Sims.write(src, "a.fcs", 1, 5000);
        Path b = Sims.write(src, "b.fcs", 2, 5000);
        Files.copy(a, in.resolve("a.fcs"));
        Files.copy(a, in.resolve("a_again.fcs")); // same content under another name
        byte[] all = Files.readAllBytes(b);
        Files.write(in.resolve("b.fcs"), java.util.Arrays.copyOf(all, all.length / 2)); // an export in progress
        Files.writeString(in.resolve("notes.txt"), "ignored");

        FakeAnalyzer fake = new FakeAnalyzer(0);
        Watcher w = watcher(in, out, fake);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Watcher.Stats> run = ex.submit(() -> w.run("test"));
            await(() -> finished.size() == 1 && skipped.size() == 1 && !waiting.isEmpty(), "a analysed, a_again skipped");
            assertTrue(waiting.get(0).startsWith("b.fcs: "), waiting.toString());
            assertEquals(1, fake.calls.get());

            // a second watcher on the same output refuses to start
            CikqcException busy = assertThrows(CikqcException.class, () -> watcher(in, out, new FakeAnalyzer(0)).run("second"));
            assertEquals(CikqcException.Kind.OUTPUT_IO, busy.kind());
            assertTrue(busy.getMessage().contains("another watcher"), busy.getMessage());

            Files.write(in.resolve("b.fcs"), all); // the export finishes
            await(() -> finished.size() == 2, "b analysed once complete");
            Thread.sleep(300); // several more polls: nothing is analysed twice
            w.requestStop();
            Watcher.Stats st = run.get();
            assertEquals(2, st.analysed());
            assertEquals(1, st.skipped());
        } finally {
            ex.shutdownNow();
        }
        assertEquals(2, fake.calls.get());
        Ledger ledger = Ledger.open(Watcher.ledgerFile(out));
        Map<String, Ledger.Record> snap = ledger.snapshot();
        assertEquals(2, snap.size());
        assertTrue(ledger.isDone(Sha256.hex(a)));
        assertTrue(ledger.isDone(Sha256.hex(b)));
        // the running summary: one row per analysed content, sorted by input path
        List<String> summary = Files.readAllLines(out.resolve(BatchSummary.CSV));
        assertEquals(3, summary.size(), summary.toString());
        assertTrue(summary.get(1).contains("a.fcs") && summary.get(2).contains("b.fcs"), summary.toString());
        assertTrue(summary.get(1).contains(Sha256.hex(a)), summary.get(1));

        // a restart analyses nothing again, and rebuilds a lost summary from the ledger
        Files.delete(out.resolve(BatchSummary.CSV));
        finished.clear();
        skipped.clear();
        FakeAnalyzer again = new FakeAnalyzer(0);
        Watcher w2 = watcher(in, out, again);
        runUntil(w2, () -> skipped.size() == 3, "three known files skipped");
        assertEquals(0, again.calls.get());
        assertEquals(summary, Files.readAllLines(out.resolve(BatchSummary.CSV)), "rebuilt identically");
    }

    @Test
    void resumesStartedInputsAndRemovesStaleTemporaries(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Path f = Sims.write(in, "r.fcs", 5, 5000);
        String sha = Sha256.hex(f);
        // what a kill -9 in the middle of an analysis leaves: a STARTED claim, a staging folder, a temp file
        Ledger.open(Watcher.ledgerFile(out)).claim(sha, f.toString());
        Files.createDirectories(out.resolve(".r.0123456789ab.staging/plots"));
        Files.writeString(out.resolve(".r.0123456789ab.staging/result.json"), "{partial");
        Files.writeString(out.resolve(".summary.csv.abcdef.tmp"), "partial");

        FakeAnalyzer fake = new FakeAnalyzer(0);
        Watcher w = watcher(in, out, fake);
        assertEquals(1, runUntil(w, () -> finished.size() == 1, "the STARTED input resumed").resumed());
        assertEquals(1, fake.calls.get(), "resumed once, not again by the scan");
        assertTrue(Ledger.open(Watcher.ledgerFile(out)).isDone(sha));
        try (Stream<Path> s = Files.list(out)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of(".cikqc", "audit.jsonl", "r", "summary.csv"), names);
        }
        assertFalse(Files.exists(out.resolve(".r.0123456789ab.staging")));
    }

    @Test
    void aFileThatStaysIncompleteIsAnalysedAsItIsAfterTheGiveUpTime(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        Path bad = in.resolve("bad.fcs");
        Files.writeString(bad, "FCS3.0  12"); // 10 bytes: never complete by its own HEADER
        FakeAnalyzer fake = new FakeAnalyzer(0);
        Watcher w = new Watcher(new Watcher.Settings(in, Duration.ofMillis(50), Duration.ofMillis(100), 1, false,
                Duration.ofMillis(600)), BatchRunnerTest.processor(fake, out, "watch"), listener());
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Watcher.Stats> run = ex.submit(() -> w.run("test"));
            await(() -> !waiting.isEmpty(), "bad.fcs reported as incomplete");
            assertEquals(0, fake.calls.get(), "not analysed while it might still be written");
            await(() -> finished.size() == 1, "analysed after the give-up time");
            w.requestStop();
            assertEquals(1, run.get().failed());
        } finally {
            ex.shutdownNow();
        }
        Ledger.Record r = Ledger.open(Watcher.ledgerFile(out)).status(Sha256.hex(bad)).orElseThrow();
        assertEquals(Ledger.Status.FAILED, r.status());
        assertTrue(r.output().startsWith("INVALID_INPUT: "), r.output());
        assertTrue(Files.isRegularFile(out.resolve("bad/error.json")));
        assertTrue(Files.readString(out.resolve(BatchSummary.CSV)).contains("bad.fcs"), "a summary row");
        assertThrows(IllegalArgumentException.class, () -> new Watcher.Settings(in, Duration.ofMillis(50), null, 1,
                false, Duration.ofMillis(-1)));
    }

    @Test
    void failedInputsAreRecordedAndNotRetriedUnlessAsked(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Path f = Sims.write(in, "p_spec.fcs", 6, 5000); // the fake maps this panel to INVALID_SPEC
        FakeAnalyzer fake = new FakeAnalyzer(0);
        Watcher w = watcher(in, out, fake);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Watcher.Stats> run = ex.submit(() -> w.run("test"));
            await(() -> finished.size() == 1, "the failure recorded");
            Thread.sleep(300);
            w.requestStop();
            assertEquals(1, run.get().failed());
        } finally {
            ex.shutdownNow();
        }
        assertEquals(1, fake.calls.get());
        assertTrue(Files.isRegularFile(out.resolve("p_spec/error.json")));
        Ledger.Record r = Ledger.open(Watcher.ledgerFile(out)).status(Sha256.hex(f)).orElseThrow();
        assertEquals(Ledger.Status.FAILED, r.status());
        assertTrue(r.output().startsWith("INVALID_SPEC: "), r.output());
        String summary = Files.readString(out.resolve(BatchSummary.CSV));
        assertTrue(summary.contains("p_spec.fcs") && summary.contains("ERROR") && summary.contains("INVALID_SPEC: "), summary);

        finished.clear();
        Watcher retry = new Watcher(new Watcher.Settings(in, Duration.ofMillis(50), Duration.ofMillis(100), 1, true),
                BatchRunnerTest.processor(fake, out, "watch"), listener());
        runUntil(retry, () -> finished.size() == 1, "retried with --retry-failed");
        assertEquals(2, fake.calls.get());
    }

    @Test
    void aMissingInputFolderIsInvalidInput(@TempDir Path tmp) {
        CikqcException e = assertThrows(CikqcException.class,
                () -> watcher(tmp.resolve("nope"), tmp.resolve("out"), new FakeAnalyzer(0)).run("t"));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
    }

    @Test
    void anInputWhoseAnalysisAStopCutShortStaysStartedAndIsResumed(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Path f = Sims.write(in, "r01.fcs", 1, 5000);
        Watcher cut = new Watcher(new Watcher.Settings(in, Duration.ofMillis(50), Duration.ofMillis(100), 1, false),
                BatchRunnerTest.processor(BatchRunnerTest.CUT_BY_STOP, out, "watch").stoppingWhen(() -> true), listener());
        assertEquals(0, runUntil(cut, () -> finished.size() == 1, "the stopped analysis").failed(),
                "a stop is not a failure of the input");
        assertEquals("STOPPED", finished.get(0).verdict());
        assertEquals(Ledger.Status.STARTED, Ledger.open(Watcher.ledgerFile(out)).status(Sha256.hex(f)).orElseThrow().status());
        assertFalse(Files.exists(out.resolve("r01")));

        finished.clear();
        FakeAnalyzer fake = new FakeAnalyzer(0);
        Watcher next = watcher(in, out, fake);
        assertEquals(1, runUntil(next, () -> finished.size() == 1, "the resumed analysis").resumed());
        assertEquals("PASS", finished.get(0).verdict());
        assertEquals(Ledger.Status.DONE, Ledger.open(Watcher.ledgerFile(out)).status(Sha256.hex(f)).orElseThrow().status());
    }
}
