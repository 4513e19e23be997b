package org.cikqc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.cikqc.pipeline.Sims;
import org.cikqc.report.AuditLog;
import org.cikqc.report.AuditVerification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code cikqc batch} end to end with the real analysis on small simulated files. */
class BatchCommandTest {
    @TempDir
    static Path shared;
    static Path spec;
    static Path pass1;
    static Path pass2;
    static Path failViability;

    final Cli cli = new Cli();

    @BeforeAll
    static void samples() throws Exception {
        spec = Cli.smallSpec(shared);
        Path src = shared.resolve("src");
        pass1 = Sims.write(src, "p1.fcs", 11, 10_000);
        pass2 = Sims.write(src, "p2.fcs", 12, 10_000);
        failViability = Sims.write(src, "f1.fcs", 13, 10_000, 0.55, 0.93, 0.35);
    }

    static Path folder(Path dir, Path... files) throws Exception {
        Files.createDirectories(dir);
        for (Path f : files) Files.copy(f, dir.resolve(f.getFileName()));
        return dir;
    }

    /**
     * Fuzz 28 D8: two inputs named s.fcs in two folders gave two summary rows "s.fcs" told apart only by their
     * SHA-256. Each row now ends with its result folder (the PDF's label: SummaryTest).
     */
    @Test
    void sameNamedInputsAreToldApartByTheirResultFolder(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("a"));
        Files.createDirectories(in.resolve("b"));
        Files.copy(pass1, in.resolve("a/s.fcs"));
        Files.copy(failViability, in.resolve("b/s.fcs"));
        Path out = tmp.resolve("out");
        int code = cli.run(Cli.args(Cli.fast(spec), "batch", in.toString(), "--out", out.toString(), "--threads", "1"));
        assertEquals(0, code, cli.both());
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(3, csv.size(), csv.toString());
        assertTrue(csv.get(0).endsWith(",build_commit,result"), csv.get(0));
        String sha = org.cikqc.common.Sha256.hex(Files.readAllBytes(in.resolve("b/s.fcs")));
        assertTrue(csv.get(1).startsWith("s.fcs,") && csv.get(1).contains(",PASS,") && csv.get(1).endsWith(",s"),
                csv.get(1));
        assertTrue(csv.get(2).startsWith("s.fcs,") && csv.get(2).contains(",FAIL,")
                && csv.get(2).endsWith(",s-" + sha.substring(0, 8)), csv.get(2));
        assertTrue(Files.isRegularFile(out.resolve("s-" + sha.substring(0, 8)).resolve("result.json")));
    }

    /**
     * Fuzz 28 D10: an output folder that cannot exist failed every input alike, one long line each. Batch and analyze
     * now stop before the first input, once, with exit 5.
     */
    @Test
    void anOutputFolderThatCannotBeWrittenStopsTheRunOnce(@TempDir Path tmp) throws Exception {
        Path in = folder(tmp.resolve("in"), pass1, failViability);
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        for (String command : List.of("batch", "analyze")) {
            Cli c = new Cli();
            List<String> args = new ArrayList<>(List.of(command));
            if (command.equals("batch")) args.add(in.toString());
            else args.addAll(List.of(in.resolve("p1.fcs").toString(), in.resolve("f1.fcs").toString()));
            args.addAll(List.of("--out", file.resolve("out").toString()));
            int code = c.run(Cli.args(Cli.fast(spec), args.toArray(String[]::new)));
            assertEquals(5, code, c.both());
            assertEquals("", c.out(), command);
            List<String> lines = c.err().strip().lines().filter(l -> !l.startsWith("cikqc batch: ")).toList();
            assertEquals(List.of("cikqc: cannot write results in " + file.resolve("out") + ": " + file
                    + ": is not a directory"), lines, command);
        }
    }

    @Test
    void oneCorruptFileAmongGoodOnesExitsThreeAndTheOthersComplete(@TempDir Path tmp) throws Exception {
        Path in = folder(tmp.resolve("in"), pass1, failViability);
        Files.createDirectories(in.resolve("sub"));
        Files.write(in.resolve("sub/broken.FCS"), java.util.Arrays.copyOf(Files.readAllBytes(pass2), 40));
        Path out = tmp.resolve("out");
        int code = cli.run(Cli.args(Cli.fast(spec), "batch", in.toString(), "--out", out.toString(), "--threads", "2"));
        assertEquals(3, code, cli.both());

        JsonNode err = new ObjectMapper().readTree(out.resolve("broken/error.json").toFile());
        assertEquals("INVALID_INPUT", err.path("kind").asText());
        assertEquals(in.resolve("sub/broken.FCS").toAbsolutePath().toString(), err.path("file").asText());
        assertEquals(64, err.path("sha256").asText().length());
        assertTrue(err.path("message").asText().contains("broken.FCS"), err.toString());
        for (String s : List.of("p1", "f1")) {
            assertTrue(Files.isRegularFile(out.resolve(s).resolve("result.json")), s);
            assertTrue(Files.isRegularFile(out.resolve(s).resolve("gates.xml")), s);
        }
        assertTrue(cli.out().contains("p1: PASS"), cli.both());
        assertTrue(cli.out().contains("f1: FAIL (viability"), cli.both());
        assertTrue(cli.out().contains("broken: ERROR ("), cli.both());
        assertTrue(cli.out().contains("3 samples: 1 ERROR, 1 FAIL, 1 PASS"), cli.both());

        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(4, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("f1.fcs,") && csv.get(1).contains(",FAIL,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("p1.fcs,") && csv.get(2).contains(",PASS,"), csv.get(2));
        assertTrue(csv.get(3).startsWith("broken.FCS,") && csv.get(3).contains(",ERROR,"), csv.get(3));
        assertTrue(!Files.exists(out.resolve("summary.pdf")), "--no-pdf: no summary.pdf either");

        AuditVerification v = AuditLog.verify(out.resolve("audit.jsonl"));
        assertTrue(v.intact(), v.describe());
        List<String> actions = new ArrayList<>();
        AuditLog.entries(out.resolve("audit.jsonl")).forEach(e -> actions.add(e.path("action").asText()));
        actions.sort(null);
        assertEquals(List.of("analyze", "analyze", "analyze.error", "batch.summary"), actions);
        JsonNode entry = AuditLog.entries(out.resolve("audit.jsonl")).stream()
                .filter(e -> "p1".equals(e.path("details").path("sample").asText())).findFirst().orElseThrow();
        assertEquals(System.getProperty("user.name"), entry.path("actor").asText());
        assertTrue(entry.path("inputs").toString().contains("small-spec.json"), entry.toString());
        assertTrue(entry.path("outputs").toString().contains("p1/result.json"), entry.toString());
        assertEquals("PASS", entry.path("details").path("verdict").asText());
    }

    @Test
    void strictExitGivesTenWhenAVerdictIsNotPassButThreeWinsOverIt(@TempDir Path tmp) throws Exception {
        Path in = folder(tmp.resolve("in"), pass1, failViability);
        List<String> base = Cli.fast(spec);
        assertEquals(0, cli.run(Cli.args(base, "batch", in.toString(), "--out", tmp.resolve("o1").toString())), cli.both());
        assertEquals(10, cli.run(Cli.args(base, "batch", in.toString(), "--out", tmp.resolve("o2").toString(),
                "--strict-exit")), cli.both());
        Path onlyPass = folder(tmp.resolve("in2"), pass1);
        assertEquals(0, cli.run(Cli.args(base, "batch", onlyPass.toString(), "--out", tmp.resolve("o3").toString(),
                "--strict-exit")), cli.both());
        Files.writeString(in.resolve("zz.fcs"), "not fcs");
        assertEquals(3, cli.run(Cli.args(base, "batch", in.toString(), "--out", tmp.resolve("o4").toString(),
                "--strict-exit")), cli.both());
    }

    @Test
    void outputsDoNotDependOnTheThreadCount(@TempDir Path tmp) throws Exception {
        Path in = folder(tmp.resolve("in"), pass1, pass2, failViability);
        // the same sample name twice (another folder, other content): names must not depend on scheduling
        folder(tmp.resolve("in/again"), pass1);
        Files.move(tmp.resolve("in/again/p1.fcs"), tmp.resolve("in/again/p2.fcs"));
        Files.write(tmp.resolve("in/again/p2.fcs"), Files.readAllBytes(pass1));
        List<String> base = Cli.fast(spec);
        Path o1 = tmp.resolve("o1");
        Path o2 = tmp.resolve("o2");
        assertEquals(0, cli.run(Cli.args(base, "batch", in.toString(), "--out", o1.toString(), "--threads", "1")), cli.both());
        String lines1 = cli.out().replace(o1.toString(), "OUT");
        assertEquals(0, cli.run(Cli.args(base, "batch", in.toString(), "--out", o2.toString(), "--threads", "2")), cli.both());
        assertEquals(lines1, cli.out().replace(o2.toString(), "OUT"), "same lines in the same order");
        assertTrue(lines1.startsWith("p2: PASS\n"), "in/again/p2.fcs sorts first and gets the plain name: " + lines1);
        assertTrue(lines1.contains("\np2-"), lines1);
        List<String> names = names(o1);
        assertEquals(names, names(o2));
        assertEquals(6, names.size(), names.toString()); // 4 samples + audit.jsonl + summary.csv
        for (String n : names) {
            Path r1 = o1.resolve(n).resolve("result.json");
            if (!Files.exists(r1)) continue;
            assertArrayEquals(Files.readAllBytes(r1), Files.readAllBytes(o2.resolve(n).resolve("result.json")), n);
            assertArrayEquals(Files.readAllBytes(o1.resolve(n).resolve("gates.xml")),
                    Files.readAllBytes(o2.resolve(n).resolve("gates.xml")), n);
        }
        assertArrayEquals(Files.readAllBytes(o1.resolve("summary.csv")), Files.readAllBytes(o2.resolve("summary.csv")));
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void usageAndMissingInputs(@TempDir Path tmp) throws Exception {
        assertEquals(2, cli.run("batch", tmp.toString()), cli.both()); // --out missing
        assertEquals(3, cli.run("batch", tmp.resolve("nope").toString(), "--out", tmp.resolve("o").toString()), cli.both());
        assertTrue(cli.err().contains("no such file or directory"), cli.both());
        Files.createDirectories(tmp.resolve("empty"));
        assertEquals(3, cli.run("batch", tmp.resolve("empty").toString(), "--out", tmp.resolve("o").toString()), cli.both());
        assertEquals(2, cli.run("batch", tmp.toString(), "--out", tmp.resolve("o").toString(), "--threads", "0"));
        Files.writeString(tmp.resolve("bad-spec.json"), "{\"schema\": \"cikqc.spec/1\"}");
        assertEquals(4, cli.run("batch", tmp.toString(), "--out", tmp.resolve("o").toString(), "--spec",
                tmp.resolve("bad-spec.json").toString()), cli.both());
    }
}
