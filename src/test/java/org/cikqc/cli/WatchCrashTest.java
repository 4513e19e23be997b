package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.cikqc.common.Sha256;
import org.cikqc.pipeline.Sims;
import org.cikqc.pipeline.Watcher;
import org.cikqc.report.AuditLog;
import org.cikqc.report.AuditVerification;
import org.cikqc.report.Ledger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code cikqc watch} as a separate process: killed with SIGKILL in the middle of a batch, restarted, given more
 * files, stopped with SIGTERM. Every input must end with exactly one complete result folder, no temporary or
 * staging file may be left, and the ledger must say DONE for each input.
 */
class WatchCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void survivesKillNineAndStopsCleanlyOnSigterm(@TempDir Path tmp) throws Exception {
        Assumptions.assumeFalse(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"),
                "SKIPPED: needs POSIX signals (SIGKILL/SIGTERM) for the watch crash test");
        Path spec = Cli.smallSpec(tmp);
        Path src = tmp.resolve("src");
        List<Path> inputs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) inputs.add(Sims.write(src, "w" + i + ".fcs", 60 + i, 8_000));
        Map<String, Path> bySha = new HashMap<>();
        for (Path p : inputs) bySha.put(Sha256.hex(p), p);
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Files.createDirectories(in);

        Process first = start(spec, in, out, tmp.resolve("first"));
        awaitLog(tmp.resolve("first.err"), "watching", first);
        for (int i = 0; i < 4; i++) Files.copy(inputs.get(i), in.resolve(inputs.get(i).getFileName()));
        await(() -> done(out) >= 1, "a first result before the kill", first, tmp.resolve("first.err"));
        first.destroyForcibly(); // kill -9 in the middle of the batch
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        int doneAtKill = done(out);

        Process second = start(spec, in, out, tmp.resolve("second"));
        awaitLog(tmp.resolve("second.err"), "watching", second);
        Files.copy(inputs.get(4), in.resolve(inputs.get(4).getFileName()));
        Sims.copySlowly(inputs.get(5), in.resolve(inputs.get(5).getFileName()), 400); // an export in progress
        await(() -> done(out) == 6, "all six inputs DONE", second, tmp.resolve("second.err"));
        second.destroy(); // SIGTERM
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
        String log = Files.readString(tmp.resolve("second.err"));
        assertEquals(0, second.exitValue(), "a SIGTERM stop is a clean stop\n" + log);
        assertTrue(log.contains("stop requested"), log);

        // exactly one complete result folder per input
        Map<String, List<Path>> folders = new HashMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                if (d.getFileName().toString().startsWith(".")) continue;
                Path rj = d.resolve("result.json");
                assertTrue(Files.isRegularFile(rj), "complete folder " + d);
                assertTrue(Files.isRegularFile(d.resolve("gates.xml")), "complete folder " + d);
                JsonNode r = JSON.readTree(rj.toFile());
                folders.computeIfAbsent(r.path("sample").path("sha256").asText(), k -> new ArrayList<>()).add(d);
            }
        }
        assertEquals(bySha.keySet(), folders.keySet(), "one folder per input and nothing else: " + folders);
        folders.forEach((sha, ds) -> assertEquals(1, ds.size(), bySha.get(sha) + " -> " + ds));

        // no temporary or staging leftovers anywhere
        try (Stream<Path> s = Files.walk(out)) {
            List<String> left = s.map(p -> out.relativize(p).toString())
                    .filter(n -> n.endsWith(".tmp") || n.endsWith(".staging") || n.contains(".staging/")).toList();
            assertEquals(List.of(), left);
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(".cikqc", "audit.jsonl", "summary.csv"), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".") || !Files.isDirectory(out.resolve(n))).sorted().toList());
        }
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(1 + bySha.size(), summary.size(), "the running summary has a row per input: " + summary);
        for (String sha : bySha.keySet()) {
            assertTrue(summary.stream().anyMatch(l -> l.contains(sha)), "summary row for " + bySha.get(sha));
        }
        try (Stream<Path> s = Files.list(out.resolve(Watcher.STATE_DIR))) {
            assertEquals(List.of(Watcher.LEDGER, Watcher.LOCK), s.map(p -> p.getFileName().toString()).sorted().toList());
        }

        // the ledger says DONE for each input, nothing is left STARTED
        Ledger ledger = Ledger.open(Watcher.ledgerFile(out));
        for (String sha : bySha.keySet()) assertTrue(ledger.isDone(sha), bySha.get(sha) + " DONE");
        assertEquals(List.of(), ledger.incomplete());

        // the audit trail is intact (a torn last line from the kill is repaired by the next append) and has an
        // analyze entry for every input
        AuditVerification v = AuditLog.verify(out.resolve("audit.jsonl"));
        assertTrue(v.intact(), v.describe());
        for (String sha : bySha.keySet()) {
            assertTrue(AuditLog.entries(out.resolve("audit.jsonl")).stream()
                    .anyMatch(e -> e.path("action").asText().equals("analyze") && e.path("inputs").get(0)
                            .path("sha256").asText().equals(sha)), "audit entry for " + bySha.get(sha));
        }
        System.out.println("watch crash test: " + doneAtKill + " of 4 DONE when killed");
    }

    private static Process start(Path spec, Path in, Path out, Path logBase) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.cikqc.cli.Main", "watch", in.toString(), "--out", out.toString(), "--poll", "150ms",
                "--threads", "2", "--spec", spec.toString(), "--no-plots", "--no-pdf", "--grace", "30s");
        return new ProcessBuilder(cmd)
                .redirectOutput(logBase.resolveSibling(logBase.getFileName() + ".out").toFile())
                .redirectError(logBase.resolveSibling(logBase.getFileName() + ".err").toFile())
                .start();
    }

    /** Inputs whose latest ledger state is DONE (the file is read as text: another process writes it). */
    private static int done(Path out) {
        Path f = Watcher.ledgerFile(out);
        if (!Files.exists(f)) return 0;
        try {
            Map<String, String> latest = new HashMap<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.endsWith("}")) continue; // a line being written
                JsonNode n = JSON.readTree(line);
                latest.put(n.path("sha256").asText(), n.path("status").asText());
            }
            return (int) latest.values().stream().filter("DONE"::equals).count();
        } catch (IOException e) {
            return 0; // being written right now: look again
        }
    }

    private static void awaitLog(Path log, String text, Process p) throws Exception {
        await(() -> {
            try {
                return Files.exists(log) && Files.readString(log).contains(text);
            } catch (IOException e) {
                return false;
            }
        }, "'" + text + "' in " + log.getFileName(), p, log);
    }

    private static void await(BooleanSupplier cond, String what, Process p, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!cond.getAsBoolean()) {
            if (!p.isAlive()) throw new AssertionError("the watcher died (exit " + p.exitValue() + ") before " + what
                    + ":\n" + Files.readString(log));
            if (System.nanoTime() > end) {
                p.destroyForcibly();
                throw new AssertionError("timed out waiting for " + what + ":\n" + Files.readString(log));
            }
            Thread.sleep(25);
        }
    }
}
