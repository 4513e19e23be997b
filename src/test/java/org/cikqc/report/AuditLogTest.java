package org.cikqc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class AuditLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:02.113456Z"), ZoneOffset.UTC);

    private static AuditLog.Entry entry(int i) {
        return new AuditLog.Entry("analyze", "qc-hook@flow-pc-2",
                List.of(new AuditLog.FileRef("A0" + i + ".fcs", "a".repeat(64))),
                List.of(new AuditLog.FileRef("out/A0" + i + "/report.pdf", "b".repeat(64))),
                AuditLog.details("verdict", "PASS", "n", i, "reason", "routine run"));
    }

    private static Path logWith(Path dir, int n) {
        Path f = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(f, CLOCK);
        for (int i = 1; i <= n; i++) log.append(entry(i));
        return f;
    }

    private static List<String> lines(Path f) throws Exception {
        return new ArrayList<>(Files.readAllLines(f, StandardCharsets.US_ASCII));
    }

    private static void write(Path f, List<String> lines) throws Exception {
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
    }

    @Test
    void aFolderThatTakesNoNewFilesIsNamedNotTheMissingLog() {
        // /proc refuses new entries with ENOENT: the message said "/proc/audit.jsonl: does not exist"
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        Path f = Path.of("/proc/cikqc-audit.jsonl");
        CikqcException e = assertThrows(CikqcException.class, () -> new AuditLog(f, CLOCK).append(entry(1)));
        assertEquals("cannot append to audit log " + f + ": /proc accepts no new files", e.getMessage());
        assertEquals(CikqcException.Kind.OUTPUT_IO, e.kind());
    }

    @Test
    void appendsFormAnIntactChain(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(f, CLOCK);
        AuditLog.Appended last = null;
        for (int i = 1; i <= 5; i++) {
            last = log.append(entry(i));
            assertEquals(i, last.seq());
            assertFalse(last.repaired());
        }
        assertEquals("2026-03-01T10:15:02.113Z", last.ts());
        AuditVerification v = AuditLog.verify(f);
        assertTrue(v.intact(), v.describe());
        assertEquals(5, v.entries());
        assertEquals(last.lineHash(), v.headHash());
        List<String> ls = lines(f);
        assertTrue(ls.get(0).startsWith("{\"schema\":\"cikqc.audit/1\",\"seq\":1,\"ts\":\"2026-03-01T10:15:02.113Z\""),
                ls.get(0));
        assertTrue(ls.get(0).contains("\"prev\":\"" + Sha256.ZERO + "\""));
        assertTrue(ls.get(1).contains("\"prev\":\"" + Sha256.hex(ls.get(0).getBytes(StandardCharsets.US_ASCII))));
        assertTrue(ls.get(0).contains("\"details\":{\"n\":1,\"reason\":\"routine run\",\"verdict\":\"PASS\"}"),
                "details keys sorted: " + ls.get(0));
        assertTrue(AuditLog.verify(f, List.of(last.lineHash())).intact(), "head anchor found");
        assertEquals(5, AuditLog.entries(f).size());
    }

    @Test
    void nonAsciiIsEscapedSoTheFileIsAscii(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.jsonl");
        new AuditLog(f, CLOCK).append(new AuditLog.Entry("override", "Zoë", List.of(), List.of(),
                AuditLog.details("reason", "CD56 gate ≥ 10³ moved; µ")));
        byte[] b = Files.readAllBytes(f);
        for (byte x : b) assertTrue(x >= 0, "ASCII only");
        assertTrue(AuditLog.verify(f).intact());
        JsonNode e = AuditLog.entries(f).get(0);
        assertEquals("Zoë", e.path("actor").asText());
        assertEquals("CD56 gate ≥ 10³ moved; µ", e.path("details").path("reason").asText());
    }

    @Test
    void editedFieldIsDetected(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 5);
        List<String> ls = lines(f);
        ls.set(2, ls.get(2).replace("\"verdict\":\"PASS\"", "\"verdict\":\"FAIL\""));
        write(f, ls);
        AuditVerification v = AuditLog.verify(f);
        assertEquals(AuditVerification.Status.BROKEN, v.status());
        assertEquals(3, v.firstBreak().line());
        assertEquals(3, v.firstBreak().seq());
        assertTrue(v.firstBreak().reason().contains("edited"), v.describe());
        assertEquals(2, v.entries());
    }

    @Test
    void editWithRecomputedOwnHashBreaksTheNextLink(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 5);
        List<String> ls = lines(f);
        String edited = ls.get(2).replace("\"verdict\":\"PASS\"", "\"verdict\":\"FAIL\"");
        String body = edited.substring(0, edited.lastIndexOf(",\"hash\":\"")) + "}";
        String forged = body.substring(0, body.length() - 1) + ",\"hash\":\""
                + Sha256.hex(body.getBytes(StandardCharsets.US_ASCII)) + "\"}";
        ls.set(2, forged);
        write(f, ls);
        AuditVerification v = AuditLog.verify(f);
        assertEquals(AuditVerification.Status.BROKEN, v.status());
        assertEquals(4, v.firstBreak().line(), v.describe());
        assertTrue(v.firstBreak().reason().startsWith("prev does not match the hash of line 3"));
    }

    @Test
    void deletedLineIsDetected(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 5);
        List<String> ls = lines(f);
        ls.remove(1);
        write(f, ls);
        AuditVerification v = AuditLog.verify(f);
        assertEquals(AuditVerification.Status.BROKEN, v.status());
        assertEquals(2, v.firstBreak().line());
        assertEquals(3, v.firstBreak().seq());
    }

    @Test
    void deletedFirstLineIsDetected(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 3);
        List<String> ls = lines(f);
        ls.remove(0);
        write(f, ls);
        AuditVerification v = AuditLog.verify(f);
        assertEquals(AuditVerification.Status.BROKEN, v.status());
        assertEquals(1, v.firstBreak().line());
    }

    @Test
    void swappedLinesAreDetected(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 5);
        List<String> ls = lines(f);
        String t = ls.get(1);
        ls.set(1, ls.get(2));
        ls.set(2, t);
        write(f, ls);
        AuditVerification v = AuditLog.verify(f);
        assertEquals(AuditVerification.Status.BROKEN, v.status());
        assertEquals(2, v.firstBreak().line());
        assertTrue(v.describe().contains("line 2 (seq 3)"), v.describe());
    }

    @Test
    void insertedLineIsDetected(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 4);
        List<String> ls = lines(f);
        ls.add(2, ls.get(1));
        write(f, ls);
        AuditVerification v = AuditLog.verify(f);
        assertEquals(AuditVerification.Status.BROKEN, v.status());
        assertEquals(3, v.firstBreak().line());
    }

    @Test
    void windowsLineEndsAreDetected(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 2);
        Files.writeString(f, Files.readString(f).replace("\n", "\r\n"));
        assertEquals(AuditVerification.Status.BROKEN, AuditLog.verify(f).status());
    }

    @Test
    void removedNewestEntriesAreDetectedOnlyWithAnAnchor(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(f, CLOCK);
        for (int i = 1; i <= 3; i++) log.append(entry(i));
        String anchor = log.append(entry(4)).lineHash();
        List<String> ls = lines(f);
        ls.remove(3);
        write(f, ls);
        assertTrue(AuditLog.verify(f).intact(), "a clean cut at the end is invisible without an anchor");
        AuditVerification v = AuditLog.verify(f, List.of(anchor));
        assertEquals(AuditVerification.Status.BROKEN, v.status());
        assertTrue(v.firstBreak().reason().contains("truncated or rewritten"), v.describe());
    }

    @Test
    void truncatedLastLineIsReportedAndRepairedByTheNextAppend(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 5);
        byte[] all = Files.readAllBytes(f);
        byte[] cut = new byte[all.length - 40];
        System.arraycopy(all, 0, cut, 0, cut.length);
        Files.write(f, cut);
        AuditVerification v = AuditLog.verify(f);
        assertEquals(AuditVerification.Status.TORN_TAIL, v.status());
        assertEquals(5, v.firstBreak().line());
        assertEquals(4, v.entries());
        assertFalse(v.intact());

        AuditLog.Appended a = new AuditLog(f, CLOCK).append(entry(6));
        assertTrue(a.repaired());
        assertEquals(6, a.seq(), "seq 5 is the repair entry");
        AuditVerification after = AuditLog.verify(f);
        assertTrue(after.intact(), after.describe());
        assertEquals(6, after.entries());
        JsonNode repair = AuditLog.entries(f).get(4);
        assertEquals(AuditLog.REPAIR_ACTION, repair.path("action").asText());
        int tornLen = repair.path("details").path("torn_bytes").asInt();
        byte[] torn = java.util.Base64.getDecoder().decode(repair.path("details").path("torn_base64").asText());
        assertEquals(tornLen, torn.length);
        byte[] expected = new byte[tornLen];
        System.arraycopy(cut, cut.length - tornLen, expected, 0, tornLen);
        assertArrayEquals(expected, torn, "the torn bytes are preserved in the chain");
    }

    @Test
    void appendRefusesToExtendADamagedChain(@TempDir Path dir) throws Exception {
        Path f = logWith(dir, 3);
        List<String> ls = lines(f);
        ls.set(2, ls.get(2).replace("PASS", "FAIL"));
        write(f, ls);
        byte[] before = Files.readAllBytes(f);
        CikqcException e = assertThrows(CikqcException.class, () -> new AuditLog(f, CLOCK).append(entry(4)));
        assertEquals(CikqcException.Kind.OUTPUT_IO, e.kind());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    @Test
    void wrongFileAndMissingFile(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "file,sha256\na.fcs,123\n");
        AuditVerification v = AuditLog.verify(csv);
        assertEquals(AuditVerification.Status.NOT_AN_AUDIT_LOG, v.status());
        Path empty = dir.resolve("empty.jsonl");
        Files.createFile(empty);
        assertTrue(AuditLog.verify(empty).intact());
        CikqcException e = assertThrows(CikqcException.class, () -> AuditLog.verify(dir.resolve("none")));
        assertEquals(CikqcException.Kind.INVALID_INPUT, e.kind());
    }

    @Test
    void concurrentAppendsInOneJvmKeepTheChain(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("audit.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> {
                AuditLog own = AuditLog.open(f);
                for (int i = 0; i < 25; i++) own.append(entry(i));
            }));
        }
        for (Future<?> x : fs) x.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        AuditVerification v = AuditLog.verify(f);
        assertTrue(v.intact(), v.describe());
        assertEquals(100, v.entries());
    }

    @Test
    void concurrentAppendsFromAnotherProcessKeepTheChain(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("audit.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AuditAppendMain.class.getName(), f.toString(), "40").redirectErrorStream(true).start();
        AuditLog log = AuditLog.open(f);
        for (int i = 0; i < 40; i++) log.append(entry(i));
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finished");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        AuditVerification v = AuditLog.verify(f);
        assertTrue(v.intact(), v.describe());
        assertEquals(80, v.entries());
        long fromChild = AuditLog.entries(f).stream().filter(e -> e.path("action").asText().equals("child")).count();
        assertEquals(40, fromChild);
    }
}
