package org.cikqc.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.cikqc.common.CikqcException;
import org.cikqc.report.AuditLog;
import org.cikqc.report.AuditVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Orchestration of {@link BatchRunner} with a fake analyzer (the analysis itself is tested elsewhere). */
class BatchRunnerTest {
    static final OutputOptions NO_FILES = new OutputOptions(false, false, false, 72, Instant.parse("2026-01-01T00:00:00Z"));

    static SampleProcessor processor(Analyzer a, Path out, String command) {
        AnalysisOptions o = AnalysisOptions.defaults();
        return new SampleProcessor(a, o, NO_FILES, out, AnalysisAudit.at(out, "tester", o), command);
    }

    @Test
    void aBadFileGetsAnErrorRecordAndTheOthersGoOn(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Sims.write(in, "a01.fcs", 1, 5000);
        Sims.corrupt(in, "a02.fcs");
        Sims.write(in, "a03_fail.fcs", 3, 5000);
        Sims.write(in, "a04_spec.fcs", 4, 5000);
        Path out = tmp.resolve("out");
        FakeAnalyzer fake = new FakeAnalyzer(0);
        List<Path> files = InputFiles.collect(List.of(in), out);
        List<SampleResult> rs = new BatchRunner(processor(fake, out, "batch"), 3).run(files, null);

        assertEquals(4, rs.size());
        assertEquals(List.of("PASS", "ERROR", "FAIL", "ERROR"), rs.stream().map(SampleResult::verdict).toList());
        assertEquals(CikqcException.Kind.INVALID_INPUT, rs.get(1).failure().kind());
        assertEquals(CikqcException.Kind.INVALID_SPEC, rs.get(3).failure().kind());
        assertTrue(Files.isRegularFile(out.resolve("a01/result.json")));
        assertTrue(Files.isRegularFile(out.resolve("a03_fail/result.json")));

        JsonNode err = FakeAnalyzer.JSON.readTree(out.resolve("a02/error.json").toFile());
        assertEquals(ErrorRecord.SCHEMA, err.path("schema").asText());
        assertEquals(in.resolve("a02.fcs").toAbsolutePath().toString(), err.path("file").asText());
        assertEquals(64, err.path("sha256").asText().length(), "a readable (if invalid) file is hashed");
        assertEquals("INVALID_INPUT", err.path("kind").asText());
        assertEquals(3, err.path("exit_code").asInt());
        assertFalse(err.path("message").asText().contains("\n"));
        assertTrue(err.path("message").asText().contains("a02.fcs"), err.toString());

        List<Path> summary = BatchSummary.write(out, rs, true,
                org.cikqc.report.PdfDossier.Options.at(Instant.parse("2026-01-01T00:00:00Z")));
        String csv = Files.readString(summary.get(0));
        assertEquals(5, csv.split("\r\n").length, csv);
        assertTrue(csv.contains("a02.fcs") && csv.contains("ERROR") && csv.contains("INVALID_INPUT"), csv);
        assertTrue(Files.size(summary.get(1)) > 1000);

        AuditVerification v = AuditLog.verify(out.resolve("audit.jsonl"));
        assertTrue(v.intact(), v.describe());
        assertEquals(4, v.entries());
        long errors = AuditLog.entries(out.resolve("audit.jsonl")).stream()
                .filter(e -> e.path("action").asText().equals("analyze.error")).count();
        assertEquals(2, errors);
        JsonNode ok = AuditLog.entries(out.resolve("audit.jsonl")).stream()
                .filter(e -> e.path("details").path("sample").asText().equals("a01")).findFirst().orElseThrow();
        assertEquals("analyze", ok.path("action").asText());
        assertEquals("PASS", ok.path("details").path("verdict").asText());
        assertEquals("batch", ok.path("details").path("command").asText());
        assertEquals("tester", ok.path("actor").asText());
        List<String> outputs = new ArrayList<>();
        ok.path("outputs").forEach(o -> outputs.add(o.path("file").asText()));
        assertEquals(List.of("a01/report.txt", "a01/result.json"), outputs);
        assertTrue(ok.path("inputs").get(0).path("file").asText().endsWith("a01.fcs"));
        assertTrue(ok.path("inputs").toString().contains("embedded default spec"), ok.toString());
    }

