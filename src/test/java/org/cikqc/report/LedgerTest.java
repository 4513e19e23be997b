package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.cikqc.common.CikqcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    @Test
    void restartedWatcherResumesStartedInputsAndSkipsDoneOnes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ledger.jsonl");
        Ledger first = Ledger.open(f);
        assertEquals(Ledger.Claim.NEW, first.claim(A, "in/A.fcs"));
        first.done(A, "in/A.fcs", "out/A");
        assertEquals(Ledger.Claim.NEW, first.claim(B, "in/B.fcs"));
        assertEquals(Ledger.Claim.NEW, first.claim(C, "in/C.fcs"));
        first.failed(C, "in/C.fcs", "not an FCS file");
        // crash here: B was STARTED, never DONE

        Ledger second = Ledger.open(f);
        assertEquals(List.of(B), second.incomplete().stream().map(Ledger.Record::sha256).toList());
        assertTrue(second.isDone(A));
        assertEquals("out/A", second.status(A).orElseThrow().output());
        assertEquals(Ledger.Claim.ALREADY_DONE, second.claim(A, "in/renamed-copy-of-A.fcs"));
        assertEquals(Ledger.Claim.ALREADY_FAILED, second.claim(C, "in/C.fcs"));
        assertEquals(Ledger.Claim.RESUMED, second.claim(B, "in/B.fcs"));
        second.done(B, "in/B.fcs", "out/B");
        second.retry(C, "in/C.fcs");
        assertEquals(Ledger.Status.STARTED, second.status(C).orElseThrow().status());
        assertEquals(List.of(C), second.incomplete().stream().map(Ledger.Record::sha256).toList());
        assertEquals(8, Files.readAllLines(f).size(), "append-only: every change is a line");
    }

    @Test
    void tornLastLineIsIgnoredAndCutByTheNextAppend(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ledger.jsonl");
        Ledger l = Ledger.open(f);
        l.claim(A, "A.fcs");
        l.done(A, "A.fcs", "out/A");
        Files.writeString(f, "{\"sha256\":\"" + B + "\",\"file\":\"B.f", StandardOpenOption.APPEND);
        Ledger reopened = Ledger.open(f);
        assertTrue(reopened.isDone(A));
        assertTrue(reopened.status(B).isEmpty(), "the torn STARTED of B was never acknowledged");
        assertEquals(Ledger.Claim.NEW, reopened.claim(B, "B.fcs"));
        List<String> lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("{\"sha256\":\"" + B + "\",\"file\":\"B.fcs\",\"status\":\"STARTED\""));
    }

    @Test
    void damagedMiddleLineFailsLoudly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ledger.jsonl");
        Ledger l = Ledger.open(f);
        l.claim(A, "A.fcs");
        l.done(A, "A.fcs", "out/A");
        List<String> lines = Files.readAllLines(f);
        lines.set(0, "garbage");
        Files.write(f, lines);
        CikqcException e = assertThrows(CikqcException.class, () -> Ledger.open(f));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void twoWatchersNeverClaimTheSameInputTwice(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ledger.jsonl");
        Ledger w1 = Ledger.open(f);
        Ledger w2 = Ledger.open(f);
        AtomicInteger won = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> fs = List.of(
                pool.submit(() -> { if (w1.claim(A, "A.fcs") == Ledger.Claim.NEW) won.incrementAndGet(); }),
                pool.submit(() -> { if (w2.claim(A, "A.fcs") == Ledger.Claim.NEW) won.incrementAndGet(); }));
        for (Future<?> x : fs) x.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(1, won.get(), "exactly one watcher got NEW; the other saw RESUMED");
        assertFalse(Ledger.open(f).incomplete().isEmpty());
    }

    @Test
    void rejectsNonHashKeys(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> Ledger.open(dir.resolve("l")).claim("abc", "x"));
    }
}
