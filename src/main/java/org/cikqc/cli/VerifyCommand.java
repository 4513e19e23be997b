package org.cikqc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.common.CikqcException;
import org.cikqc.common.Sha256;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.ResultDiff;
import org.cikqc.pipeline.SampleRunner;
import org.cikqc.qc.ResultJson;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc verify DIR/<sample>}: re-runs the analysis a {@code result.json} records (same input, spec, controls,
 * options and seed, from its provenance) and compares the bytes. Writes nothing: an archive can be verified
 * read-only.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Re-verify an archived result: re-create the options and the input from result.json's "
                + "provenance, check that the input file's SHA-256 is unchanged, re-run the analysis without writing "
                + "anything and compare the result.json bytes.",
                "Prints 'verified: byte-identical' or the JSON paths whose values differ (at most --max-lines)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:byte-identical",
            "6:different: the input file changed, or the re-run gives other values (the paths are listed)",
            "3:not a cikqc result, or what it records cannot be found (input, spec, controls)",
            "4:the recorded spec no longer validates",
            "2:usage error",
            "1:internal error"})
public final class VerifyCommand implements Callable<Integer> {
    /** Exit code for "not identical". */
    static final int EXIT_DIFFERENT = 6;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR/<sample>", description = "A sample folder, or its result.json.")
    Path target;

    @Option(names = "--max-lines", paramLabel = "N", converter = Converters.NonNegative.class, description = "List at most N differences (default ${DEFAULT-VALUE}).")
    int maxLines = 20;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path resultFile = Files.isDirectory(target) ? target.resolve("result.json") : target;
        byte[] stored = org.cikqc.qc.ResultJson.readBytes(resultFile);
        JsonNode recorded = ResultJson.parse(stored, resultFile.toString());
        AnalysisOptions options = SampleRunner.recordedOptions(recorded);
        Path input = SampleRunner.recordedInput(recorded);
        String why = input == null ? "is not recorded" : org.cikqc.common.RegularFiles.problem(input);
        if (why != null) {
            throw CikqcException.input(resultFile + ": the recorded input " + (input == null ? "" : input + " ") + why
                    + "; cannot verify");
        }
        String recordedSha = recorded.path("sample").path("sha256").asText("");
        String nowSha;
        try {
            nowSha = Sha256.hex(input);
        } catch (IOException e) {
            throw CikqcException.inputFailed(input + ": cannot read the recorded input", e);
        }
        if (!nowSha.equals(recordedSha)) {
            out.println("DIFFERENT " + resultFile + ": input changed: " + input + " has SHA-256 " + nowSha
                    + ", the result records " + recordedSha);
            out.flush();
            return EXIT_DIFFERENT;
        }
        byte[] again = SampleRunner.resultBytes(input, options);
        if (Arrays.equals(stored, again)) {
            out.println("verified: byte-identical (" + resultFile + ", SHA-256 " + Sha256.hex(stored) + ")");
            out.flush();
            return 0;
        }
        List<ResultDiff.Difference> diffs = ResultDiff.diff(recorded, ResultJson.parse(again, "re-run of " + input));
        out.println("DIFFERENT " + resultFile + ": the re-run differs from the record in "
                + (diffs.isEmpty() ? "formatting only (same values, other bytes)" : diffs.size() + " field(s)"));
        int shown = 0;
        for (ResultDiff.Difference d : diffs) {
            if (shown++ == maxLines) {
                out.println("  ... and " + (diffs.size() - maxLines) + " more");
                break;
            }
            out.println("  " + d.describe());
        }
        if (diffs.isEmpty()) out.println("  first differing byte at offset " + firstDifference(stored, again));
        out.flush();
        return EXIT_DIFFERENT;
    }

    private static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }
}