    @Test
    void sameNamedInputsAreSerialisedAndNamedInInputOrder(@TempDir Path tmp) {
        // four inputs that all want the folder "x": whatever the thread count, the first (sorted) gets "x"
        List<Path> files = new ArrayList<>();
        for (String d : List.of("a", "b", "c", "d")) files.add(Sims.write(tmp.resolve("in").resolve(d), "x.fcs", d.charAt(0), 5000));
        files.add(Sims.write(tmp.resolve("in").resolve("e"), "X.FCS", 7, 5000));
        files.add(Sims.write(tmp.resolve("in").resolve("e"), "y.fcs", 8, 5000));
        files = InputFiles.collect(files, null);
        List<List<Integer>> groups = BatchRunner.groups(files);
        assertEquals(List.of(List.of(0, 1, 2, 3, 4), List.of(5)), groups);

        List<String> first = null;
        for (int run = 0; run < 3; run++) {
            Path out = tmp.resolve("out" + run);
            FakeAnalyzer fake = new FakeAnalyzer(5);
            List<SampleResult> rs = new BatchRunner(processor(fake, out, "batch"), 4).run(files, null);
            List<String> names = rs.stream().map(SampleResult::sample).toList();
            assertEquals("x", names.get(0));
            assertEquals("y", names.get(5));
            assertEquals(6, names.stream().distinct().count(), names.toString());
            if (first == null) first = names;
            assertEquals(first, names, "folder names do not depend on scheduling");
            assertTrue(fake.maxConcurrent.get() <= 2, "same-named inputs never overlap");
        }
    }

