package org.cikqc.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.common.CikqcException;
import org.cikqc.pipeline.AnalysisOptions;
import org.cikqc.pipeline.Analyzer;
import org.cikqc.pipeline.InputFiles;
import org.cikqc.pipeline.OutputOptions;
import org.cikqc.pipeline.SampleResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc demo [--out DIR]}: analyses the sample files bundled in the project's {@code testdata/} folder with
 * the default spec, like {@code batch}, and prints where the reports are.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Analyse the bundled example samples (the project's testdata/*.fcs: a PASS, a FAIL on viability, "
                + "a FAIL on CD3+CD56+, an INDETERMINATE with too few events) with the default spec, as 'batch' does, "
                + "and print where the dossiers are.",
                "testdata/ is found beside the build folder of the running jar (target/..); --samples overrides it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every sample analysed (the verdicts differ on purpose)",
            "3:testdata/ not found (the jar was moved; use --samples) or a sample is invalid",
            "5:an output could not be written",
            "1:internal error"})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", converter = Converters.OutputFolder.class, paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out = Path.of("demo-out");

    @Option(names = "--samples", paramLabel = "DIR", description = "Folder of the example samples (default: <project>/testdata).")
    Path samples;

    @Option(names = "--threads", paramLabel = "N", converter = Converters.Positive.class, description = "Analyses at once (default ${DEFAULT-VALUE}).")
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));


    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        Path dir = samples != null ? samples : bundledTestData();
        if (!Files.isDirectory(dir)) {
            throw CikqcException.input("the demo samples are not where they were looked for: " + dir.toAbsolutePath()
                    + (samples != null ? " (--samples names no folder)"
                    : " (testdata/ beside the jar's target/ folder; was the jar moved? use --samples DIR)"));
        }
        PrintWriter stderr = spec.commandLine().getErr();
        List<Path> files = InputFiles.collect(List.of(dir), out, skipped -> stderr.println("cikqc: warning: " + skipped));
        if (files.isEmpty()) throw CikqcException.input("no FCS files in " + dir.toAbsolutePath());
        AnalysisOptions options = AnalysisOptions.defaults();
        OutputOptions output = OutputOptions.defaults();
        List<SampleResult> results = BatchExecution.run(files, options, output, out, threads, "demo",
                Analyzer.SAMPLE_RUNNER, stdout, stderr);
        stdout.println();
        stdout.println("Reports:");
        for (SampleResult r : results) {
            if (r.ok()) stdout.println("  " + r.outcome().directory().resolve("report.pdf"));
            else if (r.failure().record() != null) stdout.println("  " + r.failure().record());
        }
        stdout.println("Audit trail: " + out.toAbsolutePath().normalize().resolve("audit.jsonl")
                + " (check it with: scripts/cikqc audit verify " + out.resolve("audit.jsonl") + ")");
        stdout.flush();
        return Outcomes.exitCode(results, false);
    }

    /** {@code <project>/testdata}: the running code's location is {@code target/classes} or {@code target/cikqc.jar}. */
    static Path bundledTestData() {
        try {
            CodeSource cs = Main.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) return Path.of("testdata").toAbsolutePath();
            Path loc = Path.of(cs.getLocation().toURI()).toAbsolutePath().normalize();
            Path target = loc.getParent();
            Path root = target == null ? null : target.getParent();
            return root == null ? loc.resolveSibling("testdata") : root.resolve("testdata");
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Path.of("testdata").toAbsolutePath(); // unusual class loader: the message names this place
        }
    }
}
