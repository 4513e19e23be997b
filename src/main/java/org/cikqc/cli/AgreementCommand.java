package org.cikqc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.cikqc.common.AtomicFiles;
import org.cikqc.report.Agreement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cikqc agreement COMPARISON...}: the Bland–Altman summary, per metric, of the {@code comparison.tsv} files
 * that {@code cikqc gate --flowjo --result} writes for the samples of a validation set (see {@link Agreement}).
 */
@Command(name = "agreement", mixinStandardHelpOptions = true,
        description = {"Summarise the agreement of cikqc with manual FlowJo gating over a validation set: the "
                + "comparison.tsv files of 'cikqc gate --flowjo --result' (or folders holding one), per metric: "
                + "bias (mean of FlowJo replayed - cikqc) with its 95 % CI, SD, 95 % limits of agreement "
                + "(bias +- 1.96 SD), the largest difference, and how many samples are within 2u and on the same side "
                + "of the limit."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:usage error", "3:a file is missing or not a comparison.tsv", "5:output error",
            "1:internal error"})
public final class AgreementCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "COMPARISON", description = "comparison.tsv files, or folders holding one")
    List<Path> inputs;

    @Option(names = "--out", converter = Converters.OutputFile.class, paramLabel = "agreement.tsv",
            description = "also write the summary as TSV (atomically)")
    Path out;

    @Override
    public Integer call() {
        List<Agreement.Summary> rows = Agreement.summarise(inputs);
        PrintWriter stdout = spec.commandLine().getOut();
        if (out != null) AtomicFiles.writeString(out, Agreement.tsv(rows));
        if (rows.isEmpty()) stdout.println("no compared metrics in " + inputs.size() + " file(s)");
        for (String line : Agreement.lines(rows)) stdout.println(line);
        stdout.flush();
        return 0;
    }
}