    @Test
    void runsInParallelAndReportsEveryInputOnce(@TempDir Path tmp) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 6; i++) files.add(Sims.write(tmp.resolve("in"), "s" + i + ".fcs", i, 5000));
        FakeAnalyzer fake = new FakeAnalyzer(150);
        List<Path> finished = Collections.synchronizedList(new ArrayList<>());
        List<SampleResult> rs = new BatchRunner(processor(fake, tmp.resolve("out"), "batch"), 3).run(files,
                new BatchRunner.Listener() {
                    @Override
                    public void finished(SampleResult result, int done, int total) {
                        assertEquals(6, total);
                        finished.add(result.input());
                    }
                });
        assertEquals(6, rs.size());
        assertEquals(6, fake.calls.get());
        assertEquals(6, finished.size());
        assertEquals(3, fake.maxConcurrent.get(), "three analyses at once");
        for (int i = 0; i < 6; i++) assertEquals(files.get(i), rs.get(i).input(), "results in input order");
    }

    @Test
    void aBugInTheAnalysisIsRecordedAsInternal(@TempDir Path tmp) throws Exception {
        Path f = Sims.write(tmp.resolve("in"), "boom.fcs", 1, 5000);
        SampleResult r = processor(new FakeAnalyzer(0), tmp.resolve("out"), "analyze").process(f);
        assertFalse(r.ok());
        assertEquals(CikqcException.Kind.INTERNAL, r.failure().kind());
        assertTrue(r.failure().message().contains("fake bug"));
        assertNotNull(r.failure().record());
        assertEquals("boom: ERROR (" + r.failure().message() + ")", r.line());
    }

    @Test
    void errorRecordsDoNotOverwriteResultsAndReplaceTheirOwn(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path good = Sims.write(tmp.resolve("a"), "t1.fcs", 1, 5000);
        SampleProcessor p = processor(new FakeAnalyzer(0), out, "batch");
        assertTrue(p.process(good).ok());
        Path bad = Sims.corrupt(tmp.resolve("b"), "t1.fcs");
        SampleResult r1 = p.process(bad);
        String sha8 = r1.failure().sha256().substring(0, 8);
        assertEquals(out.resolve("t1-" + sha8).resolve("error.json").toAbsolutePath(), r1.failure().record().toAbsolutePath());
        assertTrue(Files.isRegularFile(out.resolve("t1/result.json")), "the result is untouched");
        SampleResult r2 = p.process(bad);
        assertEquals(r1.failure().record(), r2.failure().record(), "the same failure replaces its own record");
        Path missing = tmp.resolve("b/never.fcs");
        SampleResult r3 = p.process(missing);
        assertNull(r3.failure().sha256());
        assertEquals("never", r3.sample());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("audit.jsonl", "never", "t1", "t1-" + sha8), s.map(x -> x.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aResultNeverReplacesAnotherInputsErrorRecord(@TempDir Path tmp) throws Exception {
        Path bad = Sims.corrupt(tmp.resolve("in/a"), "x.fcs");
        Path good = Sims.write(tmp.resolve("in/b"), "x.fcs", 2, 5000);
        Path out = tmp.resolve("out");
        List<SampleResult> rs = new BatchRunner(processor(new FakeAnalyzer(0), out, "batch"), 2)
                .run(InputFiles.collect(List.of(tmp.resolve("in")), out), null);
        assertEquals(bad.toAbsolutePath(), rs.get(0).input());
        assertEquals(out.resolve("x/error.json").toAbsolutePath(), rs.get(0).failure().record().toAbsolutePath());
        String sha8 = org.cikqc.common.Sha256.hex(good).substring(0, 8);
        assertEquals("x-" + sha8, rs.get(1).sample());
        assertTrue(Files.isRegularFile(out.resolve("x/error.json")), "the error record is still there");
        assertTrue(Files.isRegularFile(out.resolve("x-" + sha8 + "/result.json")));
        assertEquals(out.resolve("x-" + sha8).toAbsolutePath(), rs.get(1).outcome().directory());
        assertTrue(rs.get(1).outcome().outputs().stream().allMatch(p -> p.startsWith(out.toAbsolutePath())),
                "outputs point into the output folder, not the scratch folder");
        try (Stream<Path> s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no scratch folder is left");
        }
        // re-running the good file alone replaces its own folder, not the error record
        SampleResult again = processor(new FakeAnalyzer(0), out, "batch").process(good);
        assertEquals("x-" + sha8, again.sample());
    }

    /** What a stop does to an analysis that is writing: the staging write is refused, as AtomicFiles does then. */
    static final Analyzer CUT_BY_STOP = (fcs, options, output, scratch) -> {
        throw CikqcException.output("the process is stopping; " + scratch.resolve(".x.staging") + " is not written", null);
    };

    @Test
    void anAnalysisCutShortByAStopIsRecordedAsStoppedNotAsAnError(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path f = Sims.write(in, "s01.fcs", 1, 5000);
        Path out = tmp.resolve("out");
        SampleResult r = processor(CUT_BY_STOP, out, "batch").stoppingWhen(() -> true).process(f);

        assertFalse(r.ok());
        assertTrue(r.failure().stopped());
        assertEquals("STOPPED", r.verdict());
        assertNull(r.failure().record(), "no error record: the input was not judged");
        assertFalse(Files.exists(out.resolve("s01")), "nothing written for the input");
        assertTrue(r.failure().message().contains("stopped before the result was committed"), r.failure().message());
        List<JsonNode> entries = AuditLog.entries(out.resolve("audit.jsonl"));
        assertEquals(1, entries.size());
        JsonNode e = entries.get(0);
        assertEquals(AnalysisAudit.STOPPED_ACTION, e.path("action").asText());
        assertTrue(e.path("details").path("exit_code").isMissingNode(), "a stop judges nothing: " + e);
        assertTrue(e.path("details").path("kind").isMissingNode(), e.toString());
        assertTrue(e.path("details").path("message").asText().contains("the process is stopping"), e.toString());
        assertEquals(0, e.path("outputs").size());
        assertEquals(in.resolve("s01.fcs").toAbsolutePath().normalize().toString(), e.path("inputs").get(0).path("file").asText());
        assertEquals(org.cikqc.common.Sha256.hex(f), e.path("inputs").get(0).path("sha256").asText());
        assertTrue(AuditLog.verify(out.resolve("audit.jsonl")).intact());

        // the same failure while the process is not stopping is the input's: an error record and analyze.error
        SampleResult plain = processor(CUT_BY_STOP, out, "batch").process(f);
        assertFalse(plain.failure().stopped());
        assertEquals("ERROR", plain.verdict());
        assertTrue(Files.isRegularFile(out.resolve("s01/error.json")));
        assertEquals(AnalysisAudit.ERROR_ACTION, AuditLog.entries(out.resolve("audit.jsonl")).get(1).path("action").asText());
    }
}
