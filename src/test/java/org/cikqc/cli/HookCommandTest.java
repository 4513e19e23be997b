package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cikqc.pipeline.Sims;
import org.cikqc.report.AuditLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code cikqc hook}: waits for a file that is still being written; leaves an error record on a timeout. */
class HookCommandTest {
    @TempDir
    static Path shared;
    static Path spec;
    static Path sample;

    @BeforeAll
    static void samples() throws Exception {
        spec = Cli.smallSpec(shared);
        sample = Sims.write(shared.resolve("src"), "h1.fcs", 31, 10_000);
    }

    @Test
    void waitsForAGrowingFileThenAnalysesIt(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(sample);
        Path f = tmp.resolve("in/h1.fcs");
        Files.createDirectories(f.getParent());
        Path out = tmp.resolve("out");
        Cli cli = new Cli();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (OutputStream w = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW)) {
            w.write(all, 0, all.length / 2); // the instrument has written half
            w.flush();
            Future<Integer> hook = ex.submit(() -> cli.run(Cli.args(Cli.fast(spec), "hook", f.toString(), "--out",
                    out.toString(), "--timeout", "60s", "--settle", "300ms", "--poll", "100ms")));
            Thread.sleep(1200); // the size settles: the hook must still wait (the HEADER says the file is longer)
            assertFalse(hook.isDone(), "the hook must not analyse a half-written file: " + cli.both());
            assertFalse(Files.exists(out.resolve("h1")));
            w.write(all, all.length / 2, all.length - all.length / 2); // the rest arrives
            w.flush();
            w.close();
            assertEquals(0, hook.get(60, TimeUnit.SECONDS), cli.both());
        } finally {
            ex.shutdownNow();
        }
        assertTrue(cli.out().startsWith("h1: PASS"), cli.both());
        assertTrue(Files.isRegularFile(out.resolve("h1/result.json")));
        List<JsonNode> entries = AuditLog.entries(out.resolve("audit.jsonl"));
        assertEquals(1, entries.size());
        assertEquals("analyze", entries.get(0).path("action").asText());
        assertEquals("hook", entries.get(0).path("details").path("command").asText());
    }

    @Test
    void aFileThatNeverCompletesGetsAnErrorRecord(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(sample);
        Path f = tmp.resolve("in/h1.fcs");
        Files.createDirectories(f.getParent());
        Files.write(f, Arrays.copyOf(all, all.length / 3));
        Path out = tmp.resolve("out");
        Cli cli = new Cli();
        long t0 = System.nanoTime();
        int code = cli.run(Cli.args(Cli.fast(spec), "hook", f.toString(), "--out", out.toString(), "--timeout", "1s",
                "--settle", "200ms", "--poll", "100ms"));
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(3, code, cli.both());
        assertTrue(secs < 10, "bounded wait: " + secs + " s");
        JsonNode err = new ObjectMapper().readTree(out.resolve("h1/error.json").toFile());
        assertEquals("INVALID_INPUT", err.path("kind").asText());
        assertEquals("hook", err.path("command").asText());
        assertTrue(err.path("message").asText().contains("did not become complete"), err.toString());
        assertTrue(err.path("message").asText().contains("timed out after"), err.toString());
        assertEquals(org.cikqc.common.Sha256.hex(f), err.path("sha256").asText());
        assertTrue(cli.out().startsWith("h1: ERROR ("), cli.both());
        List<JsonNode> entries = AuditLog.entries(out.resolve("audit.jsonl"));
        assertEquals(1, entries.size());
        assertEquals("analyze.error", entries.get(0).path("action").asText());
        assertEquals("h1/error.json", entries.get(0).path("outputs").get(0).path("file").asText());
    }

    @Test
    void anInvalidSpecStillLeavesARecordForTheFile(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{ not json");
        Path out = tmp.resolve("out");
        Cli cli = new Cli();
        assertEquals(4, cli.run("hook", sample.toString(), "--out", out.toString(), "--spec", bad.toString()), cli.both());
        JsonNode err = new ObjectMapper().readTree(out.resolve("h1/error.json").toFile());
        assertEquals("INVALID_SPEC", err.path("kind").asText());
        assertEquals("analyze.error", AuditLog.entries(out.resolve("audit.jsonl")).get(0).path("action").asText());
    }
}
