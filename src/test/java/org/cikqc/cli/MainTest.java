package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @Test
    void unknownOptionIsUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"--no-such-option"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("cikqc:"), err.toString());
    }

    /**
     * A usage error is one line naming the mistake and the command's help. picocli checks required options before
     * it reports unmatched words: an unknown option beside a missing required one was reported only as the latter.
     */
    @Test
    void usageErrorsAreOneLineAndNameAnUnknownOptionFirst() {
        Cli cli = new Cli();
        assertEquals(2, cli.run("analyze", "--bogus", "x"));
        assertEquals("cikqc: Unknown option: '--bogus'; missing required option: '--out=DIR' (see 'cikqc analyze "
                + "--help')", cli.err().strip(), cli.both());
        assertEquals(2, cli.run("gate"));
        assertEquals("cikqc: Missing required parameter: 'FILE' (see 'cikqc gate --help')", cli.err().strip());
        assertEquals(2, cli.run("inspect", "a.fcs", "--frob", "--quux"));
        assertEquals(1, cli.err().lines().count(), cli.both());
        assertTrue(cli.err().contains("'--frob'") && cli.err().contains("(see 'cikqc inspect --help')"), cli.both());
        assertEquals(2, cli.run("frob"));
        assertEquals("cikqc: Unmatched argument at index 0: 'frob' (see 'cikqc --help')", cli.err().strip());
    }

    /**
     * Every command's help renders: picocli formats descriptions as format strings, so a bare '%' (as in "95 % CI")
     * made it print a warning and the raw text, '%n' unreplaced, into the help of the command and of cikqc itself.
     */
    @Test
    void everyCommandsHelpRendersWithoutAPicocliWarning() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.util.List<String> helps = new java.util.ArrayList<>();
        try {
            System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
            java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
            todo.add(new picocli.CommandLine(new Main()));
            while (!todo.isEmpty()) {
                picocli.CommandLine c = todo.poll();
                helps.add(c.getCommandSpec().qualifiedName() + "\n" + c.getUsageMessage());
                todo.addAll(c.getSubcommands().values());
            }
        } finally {
            System.setErr(saved);
        }
        assertTrue(helps.size() > 10, helps.size() + " commands");
        assertEquals("", warnings.toString(java.nio.charset.StandardCharsets.UTF_8));
        for (String h : helps) assertTrue(!h.contains("%n") && !h.contains("%%"), h);
    }

    @Test
    void versionPrints() {
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"--version"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(0, code);
        assertTrue(out.toString().startsWith("cikqc "), out.toString());
    }

    @Test
    void badOptionValuesAreUsageErrorsNamingTheOption(@TempDir Path tmp) {
        Cli cli = new Cli();
        String in = Path.of("testdata/cik-pass.fcs").toString();
        String[][] cases = {
            {"analyze", in, "--out="},
            {"analyze", in, "--out", tmp.resolve("a").toString(), "--dataset", "-1"},
            {"demo", "--threads", "0", "--out", tmp.resolve("d").toString()},
            {"batch", in, "--threads", "two", "--out", tmp.resolve("b").toString()},
            {"verify", "--max-lines", "-1", tmp.resolve("r.json").toString()},
            {"export", in, "--out", tmp.resolve("e.csv").toString(), "--transform-channels", "FSC-A"},
            {"analyze", in, "--out", in},
            {"export", in, "--out", tmp.toString()},
            {"analyze", in, "--out", tmp.resolve("s").toString(), "--seed", "-1"},
            {"hook", in, "--out", tmp.resolve("h").toString(), "--timeout", "1s", "--settle", "5s"},
            {"analyze", in, "--out", tmp.resolve("l").toString(), "--lot="},
            {"batch", in, "--out", tmp.resolve("l").toString(), "--lot", " "},
            {"hook", in, "--out", tmp.resolve("l").toString(), "--lot", "L1\nL2"},
            // written by renaming a file over it: as root, the device itself would be replaced
            {"export", in, "--out", "/dev/null"},
            {"agreement", in, "--out", "/dev/null"},
        };
        for (String[] c : cases) {
            assertEquals(2, cli.run(c), String.join(" ", c) + "\n" + cli.both());
            String message = cli.err().substring(0, Math.max(0, cli.err().indexOf(" (see 'cikqc ")));
            assertTrue(cli.err().startsWith("cikqc: ") && message.contains("--"), cli.both());
            assertEquals(1, cli.err().lines().count(), cli.both());
        }
        assertTrue(cli.run("analyze", in, "--out=") == 2 && cli.err().contains("empty path"), cli.both());
        assertTrue(cli.run("export", in, "--out", "/dev/null") == 2 && cli.err().contains("/dev/null exists and is not a "
                + "regular file"), cli.both());
        assertTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")));
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count(), "nothing written");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOutputNeverReplacesAnInput(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("x.fcs");
        Files.copy(Path.of("testdata/cik-pass.fcs"), in);
        byte[] before = Files.readAllBytes(in);
        Cli cli = new Cli();
        assertEquals(2, cli.run("export", in.toString(), "--out", tmp.resolve("./x.fcs").toString()), cli.both());
        assertTrue(cli.err().contains("is the input file"), cli.both());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(in));
        Path matrix = tmp.resolve("m.csv");
        Files.writeString(matrix, "A,B\n1,0\n0,1\n");
        assertEquals(2, cli.run("export", in.toString(), "--values", "compensated", "--compensation", matrix.toString(),
                "--out", matrix.toString()), cli.both());
        assertTrue(cli.err().contains("is the --compensation matrix"), cli.both());
        assertEquals("A,B\n1,0\n0,1\n", Files.readString(matrix));
        Files.delete(matrix);
        assertEquals(2, cli.run("simulate", "--out", tmp.resolve("s.fcs").toString(), "--truth",
                tmp.resolve("s.fcs").toString()), cli.both());
        // the truth cannot be written: the FCS file is not left behind either
        assertEquals(5, cli.run("simulate", "--events", "5000", "--out", tmp.resolve("t.fcs").toString(), "--truth",
                tmp.resolve("x.fcs/t.json").toString()), cli.both());
        assertTrue(cli.err().contains("cannot write"), cli.both());
        try (var s = Files.list(tmp)) {
            assertEquals(java.util.List.of("x.fcs"), s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
