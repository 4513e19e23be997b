package org.cikqc.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.cikqc.common.AtomicFiles;
import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.cikqc.fcs.FcsFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A test-only analyzer with the contract of {@link SampleRunner#run}: opens the file as FCS (so an invalid file
 * fails as the real reader fails it), decides the verdict from the file name ("fail" → FAIL, "indet" →
 * INDETERMINATE, "spec" → INVALID_SPEC error, "boom" → a bug), and writes {@code <name>/result.json} and
 * {@code report.txt} as one staged folder with the documented naming rule.
 */
final class FakeAnalyzer implements Analyzer {
    static final ObjectMapper JSON = new ObjectMapper();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    private final long sleepMillis;

    FakeAnalyzer(long sleepMillis) {
        this.sleepMillis = sleepMillis;
    }

    @Override
    public SampleOutcome analyze(Path fcs, AnalysisOptions options, OutputOptions output, Path outRoot) {
        calls.incrementAndGet();
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
            String sha;
            try (FcsFile f = FcsFile.open(fcs)) {
                sha = f.sha256();
            }
            String lower = fcs.getFileName().toString().toLowerCase(Locale.ROOT);
            if (lower.contains("spec")) throw CikqcException.spec(fcs + ": panel cannot be mapped (fake)");
            if (lower.contains("boom")) throw new IllegalStateException("fake bug");
            if (sleepMillis > 0) Thread.sleep(sleepMillis);
            String verdict = lower.contains("fail") ? "FAIL" : lower.contains("indet") ? "INDETERMINATE" : "PASS";
            String base = OutputNames.safeName(null, fcs);
            Path dir = outRoot.resolve(base);
            boolean replace = false;
            if (Files.exists(dir)) {
                JsonNode old = Files.exists(dir.resolve("result.json")) ? JSON.readTree(dir.resolve("result.json").toFile()) : null;
                if (old != null && sha.equals(old.path("sample").path("sha256").asText())) replace = true;
                else dir = outRoot.resolve(base + "-" + sha.substring(0, 8));
                if (!replace && Files.exists(dir)) replace = true;
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("schema", "cikqc.result/1");
            r.putObject("sample").put("file", fcs.getFileName().toString()).put("sha256", sha);
            r.put("verdict", verdict);
            com.fasterxml.jackson.databind.node.ArrayNode reasons = r.putArray("reasons");
            if (!verdict.equals("PASS")) reasons.add("fake " + verdict);
            r.putObject("metrics");
            r.putObject("provenance").putObject("inputs").put(fcs.toAbsolutePath().normalize().toString(), sha);
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(r);
            List<Path> outs = new ArrayList<>();
            try (AtomicFiles.Staging st = AtomicFiles.stageDirectory(dir)) {
                st.write("result.json", bytes);
                st.writeString("report.txt", "report of " + fcs.getFileName() + "\n");
                Path committed = replace ? st.commitReplacing() : st.commit();
                outs.add(committed.resolve("result.json"));
                outs.add(committed.resolve("report.txt"));
                return new SampleOutcome(committed.getFileName().toString(), committed, committed.resolve("result.json"),
                        Sha256.hex(bytes), verdict, outs, r);
            }
        } catch (IOException e) {
            throw CikqcException.output("fake: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CikqcException(CikqcException.Kind.INTERNAL, "interrupted");
        } finally {
            concurrent.decrementAndGet();
        }
    }
}
