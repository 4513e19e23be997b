package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cikqc.pipeline.Sims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cikqc verify}: untouched, tampered, changed input, not a result; and {@code audit verify} after a run. */
class VerifyCommandTest {
    @TempDir
    static Path shared;
    static Path spec;
    static Path sample;

    final Cli cli = new Cli();

    @BeforeAll
    static void samples() throws Exception {
        spec = Cli.smallSpec(shared);
        sample = Sims.write(shared.resolve("src"), "v1.fcs", 21, 10_000);
    }

    /** Analyses a private copy of the sample (the tests change inputs) and returns the sample folder. */
    Path analysed(Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Path f = Files.copy(sample, in.resolve("v1.fcs"));
        Path out = tmp.resolve("out");
        assertEquals(0, cli.run(Cli.args(Cli.fast(spec), "analyze", f.toString(), "--out", out.toString())), cli.both());
        return out.resolve("v1");
    }

    @Test
    void anUntouchedResultIsByteIdentical(@TempDir Path tmp) throws Exception {
        Path dir = analysed(tmp);
        assertEquals(0, cli.run("verify", dir.toString()), cli.both());
        assertTrue(cli.out().startsWith("verified: byte-identical"), cli.both());
        assertEquals(0, cli.run("verify", dir.resolve("result.json").toString()), cli.both());
    }

    @Test
    void aTamperedNumberIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = analysed(tmp);
        Path rj = dir.resolve("result.json");
        String json = Files.readString(rj);
        Matcher m = Pattern.compile("(\"viability_pct\": \\{\\s*\"value\": )(\\d+\\.\\d{4})").matcher(json);
        assertTrue(m.find(), "viability value in result.json");
        String edited = m.group(2).equals("99.0000") ? "98.0000" : "99.0000";
        Files.writeString(rj, json.substring(0, m.start(2)) + edited + json.substring(m.end(2)));
        assertEquals(6, cli.run("verify", dir.toString()), cli.both());
        assertTrue(cli.out().contains("1 field(s)"), cli.both());
        assertTrue(cli.out().contains("metrics.viability_pct.value: recorded " + edited + ", recomputed " + m.group(2)),
                cli.both());
    }

    @Test
    void aChangedInputIsReported(@TempDir Path tmp) throws Exception {
        Path dir = analysed(tmp);
        Path input = tmp.resolve("in/v1.fcs");
        byte[] b = Files.readAllBytes(input);
        b[b.length - 1] ^= 0x01; // one bit of the last event
        Files.write(input, b);
        assertEquals(6, cli.run("verify", dir.toString()), cli.both());
        assertTrue(cli.out().contains("input changed: " + input.toAbsolutePath()), cli.both());
        Files.delete(input);
        assertEquals(3, cli.run("verify", dir.toString()), cli.both());
        assertTrue(cli.err().contains("does not exist; cannot verify"), cli.both());
    }

    @Test
    void somethingThatIsNotAResultExitsThree(@TempDir Path tmp) throws Exception {
        Path dir = analysed(tmp);
        assertEquals(3, cli.run("verify", dir.resolve("gates.xml").toString()), cli.both());
        Path notResult = tmp.resolve("x.json");
        Files.writeString(notResult, "{\"schema\": \"cikqc.error/1\"}");
        assertEquals(3, cli.run("verify", notResult.toString()), cli.both());
        assertTrue(cli.err().contains("not a cikqc.result/1 document"), cli.both());
        assertEquals(3, cli.run("verify", tmp.resolve("nothing").toString()), cli.both());
    }

    @Test
    void aTamperedAuditEntryBreaksTheChain(@TempDir Path tmp) throws Exception {
        Path dir = analysed(tmp);
        Path log = dir.getParent().resolve("audit.jsonl");
        assertEquals(0, cli.run("audit", "verify", log.toString()), cli.both());
        List<String> lines = Files.readAllLines(log);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("\"verdict\":\"PASS\""), lines.get(0));
        lines.set(0, lines.get(0).replace("\"verdict\":\"PASS\"", "\"verdict\":\"FAIL\""));
        Files.write(log, lines);
        assertEquals(6, cli.run("audit", "verify", log.toString()), cli.both());
        assertTrue(cli.out().contains("line 1 (seq 1)") && cli.out().contains("edited"), cli.both());
    }
}
