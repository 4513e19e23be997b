package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cikqc.pipeline.Sims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cikqc analyze} and the shared analysis options. */
class AnalyzeCommandTest {
    final Cli cli = new Cli();

    @Test
    void analysesInOrderAndGoesOnAfterABadFile(@TempDir Path tmp) throws Exception {
        Path spec = Cli.smallSpec(tmp);
        Path a = Sims.write(tmp.resolve("in"), "a1.fcs", 51, 10_000);
        Path missing = tmp.resolve("in/gone.fcs");
        Path b = Sims.write(tmp.resolve("in"), "b1.fcs", 52, 10_000, 0.93, 0.5, 0.35);
        Path out = tmp.resolve("out");
        int code = cli.run(Cli.args(Cli.fast(spec), "analyze", b.toString(), missing.toString(), a.toString(), "--out",
                out.toString(), "--lot", "LOT-7", "--seed", "5"));
        assertEquals(3, code, cli.both());
        String[] lines = cli.out().split("\n");
        assertEquals(3, lines.length, cli.both());
        assertTrue(lines[0].startsWith("b1: FAIL (") && lines[0].contains("CD3+ 5"), lines[0]);
        assertTrue(lines[1].startsWith("gone: ERROR (") && lines[1].contains("gone.fcs"), lines[1]);
        assertEquals("a1: PASS", lines[2]);
        assertTrue(cli.err().contains("1 of 3 file(s) could not be analysed"), cli.both());
        String result = Files.readString(out.resolve("a1/result.json"));
        assertTrue(result.contains("\"lot\": \"LOT-7\""), "--lot is recorded");
        assertTrue(result.contains("\"seed\": 5"), "--seed is recorded");
        assertTrue(Files.isRegularFile(out.resolve("gone/error.json")));
        assertEquals(0, cli.run("verify", out.resolve("a1").toString()), cli.both());
    }

    /** The file's own $SPILLOVER as a FlowJo-style TSV (header row of detectors, one labelled row per source). */
    static Path spillTsv(Path fcs, Path out, boolean dropLastRow) throws Exception {
        String sp;
        try (org.cikqc.fcs.FcsFile f = org.cikqc.fcs.FcsFile.open(fcs)) {
            sp = f.dataSet(0).keywords().get("$SPILLOVER");
        }
        String[] t = sp.split(",");
        int n = Integer.parseInt(t[0].strip());
        StringBuilder b = new StringBuilder("source");
        for (int i = 0; i < n; i++) b.append('\t').append(t[1 + i]);
        for (int r = 0; r < (dropLastRow ? n - 1 : n); r++) {
            b.append('\n').append(t[1 + r]);
            for (int c = 0; c < n; c++) b.append('\t').append(t[1 + n + r * n + c]);
        }
        Files.writeString(out, b.append('\n').toString());
        return out;
    }

    @Test
    void externalCompensationMatrix(@TempDir Path tmp) throws Exception {
        // fuzz: every valid --compensation failed ("unknown compensation-ref 'ExternalSpillover'"), and a matrix file
        // with a row left out escaped as an internal error (IllegalStateException from Compensator.apply)
        Path spec = Cli.smallSpec(tmp);
        Path a = Sims.write(tmp.resolve("in"), "a1.fcs", 54, 10_000);
        Path good = spillTsv(a, tmp.resolve("m.tsv"), false);
        Path out = tmp.resolve("out");
        assertEquals(0, cli.run(Cli.args(Cli.fast(spec), "analyze", a.toString(), "--out", out.toString(),
                "--compensation", good.toString())), cli.both());
        assertTrue(Files.readString(out.resolve("a1/result.json")).contains("external m.tsv"), "source recorded");
        Path bad = spillTsv(a, tmp.resolve("short.tsv"), true);
        Path out2 = tmp.resolve("out2");
        assertEquals(3, cli.run(Cli.args(Cli.fast(spec), "analyze", a.toString(), "--out", out2.toString(),
                "--compensation", bad.toString())), cli.both());
        assertTrue(cli.out().contains("short.tsv: the matrix has") && cli.out().contains("source row(s)"), cli.both());
        Path csv = tmp.resolve("e.csv");
        assertEquals(3, cli.run("export", a.toString(), "--values", "compensated", "--compensation", bad.toString(),
                "--out", csv.toString()), cli.both());
        assertEquals(1, cli.err().strip().lines().count(), cli.both());
        assertTrue(!Files.exists(csv), "nothing written");
    }

    @Test
    void optionErrors(@TempDir Path tmp) throws Exception {
        Path a = Sims.write(tmp.resolve("in"), "a1.fcs", 53, 5_000);
        String o = tmp.resolve("out").toString();
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--dpi", "10"), cli.both());
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--dataset", "-2"), cli.both());
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--control", "FMO CD56=x.fcs"), cli.both());
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--bead-count", "50000"), cli.both());
        assertTrue(cli.err().contains("--bead-count and --sample-volume go together"), cli.both());
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--bead-count", "0", "--sample-volume", "50"),
                cli.both());
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--bead-count", "50000", "--sample-volume", "-1"),
                cli.both());
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--bead-count", "5e4", "--sample-volume", "50"),
                cli.both());
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--bead-count", "50000", "--sample-volume", "1e-300"),
                cli.both());
        assertTrue(cli.err().contains("sample volume must be 0.1 to 100,000 µL"), cli.both());
        assertEquals(2, cli.run("analyze", a.toString(), "--out", o, "--bead-count", "99999999999", "--sample-volume", "50"),
                cli.both());
        assertTrue(!Files.exists(tmp.resolve("out")), "nothing written on a usage error");
        assertEquals(3, cli.run("analyze", a.toString(), "--out", o, "--control", "fmo-cd56=" + tmp.resolve("no.fcs")),
                cli.both());
        assertTrue(cli.err().contains("control file (fmo-cd56) not found"), cli.both());
        assertEquals(3, cli.run("analyze", a.toString(), "--out", o, "--compensation", tmp.resolve("no.csv").toString()),
                cli.both());
        assertEquals(4, cli.run("analyze", a.toString(), "--out", o, "--spec", tmp.resolve("no-spec.json").toString()),
                cli.both());
        assertEquals(4, cli.run("analyze", a.toString(), "--out", o, "--no-plots", "--no-pdf", "--channel",
                "CD3=NoSuchChannel"), cli.both());
        assertTrue(cli.out().contains("a1: ERROR ("), cli.both());
    }
}
