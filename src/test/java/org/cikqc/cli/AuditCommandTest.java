package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cikqc.report.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    private static Path log(Path dir, int n) {
        Path f = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.open(f);
        for (int i = 0; i < n; i++) {
            log.append(new AuditLog.Entry("analyze", "tester", List.of(), List.of(), AuditLog.details("i", i)));
        }
        return f;
    }

    @Test
    void intactChainExitsZero(@TempDir Path dir) {
        Path f = log(dir, 3);
        assertEquals(0, run("audit", "verify", f.toString()), err.toString());
        assertTrue(out.toString().startsWith("OK "), out.toString());
        assertTrue(out.toString().contains("3 entries"));
    }

    @Test
    void brokenChainExitsSixAndNamesTheEntry(@TempDir Path dir) throws Exception {
        Path f = log(dir, 4);
        List<String> ls = Files.readAllLines(f);
        ls.set(1, ls.get(1).replace("\"i\":1", "\"i\":9"));
        Files.write(f, ls);
        assertEquals(6, run("audit", "verify", f.toString()));
        assertTrue(out.toString().contains("BROKEN") && out.toString().contains("line 2 (seq 2)"), out.toString());
    }

    @Test
    void tornTailExitsSeven(@TempDir Path dir) throws Exception {
        Path f = log(dir, 2);
        Files.writeString(f, "{\"schema\":\"cikqc.audit/1\",\"seq\":3,\"ts", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(7, run("audit", "verify", "--json", f.toString()));
        assertTrue(out.toString().contains("\"status\":\"TORN_TAIL\""), out.toString());
        assertTrue(out.toString().contains("\"line\":3"), out.toString());
    }

    @Test
    void missingAnchorExitsSix(@TempDir Path dir) {
        Path f = log(dir, 2);
        assertEquals(6, run("audit", "verify", "--anchor", "ab".repeat(32), f.toString()));
    }

    @Test
    void unreadableOrForeignFileExitsThree(@TempDir Path dir) throws Exception {
        assertEquals(3, run("audit", "verify", dir.resolve("missing.jsonl").toString()));
        assertTrue(err.toString().contains("does not exist"), err.toString());
        Path csv = dir.resolve("summary.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        assertEquals(3, run("audit", "verify", csv.toString()));
        assertTrue(err.toString().contains("not a cikqc audit log"), err.toString());
    }

    @Test
    void usageErrors(@TempDir Path dir) {
        assertEquals(2, run("audit"));
        assertEquals(2, run("audit", "verify", "--anchor", "xyz", log(dir, 1).toString()));
    }
}
